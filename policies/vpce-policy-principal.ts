// vpce-policy-principal: every statement names its principals in a form endpoint policies accept (SPEC rule 3).

import { describeType } from "../stack/endpoint-policy";
import { judgeEachStatement } from "../framework/document-statements";
import { principalTypes, readPrincipal, type PrincipalShapeProblem } from "../iam/principal";
import { isJsonObject, quote, type PolicyStatement } from "../iam/policy-document";
import type { JsonEdit } from "../iam/json-document";
import { endpointDocumentPolicy, type MessageData } from "../framework/rule";

const messages = {
    missingPrincipal: "{{statement}} has no \"Principal\"{{hint}}; every statement of an endpoint policy must name its principals. Add \"Principal\": \"*\" and narrow it with a condition such as aws:PrincipalArn or aws:PrincipalOrgID.",
    notPrincipalWithAllow: "{{statement}} uses \"NotPrincipal\" with \"Effect\": \"Allow\"; endpoint policies accept NotPrincipal only in a Deny statement. List the principals to allow in \"Principal\" instead (or \"*\" with an aws:PrincipalArn condition).",
    bareString: "{{statement}}: \"{{element}}\" is {{value}}; only \"*\" may stand alone, other principals go in an object by type: {{fix}}.",
    notStarOrObject: "{{statement}}: \"{{element}}\" is {{found}}; it must be \"*\" or an object such as {\"AWS\": [\"arn:aws:iam::111122223333:role/app\"]}.",
    emptyObject: "{{statement}}: \"{{element}}\" is an empty object; name at least one principal, or write \"*\".",
    unknownType: "{{statement}}: \"{{element}}\" has principal type {{type}}; the types are AWS, Service, Federated and CanonicalUser{{hint}}.",
    badValue: "{{statement}}: \"{{element}}\" → {{type}} is {{found}}; it must be a principal string or a list of them.",
    emptyList: "{{statement}}: \"{{element}}\" → {{type}} is an empty list; name at least one principal.",
    badEntry: "{{statement}}: \"{{element}}\" → {{type}}[{{index}}] is {{found}}; every principal is a string.",
};

type MessageId = keyof typeof messages;

export const vpcePolicyPrincipal = endpointDocumentPolicy<typeof messages, Record<string, never>>({
    meta: {
        name: "vpce-policy-principal",
        displayName: "Endpoint policy statements name their principals",
        description: "Every statement of the VPC endpoint policy has a Principal or NotPrincipal; Principal is \"*\" or an object whose keys are AWS, Service, Federated or CanonicalUser, each holding a string or a list of strings (a bare ARN is not accepted); NotPrincipal appears only in Deny statements.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "At enforcement level `remediate`, a bare principal string (an IAM ARN or account ID, a service principal, a SAML/OIDC provider) or a list of them is put in an object by type: \"arn:aws:iam::111122223333:role/app\" becomes {\"AWS\": \"arn:aws:iam::111122223333:role/app\"}. Otherwise: give every statement \"Principal\": \"*\" and restrict who may use the endpoint with conditions (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID), or list principals by type: {\"AWS\": [\"arn:aws:iam::111122223333:role/app\"]}. Replace NotPrincipal in Allow statements with an explicit Principal. Gateway endpoints accept only \"*\".",
        configProperties: {},
    },
    messages,
    check(input, _config, findings) {
        return judgeEachStatement(input, (statement) => {
            const problem = firstProblem(statement);
            if (problem) findings.report(problem.id, { statement: statement.label, ...problem.data });
        });
    },
    remediate(document) {
        if (!isJsonObject(document)) return [];
        const statements = document.Statement;
        const edits: JsonEdit[] = [];
        const fixStatement = (s: unknown, path: (string | number)[]) => {
            if (!isJsonObject(s)) return;
            for (const element of ["Principal", "NotPrincipal"] as const) {
                const fixed = Object.hasOwn(s, element) ? principalObject(s[element]) : undefined;
                if (fixed !== undefined) edits.push({ path: [...path, element], value: fixed });
            }
        };
        if (Array.isArray(statements)) statements.forEach((s, i) => fixStatement(s, ["Statement", i]));
        else fixStatement(statements, ["Statement"]);
        return edits;
    },
});

/** The principal type a bare string names, when it is unmistakable; undefined otherwise. */
function principalTypeOf(value: string): "AWS" | "Service" | "Federated" | undefined {
    if (/^arn:aws[a-z-]*:iam::\d{12}:(saml-provider|oidc-provider)\//.test(value) || value === "cognito-identity.amazonaws.com") return "Federated";
    if (/^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/.test(value)) return "Service";
    if (/^\d{12}$/.test(value) || /^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/.test(value)) return "AWS";
    return undefined;
}

/**
 * A bare principal (or a list of them) in the object form IAM requires, grouped by type, keeping a
 * single string a string; undefined when it is not bare or any entry is not unmistakable.
 */
function principalObject(value: unknown): Record<string, string | string[]> | undefined {
    const entries = typeof value === "string" ? (value === "*" ? [] : [value]) : Array.isArray(value) && value.length > 0 ? value : [];
    if (entries.length === 0 || !entries.every((e): e is string => typeof e === "string")) return undefined;
    const byType = new Map<string, string[]>();
    for (const e of entries) {
        const type = principalTypeOf(e);
        if (type === undefined) return undefined;
        byType.set(type, [...(byType.get(type) ?? []), e]);
    }
    return Object.fromEntries([...byType].map(([type, list]) => [type, typeof value === "string" ? list[0] : list]));
}

/** The statement's first principal problem: one violation per statement. */
function firstProblem(statement: PolicyStatement): { id: MessageId; data: MessageData } | undefined {
    const s = statement.element;
    const hasPrincipal = Object.hasOwn(s, "Principal");
    const hasNotPrincipal = Object.hasOwn(s, "NotPrincipal");
    if (!hasPrincipal && !hasNotPrincipal) {
        const misspelt = Object.keys(s).find((k) => ["principal", "notprincipal"].includes(k.toLowerCase()));
        return { id: "missingPrincipal", data: { hint: misspelt ? ` (found ${quote(misspelt)}: element names are case-sensitive)` : "" } };
    }
    if (hasNotPrincipal && s.Effect === "Allow") return { id: "notPrincipalWithAllow", data: {} };
    for (const element of ["Principal", "NotPrincipal"] as const) {
        if (!Object.hasOwn(s, element)) continue;
        const problem = readPrincipal(s[element]).problems[0];
        if (problem) return describe(element, problem);
    }
    return undefined;
}

function describe(element: string, p: PrincipalShapeProblem): { id: MessageId; data: MessageData } {
    switch (p.problem) {
        case "not-star-or-object":
            if (typeof p.found === "string") {
                const type = /\.amazonaws\.com(\.cn)?$/.test(p.found) ? "Service" : "AWS";
                return { id: "bareString", data: { element, value: quote(p.found), fix: `{"${type}": ${quote(p.found)}}` } };
            }
            return { id: "notStarOrObject", data: { element, found: describeType(p.found) } };
        case "empty-object":
            return { id: "emptyObject", data: { element } };
        case "unknown-type": {
            const near = principalTypes.find((t) => t.toLowerCase() === p.type.toLowerCase());
            return { id: "unknownType", data: { element, type: quote(p.type), hint: near ? ` (did you mean "${near}"? the names are case-sensitive)` : "" } };
        }
        case "bad-value":
            return { id: "badValue", data: { element, type: p.type, found: describeType(p.found) } };
        case "empty-list":
            return { id: "emptyList", data: { element, type: p.type } };
        case "bad-entry":
            return { id: "badEntry", data: { element, type: p.type, index: p.index, found: describeType(p.found) } };
    }
}
