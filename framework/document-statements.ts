// The statements a content rule judges. A document that is not valid JSON, or not an IAM policy
// with statements, is vpce-policy-json's business: content rules have no verdict on it.

import type { EndpointPolicyInput } from "../stack/endpoint-policy";
import { isJsonObject, statementsOf, type PolicyStatement } from "../iam/policy-document";

export type JudgedStatements = { statements: PolicyStatement[]; notApplicable?: undefined } | { notApplicable: string };

/** What a content rule is given: a document that reached a verdict-worthy state. */
export type JudgedInput = Extract<EndpointPolicyInput, { status: "parsed" | "syntax-error" | "wrong-type" }>;

export const notValidJsonReason = "not valid JSON; see vpce-policy-json";

export function statementsToJudge(input: JudgedInput): JudgedStatements {
    if (input.status !== "parsed") return { notApplicable: notValidJsonReason };
    if (!isJsonObject(input.document)) return { notApplicable: "the document is not a JSON object; see vpce-policy-json" };
    const statements = statementsOf(input.document);
    if (statements.length === 0) return { notApplicable: "the document has no statement objects; see vpce-policy-json" };
    return { statements };
}

/**
 * Judges each statement of the document in turn; returns the not-applicable reason when there is
 * nothing to judge, else undefined (a content rule's verdict).
 */
export function judgeEachStatement(input: JudgedInput, judge: (statement: PolicyStatement) => void): string | undefined {
    const judged = statementsToJudge(input);
    if (judged.notApplicable !== undefined) return judged.notApplicable;
    for (const statement of judged.statements) judge(statement);
    return undefined;
}
