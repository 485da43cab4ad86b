// GitHub Actions workflow commands (`--format github`, and added to stdout when GITHUB_ACTIONS is
// "true"): one `::error` (mandatory) or `::warning` (advisory) line per finding, on the program's
// line when the stack file records it, else on the stack file's line, so the finding shows as an
// annotation in the pull request. Escaping as GitHub's toolkit does (core/command.ts).

import { stdinFile } from "../state/stack-files";
import type { AuditReport, AuditStack, AuditViolation } from "./audit";

export function formatGithubReport(report: AuditReport): string {
    const lines: string[] = [];
    for (const stack of report.stacks) {
        for (const v of stack.violations) lines.push(command(v, stack));
    }
    return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

function command(v: AuditViolation, stack: AuditStack): string {
    const kind = v.enforcementLevel === "mandatory" ? "error" : v.enforcementLevel === "advisory" ? "warning" : "notice";
    const props: string[] = [];
    if (v.source) {
        props.push(`file=${escapeProperty(v.source.file)}`, `line=${v.source.line}`);
        if (v.source.column !== undefined) props.push(`col=${v.source.column}`);
    } else if (stack.file !== stdinFile) {
        props.push(`file=${escapeProperty(stack.file)}`);
        if (v.line !== undefined) props.push(`line=${v.line}`);
    }
    props.push(`title=${escapeProperty(`${v.policy}: ${v.resourceName}`)}`);
    return `::${kind} ${props.join(",")}::${escapeData(`${v.message}\n(${v.resourceType} ${v.urn})`)}`;
}

function escapeData(s: string): string {
    return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
    return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
