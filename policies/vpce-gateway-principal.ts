// vpce-gateway-principal: in a Gateway endpoint's policy every Principal is "*" (SPEC rule 9).

import { isAccountId, parseArn } from "../iam/arn";
import { isAnyPrincipal, readPrincipal, type PrincipalEntry } from "../iam/principal";
import { quote, statementsOf, type PolicyStatement } from "../iam/policy-document";
import { stackPolicy, type StackFindings } from "../framework/stack-rule";
import { vpcEndpoints, writtenPolicies, type AttachedPolicy } from "../stack/vpc-endpoint";

const messages = {
    rootOnly: "{{statement}}: Principal {{principal}} in a gateway endpoint policy grants only the root user of account {{account}}, not the account's roles and users. Write \"Principal\": \"*\" and name the principals in a condition on aws:PrincipalArn (e.g. \"StringLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::{{account}}:role/*\"}).",
    unsupported: "{{statement}}: Principal {{principal}} is not supported in a gateway endpoint policy, whose principal must be \"*\". Write \"Principal\": \"*\" and name the principals in a condition on aws:PrincipalArn.",
};

type Messages = typeof messages;

export const vpceGatewayPrincipal = stackPolicy<Messages, Record<string, never>>({
    meta: {
        name: "vpce-gateway-principal",
        displayName: "Gateway endpoint policies use Principal \"*\"",
        description: "In a Gateway endpoint's policy (inline or a linked VpcEndpointPolicy) every Principal is \"*\" (or {\"AWS\": \"*\"}): an account ID or the account's :root ARN grants the root user only, and other principals are not supported on gateway endpoints.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Use \"Principal\": \"*\" in every statement of a gateway endpoint's policy, and restrict who may use the endpoint with a condition: aws:PrincipalArn (StringLike/ArnLike on role or user ARNs) or aws:PrincipalAccount / aws:PrincipalOrgID.",
        configProperties: {},
    },
    messages,
    check(graph, _config, findings) {
        const endpoints = vpcEndpoints(graph).filter((v) => v.type === "Gateway");
        if (endpoints.length === 0) return "the stack has no gateway endpoints";
        for (const view of endpoints) {
            for (const policy of writtenPolicies(view)) checkPolicy(policy, findings);
        }
        return undefined;
    },
});

function checkPolicy(policy: AttachedPolicy, findings: StackFindings<Messages>): void {
    if (policy.input.status !== "parsed") return;
    for (const statement of statementsOf(policy.input.document)) {
        if (!Object.hasOwn(statement.element, "Principal")) continue;
        const element = statement.element.Principal;
        // A bare string other than "*" is a grammar error (vpce-policy-principal); on a gateway
        // endpoint it is also the wrong principal, so it is judged as the AWS principal it names.
        const entries: PrincipalEntry[] = typeof element === "string" && element !== "*"
            ? [{ kind: "AWS", value: element }]
            : readPrincipal(element).entries;
        for (const entry of entries) {
            if (isAnyPrincipal(entry)) continue;
            report(policy, statement, entry, findings);
        }
    }
}

function report(policy: AttachedPolicy, statement: PolicyStatement, entry: PrincipalEntry, findings: StackFindings<Messages>): void {
    const principal = entry.kind === "*" ? quote(entry.value) : `{${JSON.stringify(entry.kind)}: ${quote(entry.value)}}`;
    const account = entry.kind === "AWS" ? rootAccount(entry.value) : undefined;
    if (account !== undefined) findings.report(policy.carrier.urn, "rootOnly", { statement: statement.label, principal, account });
    else findings.report(policy.carrier.urn, "unsupported", { statement: statement.label, principal });
}

/** The account an `AWS` principal names as a whole: a bare account ID or `arn:<partition>:iam::ACCOUNT:root`. */
function rootAccount(value: string): string | undefined {
    if (isAccountId(value)) return value;
    const arn = parseArn(value);
    return arn !== undefined && arn.service === "iam" && arn.region === "" && arn.resource === "root" && isAccountId(arn.account) ? arn.account : undefined;
}
