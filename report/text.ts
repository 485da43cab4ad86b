// The text report: per stack, the policy violations grouped by resource (as `pulumi preview` prints
// them), what the reader noted about the file, and a summary line with counts per level.

import { documentKindNames, plural } from "../state/stack-files";
import type { AuditReport, AuditStack, LevelCounts } from "./audit";

export { describeUrn } from "./urn";

export function formatTextReport(report: AuditReport): string {
    const packs = report.policyPacks
        .map((p) => `${p.name} v${p.version}${p.configFile !== undefined ? ` (${p.configFile})` : ""}`)
        .join(", ");
    const showPack = report.policyPacks.length > 1;
    const blocks = report.stacks.map((s) => stackBlock(s, packs, showPack));
    if (report.stacks.length > 1) {
        blocks.push(`Total: ${counts(report.summary)} in ${plural(report.summary.stacks, "stack")}.`);
    }
    return blocks.join("\n\n") + "\n";
}

function stackBlock(stack: AuditStack, packs: string, showPack: boolean): string {
    const lines: string[] = [];
    const where = stack.name === stack.file ? stack.file : `${stack.name} (${stack.file}, ${documentKindNames[stack.kind]})`;
    lines.push(`vpce-guard: ${packs} on ${where} (${plural(stack.resourceCount, "resource")})`, "");
    if (stack.violations.length === 0) {
        lines.push("No policy violations.");
    } else {
        lines.push("Policy violations:");
        let urn: string | undefined;
        for (const v of stack.violations) {
            if (v.urn !== urn) {
                urn = v.urn;
                lines.push(`    ${v.resourceType ? `${v.resourceType}: ` : ""}${v.resourceName}${v.line !== undefined ? `  (line ${v.line})` : ""}`);
            }
            lines.push(`        - [${v.enforcementLevel}]  ${showPack ? `${v.policyPack}/` : ""}${v.policy}`);
            for (const line of v.message.split("\n")) lines.push(`          ${line}`);
        }
    }
    if (stack.exemptions.length > 0) {
        lines.push("", "Exemptions applied:");
        let urn: string | undefined;
        for (const e of stack.exemptions) {
            if (e.urn !== urn) {
                urn = e.urn;
                lines.push(`    ${e.resourceType ? `${e.resourceType}: ` : ""}${e.resourceName}${e.line !== undefined ? `  (line ${e.line})` : ""}`);
            }
            const by = e.kind === "config" ? `config exemption${e.expires !== undefined ? ` until ${e.expires}` : ""}` : "tag vpce-guard:exempt";
            lines.push(`        - ${showPack ? `${e.policyPack}/` : ""}${e.policy}: ${by}, ${e.suppressed} violation(s) suppressed`);
            lines.push(`          ${e.reason}`);
        }
    }
    if (stack.remediations.length > 0) {
        lines.push("", "Remediations (level remediate; not applied here, applied by pulumi preview/up):");
        for (const r of stack.remediations) {
            lines.push(`    ${r.resourceType ? `${r.resourceType}: ` : ""}${r.resourceName}${r.line !== undefined ? `  (line ${r.line})` : ""}`);
            for (const [k, v] of Object.entries(r.changes)) {
                const text = JSON.stringify(v) ?? "undefined";
                lines.push(`        - ${showPack ? `${r.policyPack}/` : ""}${r.policy}: ${k} becomes ${text.length > 200 ? `${text.slice(0, 199)}…` : text}`);
            }
        }
    }
    if (stack.notes.length > 0) {
        lines.push("", "Notes:");
        for (const note of stack.notes) lines.push(`    - ${note}`);
    }
    const exempted = stack.exemptions.length > 0 ? `; ${plural(stack.exemptions.length, "exemption")} applied` : "";
    lines.push("", `Summary: ${counts(stack.summary)}${exempted}.`);
    return lines.join("\n");
}

/** `1 mandatory, 2 advisory violation(s) on 3 resource(s)`, or `0 violation(s) on 0 resource(s)`. */
function counts(c: LevelCounts): string {
    const parts: string[] = [];
    if (c.mandatory > 0) parts.push(`${c.mandatory} mandatory`);
    if (c.advisory > 0) parts.push(`${c.advisory} advisory`);
    return `${parts.length > 0 ? parts.join(", ") : "0"} violation(s) on ${c.resources} resource(s)`;
}
