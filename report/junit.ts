// JUnit XML (`--format junit`), as CI systems read test reports (Jenkins, GitLab, Azure DevOps,
// GitHub test reporters): one <testsuite> per stack; in it, per policy in force, one <testcase> per
// resource it reported (a <failure> for mandatory, a <failure type="advisory"> marked in its
// message for advisory) and one passing <testcase> when the policy reported nothing on the stack.

import type { AuditReport, AuditStack } from "./audit";

export function formatJunitReport(report: AuditReport): string {
    const suites = report.stacks.map((s) => suite(report, s));
    const tests = suites.reduce((n, s) => n + s.tests, 0);
    const failures = suites.reduce((n, s) => n + s.failures, 0);
    return [
        `<?xml version="1.0" encoding="UTF-8"?>`,
        `<testsuites name="${attr(report.tool.name)}" tests="${tests}" failures="${failures}" errors="0">`,
        ...suites.map((s) => s.xml),
        `</testsuites>`,
        ``,
    ].join("\n");
}

function suite(report: AuditReport, stack: AuditStack): { xml: string; tests: number; failures: number } {
    const cases: string[] = [];
    let failures = 0;
    for (const pack of report.policyPacks) {
        for (const policy of pack.policies) {
            if (policy.enforcementLevel === "disabled") continue;
            const found = stack.violations.filter((v) => v.policyPack === pack.name && v.policy === policy.name);
            const classname = `${pack.name}.${policy.name}`;
            if (found.length === 0) {
                cases.push(`    <testcase classname="${attr(classname)}" name="${attr(`${policy.name} on ${stack.name}`)}"/>`);
                continue;
            }
            for (const v of found) {
                failures++;
                const where = v.source ? `${v.source.file}:${v.source.line}` : v.line !== undefined ? `${stack.file}:${v.line}` : stack.file;
                const file = v.source?.file ?? stack.file;
                cases.push(
                    `    <testcase classname="${attr(classname)}" name="${attr(`${v.resourceType}: ${v.resourceName}`)}" file="${attr(file)}"${v.source ? ` line="${v.source.line}"` : v.line !== undefined ? ` line="${v.line}"` : ""}>`,
                    `      <failure type="${attr(v.enforcementLevel)}" message="${attr(`[${v.enforcementLevel}] ${v.message.split("\n")[0]}`)}">${text(`${v.message}\n\nResource: ${v.urn}\nAt: ${where}`)}</failure>`,
                    `    </testcase>`,
                );
            }
        }
    }
    const tests = cases.filter((c) => c.startsWith("    <testcase")).length;
    const xml = [
        `  <testsuite name="${attr(stack.name)}" tests="${tests}" failures="${failures}" errors="0" skipped="0">`,
        `    <properties><property name="file" value="${attr(stack.file)}"/><property name="resources" value="${stack.resourceCount}"/></properties>`,
        ...cases,
        `  </testsuite>`,
    ].join("\n");
    return { xml, tests, failures };
}

/** XML 1.0 text: markup characters escaped, characters XML cannot hold dropped. */
function text(s: string): string {
    return s
        .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
        .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(s: string): string {
    return text(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
