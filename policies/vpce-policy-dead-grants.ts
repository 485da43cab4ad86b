// vpce-policy-dead-grants: no statement, or entry of one, that can never apply on its endpoint
// (SPEC rule 16). A document that lets nothing through is vpce-policy-no-access's.

import { explainDeadPart, type DeadPartText } from "../iam/dead-parts";
import type { DeadPart, Finding } from "../iam/effect-model";
import { stackPolicy, type StackFindings } from "../framework/stack-rule";
import { judgedDocuments } from "../stack/endpoint-effect";
import { acceptedByVpcePolicyJson } from "./vpce-policy-json";

const messages = {
    deadStatement: "{{statement}} ({{effect}}) {{neverApplies}} on this endpoint: {{its}} {{element}} never matches, because {{why}}. {{fix}}",
    deadEntry: "{{statement}}: {{element}} entry {{value}} never applies on this endpoint: {{why}}. {{fix}}",
    alwaysHolds: "{{statement}}: {{element}} always holds, so it restricts nothing: {{why}}. {{fix}}",
    typeMismatch: "{{statement}}: {{element}} does not fit the key's type: {{why}}; the test does not compare what it says. {{fix}}",
    redundantPrincipal: "{{statement}}: Principal entry {{value}} is redundant: {{why}}. {{fix}}",
};

type Messages = typeof messages;

export const vpcePolicyDeadGrants = stackPolicy<Messages, Record<string, never>>({
    meta: {
        name: "vpce-policy-dead-grants",
        displayName: "No part of an endpoint policy is dead",
        description: "No statement of the endpoint policy, or entry of one, can never apply on its endpoint (keys that do not exist or never arrive, mismatched types, impossible matches).",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps: "Fix the part the message names: spell condition keys as AWS documents them (global keys such as aws:PrincipalAccount, or the service's own keys), test aws:VpcSourceIp instead of aws:SourceIp, compare aws:SourceVpc/aws:SourceVpce with this endpoint's VPC and ID, use an operator of the key's type, give actions without a resource type \"Resource\": \"*\", list ARNs of the resources the actions act on, and name principals by 12-digit account IDs or valid IAM ARNs.",
        configProperties: {},
    },
    messages,
    async check(graph, _config, findings) {
        const judged = await judgedDocuments(graph, acceptedByVpcePolicyJson);
        if (judged === undefined) return "the stack has no VPC endpoints";
        for (const { policy, effect } of judged) {
            // A document that lets nothing through is rule 15's; one an unknown could make so gets no verdict.
            if (effect.noAccess !== "no") continue;
            // The same dead part in several statements of one document (one copied grant) is one
            // finding naming them all, not one per statement.
            const groups = new Map<string, Group>();
            for (const statement of effect.statements) {
                for (const finding of statement.findings) {
                    const messageId = messageFor(finding);
                    const text = explanation(finding.part);
                    const effectName = statement.effect ?? "?";
                    const key = [messageId, messageId === "deadStatement" ? effectName : "", text.element, text.value, text.why, text.fix].join("\u0000");
                    const group = groups.get(key);
                    if (group !== undefined) group.statements.push(statement.statement.label);
                    else groups.set(key, { messageId, effect: effectName, text, statements: [statement.statement.label] });
                }
            }
            for (const group of groups.values()) report(findings, policy.carrier.urn, group);
        }
        return undefined;
    },
});

interface Group {
    messageId: keyof Messages;
    effect: string;
    text: DeadPartText;
    /** The statements' labels, in document order. */
    statements: string[];
}

function messageFor(finding: Finding): keyof Messages {
    if (finding.part.kind === "typeMismatch" && finding.scope === "entry") return "typeMismatch";
    switch (finding.scope) {
        case "statement": return "deadStatement";
        case "entry": return "deadEntry";
        case "always": return "alwaysHolds";
        case "redundant": return "redundantPrincipal";
    }
}

// A part belongs to a document's effect, which is kept per document and endpoint: its words are made once.
const explained = new WeakMap<DeadPart, DeadPartText>();

function explanation(part: DeadPart): DeadPartText {
    let text = explained.get(part);
    if (text === undefined) explained.set(part, (text = explainDeadPart(part)));
    return text;
}

/** `Statement[0] ("A")`; `Statement[0] ("A") and Statement[2]`; past three, how many more. */
function statementList(labels: readonly string[]): string {
    if (labels.length === 1) return labels[0];
    if (labels.length <= 3) return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
    const more = labels.length - 3;
    return `${labels.slice(0, 3).join(", ")} and ${more} more statement${more === 1 ? "" : "s"}`;
}

function report(findings: StackFindings<Messages>, urn: string, group: Group): void {
    const { text } = group;
    const one = group.statements.length === 1;
    findings.report(urn, group.messageId, () => ({
        statement: statementList(group.statements), effect: group.effect, neverApplies: one ? "never applies" : "never apply", its: one ? "its" : "their",
        element: text.element, value: text.value, why: cut(text.why, 260), fix: cut(text.fix, 170),
    }));
}

function cut(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
