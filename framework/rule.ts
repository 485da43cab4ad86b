// What every vpce-guard policy shares: its identity and metadata, messages kept as data, config
// read against defaults, and a wrapper that turns a rule's verdict into the framework's calls
// without ever letting an exception reach the framework.

import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, Severity } from "@pulumi/policy";
import { editJsonText, editJsonValue, type JsonEdit } from "../iam/json-document";
import type { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";
import { policyDocsUrl } from "./docs-url";
import { readEndpointPolicy, type EndpointPolicyInput } from "../stack/endpoint-policy";
import { rememberedInputs, rememberInputs } from "../stack/inputs-memory";
import { roleOf } from "../stack/roles";
import { nameOfUrn } from "../stack/urn";
import { unwrapProps } from "../values/unknown-values";
import { formatExemptionRecord, type ExemptionRecord } from "../values/exemption-record";
import { unknownConfigKeys } from "../values/config-keys";
import { decideExemption, exemptionConfigProperties, exemptionReason, type AppliedExemption, type ExemptionSubject } from "./exemptions";

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
    /** Set when an exemption suppressed this resource's violations. */
    exempted?: AppliedExemption & { suppressed: number };
}

/** One resource gets at most this many violations from one policy; the rest are counted. */
export const maxViolationsPerResource = 25;

/** Collects a rule's findings as messages. */
export class Findings<M extends Record<string, string>> {
    readonly violations: Violation[] = [];
    private dropped = 0;

    constructor(private readonly messages: M) {}

    /** `data` may be a function, called only when the message is kept (past the cap, problems are only counted). */
    report(messageId: keyof M & string, data: MessageData | (() => MessageData) = {}): void {
        if (this.violations.length >= maxViolationsPerResource) {
            this.dropped++;
            return;
        }
        this.violations.push({ messageId, message: formatMessage(this.messages[messageId], typeof data === "function" ? data() : data) });
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
 * The policy's config: each property the user gave that conforms to its schema (type, items,
 * patterns, ranges — at every level), else the schema default. The engine validates config before
 * it arrives; a pack used as a library may not, and a list holding one bad entry must not reach a
 * rule half-read (an empty account ID would match every principal without an account).
 */
export function readConfig<C extends Record<string, unknown>>(
    properties: Record<string, PolicyConfigJSONSchema>, raw: unknown,
): C {
    const given = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
    const config: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(properties)) {
        const value = Object.hasOwn(given, key) ? given[key] : undefined;
        config[key] = value !== undefined && conforms(value, schema) ? value : schema.default;
    }
    return config as C;
}

/**
 * Whether a value satisfies a config schema: the JSON Schema keywords the pack's config schemas can
 * use. Recursion follows the schema, so its depth is the schema's, whatever the value.
 */
export function conforms(value: unknown, schema: PolicyConfigJSONSchemaDefinition | undefined): boolean {
    if (schema === undefined || schema === true) return true;
    if (schema === false || schema === null || typeof schema !== "object") return false;
    if (schema.type !== undefined && !hasJsonType(value, schema.type)) return false;
    if (schema.enum !== undefined && !schema.enum.some((e) => sameJson(e, value))) return false;
    if (schema.const !== undefined && !sameJson(schema.const, value)) return false;
    if (typeof value === "number") {
        if (!Number.isFinite(value)) return false;
        if (schema.minimum !== undefined && value < schema.minimum) return false;
        if (schema.maximum !== undefined && value > schema.maximum) return false;
        if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return false;
        if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return false;
        if (schema.multipleOf !== undefined && !Number.isInteger(value / schema.multipleOf)) return false;
    }
    if (typeof value === "string") {
        const length = [...value].length;
        if (schema.minLength !== undefined && length < schema.minLength) return false;
        if (schema.maxLength !== undefined && length > schema.maxLength) return false;
        if (schema.pattern !== undefined && !patternOf(schema.pattern).test(value)) return false;
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) return false;
        if (schema.maxItems !== undefined && value.length > schema.maxItems) return false;
        const items = schema.items;
        if (Array.isArray(items)) {
            if (!value.every((v, i) => conforms(v, i < items.length ? items[i] : schema.additionalItems))) return false;
        } else if (items !== undefined && !value.every((v) => conforms(v, items))) {
            return false;
        }
        if (schema.uniqueItems === true && value.some((v, i) => value.findIndex((w) => sameJson(v, w)) !== i)) return false;
    } else if (value !== null && typeof value === "object") {
        const object = value as Record<string, unknown>;
        const keys = Object.keys(object);
        if (schema.minProperties !== undefined && keys.length < schema.minProperties) return false;
        if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) return false;
        if (schema.required !== undefined && !schema.required.every((k) => Object.hasOwn(object, k))) return false;
        for (const key of keys) {
            if (schema.propertyNames !== undefined && !conforms(key, schema.propertyNames)) return false;
            let matched = false;
            if (schema.properties !== undefined && Object.hasOwn(schema.properties, key)) {
                matched = true;
                if (!conforms(object[key], schema.properties[key])) return false;
            }
            for (const [pattern, s] of Object.entries(schema.patternProperties ?? {})) {
                if (!patternOf(pattern).test(key)) continue;
                matched = true;
                if (!conforms(object[key], s)) return false;
            }
            if (!matched && schema.additionalProperties !== undefined && !conforms(object[key], schema.additionalProperties)) return false;
        }
    }
    return true;
}

const patterns = new Map<string, RegExp>();

function patternOf(source: string): RegExp {
    let re = patterns.get(source);
    if (re === undefined) {
        try {
            re = new RegExp(source, "u");
        } catch {
            re = /(?!)/; // A schema pattern that is not a regular expression accepts nothing.
        }
        patterns.set(source, re);
    }
    return re;
}

function sameJson(a: unknown, b: unknown): boolean {
    try {
        return JSON.stringify(a) === JSON.stringify(b);
    } catch {
        return false;
    }
}

function hasJsonType(value: unknown, type: PolicyConfigJSONSchema["type"]): boolean {
    const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
    if (types.length === 0) return true;
    return types.some((t) => {
        switch (t) {
            case "array": return Array.isArray(value);
            case "object": return value !== null && typeof value === "object" && !Array.isArray(value);
            case "integer": return Number.isInteger(value);
            case "number": return typeof value === "number" && Number.isFinite(value);
            case "null": return value === null;
            default: return typeof value === t;
        }
    });
}

/** Every config property of a policy: its own, then the exemption properties every policy has. */
export function allConfigProperties(meta: PolicyMetadata): Record<string, PolicyConfigJSONSchema> {
    return { ...meta.configProperties, ...exemptionConfigProperties(meta.enforcementLevel) };
}

/** The config every policy reads besides its own. */
export interface ExemptionConfig {
    exemptions: unknown[];
    allowTagExemptions: boolean;
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
        url: policyDocsUrl(meta.name),
        configSchema: { properties: allConfigProperties(meta) },
    };
}

const toldConfigKeys = new Set<string>();

/**
 * Tells the user, once per process, of each config key the policy does not have: a line on the
 * pack's stderr, which `pulumi preview` shows as a diagnostic (see README "Config is strict").
 */
export function tellUnknownConfigKeys(meta: PolicyMetadata, rawConfig: unknown, write: (line: string) => void = (l) => process.stderr.write(l)): void {
    if (rawConfig === null || typeof rawConfig !== "object") return;
    let valid: string[] | undefined;
    for (const key in rawConfig) {
        if (Object.hasOwn(meta.configProperties, key) || key === "exemptions" || key === "allowTagExemptions") continue;
        valid ??= ["enforcementLevel", ...Object.keys(allConfigProperties(meta))];
        for (const problem of unknownConfigKeys(meta.name, valid, { [key]: true })) {
            const id = `${meta.name}\u0000${key}`;
            if (toldConfigKeys.has(id)) continue;
            toldConfigKeys.add(id);
            write(`vpce-guard: config error: ${problem.text}; it is ignored, so the policy runs without it\n`);
        }
    }
}

/** Writes an applied exemption on the pack's stdout (`pulumi preview` shows it; `vpce-guard check` lists it). */
export function recordExemption(record: ExemptionRecord, write: (line: string) => void = (l) => process.stdout.write(l)): void {
    try {
        write(`${formatExemptionRecord(record)}\n`);
    } catch {
        // Recording is best effort: never fail a policy over its output stream.
    }
}

/** Appends a note (an expired exemption, a tag not honoured) to each violation's message. */
export function withNote<V extends Violation>(violations: V[], note: string | undefined): V[] {
    return note === undefined ? violations : violations.map((v) => ({ ...v, message: `${v.message} ${note}` }));
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
    /**
     * The mechanical fix, at enforcement level `remediate`: edits to a parsed document that keep
     * what its author meant. Only the edited values change; the rest of the text stays as written.
     */
    remediate?(document: unknown, config: C): JsonEdit[];
}

/** Which resource a verdict is about, for exemptions: its URN, name and Pulumi parent. */
export interface ResourceIdentity {
    urn?: string;
    name?: string;
    parent?: string;
}

export type DocumentPolicy = ResourceValidationPolicy & {
    /** The verdict for one resource's inputs; what the policy reports through the framework. */
    evaluate(type: string, props: unknown, config?: unknown, resource?: ResourceIdentity): ResourceVerdict;
    /** The remediated inputs, or undefined when there is nothing to fix (or the resource is exempt). */
    remediate?(type: string, props: unknown, config?: unknown, resource?: ResourceIdentity): Record<string, unknown> | undefined;
};

/** The plain inputs behind the framework's proxies (Remediate wraps them twice: unknowns, then secrets). */
export function plainInputs(props: unknown): Record<string, unknown> {
    return unwrapProps(unwrapProps(props));
}

/** Whether an exemption applies to the resource (a remediation leaves an exempted resource alone). */
export function isExempt(meta: PolicyMetadata, config: ExemptionConfig, subject: () => ExemptionSubject): boolean {
    const none = (!Array.isArray(config.exemptions) || config.exemptions.length === 0) && !config.allowTagExemptions;
    return !none && decideExemption(meta.name, subject(), config.exemptions, config.allowTagExemptions).applied !== undefined;
}

const endpointPolicyType = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy";

/** The type token of a URN (the last of its `$`-joined parent types). */
function typeOfUrn(urn: string): string {
    const types = urn.split("::")[2] ?? "";
    return types.slice(types.lastIndexOf("$") + 1);
}

/**
 * A resource as exemptions see it in Analyze. A VpcEndpointPolicy has no tags and follows its
 * endpoint's; Analyze carries no dependencies, so the endpoint is known here only as its Pulumi parent.
 */
export function analyzedSubject(type: string, props: unknown, resource: ResourceIdentity = {}): ExemptionSubject {
    const urn = resource.urn ?? "";
    let tags = unwrapProps(props).tags;
    if (type === endpointPolicyType && resource.parent && roleOf(typeOfUrn(resource.parent)) === "endpoint") {
        tags = rememberedInputs(resource.parent)?.tags;
    }
    return { urn, name: resource.name ?? nameOfUrn(urn), type, tags };
}

/** The verdict after exemptions: violations of an exempted resource become its not-applicable reason. */
export function applyExemption(meta: PolicyMetadata, verdict: ResourceVerdict, config: ExemptionConfig, subject: () => ExemptionSubject): ResourceVerdict {
    if (verdict.violations.length === 0) return verdict;
    const decision = decideExemption(meta.name, subject(), config.exemptions, config.allowTagExemptions);
    if (decision.applied !== undefined) {
        return { violations: [], notApplicable: exemptionReason(decision.applied), exempted: { ...decision.applied, suppressed: verdict.violations.length } };
    }
    return decision.note === undefined ? verdict : { ...verdict, violations: withNote(verdict.violations, decision.note) };
}

export function endpointDocumentPolicy<M extends Record<string, string>, C extends Record<string, unknown>>(
    rule: DocumentRule<M, C>,
): DocumentPolicy {
    const properties = allConfigProperties(rule.meta);
    const evaluate = (type: string, props: unknown, rawConfig?: unknown, resource?: ResourceIdentity): ResourceVerdict => {
        try {
            const input = readEndpointPolicy(type, props);
            switch (input.status) {
                case "not-a-carrier":
                    return { violations: [], notApplicable: "not a resource that carries a VPC endpoint policy" };
                case "absent":
                    return { violations: [], notApplicable: `no endpoint policy set (${input.property} is empty or absent)` };
                case "unknown":
                    return {
                        violations: [],
                        notApplicable: input.redacted
                            ? `${input.property} is a secret that was not decrypted ("[secret]"); set PULUMI_CONFIG_PASSPHRASE to check it`
                            : `${input.property} is not known until the update; the policy is checked then`,
                    };
            }
            const findings = new Findings(rule.messages);
            const config = readConfig<C & ExemptionConfig>(properties, rawConfig);
            const reason = rule.check(input, config, findings);
            if (reason) return { violations: [], notApplicable: reason };
            return applyExemption(rule.meta, { violations: findings.result() }, config, () => analyzedSubject(type, props, resource));
        } catch (e) {
            return { violations: [], notApplicable: internalErrorNote(e) };
        }
    };
    const fix = rule.remediate;
    const remediate = fix === undefined ? undefined : (type: string, props: unknown, rawConfig?: unknown, resource?: ResourceIdentity): Record<string, unknown> | undefined => {
        try {
            const plain = plainInputs(props);
            const input = readEndpointPolicy(type, plain);
            // A document with duplicate keys is ambiguous to edit: vpce-policy-json reports it.
            if (input.status !== "parsed" || input.duplicateKeys.length > 0) return undefined;
            const config = readConfig<C & ExemptionConfig>(properties, rawConfig);
            if (isExempt(rule.meta, config, () => analyzedSubject(type, plain, resource))) return undefined;
            const edits = fix(input.document, config);
            if (edits.length === 0) return undefined;
            const value = input.text !== undefined ? editJsonText(input.text, edits) : editJsonValue(input.document, edits);
            return { ...plain, [input.property]: value };
        } catch {
            return undefined; // no fix is better than a failed preview
        }
    };
    return {
        ...policyFields(rule.meta),
        evaluate,
        ...remediationFields(remediate),
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            let verdict: ResourceVerdict;
            try {
                // Only what a stack rule can read: a stack of 10,000 resources with a few endpoints keeps a few hundred.
                if (roleOf(args.type) !== undefined) rememberInputs(args.urn, args.props);
                const config = args.getConfig();
                tellUnknownConfigKeys(rule.meta, config);
                verdict = evaluate(args.type, args.props, config, { urn: args.urn, name: args.name, parent: args.opts?.parent });
            } catch (e) {
                verdict = { violations: [], notApplicable: internalErrorNote(e) };
            }
            for (const v of verdict.violations) reportViolation(v.message);
            if (verdict.exempted !== undefined) recordExemption({ policy: rule.meta.name, urn: args.urn, ...verdict.exempted });
            // Outside the try: the framework signals not-applicable by throwing its own error.
            if (verdict.notApplicable !== undefined && verdict.violations.length === 0) signalNotApplicable(args, verdict.notApplicable);
        },
    };
}

/**
 * Calls the framework's `notApplicable`, which throws an error the framework catches and reads only
 * the reason of. Most resources are not applicable to most policies, and capturing a stack trace
 * for each throw was the largest single cost of an Analyze call, so none is captured.
 */
export function signalNotApplicable(args: { notApplicable(reason?: string): never }, reason: string): never {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return args.notApplicable(reason);
    } finally {
        Error.stackTraceLimit = limit;
    }
}

type Remediate = (type: string, props: unknown, rawConfig?: unknown, resource?: ResourceIdentity) => Record<string, unknown> | undefined;

/** A rule's remediation as the framework calls it (`remediateResource`), and as our tests call it; nothing without one. */
export function remediationFields(remediate: Remediate | undefined): { remediate?: Remediate; remediateResource?: (args: ResourceValidationArgs) => Record<string, unknown> | undefined } {
    if (remediate === undefined) return {};
    return {
        remediate,
        remediateResource: (args: ResourceValidationArgs) => remediate(args.type, args.props, args.getConfig(), { urn: args.urn, name: args.name, parent: args.opts?.parent }),
    };
}
