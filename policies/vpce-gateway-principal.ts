// vpce-gateway-principal: in a Gateway endpoint's policy every Principal is "*" (SPEC rule 9).

import { isAccountId, parseArn } from "../iam/arn";
import { isAnyPrincipal, readPrincipal, type PrincipalEntry } from "../iam/principal";
import { quote, statementsOf, type PolicyStatement } from "../iam/policy-document";
import { stackPolicy, type StackFindings } from "../framework/stack-rule";
import { partitionOf } from "../stack/service-catalogue";
import { vpcEndpoints, writtenPolicies, type AttachedPolicy, type VpcEndpointView } from "../stack/vpc-endpoint";

const messages = {
    rootOnly: "{{statement}}: Principal {{principal}} in a gateway endpoint policy grants only the root user of account {{account}}, not the account's roles and users. Write \"Principal\": \"*\" and name the principals in a condition on aws:PrincipalArn (e.g. \"StringLike\": {\"aws:PrincipalArn\": \"arn:{{partition}}:iam::{{account}}:role/*\"}).",
    rootOnlyDeny: "{{statement}}: Principal {{principal}} in this Deny of a gateway endpoint policy denies only the root user of account {{account}}, not the account's roles and users, whose requests the Deny then lets through. Write \"Principal\": \"*\" and name the principals in a condition on aws:PrincipalArn (e.g. \"StringLike\": {\"aws:PrincipalArn\": \"arn:{{partition}}:iam::{{account}}:role/*\"}) or aws:PrincipalAccount.",
    unsupported: "{{statement}}: Principal {{principal}} is not supported in a gateway endpoint policy, whose principal must be \"*\". Write \"Principal\": \"*\" and name the principals in a condition on aws:PrincipalArn.",
    notPrincipal: "{{statement}}: NotPrincipal {{principal}} is not supported in a gateway endpoint policy, whose principal must be \"*\". Write \"Principal\": \"*\" and leave those principals out of the statement with a condition instead, e.g. {{example}}.",
};

type Messages = typeof messages;

export const vpceGatewayPrincipal = stackPolicy<Messages, Record<string, never>>({
    meta: {
        name: "vpce-gateway-principal",
        displayName: "Gateway endpoint policies use Principal \"*\"",
        description: "In a Gateway endpoint's policy (inline or a linked VpcEndpointPolicy) every Principal is \"*\" (or {\"AWS\": \"*\"}): an account ID or the account's :root ARN grants (in a Deny: denies) the root user only, and other principals, and NotPrincipal, are not supported on gateway endpoints.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Use \"Principal\": \"*\" in every statement of a gateway endpoint's policy (never NotPrincipal), and restrict who may use the endpoint with a condition: aws:PrincipalArn (StringLike/ArnLike on role or user ARNs, in the principals' own partition: arn:aws-cn:…, arn:aws-us-gov:…) or aws:PrincipalAccount / aws:PrincipalOrgID; to exempt principals from a Deny, use the negated operators (ArnNotLike, StringNotEquals).",
        configProperties: {},
    },
    messages,
    check(graph, _config, findings) {
        const endpoints = vpcEndpoints(graph).filter((v) => v.type === "Gateway");
        if (endpoints.length === 0) return "the stack has no gateway endpoints";
        for (const view of endpoints) {
            for (const policy of writtenPolicies(view)) checkPolicy(view, policy, findings);
        }
        return undefined;
    },
});

function checkPolicy(view: VpcEndpointView, policy: AttachedPolicy, findings: StackFindings<Messages>): void {
    if (policy.input.status !== "parsed") return;
    // An account ID carries no partition: the endpoint's Region gives it.
    const partition = view.service === undefined ? "aws" : partitionOf(view.service);
    for (const statement of statementsOf(policy.input.document)) {
        if (Object.hasOwn(statement.element, "NotPrincipal")) reportNotPrincipal(policy, statement, partition, findings);
        if (!Object.hasOwn(statement.element, "Principal")) continue;
        const element = statement.element.Principal;
        // A bare string other than "*" is a grammar error (vpce-policy-principal); on a gateway
        // endpoint it is also the wrong principal, so it is judged as the AWS principal it names.
        const entries: PrincipalEntry[] = typeof element === "string" && element !== "*"
            ? [{ kind: "AWS", value: element }]
            : readPrincipal(element).entries;
        for (const entry of entries) {
            if (isAnyPrincipal(entry)) continue;
            report(policy, statement, entry, partition, findings);
        }
    }
}

function describePrincipal(entry: PrincipalEntry): string {
    return entry.kind === "*" ? quote(entry.value) : `{${JSON.stringify(entry.kind)}: ${quote(entry.value)}}`;
}

function report(policy: AttachedPolicy, statement: PolicyStatement, entry: PrincipalEntry, endpointPartition: string, findings: StackFindings<Messages>): void {
    const principal = describePrincipal(entry);
    const account = entry.kind === "AWS" ? rootAccount(entry.value) : undefined;
    if (account === undefined) {
        findings.report(policy.carrier.urn, "unsupported", { statement: statement.label, principal });
        return;
    }
    const partition = parseArn(entry.value)?.partition ?? endpointPartition;
    findings.report(policy.carrier.urn, statement.element.Effect === "Deny" ? "rootOnlyDeny" : "rootOnly", { statement: statement.label, principal, account, partition });
}

/** One finding per NotPrincipal, with the condition that says the same for its first principal. */
function reportNotPrincipal(policy: AttachedPolicy, statement: PolicyStatement, partition: string, findings: StackFindings<Messages>): void {
    const element = statement.element.NotPrincipal;
    const entries = typeof element === "string" && element !== "*" ? [{ kind: "AWS" as const, value: element }] : readPrincipal(element).entries;
    const first = entries[0];
    const principal = first === undefined ? quote(element) : describePrincipal(first) + (entries.length > 1 ? ` (and ${entries.length - 1} more)` : "");
    findings.report(policy.carrier.urn, "notPrincipal", { statement: statement.label, principal, example: exclusionExample(first, partition) });
}

function exclusionExample(entry: PrincipalEntry | undefined, partition: string): string {
    const account = entry?.kind === "AWS" ? rootAccount(entry.value) : undefined;
    if (account !== undefined) return `"StringNotEquals": {"aws:PrincipalAccount": "${account}"}`;
    const arn = entry?.kind === "AWS" ? parseArn(entry.value) : undefined;
    if (entry !== undefined && arn !== undefined) return `"ArnNotLike": {"aws:PrincipalArn": ${quote(entry.value)}}`;
    return `"ArnNotLike": {"aws:PrincipalArn": "arn:${partition}:iam::<account>:role/<name>"}`;
}

/** The account an `AWS` principal names as a whole: a bare account ID or `arn:<partition>:iam::ACCOUNT:root`. */
function rootAccount(value: string): string | undefined {
    if (isAccountId(value)) return value;
    const arn = parseArn(value);
    return arn !== undefined && arn.service === "iam" && arn.region === "" && arn.resource === "root" && isAccountId(arn.account) ? arn.account : undefined;
}
