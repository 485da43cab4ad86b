// vpce-policy-json: the endpoint policy is valid JSON and valid IAM policy grammar (SPEC rule 1).

import { describeType } from "../stack/endpoint-policy";
import {
    documentKeys, isJsonObject, policyVersions, quote, statementKeys, statementsOf, truncate, type PolicyStatement,
} from "../iam/policy-document";
import { conditionOperatorProblem, normalizeConditionKey } from "../iam/condition";
import { endpointDocumentPolicy, Findings } from "../framework/rule";
import type { JudgedInput } from "../framework/document-statements";

const messages = {
    wrongType: "{{property}} is {{found}}; an endpoint policy is a JSON document{{expected}}.",
    syntax: "{{property}} is not valid JSON at {{error}}.",
    duplicateKey: "Key {{key}} appears more than once in {{path}} (line {{line}}, column {{column}}); AWS keeps only the last one. Merge the values under one key.",
    notObject: "The document is {{found}}; an endpoint policy is a JSON object with a \"Statement\".",
    unknownDocumentKey: "Top-level key {{key}} is not allowed; a policy has only \"Version\", \"Id\" and \"Statement\". Remove it.",
    badVersion: "\"Version\" is {{value}}; write \"2012-10-17\" (or \"2008-10-17\"), or leave it out.",
    badId: "\"Id\" is {{value}}; it must be a string.",
    missingStatement: "The document has no \"Statement\"; add a list with at least one statement.",
    badStatementList: "\"Statement\" is {{found}}; it must be a statement object or a non-empty list of them.",
    emptyStatementList: "\"Statement\" is an empty list; add at least one statement.",
    statementNotObject: "Statement[{{index}}] is {{found}}; every statement is a JSON object.",
    unknownStatementKey: "{{statement}}: key {{key}} is not allowed in a statement (allowed: Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition). Remove it or fix its spelling.",
    badSid: "{{statement}}: \"Sid\" is {{value}}; it must be a string.",
    duplicateSid: "{{statement}}: Sid {{sid}} is already used by {{other}}; give every statement its own Sid.",
    missingEffect: "{{statement}} has no \"Effect\"; add \"Effect\": \"Allow\" or \"Effect\": \"Deny\".",
    badEffect: "{{statement}}: \"Effect\" is {{value}}; it must be exactly \"Allow\" or \"Deny\".",
    missingPair: "{{statement}} has neither \"{{a}}\" nor \"{{b}}\"; add one of them.",
    bothOfPair: "{{statement}} has both \"{{a}}\" and \"{{b}}\"; keep only one of them.",
    badValueList: "{{statement}}: \"{{element}}\" is {{found}}; it must be a string or a non-empty list of strings.",
    emptyValueList: "{{statement}}: \"{{element}}\" is an empty list; list at least one value.",
    badValueEntry: "{{statement}}: \"{{element}}\"[{{index}}] is {{found}}; every entry must be a string.",
    badCondition: "{{statement}}: \"Condition\" is {{found}}; it must be an object of operator → {condition key → value}.",
    badConditionBlock: "{{statement}}: condition operator {{operator}} holds {{found}}; it must be an object of condition key → value.",
    badConditionValue: "{{statement}}: condition {{operator}} → {{key}} has {{found}}; a value must be a string, boolean or number, or a list of them.",
    unknownOperator: "{{statement}}: condition operator {{operator}} is not one IAM knows (operator names are exact: a String, Numeric, Date, Bool, Binary, IpAddress, Arn or Null operator, optionally with IfExists and a ForAnyValue:/ForAllValues: prefix). Did you mean {{nearest}}?",
    nullIfExists: "{{statement}}: condition operator {{operator}} does not exist: Null already tests whether the key is present, so it takes no IfExists. Write {{nearest}}.",
    duplicateConditionKey: "{{statement}}: condition {{operator}} lists {{key}} and {{other}}, which are the same key (IAM compares condition keys ignoring case); only one of them takes effect. Merge their values under one key.",
};

const valueElements = ["Action", "NotAction", "Resource", "NotResource"] as const;

export const vpcePolicyJson = endpointDocumentPolicy<typeof messages, Record<string, never>>({
    meta: {
        name: "vpce-policy-json",
        displayName: "Endpoint policy is valid JSON and IAM grammar",
        description: "The VPC endpoint policy is valid JSON and valid IAM policy grammar: only Version, Id and Statement at the top, well-formed statements (Effect, exactly one of Action/NotAction and of Resource/NotResource, not both Principal and NotPrincipal, string values, a well-formed Condition), no duplicate keys and no duplicate Sid.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Fix the document at the position or statement the message names. Build the policy with JSON.stringify (or pulumi.jsonStringify) from an object instead of writing JSON by hand, keep \"Effect\" exactly \"Allow\" or \"Deny\", give each statement exactly one of Action/NotAction and of Resource/NotResource, and give every statement a distinct Sid.",
        configProperties: {},
    },
    messages,
    check(input, _config, findings) {
        checkInput(input, findings);
        // Analyze reads the same document objects AnalyzeStack's rules judge later: keep the verdict.
        if (!accepted.has(input)) accepted.set(input, findings.violations.length === 0);
    },
});

function checkInput(input: JudgedInput, findings: Findings<typeof messages>): void {
    if (input.status === "wrong-type") {
        const expected = input.property === "policyDocument" ? " (an object, or the same as a JSON string)" : " in a string: build it with JSON.stringify or pulumi.jsonStringify";
        findings.report("wrongType", { property: input.property, found: input.found, expected });
        return;
    }
    if (input.status === "syntax-error") {
        findings.report("syntax", { property: input.property, error: input.error.message });
        return;
    }
    for (const d of input.duplicateKeys) {
        findings.report("duplicateKey", { key: quote(d.key), path: truncate(d.path, 120), line: d.line, column: d.column });
    }
    checkDocument(input.document, findings);
}

// The rules that judge what a document does never judge one this rule rejects; they share its verdict.
const accepted = new WeakMap<object, boolean>();

/** Whether this rule accepts the document (reports nothing on it). */
export function acceptedByVpcePolicyJson(input: JudgedInput): boolean {
    let verdict = accepted.get(input);
    if (verdict === undefined) {
        const findings = new Findings(messages);
        try {
            checkInput(input, findings);
            verdict = findings.violations.length === 0;
        } catch {
            verdict = false;
        }
        accepted.set(input, verdict);
    }
    return verdict;
}

function checkDocument(document: unknown, findings: Findings<typeof messages>): void {
    if (!isJsonObject(document)) {
        findings.report("notObject", { found: describeType(document) });
        return;
    }
    for (const key of Object.keys(document)) {
        if (!(documentKeys as readonly string[]).includes(key)) findings.report("unknownDocumentKey", { key: quote(key) });
    }
    if (Object.hasOwn(document, "Version") && !(policyVersions as readonly unknown[]).includes(document.Version)) {
        findings.report("badVersion", { value: quote(document.Version) });
    }
    if (Object.hasOwn(document, "Id") && typeof document.Id !== "string") {
        findings.report("badId", { value: quote(document.Id) });
    }
    if (!Object.hasOwn(document, "Statement")) {
        findings.report("missingStatement");
        return;
    }
    const list = document.Statement;
    if (Array.isArray(list)) {
        if (list.length === 0) findings.report("emptyStatementList");
        list.forEach((s, index) => {
            if (!isJsonObject(s)) findings.report("statementNotObject", { index, found: describeType(s) });
        });
    } else if (!isJsonObject(list)) {
        findings.report("badStatementList", { found: describeType(list) });
        return;
    }
    const sids = new Map<string, PolicyStatement>();
    for (const statement of statementsOf(document)) {
        checkStatement(statement, findings);
        if (statement.sid !== undefined) {
            const first = sids.get(statement.sid);
            if (first) findings.report("duplicateSid", { statement: statement.label, sid: quote(statement.sid), other: first.label });
            else sids.set(statement.sid, statement);
        }
    }
}

function checkStatement(statement: PolicyStatement, findings: Findings<typeof messages>): void {
    const s = statement.element;
    const label = statement.label;
    for (const key of Object.keys(s)) {
        if (!(statementKeys as readonly string[]).includes(key)) findings.report("unknownStatementKey", { statement: label, key: quote(key) });
    }
    if (Object.hasOwn(s, "Sid") && typeof s.Sid !== "string") findings.report("badSid", { statement: label, value: quote(s.Sid) });
    if (!Object.hasOwn(s, "Effect")) findings.report("missingEffect", { statement: label });
    else if (s.Effect !== "Allow" && s.Effect !== "Deny") findings.report("badEffect", { statement: label, value: quote(s.Effect) });

    for (const [a, b] of [["Action", "NotAction"], ["Resource", "NotResource"]] as const) {
        const hasA = Object.hasOwn(s, a);
        const hasB = Object.hasOwn(s, b);
        if (!hasA && !hasB) findings.report("missingPair", { statement: label, a, b });
        if (hasA && hasB) findings.report("bothOfPair", { statement: label, a, b });
    }
    if (Object.hasOwn(s, "Principal") && Object.hasOwn(s, "NotPrincipal")) {
        findings.report("bothOfPair", { statement: label, a: "Principal", b: "NotPrincipal" });
    }
    for (const element of valueElements) {
        if (Object.hasOwn(s, element)) checkValueList(label, element, s[element], findings);
    }
    if (Object.hasOwn(s, "Condition")) checkCondition(label, s.Condition, findings);
}

function checkValueList(statement: string, element: string, value: unknown, findings: Findings<typeof messages>): void {
    if (typeof value === "string") return;
    if (!Array.isArray(value)) {
        findings.report("badValueList", { statement, element, found: describeType(value) });
        return;
    }
    if (value.length === 0) findings.report("emptyValueList", { statement, element });
    value.forEach((entry, index) => {
        if (typeof entry !== "string") findings.report("badValueEntry", { statement, element, index, found: describeType(entry) });
    });
}

function checkCondition(statement: string, condition: unknown, findings: Findings<typeof messages>): void {
    if (!isJsonObject(condition)) {
        findings.report("badCondition", { statement, found: describeType(condition) });
        return;
    }
    for (const operator of Object.keys(condition)) {
        const block = condition[operator];
        const problem = conditionOperatorProblem(operator);
        if (problem !== undefined) {
            findings.report(problem.problem === "null-if-exists" ? "nullIfExists" : "unknownOperator", () => ({ statement, operator: quote(operator), nearest: `\`${problem.nearest}\`` }));
        }
        if (!isJsonObject(block)) {
            findings.report("badConditionBlock", { statement, operator: quote(operator), found: describeType(block) });
            continue;
        }
        const seen = new Map<string, string>();
        for (const key of Object.keys(block)) {
            const normal = normalizeConditionKey(key);
            const other = seen.get(normal);
            if (other !== undefined) findings.report("duplicateConditionKey", () => ({ statement, operator: quote(operator), key: quote(other, 64), other: quote(key, 64) }));
            else seen.set(normal, key);
            const value = block[key];
            const entries = Array.isArray(value) ? value : [value];
            const bad = entries.findIndex((v) => !isConditionScalar(v));
            if (bad >= 0) {
                const found = Array.isArray(value) ? `a list holding ${describeType(entries[bad])}` : describeType(value);
                findings.report("badConditionValue", { statement, operator: quote(operator), key: quote(key), found });
            }
        }
    }
}

function isConditionScalar(v: unknown): boolean {
    return typeof v === "string" || typeof v === "boolean" || typeof v === "number";
}
