// vpce-policy-no-access: the endpoint's policy lets at least one request through (SPEC rule 15).

import { explainActionEntry, explainDeadPart } from "../iam/dead-parts";
import type { StatementEffect } from "../iam/effect-model";
import { quote } from "../iam/policy-document";
import { judgedDocuments } from "../stack/endpoint-effect";
import { stackPolicy } from "../framework/stack-rule";
import { acceptedByVpcePolicyJson } from "./vpce-policy-json";

const messages = {
    noAllow: "This policy has no Allow statement, so no request passes the endpoint to {{service}}: AWS denies whatever an endpoint policy does not allow, and Deny statements grant nothing. Add an Allow of what your workloads use through it (for example {{example}} for your organisation's principals); to close the endpoint on purpose, exempt it from this policy.",
    deadAllows: "No request passes the endpoint to {{service}}: every Allow statement can never apply. {{reasons}}. {{fix}}",
    blanketDeny: "No request passes the endpoint to {{service}}: {{statement}} denies every action ({{action}}) on every resource to every principal{{conditionNote}}, and a Deny overrides every Allow. Narrow the Deny to what it is meant to stop (its actions, resources or a condition); to close the endpoint on purpose, exempt it from this policy.",
};

export const vpcePolicyNoAccess = stackPolicy<typeof messages, Record<string, never>>({
    meta: {
        name: "vpce-policy-no-access",
        displayName: "Endpoint policy lets something through",
        description: "The endpoint policy lets some request through its endpoint: it has an Allow that can apply there, and no Deny blocks everything.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Give the policy at least one Allow statement that can apply on this endpoint: actions of the endpoint's service, resources of those actions, principals that exist, and condition keys that AWS documents and that requests through a VPC endpoint carry (aws:VpcSourceIp, not aws:SourceIp). Narrow a Deny of everything to what it is meant to stop. If the endpoint is meant to admit nothing, exempt it from this policy.",
        configProperties: {},
    },
    messages,
    async check(graph, _config, findings) {
        const judged = await judgedDocuments(graph, acceptedByVpcePolicyJson);
        if (judged === undefined) return "the stack has no VPC endpoints";
        for (const { view, policy, context, effect } of judged) {
            if (effect.noAccess !== "yes") continue;
            const service = quote(view.serviceName ?? view.service.name);
            const urn = policy.carrier.urn;
            if (effect.allows.length === 0) {
                findings.report(urn, "noAllow", { service, example: exampleAllow(context.prefixes) });
            } else if (effect.allows.every((a) => a.applies.hi === 0)) {
                const reasons = effect.allows.map((a) => deadAllowReason(a, service));
                // Two reasons at most, each cut short: the message stays readable whatever the document.
                const shown = reasons.slice(0, 2).map((r) => cut(r.text, 205));
                if (reasons.length > 2) shown.push(`and ${reasons.length - 2} more Allow statement(s)`);
                findings.report(urn, "deadAllows", { service, reasons: shown.join("; "), fix: cut(reasons[0].fix, 100) });
            } else if (effect.blanketDeny !== undefined) {
                const deny = effect.blanketDeny;
                const conditionNote = Object.hasOwn(deny.statement.element, "Condition") ? " (its condition always holds)" : "";
                findings.report(urn, "blanketDeny", { service, statement: deny.statement.label, action: deny.everyAction?.startsWith("NotAction ") ? deny.everyAction : quote(deny.everyAction ?? "*", 60), conditionNote });
            }
        }
        return undefined;
    },
});

function cut(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function exampleAllow(prefixes: readonly string[]): string {
    const action = prefixes.length > 0 ? `"${prefixes[0]}:*"` : "\"*\"";
    return `{"Effect": "Allow", "Principal": "*", "Action": ${action}, "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-…"}}}`;
}

function deadAllowReason(allow: StatementEffect, service: string): { text: string; fix: string } {
    const label = allow.statement.label;
    const because = allow.neverBecause;
    if (because?.finding !== undefined) {
        const t = explainDeadPart(because.finding.part);
        const what = t.element.startsWith("condition") ? t.element : `${t.element} entry ${t.value}`;
        return { text: `${label}: ${what} never matches: ${t.why}`, fix: t.fix };
    }
    if (because !== undefined && (because.element === "Action" || because.element === "NotAction")) {
        if (because.element === "NotAction") return { text: `${label}: its NotAction excludes every action of the endpoint's service`, fix: "Allow the actions your workloads use with \"Action\"." };
        const why = (because.entries ?? []).map((e) => explainActionEntry(e.entry, e.reach, service)).filter((t): t is string => t !== undefined);
        return { text: `${label}: no Action entry names an action this endpoint carries (${why[0] ?? "none of them matches"}${why.length > 1 ? `, and ${why.length - 1} more` : ""})`, fix: "Allow actions of the endpoint's own service." };
    }
    if (because !== undefined && (because.element === "Resource" || because.element === "NotResource")) {
        return { text: `${label}: its ${because.element} matches no resource of its actions`, fix: "List resources the statement's actions act on." };
    }
    if (because !== undefined && (because.element === "Principal" || because.element === "NotPrincipal")) {
        return { text: `${label}: its ${because.element} matches no principal`, fix: "Name principals that exist, or \"*\" narrowed by a condition." };
    }
    return { text: `${label} never applies`, fix: "Rewrite the Allow so that it can apply on this endpoint." };
}
