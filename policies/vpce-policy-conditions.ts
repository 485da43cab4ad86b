// vpce-policy-conditions: the condition rules AWS PrivateLink sets for endpoint policies (SPEC rule 4).
// From the PrivateLink guide's "Considerations": no wildcards or numeric operators on global keys
// that reference system-generated identifiers; with a string condition operator, at least six
// consecutive characters before or after each wildcard; in an ARN in a resource or condition
// element, an account ID or a wildcard in the account part, not both.

import { hasWildcard, isWildcardOnly, parseArn } from "../iam/arn";
import { judgeEachStatement } from "../framework/document-statements";
import { parseConditionOperator, systemIdKey, withoutLiteralVariables } from "../iam/condition";
import { conditionTests, quote, stringList, type PolicyStatement } from "../iam/policy-document";
import { endpointDocumentPolicy, type Findings } from "../framework/rule";

/** Consecutive non-wildcard characters a wildcard needs next to it, on one side at least. */
export const wildcardAnchorLength = 6;

const messages = {
    wildcardOnIdKey: "{{statement}}: condition {{operator}} → {{key}} has {{value}}; {{key}} holds a system-generated ID, and endpoint policies allow no wildcard (* or ?) on it. List the exact IDs.",
    numericOnIdKey: "{{statement}}: condition {{operator}} is a numeric operator on {{key}}, which holds a system-generated ID; endpoint policies do not accept it. Use StringEquals with the exact IDs.",
    shortWildcard: "{{statement}}: condition {{operator}} → {{key}} has {{value}}, where a wildcard has fewer than six consecutive non-wildcard characters directly before or after it; endpoint policies require at least six on one side. Spell out more of the value.",
    mixedAccount: "{{statement}}: {{where}} has ARN {{value}}, whose account field {{account}} mixes an account ID and a wildcard; write a 12-digit account ID, or exactly \"*\".",
};

export const vpcePolicyConditions = endpointDocumentPolicy<typeof messages, Record<string, never>>({
    meta: {
        name: "vpce-policy-conditions",
        displayName: "Endpoint policy conditions follow the PrivateLink rules",
        description: "The VPC endpoint policy uses no wildcard (* or ?) and no numeric operator on keys that hold system-generated IDs (aws:PrincipalAccount, aws:PrincipalOrgID, aws:ResourceAccount, aws:ResourceOrgID, aws:SourceAccount, aws:SourceOrgID, aws:SourceVpc, aws:SourceVpce, aws:VpceAccount, aws:VpceOrgID); with a string operator every wildcard has at least six consecutive non-wildcard characters before or after it; the account field of an ARN in Resource, NotResource or a condition is an account ID or a wildcard, not both.",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps: "Write system-generated IDs (account, organization, VPC and endpoint IDs) in full with StringEquals, listing several if needed. Give every wildcard in a string condition at least six literal characters on one side (\"arn:aws:iam::*:role/app-*\", not \"app*\"). In an ARN, write the account as the full 12-digit ID or as \"*\" alone.",
        configProperties: {},
    },
    messages,
    check(input, _config, findings) {
        return judgeEachStatement(input, (statement) => {
            checkResources(statement, findings);
            checkConditions(statement, findings);
        });
    },
});

function checkResources(statement: PolicyStatement, findings: Findings<typeof messages>): void {
    for (const element of ["Resource", "NotResource"] as const) {
        for (const value of stringList(statement.element[element]) ?? []) {
            checkArnAccount(statement, `"${element}"`, value, findings);
        }
    }
}

function checkConditions(statement: PolicyStatement, findings: Findings<typeof messages>): void {
    const operators = new Map<string, ReturnType<typeof parseConditionOperator>>();
    for (const test of conditionTests(statement)) {
        let operator = operators.get(test.operator);
        if (operator === undefined) operators.set(test.operator, (operator = parseConditionOperator(test.operator)));
        const idKey = systemIdKey(test.key);
        // Built only for the messages kept: past the cap a document's problems are only counted.
        const data = () => ({ statement: statement.label, operator: quote(test.operator), key: quote(test.key, 64) });
        if (idKey !== undefined && operator.category === "numeric") {
            findings.report("numericOnIdKey", data);
            continue;
        }
        for (const value of test.values) {
            if (typeof value !== "string") continue;
            const pattern = withoutLiteralVariables(value);
            if (idKey !== undefined && operator.category !== "null" && hasWildcard(pattern)) {
                findings.report("wildcardOnIdKey", () => ({ ...data(), value: quote(value) }));
            } else if (operator.category === "string" && !wildcardsAnchored(pattern)) {
                findings.report("shortWildcard", () => ({ ...data(), value: quote(value) }));
            }
            checkArnAccount(statement, () => { const d = data(); return `condition ${d.operator} → ${d.key}`; }, value, findings);
        }
    }
}

/** True when every wildcard has `wildcardAnchorLength` non-wildcard characters right before or after it. */
export function wildcardsAnchored(pattern: string): boolean {
    const runs = pattern.split(/[*?]/);
    // Wildcard i sits between runs[i] and runs[i + 1].
    for (let i = 0; i < runs.length - 1; i++) {
        if (runs[i].length < wildcardAnchorLength && runs[i + 1].length < wildcardAnchorLength) return false;
    }
    return true;
}

function checkArnAccount(statement: PolicyStatement, where: string | (() => string), value: string, findings: Findings<typeof messages>): void {
    const arn = parseArn(value);
    if (arn === undefined) return;
    const account = withoutLiteralVariables(arn.account);
    if (hasWildcard(account) && !isWildcardOnly(account)) {
        findings.report("mixedAccount", () => ({ statement: statement.label, where: typeof where === "string" ? where : where(), value: quote(value), account: quote(arn.account, 40) }));
    }
}
