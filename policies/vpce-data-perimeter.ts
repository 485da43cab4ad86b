// vpce-data-perimeter: every Allow statement keeps requests inside the organization's data perimeter (SPEC rule 5).
//
// A statement is bound to the identity perimeter by a condition (aws:PrincipalOrgID within
// organizationIds, aws:PrincipalOrgPaths under them, aws:PrincipalAccount within accountIds,
// aws:PrincipalArn of listed accounts), by the service-principal exception (Bool
// aws:PrincipalIsAWSService true), or by a Principal naming only listed accounts' principals. Two shapes from AWS's data-perimeter examples are
// bound otherwise: federated principals (who belong to no organization) by the resource
// perimeter, and statements reaching only AWS-owned resources (unauthenticated package and agent
// downloads) by those resources. A Deny statement that refuses every request from outside the
// lists binds the whole document.

import { arnAccountId } from "../iam/arn";
import { isAwsOwnedResource } from "../iam/aws-owned-resources";
import { statementsToJudge } from "../framework/document-statements";
import { isConditionKey, normalizeConditionKey, parseConditionOperator, type ConditionOperator } from "../iam/condition";
import { isAnyPrincipal, principalAccount, principalEntries } from "../iam/principal";
import { conditionTests, quote, stringList, type ConditionTest, type PolicyStatement } from "../iam/policy-document";
import { endpointDocumentPolicy, type MessageData } from "../framework/rule";

const messages = {
    identityMissing: "{{statement}} allows requests from any principal: nothing binds it to your organization. Add {{fix}} to its Condition.",
    notAwsOwned: "{{statement}} allows requests from any principal to {{resource}}, which is not a resource AWS owns (the statement's other resources are), so nothing binds it to your organization. Move that resource to a statement with {{fix}} in its Condition, or remove it.",
    principalOutside: "{{statement}}: \"Principal\" names {{value}}, which is not a principal of an account in accountIds, and no condition binds the statement to your organization. Add {{fix}} to its Condition, or add the account to accountIds if it is trusted.",
    federatedUnbound: "{{statement}} allows federated principals ({{value}}), which belong to no organization, to assume any role. Bind it to your roles with {{fix}}.",
    valueOutside: "{{statement}}: condition {{operator}} → {{key}} allows {{value}}, which is not in {{list}}. Remove it, or add it to the policy's {{list}} config if it is trusted.",
    weakOperator: "{{statement}}: condition {{operator}} on {{key}} {{why}}, so it does not keep the statement inside the perimeter. Use {{fix}}.",
    resourceMissing: "{{statement}} allows requests to resources outside your organization (requireResourcePerimeter is on). Add {{fix}} to its Condition, or list only resources of accounts in accountIds.",
};

type MessageId = keyof typeof messages;
type Problem = { id: MessageId; data: MessageData };

interface PerimeterConfig extends Record<string, unknown> {
    organizationIds: string[];
    accountIds: string[];
    allowServicePrincipals: boolean;
    requireResourcePerimeter: boolean;
}

interface Perimeter {
    orgs: string[];
    accounts: string[];
    allowServicePrincipals: boolean;
    requireResourcePerimeter: boolean;
}

export const vpceDataPerimeter = endpointDocumentPolicy<typeof messages, PerimeterConfig>({
    meta: {
        name: "vpce-data-perimeter",
        displayName: "Endpoint policy keeps requests inside the data perimeter",
        description: "Every Allow statement of the VPC endpoint policy is bound to your identity perimeter (aws:PrincipalOrgID in organizationIds, aws:PrincipalOrgPaths under them, aws:PrincipalAccount or aws:PrincipalArn in accountIds, the aws:PrincipalIsAWSService exception, or a Principal of listed accounts only), and with requireResourcePerimeter also to your resource perimeter (aws:ResourceOrgID / aws:ResourceAccount, or resource ARNs of listed accounts). Not applicable until organizationIds or accountIds is configured.",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps: "Add \"StringEquals\": {\"aws:PrincipalOrgID\": \"<your org id>\"} (or aws:PrincipalAccount with your account IDs) to each Allow statement, keep AWS service access in a statement of its own with \"Bool\": {\"aws:PrincipalIsAWSService\": \"true\"}, and with requireResourcePerimeter also add aws:ResourceOrgID. Start from the examples in github.com/aws-samples/data-perimeter-policy-examples (vpc_endpoint_policies/).",
        configProperties: {
            organizationIds: {
                type: "array", items: { type: "string", pattern: "^o-[a-z0-9]{10,32}$" }, default: [],
                description: "Your AWS Organizations organization IDs (o-…). Principals (and, with requireResourcePerimeter, resources) of these organizations are inside the perimeter.",
            },
            accountIds: {
                type: "array", items: { type: "string", pattern: "^[0-9]{12}$" }, default: [],
                description: "12-digit account IDs that are inside the perimeter: accounts outside your organizations that you trust, or your accounts when you have no organization.",
            },
            allowServicePrincipals: {
                type: "boolean", default: true,
                description: "Accept statements limited to AWS service principals with \"Bool\": {\"aws:PrincipalIsAWSService\": \"true\"}.",
            },
            requireResourcePerimeter: {
                type: "boolean", default: false,
                description: "Also require every Allow statement to limit the resources it reaches to the perimeter (aws:ResourceOrgID, aws:ResourceAccount, or resource ARNs of listed accounts).",
            },
        },
    },
    messages,
    check(input, config, findings) {
        const perimeter: Perimeter = {
            orgs: config.organizationIds.filter((v): v is string => typeof v === "string"),
            accounts: config.accountIds.filter((v): v is string => typeof v === "string"),
            allowServicePrincipals: config.allowServicePrincipals,
            requireResourcePerimeter: config.requireResourcePerimeter,
        };
        if (perimeter.orgs.length === 0 && perimeter.accounts.length === 0) {
            return "no perimeter configured: set organizationIds or accountIds in the policy's config";
        }
        const judged = statementsToJudge(input);
        if (judged.notApplicable !== undefined) return judged.notApplicable;
        const denied = perimeterEnforcedByDeny(judged.statements, perimeter);
        for (const statement of judged.statements) {
            if (statement.element.Effect !== "Allow") continue;
            const bindings = directBindings(statement, perimeter);
            if (!denied.identity) {
                const problem = identityProblem(statement, perimeter, bindings);
                if (problem) findings.report(problem.id, { statement: statement.label, ...problem.data });
            }
            if (perimeter.requireResourcePerimeter && !denied.resource) {
                const problem = resourceProblem(statement, perimeter, bindings);
                if (problem) findings.report(problem.id, { statement: statement.label, ...problem.data });
            }
        }
        return undefined;
    },
});

// ---- The keys that bind a statement, and their counterparts on the other side ----

type Side = "identity" | "resource";
type ListName = "organizationIds" | "accountIds";

interface PerimeterKey {
    key: string;
    side: Side;
    list: ListName;
    /** The other side's key a policy variable may refer to (`"aws:ResourceOrgID": "${aws:PrincipalOrgID}"`). */
    counterpart?: string;
}

const perimeterKeys: readonly PerimeterKey[] = [
    { key: "aws:PrincipalOrgID", side: "identity", list: "organizationIds", counterpart: "aws:ResourceOrgID" },
    { key: "aws:PrincipalAccount", side: "identity", list: "accountIds", counterpart: "aws:ResourceAccount" },
    { key: "aws:PrincipalArn", side: "identity", list: "accountIds" },
    // Multivalued paths rooted at the organization ID (`o-…/r-…/ou-…/`): a path under a listed organization binds.
    { key: "aws:PrincipalOrgPaths", side: "identity", list: "organizationIds" },
    { key: "aws:ResourceOrgID", side: "resource", list: "organizationIds", counterpart: "aws:PrincipalOrgID" },
    { key: "aws:ResourceAccount", side: "resource", list: "accountIds", counterpart: "aws:PrincipalAccount" },
];

function perimeterKey(key: string): PerimeterKey | undefined {
    return perimeterKeys.find((k) => isConditionKey(key, k.key));
}

/** Normalised keys whose test, with literal values only, keeps its side inside the lists. */
function directBindings(statement: PolicyStatement, perimeter: Perimeter): Set<string> {
    const bound = new Set<string>();
    for (const test of conditionTests(statement)) {
        const pk = perimeterKey(test.key);
        if (pk && judgeTest(test, pk, perimeter, new Set()) === undefined) bound.add(normalizeConditionKey(pk.key));
    }
    return bound;
}

/** Undefined when the test binds its side to the lists; otherwise why not. */
function judgeTest(test: ConditionTest, pk: PerimeterKey, perimeter: Perimeter, otherBound: Set<string>): Problem | undefined {
    const operator = parseConditionOperator(test.operator);
    const base = { operator: quote(test.operator), key: quote(test.key, 64) };
    const weakness = operatorWeakness(operator, pk);
    if (weakness) return { id: "weakOperator", data: { ...base, why: weakness, fix: fixFor(pk.side, perimeter) } };
    const ignoreCase = operator.base === "StringEqualsIgnoreCase";
    const list = pk.list === "organizationIds" ? perimeter.orgs : perimeter.accounts;
    for (const value of test.values) {
        if (inList(value, pk, list, ignoreCase, otherBound)) continue;
        return { id: "valueOutside", data: { ...base, value: quote(value), list: pk.list } };
    }
    return undefined;
}

function operatorWeakness(operator: ConditionOperator, pk: PerimeterKey): string | undefined {
    if (operator.negated) return "matches every value except the ones listed";
    if (operator.ifExists) return "also matches requests without the key";
    if (operator.setQualifier === "ForAllValues") return "also matches requests without the key (ForAllValues is true for an empty set)";
    const arnKey = pk.key === "aws:PrincipalArn";
    if (operator.category === "string" || (arnKey && operator.category === "arn")) return undefined;
    return `is not a ${arnKey ? "string or ARN" : "string"} comparison`;
}

function inList(value: unknown, pk: PerimeterKey, list: string[], ignoreCase: boolean, otherBound: Set<string>): boolean {
    if (typeof value !== "string") return false;
    const variable = /^\$\{([^}]+)\}$/.exec(value);
    if (variable) {
        return pk.counterpart !== undefined && isConditionKey(variable[1], pk.counterpart)
            && otherBound.has(normalizeConditionKey(pk.counterpart));
    }
    const id = pk.key === "aws:PrincipalArn" ? arnAccountId(value) : pk.key === "aws:PrincipalOrgPaths" ? orgOfPath(value) : value;
    if (id === undefined) return false;
    return ignoreCase ? list.some((v) => v.toLowerCase() === id.toLowerCase()) : list.includes(id);
}

/** The organization an `aws:PrincipalOrgPaths` value is rooted at: `o-…` before the first `/`, wildcards excluded. */
function orgOfPath(value: string): string | undefined {
    const slash = value.indexOf("/");
    const org = slash < 0 ? "" : value.slice(0, slash);
    return org !== "" && !/[*?$]/.test(org) ? org : undefined;
}

// ---- Identity side ----

function identityProblem(statement: PolicyStatement, perimeter: Perimeter, bindings: Set<string>): Problem | undefined {
    if (perimeter.allowServicePrincipals && limitedToServicePrincipals(statement)) return undefined;
    if (reachesOnlyAwsOwnedResources(statement)) return undefined;
    let conditionProblem: Problem | undefined;
    for (const test of conditionTests(statement)) {
        const pk = perimeterKey(test.key);
        if (pk?.side !== "identity") continue;
        const problem = judgeTest(test, pk, perimeter, bindings);
        if (problem === undefined) return undefined;
        conditionProblem ??= problem;
    }
    const entries = Object.hasOwn(statement.element, "Principal") ? principalEntries(statement.element.Principal) : undefined;
    const specific = entries !== undefined && entries.length > 0 && !entries.some(isAnyPrincipal) ? entries : undefined;
    if (specific) {
        const outside = specific.find((e) => !(
            (e.kind === "AWS" && perimeter.accounts.includes(principalAccount(e.value) ?? "")) ||
            (e.kind === "Service" && perimeter.allowServicePrincipals) ||
            (e.kind === "Federated" && resourceProblem(statement, perimeter, bindings) === undefined)
        ));
        if (outside === undefined) return undefined;
        if (conditionProblem === undefined && specific.every((e) => e.kind === "Federated")) {
            return { id: "federatedUnbound", data: { value: quote(outside.value), fix: resourceFixFor(perimeter) } };
        }
        if (conditionProblem === undefined) return { id: "principalOutside", data: { value: quote(`${outside.kind}: ${outside.value}`), fix: fixFor("identity", perimeter) } };
    }
    if (conditionProblem) return conditionProblem;
    // A statement of AWS-owned resources but one: name the one that keeps it from the exemption.
    const resources = stringList(statement.element.Resource) ?? [];
    const notOwned = resources.find((r) => !isAwsOwnedResource(r));
    if (notOwned !== undefined && resources.some(isAwsOwnedResource)) {
        return { id: "notAwsOwned", data: { resource: quote(notOwned), fix: fixFor("identity", perimeter) } };
    }
    return { id: "identityMissing", data: { fix: fixFor("identity", perimeter) } };
}

/** `"Bool": {"aws:PrincipalIsAWSService": "true"}`: the statement applies to AWS service principals only. */
function limitedToServicePrincipals(statement: PolicyStatement): boolean {
    return conditionTests(statement).some((test) => {
        const operator = parseConditionOperator(test.operator);
        return operator.base === "Bool" && !operator.ifExists && operator.setQualifier === undefined
            && isConditionKey(test.key, "aws:PrincipalIsAWSService")
            && test.values.length > 0 && test.values.every((v) => v === true || v === "true");
    });
}

/** Every Resource entry is an AWS-owned resource (data-perimeter pattern "AllowRequestsToAWSOwnedResources"). */
function reachesOnlyAwsOwnedResources(statement: PolicyStatement): boolean {
    const resources = stringList(statement.element.Resource);
    return resources !== undefined && resources.length > 0 && resources.every(isAwsOwnedResource);
}

// ---- Resource side ----

function resourceProblem(statement: PolicyStatement, perimeter: Perimeter, bindings: Set<string>): Problem | undefined {
    // AWS services acting on your behalf reach their own resources; the exception covers both sides.
    if (perimeter.allowServicePrincipals && limitedToServicePrincipals(statement)) return undefined;
    let conditionProblem: Problem | undefined;
    for (const test of conditionTests(statement)) {
        const pk = perimeterKey(test.key);
        if (pk?.side !== "resource") continue;
        const problem = judgeTest(test, pk, perimeter, bindings);
        if (problem === undefined) return undefined;
        conditionProblem ??= problem;
    }
    const resources = stringList(statement.element.Resource);
    if (resources !== undefined && resources.length > 0 && resources.every((r) =>
        isAwsOwnedResource(r) || perimeter.accounts.includes(arnAccountId(r) ?? ""))) return undefined;
    return conditionProblem ?? { id: "resourceMissing", data: { fix: resourceFixFor(perimeter) } };
}

// ---- A Deny statement that keeps the whole document inside ----

/**
 * Which sides a Deny statement enforces for every request: principal `*`, action `*`, resource
 * `*`, and conditions that are only negated tests of one side's keys with listed values (plus,
 * when service principals are allowed, the `aws:PrincipalIsAWSService` false exception).
 */
function perimeterEnforcedByDeny(statements: PolicyStatement[], perimeter: Perimeter): { identity: boolean; resource: boolean } {
    const enforced = { identity: false, resource: false };
    for (const statement of statements) {
        const s = statement.element;
        if (s.Effect !== "Deny" || Object.hasOwn(s, "NotAction") || Object.hasOwn(s, "NotResource")) continue;
        const entries = Object.hasOwn(s, "Principal") ? principalEntries(s.Principal) : undefined;
        if (!entries || entries.length === 0 || !entries.every(isAnyPrincipal)) continue;
        if (!stringList(s.Action)?.includes("*") || !stringList(s.Resource)?.includes("*")) continue;
        const sides = new Set<Side>();
        let valid = true;
        for (const test of conditionTests(statement)) {
            const operator = parseConditionOperator(test.operator);
            const pk = perimeterKey(test.key);
            if (operator.base === "Bool" && operator.setQualifier === undefined && isConditionKey(test.key, "aws:PrincipalIsAWSService")
                && perimeter.allowServicePrincipals && test.values.every((v) => v === false || v === "false")) continue;
            const list = pk?.list === "organizationIds" ? perimeter.orgs : perimeter.accounts;
            const keeps = pk !== undefined && pk.key !== "aws:PrincipalArn" && operator.negated && operator.category === "string"
                && operator.setQualifier === undefined && test.values.length > 0
                && test.values.every((v) => inList(v, pk, list, operator.base === "StringNotEqualsIgnoreCase", new Set()));
            if (!keeps) {
                valid = false;
                break;
            }
            sides.add(pk.side);
        }
        if (valid && sides.size === 1) {
            if (sides.has("identity")) enforced.identity = true;
            else enforced.resource = true;
        }
    }
    return enforced;
}

// ---- Fixes ----

function fixFor(side: Side, perimeter: Perimeter): string {
    if (side === "resource") return resourceFixFor(perimeter);
    return perimeter.orgs.length > 0
        ? `"StringEquals": {"aws:PrincipalOrgID": ${listText(perimeter.orgs)}}`
        : `"StringEquals": {"aws:PrincipalAccount": ${listText(perimeter.accounts)}}`;
}

function resourceFixFor(perimeter: Perimeter): string {
    return perimeter.orgs.length > 0
        ? `"StringEquals": {"aws:ResourceOrgID": ${listText(perimeter.orgs)}}`
        : `"StringEquals": {"aws:ResourceAccount": ${listText(perimeter.accounts)}}`;
}

function listText(values: string[]): string {
    return values.length === 1 ? quote(values[0]) : quote(values.slice(0, 4), 120);
}
