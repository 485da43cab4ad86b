// The stack-policy counterpart of `endpointDocumentPolicy` (rule.ts): a rule sees the stack graph
// and its config, reports findings as messages-as-data against the URN of the resource a user
// edits, and the wrapper turns the verdict into the framework's calls without ever throwing.

import type { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { Findings, internalErrorNote, policyFields, readConfig, signalNotApplicable, type MessageData, type PolicyMetadata, type Violation } from "./rule";
import { stackGraph, type GraphResource, type StackGraph } from "../stack/stack-graph";

/** One violation of a stack policy, on the resource to edit. */
export interface StackViolation extends Violation {
    urn: string;
}

export interface StackVerdict {
    violations: StackViolation[];
    /** Set when the policy has nothing to say about this stack, with the reason. */
    notApplicable?: string;
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
}

export type StackPolicy = StackValidationPolicy & {
    /** The verdict for a stack's resources (framework `PolicyResource`s or plain objects of that shape). */
    evaluate(resources: readonly GraphResource[], config?: unknown): Promise<StackVerdict>;
};

export function stackPolicy<M extends Record<string, string>, C extends Record<string, unknown>>(rule: StackRule<M, C>): StackPolicy {
    const evaluate = async (resources: readonly GraphResource[], rawConfig?: unknown): Promise<StackVerdict> => {
        try {
            const findings = new StackFindings(rule.messages);
            const reason = await rule.check(stackGraph(resources), readConfig<C>(rule.meta.configProperties, rawConfig), findings);
            const violations = findings.result();
            return violations.length === 0 && reason ? { violations, notApplicable: reason } : { violations };
        } catch (e) {
            return { violations: [], notApplicable: internalErrorNote(e, "stack") };
        }
    };
    return {
        ...policyFields(rule.meta),
        evaluate,
        validateStack: async (args: StackValidationArgs, reportViolation: ReportViolation) => {
            let verdict: StackVerdict;
            try {
                verdict = await evaluate(args.resources, args.getConfig());
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
            // Outside the try: the framework signals not-applicable by throwing its own error.
            if (verdict.notApplicable !== undefined && verdict.violations.length === 0) signalNotApplicable(args, verdict.notApplicable);
        },
    };
}
