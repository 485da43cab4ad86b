// The text report: policy diagnostics grouped by resource, as `pulumi preview` prints policy
// violations, with a summary line of counts per level.

import type { Diagnostic } from "../engine/types";

export interface TextReportHeader {
    packName: string;
    packVersion: string;
    /** What was analysed, e.g. `network/dev`. */
    subject: string;
    resourceCount: number;
}

const levelOrder: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

/** `urn:pulumi:stack::project::type::name` → type and name (the type of a child is its last part). */
export function describeUrn(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4) return { type: "", name: urn || "(stack)" };
    const typePath = parts[2].split("$");
    return { type: typePath[typePath.length - 1], name: parts.slice(3).join("::") };
}

export function formatTextReport(header: TextReportHeader, diagnostics: Diagnostic[]): string {
    const lines: string[] = [];
    lines.push(`vpce-guard: ${header.packName} v${header.packVersion} on ${header.subject} (${header.resourceCount} resources)`, "");
    const byResource = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) {
        const list = byResource.get(d.urn) ?? [];
        list.push(d);
        byResource.set(d.urn, list);
    }
    if (byResource.size === 0) {
        lines.push("No policy violations.");
    } else {
        lines.push("Policy violations:");
        for (const [urn, list] of byResource) {
            const { type, name } = describeUrn(urn);
            lines.push(`    ${type ? `${type}: ` : ""}${name}`);
            list.sort((a, b) => (levelOrder[a.enforcementLevel] ?? 9) - (levelOrder[b.enforcementLevel] ?? 9) || a.policyName.localeCompare(b.policyName));
            for (const d of list) {
                lines.push(`        - [${d.enforcementLevel}]  ${d.policyName}`);
                for (const line of violationText(d).split("\n")) lines.push(`          ${line}`);
            }
        }
    }
    const counts = new Map<string, number>();
    for (const d of diagnostics) counts.set(d.enforcementLevel, (counts.get(d.enforcementLevel) ?? 0) + 1);
    const summary = [...counts].sort((a, b) => (levelOrder[a[0]] ?? 9) - (levelOrder[b[0]] ?? 9)).map(([level, n]) => `${n} ${level}`);
    lines.push("", `Summary: ${summary.length ? summary.join(", ") : "0"} violation(s) on ${byResource.size} resource(s).`);
    return lines.join("\n");
}

/** The framework prefixes a violation message with the policy's description; print only what is specific. */
function violationText(d: Diagnostic): string {
    const prefix = `${d.description}\n`;
    return d.description && d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message;
}
