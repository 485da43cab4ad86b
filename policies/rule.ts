// What every vpce-guard policy shares: its identity and metadata, messages kept as data, config
// read against defaults, and a wrapper that turns a rule's verdict into the framework's calls
// without ever letting an exception reach the framework.

import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, Severity } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { readEndpointPolicy, type EndpointPolicyInput } from "./endpoint-policy";
import { rememberInputs } from "./inputs-memory";

export interface PolicyMetadata {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: "advisory" | "mandatory";
    severity: Severity;
    remediationSteps: string;
    /** Config properties as JSON schema; defaults go in each property's `default`. */
    configProperties: Record<string, PolicyConfigJSONSchema>;
}

export type MessageData = Record<string, string | number>;

/** Fills `{{placeholders}}` of a message template. */
export function formatMessage(template: string, data: MessageData): string {
    return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => (Object.hasOwn(data, key) ? String(data[key]) : whole));
}

export interface Violation {
    messageId: string;
    message: string;
}

export interface ResourceVerdict {
    violations: Violation[];
    /** Set when the policy has nothing to say about this resource, with the reason. */
    notApplicable?: string;
}

/** One resource gets at most this many violations from one policy; the rest are counted. */
export const maxViolationsPerResource = 25;

/** Collects a rule's findings as messages. */
export class Findings<M extends Record<string, string>> {
    readonly violations: Violation[] = [];
    private dropped = 0;

    constructor(private readonly messages: M) {}

    report(messageId: keyof M & string, data: MessageData = {}): void {
        if (this.violations.length >= maxViolationsPerResource) {
            this.dropped++;
            return;
        }
        this.violations.push({ messageId, message: formatMessage(this.messages[messageId], data) });
    }

    /** The violations, with a closing line when some were left out. */
    result(): Violation[] {
        if (this.dropped === 0) return this.violations;
        return [...this.violations, {
            messageId: "more",
            message: `…and ${this.dropped} more problem(s) of this policy in the same document; fix the ones above and run again.`,
        }];
    }
}

/**
 * The policy's config: each property the user gave that has the declared JSON type, else the
 * schema default. The engine validates config before it arrives; a pack used as a library may not.
 */
export function readConfig<C extends Record<string, unknown>>(
    properties: Record<string, PolicyConfigJSONSchema>, raw: unknown,
): C {
    const given = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
    const config: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(properties)) {
        const value = Object.hasOwn(given, key) ? given[key] : undefined;
        config[key] = value !== undefined && hasJsonType(value, schema.type) ? value : schema.default;
    }
    return config as C;
}

function hasJsonType(value: unknown, type: PolicyConfigJSONSchema["type"]): boolean {
    const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
    if (types.length === 0) return true;
    return types.some((t) => {
        switch (t) {
            case "array": return Array.isArray(value);
            case "object": return value !== null && typeof value === "object" && !Array.isArray(value);
            case "integer": return Number.isInteger(value);
            case "null": return value === null;
            default: return typeof value === t;
        }
    });
}

/** The fields of a `Policy` that come from metadata. */
export function policyFields(meta: PolicyMetadata) {
    return {
        name: meta.name,
        displayName: meta.displayName,
        description: meta.description,
        enforcementLevel: meta.enforcementLevel,
        severity: meta.severity,
        remediationSteps: meta.remediationSteps,
        configSchema: { properties: meta.configProperties },
    };
}

/** The not-applicable reason given instead of an exception that escaped a rule. */
export const internalErrorNote = (e: unknown, subject = "resource") =>
    `vpce-guard could not evaluate this ${subject} (${e instanceof Error ? e.message : String(e)}); no verdict. Please report this.`;

/** A rule about the content of an endpoint policy document, on each carrier's inputs. */
export interface DocumentRule<M extends Record<string, string>, C extends Record<string, unknown>> {
    meta: PolicyMetadata;
    messages: M;
    /**
     * Judges one document. Receives every input that reached a verdict-worthy state: parsed,
     * syntax error, or wrong type. Returns a not-applicable reason, or nothing.
     */
    check(input: Extract<EndpointPolicyInput, { status: "parsed" | "syntax-error" | "wrong-type" }>, config: C, findings: Findings<M>): string | void;
}

export type DocumentPolicy = ResourceValidationPolicy & {
    /** The verdict for one resource's inputs; what the policy reports through the framework. */
    evaluate(type: string, props: unknown, config?: unknown): ResourceVerdict;
};

export function endpointDocumentPolicy<M extends Record<string, string>, C extends Record<string, unknown>>(
    rule: DocumentRule<M, C>,
): DocumentPolicy {
    const evaluate = (type: string, props: unknown, rawConfig?: unknown): ResourceVerdict => {
        try {
            const input = readEndpointPolicy(type, props);
            switch (input.status) {
                case "not-a-carrier":
                    return { violations: [], notApplicable: "not a resource that carries a VPC endpoint policy" };
                case "absent":
                    return { violations: [], notApplicable: `no endpoint policy set (${input.property} is empty or absent)` };
                case "unknown":
                    return { violations: [], notApplicable: `${input.property} is not known until the update; the policy is checked then` };
            }
            const findings = new Findings(rule.messages);
            const reason = rule.check(input, readConfig<C>(rule.meta.configProperties, rawConfig), findings);
            return reason ? { violations: [], notApplicable: reason } : { violations: findings.result() };
        } catch (e) {
            return { violations: [], notApplicable: internalErrorNote(e) };
        }
    };
    return {
        ...policyFields(rule.meta),
        evaluate,
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            let verdict: ResourceVerdict;
            try {
                rememberInputs(args.urn, args.props);
                verdict = evaluate(args.type, args.props, args.getConfig());
            } catch (e) {
                verdict = { violations: [], notApplicable: internalErrorNote(e) };
            }
            for (const v of verdict.violations) reportViolation(v.message);
            // Outside the try: the framework signals not-applicable by throwing its own error.
            if (verdict.notApplicable !== undefined && verdict.violations.length === 0) args.notApplicable(verdict.notApplicable);
        },
    };
}
