// One applied exemption, as a line the pack writes to its stdout: the Pulumi CLI shows a pack's
// stdout lines in `pulumi preview` as info diagnostics, and `vpce-guard check` reads them back into
// its report. Writer and reader live together so the two never drift.

export type ExemptionKind = "config" | "tag";

export interface ExemptionRecord {
    policy: string;
    urn: string;
    kind: ExemptionKind;
    reason: string;
    /** `YYYY-MM-DD`, for a config exemption that has one. */
    expires?: string;
    /** Violations the exemption suppressed. */
    suppressed: number;
}

const prefix = "vpce-guard: exempted ";
const kindText: Record<ExemptionKind, string> = { config: "config exemption", tag: "tag vpce-guard:exempt" };

/** A reason as one line of at most 200 characters. */
export function oneLine(text: string, max = 200): string {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `vpce-guard: exempted "<urn>" from <policy> by tag vpce-guard:exempt, 2 violation(s) suppressed: <reason>` */
export function formatExemptionRecord(r: ExemptionRecord): string {
    const until = r.expires !== undefined ? ` until ${r.expires}` : "";
    return `${prefix}${JSON.stringify(r.urn)} from ${r.policy} by ${kindText[r.kind]}${until}, ${r.suppressed} violation(s) suppressed: ${oneLine(r.reason)}`;
}

const pattern = /^vpce-guard: exempted ("(?:[^"\\]|\\.)*") from (\S+) by (config exemption|tag vpce-guard:exempt)(?: until (\d{4}-\d{2}-\d{2}))?, (\d+) violation\(s\) suppressed: (.*)$/;

/** Reads a line written by `formatExemptionRecord`; undefined for any other line. */
export function parseExemptionRecord(line: string): ExemptionRecord | undefined {
    if (!line.startsWith(prefix)) return undefined;
    const m = pattern.exec(line.trimEnd());
    if (m === null) return undefined;
    let urn: unknown;
    try {
        urn = JSON.parse(m[1]);
    } catch {
        return undefined;
    }
    if (typeof urn !== "string") return undefined;
    const record: ExemptionRecord = { policy: m[2], urn, kind: m[3] === "config exemption" ? "config" : "tag", reason: m[6], suppressed: Number(m[5]) };
    if (m[4] !== undefined) record.expires = m[4];
    return record;
}
