// The stack-policy counterpart of `endpointDocumentPolicy` (rule.ts): a rule sees the stack graph
// and its config, reports findings as messages-as-data against the URN of the resource a user
// edits, and the wrapper turns the verdict into the framework's calls without ever throwing.

import type { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import {
    allConfigProperties, analyzedSubject, Findings, isExempt, plainInputs, type ResourceIdentity, internalErrorNote, policyFields, readConfig, recordExemption, signalNotApplicable, tellUnknownConfigKeys, withNote,
    remediationFields, type ExemptionConfig, type MessageData, type PolicyMetadata, type Violation,
} from "./rule";
import { decideExemption, exemptionReason, type ExemptionSubject } from "./exemptions";
import { stackGraph, type GraphResource, type StackGraph } from "../stack/stack-graph";
import { nameOfUrn } from "../stack/urn";
import type { ExemptionRecord } from "../values/exemption-record";

/** One violation of a stack policy, on the resource to edit. */
export interface StackViolation extends Violation {
    urn: string;
}

export interface StackVerdict {
    violations: StackViolation[];
    /** Set when the policy has nothing to say about this stack, with the reason. */
    notApplicable?: string;
    /** The exemptions that suppressed violations, one per exempted resource. */
    exempted?: ExemptionRecord[];
}

/** Collects a stack rule's findings, per resource (each capped like a resource policy's). */
export class StackFindings<M extends Record<string, string>> {
    private readonly byUrn = new Map<string, Findings<M>>();

    constructor(private readonly messages: M) {}

    report(urn: string, messageId: keyof M & string, data: MessageData | (() => MessageData) = {}): void {
        let findings = this.byUrn.get(urn);
        if (findings === undefined) this.byUrn.set(urn, (findings = new Findings(this.messages)));
        findings.report(messageId, data);
    }

    /** The violations, grouped by resource in the order resources were first reported. */
    result(): StackViolation[] {
        const all: StackViolation[] = [];
        for (const [urn, findings] of this.byUrn) for (const v of findings.result()) all.push({ urn, ...v });
        return all;
    }
}

export interface StackRule<M extends Record<string, string>, C extends Record<string, unknown>> {
    meta: PolicyMetadata;
    messages: M;
    /** Judges the stack. Returns a not-applicable reason when there was nothing to judge. */
    check(graph: StackGraph, config: C, findings: StackFindings<M>): string | void | Promise<string | void>;
    /**
     * The mechanical fix of one resource's inputs, at enforcement level `remediate`: the properties
     * to set. @pulumi/policy runs remediations only for resource policies, and counts any policy
     * with `remediateResource` as one (see README "Remediation").
     */
    remediate?(type: string, inputs: Readonly<Record<string, unknown>>, config: C): Record<string, unknown> | undefined;
}

export type StackPolicy = StackValidationPolicy & {
    /** The verdict for a stack's resources (framework `PolicyResource`s or plain objects of that shape). */
    evaluate(resources: readonly GraphResource[], config?: unknown): Promise<StackVerdict>;
    /** The remediated inputs of one resource, or undefined when there is nothing to fix. */
    remediate?(type: string, props: unknown, config?: unknown, resource?: ResourceIdentity): Record<string, unknown> | undefined;
};

export function stackPolicy<M extends Record<string, string>, C extends Record<string, unknown>>(rule: StackRule<M, C>): StackPolicy {
    const properties = allConfigProperties(rule.meta);
    const evaluate = async (resources: readonly GraphResource[], rawConfig?: unknown): Promise<StackVerdict> => {
        try {
            const findings = new StackFindings(rule.messages);
            const graph = stackGraph(resources);
            const config = readConfig<C & ExemptionConfig>(properties, rawConfig);
            const reason = await rule.check(graph, config, findings);
            const found = findings.result();
            if (found.length === 0) return reason ? { violations: found, notApplicable: reason } : { violations: found };
            return exemptStackViolations(rule.meta, graph, found, config);
        } catch (e) {
            return { violations: [], notApplicable: internalErrorNote(e, "stack") };
        }
    };
    const fix = rule.remediate;
    const remediate = fix === undefined ? undefined : (type: string, props: unknown, rawConfig?: unknown, resource?: ResourceIdentity): Record<string, unknown> | undefined => {
        try {
            const plain = plainInputs(props);
            const config = readConfig<C & ExemptionConfig>(properties, rawConfig);
            const changes = fix(type, plain, config);
            if (changes === undefined || Object.keys(changes).length === 0) return undefined;
            if (isExempt(rule.meta, config, () => analyzedSubject(type, plain, resource))) return undefined;
            return { ...plain, ...changes };
        } catch {
            return undefined;
        }
    };
    return {
        ...policyFields(rule.meta),
        evaluate,
        ...remediationFields(remediate),
        validateStack: async (args: StackValidationArgs, reportViolation: ReportViolation) => {
            let verdict: StackVerdict;
            try {
                const config = args.getConfig();
                tellUnknownConfigKeys(rule.meta, config);
                verdict = await evaluate(args.resources, config);
            } catch (e) {
                verdict = { violations: [], notApplicable: internalErrorNote(e, "stack") };
            }
            for (const v of verdict.violations) {
                try {
                    reportViolation(v.message, v.urn);
                } catch {
                    // The framework's reporter does not throw; a library caller's might. Keep reporting the rest.
                }
            }
            for (const record of verdict.exempted ?? []) recordExemption(record);
            // Outside the try: the framework signals not-applicable by throwing its own error.
            if (verdict.notApplicable !== undefined && verdict.violations.length === 0) signalNotApplicable(args, verdict.notApplicable);
        },
    };
}

/** A stack resource as exemptions see it; a VpcEndpointPolicy follows the tag of the endpoint it links to. */
function stackSubject(graph: StackGraph, urn: string): ExemptionSubject {
    const node = graph.node(urn);
    if (node === undefined) return { urn, name: nameOfUrn(urn), type: "", tags: undefined };
    let tagged = node;
    if (node.role === "endpointPolicy") {
        const endpoints = graph.follow(node, "policyEndpoint").linked;
        if (endpoints.length === 1) tagged = endpoints[0];
    }
    const tags = tagged.property("tags");
    return { urn, name: node.name, type: node.type, tags: tags.state === "known" ? tags.value : undefined };
}

/**
 * A stack policy reports per resource and cannot say "not applicable" for one resource: an
 * exempted resource's violations are dropped and recorded (`exempted`); when nothing else is left,
 * the policy is not applicable and its reason names the exemptions.
 */
function exemptStackViolations(meta: PolicyMetadata, graph: StackGraph, found: StackViolation[], config: ExemptionConfig): StackVerdict {
    const byUrn = new Map<string, StackViolation[]>();
    for (const v of found) {
        const list = byUrn.get(v.urn);
        if (list) list.push(v);
        else byUrn.set(v.urn, [v]);
    }
    const violations: StackViolation[] = [];
    const exempted: ExemptionRecord[] = [];
    for (const [urn, list] of byUrn) {
        const decision = decideExemption(meta.name, stackSubject(graph, urn), config.exemptions, config.allowTagExemptions);
        if (decision.applied !== undefined) exempted.push({ policy: meta.name, urn, ...decision.applied, suppressed: list.length });
        else violations.push(...withNote(list, decision.note));
    }
    if (exempted.length === 0) return { violations };
    if (violations.length > 0) return { violations, exempted };
    const named = exempted.slice(0, 3).map((e) => `"${nameOfUrn(e.urn)}" (${exemptionReason(e)})`);
    const more = exempted.length > 3 ? ` and ${exempted.length - 3} more` : "";
    return { violations, exempted, notApplicable: `every finding was on an exempted resource: ${named.join("; ")}${more}` };
}
