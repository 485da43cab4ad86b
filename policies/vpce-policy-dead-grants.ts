// vpce-policy-dead-grants: no statement, or entry of one, that can never apply on its endpoint
// (SPEC rule 16). A document that lets nothing through is vpce-policy-no-access's.

import { explainDeadPart } from "../iam/dead-parts";
import type { Finding } from "../iam/effect-model";
import { stackPolicy, type StackFindings } from "../framework/stack-rule";
import { judgedDocuments } from "../stack/endpoint-effect";
import { acceptedByVpcePolicyJson } from "./vpce-policy-json";

const messages = {
    deadStatement: "{{statement}} ({{effect}}) never applies on this endpoint: its {{element}} never matches, because {{why}}. {{fix}}",
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
            for (const statement of effect.statements) {
                for (const finding of statement.findings) report(findings, policy.carrier.urn, statement.statement.label, statement.effect ?? "?", finding);
            }
        }
        return undefined;
    },
});

function report(findings: StackFindings<Messages>, urn: string, statement: string, effect: string, finding: Finding): void {
    const data = () => {
        const t = explainDeadPart(finding.part);
        return { statement, effect, element: t.element, value: t.value, why: cut(t.why, 260), fix: cut(t.fix, 170) };
    };
    if (finding.part.kind === "typeMismatch" && finding.scope === "entry") {
        findings.report(urn, "typeMismatch", data);
        return;
    }
    switch (finding.scope) {
        case "statement": findings.report(urn, "deadStatement", data); return;
        case "entry": findings.report(urn, "deadEntry", data); return;
        case "always": findings.report(urn, "alwaysHolds", data); return;
        case "redundant": findings.report(urn, "redundantPrincipal", data); return;
    }
}

function cut(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
