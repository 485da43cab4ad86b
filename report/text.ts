// The text report: per stack, the policy violations grouped by resource (as `pulumi preview` prints
// them), what the reader noted about the file, and a summary line with counts per level.

import { documentKindNames, plural } from "../state/stack-files";
import type { AuditReport, AuditStack, LevelCounts, ProgramSource } from "./audit";

export { describeUrn } from "./urn";

export interface TextOptions {
    /** Only the findings and the summary lines. */
    quiet?: boolean;
    /** ANSI colour: levels, resources. */
    color?: boolean;
}

const ansi = { red: "\x1b[31m", yellow: "\x1b[33m", bold: "\x1b[1m", dim: "\x1b[2m", reset: "\x1b[0m" };

export function formatTextReport(report: AuditReport, options: TextOptions = {}): string {
    const packs = report.policyPacks
        .map((p) => `${p.name} v${p.version}${p.configFile !== undefined ? ` (${p.configFile})` : ""}`)
        .join(", ");
    const showPack = report.policyPacks.length > 1;
    const paint = (code: string, s: string) => (options.color ? `${code}${s}${ansi.reset}` : s);
    const blocks = report.stacks.map((s) => stackBlock(s, packs, showPack, options, paint));
    if (report.stacks.length > 1) {
        blocks.push(`Total: ${counts(report.summary)} in ${plural(report.summary.stacks, "stack")}.`);
    }
    return blocks.join("\n\n") + "\n";
}

function stackBlock(stack: AuditStack, packs: string, showPack: boolean, options: TextOptions, paint: (code: string, s: string) => string): string {
    const lines: string[] = [];
    const where = stack.name === stack.file ? stack.file : `${stack.name} (${stack.file}, ${documentKindNames[stack.kind]})`;
    if (!options.quiet) lines.push(`vpce-guard: ${packs} on ${where} (${plural(stack.resourceCount, "resource")})`, "");
    if (stack.violations.length === 0) {
        if (!options.quiet) lines.push("No policy violations.");
    } else {
        if (!options.quiet) lines.push("Policy violations:");
        let urn: string | undefined;
        for (const v of stack.violations) {
            if (v.urn !== urn) {
                urn = v.urn;
                lines.push(`    ${paint(ansi.bold, `${v.resourceType ? `${v.resourceType}: ` : ""}${v.resourceName}`)}${placeOf(v, stack)}`);
            }
            const level = paint(v.enforcementLevel === "mandatory" ? ansi.red : ansi.yellow, `[${v.enforcementLevel}]`);
            lines.push(`        - ${level}  ${showPack ? `${v.policyPack}/` : ""}${v.policy}`);
            for (const line of v.message.split("\n")) lines.push(`          ${line}`);
        }
    }
    if (stack.exemptions.length > 0) {
        lines.push("", "Exemptions applied:");
        let urn: string | undefined;
        for (const e of stack.exemptions) {
            if (e.urn !== urn) {
                urn = e.urn;
                lines.push(`    ${e.resourceType ? `${e.resourceType}: ` : ""}${e.resourceName}${placeOf(e, stack)}`);
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
    if (stack.notes.length > 0 && !options.quiet) {
        lines.push("", "Notes:");
        for (const note of stack.notes) lines.push(`    - ${note}`);
    }
    if (!options.quiet || stack.violations.length > 0) lines.push("");
    lines.push(`Summary: ${counts(stack.summary)}.`);
    const checked = [plural(stack.resourceCount, "resource"), `${stack.summary.passedResources} passed`];
    if (stack.exemptions.length > 0) checked.push(`${plural(stack.exemptions.length, "exemption")} applied`);
    if (stack.summary.baselined > 0) checked.push(`${stack.summary.baselined} in the baseline`);
    lines.push(`Checked: ${checked.join(", ")}.`);
    return lines.join("\n");
}

/** Where a resource is: the program's line when the file records it, else the stack file's line. */
function placeOf(r: { source?: ProgramSource; line?: number }, stack: AuditStack): string {
    return r.source ? `  (${r.source.file}:${r.source.line})` : r.line !== undefined ? `  (line ${r.line} of ${stack.file})` : "";
}

/** `1 mandatory, 2 advisory violation(s) on 3 resource(s)`, or `0 violation(s) on 0 resource(s)`. */
function counts(c: LevelCounts): string {
    const parts: string[] = [];
    if (c.mandatory > 0) parts.push(`${c.mandatory} mandatory`);
    if (c.advisory > 0) parts.push(`${c.advisory} advisory`);
    return `${parts.length > 0 ? parts.join(", ") : "0"} violation(s) on ${c.resources} resource(s)`;
}
