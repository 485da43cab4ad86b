// Per-resource exemptions, for every policy (SPEC "Exemptions"): the config `exemptions` (patterns
// over URN, name or type, a required reason, an optional expiry) and the `vpce-guard:exempt` tag,
// which a policy honours when its `allowTagExemptions` is true. Only resources a policy found a
// problem with are looked up, so a run without exemptions does no work here.

import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { isUnknown } from "../values/unknown-values";
import { oneLine, type ExemptionKind } from "../values/exemption-record";

export const exemptTag = "vpce-guard:exempt";

/** The config properties every policy has besides its own. */
export function exemptionConfigProperties(defaultLevel: "advisory" | "mandatory"): Record<string, PolicyConfigJSONSchema> {
    return {
        exemptions: {
            type: "array",
            default: [],
            description: "Resources this policy does not judge: each entry lists `resources` (patterns matched against the resource's URN, name or type; `*` matches any text), a required `reason`, and an optional `expires` date (YYYY-MM-DD, the last day it applies).",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["resources", "reason"],
                properties: {
                    resources: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
                    reason: { type: "string", minLength: 1, pattern: "\\S" },
                    expires: { type: "string", pattern: "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$" },
                },
            },
        },
        allowTagExemptions: {
            type: "boolean",
            default: defaultLevel === "advisory",
            description: `Whether a resource tag \`${exemptTag}\` whose value is "<policy>[,<policy>…]: <reason>" exempts the resource from this policy (a VpcEndpointPolicy follows its endpoint's tag). Defaults to true for advisory-by-default policies, false for mandatory-by-default ones.`,
        },
    };
}

export const exemptionConfigKeys = ["exemptions", "allowTagExemptions"] as const;

/** What the decision needs of a resource. `tags` is the raw `tags` input (aws map or aws-native list). */
export interface ExemptionSubject {
    urn: string;
    name: string;
    type: string;
    tags: unknown;
}

export interface AppliedExemption {
    kind: ExemptionKind;
    reason: string;
    expires?: string;
}

export interface ExemptionDecision {
    /** Set when the resource is exempt from the policy. */
    applied?: AppliedExemption;
    /** When not exempt: what the user should know (an expired exemption, a tag not honoured). */
    note?: string;
}

interface CompiledEntry {
    patterns: RegExp[];
    reason: string;
    expires?: string;
}

const compiled = new WeakMap<object, CompiledEntry[]>();

function globPattern(glob: string): RegExp {
    return new RegExp(`^${glob.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "s");
}

function compile(exemptions: readonly unknown[]): CompiledEntry[] {
    let entries = compiled.get(exemptions);
    if (entries === undefined) {
        entries = [];
        for (const e of exemptions) {
            if (e === null || typeof e !== "object") continue;
            const { resources, reason, expires } = e as Record<string, unknown>;
            if (!Array.isArray(resources) || typeof reason !== "string" || reason.trim() === "") continue;
            const patterns = resources.filter((r): r is string => typeof r === "string" && r !== "").map(globPattern);
            entries.push({ patterns, reason, ...(typeof expires === "string" ? { expires } : {}) });
        }
        compiled.set(exemptions, entries);
    }
    return entries;
}

/** Today as YYYY-MM-DD (UTC); an exemption applies through its `expires` day. */
export function today(): string {
    return new Date().toISOString().slice(0, 10);
}

/** The value of the `vpce-guard:exempt` tag: an aws tag map or an aws-native list of {key, value}. */
export function exemptTagValue(tags: unknown): string | undefined {
    if (tags === null || typeof tags !== "object") return undefined;
    let value: unknown;
    if (Array.isArray(tags)) {
        const entry = tags.find((t) => t !== null && typeof t === "object" && (t as Record<string, unknown>).key === exemptTag) as Record<string, unknown> | undefined;
        value = entry?.value;
    } else if (Object.hasOwn(tags, exemptTag)) {
        value = (tags as Record<string, unknown>)[exemptTag];
    }
    return typeof value === "string" && !isUnknown(value) ? value : undefined;
}

/**
 * Whether `policy` exempts the resource. Config entries come first (the first unexpired match
 * applies); then the tag, when `allowTags`.
 */
export function decideExemption(policy: string, subject: ExemptionSubject, exemptions: unknown, allowTags: boolean, on = today()): ExemptionDecision {
    const notes: string[] = [];
    if (Array.isArray(exemptions) && exemptions.length > 0) {
        for (const entry of compile(exemptions)) {
            if (!entry.patterns.some((p) => p.test(subject.urn) || p.test(subject.name) || p.test(subject.type))) continue;
            if (entry.expires !== undefined && entry.expires < on) {
                notes.push(`An exemption of this resource from ${policy} expired on ${entry.expires} ("${oneLine(entry.reason, 120)}"); renew or remove it in the policy's \`exemptions\`.`);
                continue;
            }
            return { applied: { kind: "config", reason: entry.reason, ...(entry.expires !== undefined ? { expires: entry.expires } : {}) } };
        }
    }
    const tag = exemptTagValue(subject.tags);
    if (tag !== undefined) {
        const colon = tag.indexOf(":");
        const names = (colon < 0 ? tag : tag.slice(0, colon)).split(",").map((n) => n.trim());
        const reason = colon < 0 ? "" : tag.slice(colon + 1).trim();
        if (names.includes(policy)) {
            if (reason === "") notes.push(`The resource's \`${exemptTag}\` tag names ${policy} but gives no reason; write "${policy}: <reason>".`);
            else if (!allowTags) notes.push(`The resource's \`${exemptTag}\` tag names ${policy}, but this policy does not honour tag exemptions (\`allowTagExemptions\` is false); an exemption in the policy's config \`exemptions\` is needed.`);
            else return { applied: { kind: "tag", reason } };
        }
    }
    return notes.length > 0 ? { note: notes.join(" ") } : {};
}

/** The not-applicable reason of an exempted resource. */
export function exemptionReason(e: AppliedExemption): string {
    const by = e.kind === "config" ? `a config exemption${e.expires !== undefined ? ` (until ${e.expires})` : ""}` : `its ${exemptTag} tag`;
    return `exempted by ${by}: ${oneLine(e.reason)}`;
}
