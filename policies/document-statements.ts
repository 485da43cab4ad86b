// The statements a content rule judges. A document that is not valid JSON, or not an IAM policy
// with statements, is vpce-policy-json's business: content rules have no verdict on it.

import type { EndpointPolicyInput } from "./endpoint-policy";
import { isJsonObject, statementsOf, type PolicyStatement } from "./policy-document";

export type JudgedStatements = { statements: PolicyStatement[]; notApplicable?: undefined } | { notApplicable: string };

export const notValidJsonReason = "not valid JSON; see vpce-policy-json";

export function statementsToJudge(input: Extract<EndpointPolicyInput, { status: "parsed" | "syntax-error" | "wrong-type" }>): JudgedStatements {
    if (input.status !== "parsed") return { notApplicable: notValidJsonReason };
    if (!isJsonObject(input.document)) return { notApplicable: "the document is not a JSON object; see vpce-policy-json" };
    const statements = statementsOf(input.document);
    if (statements.length === 0) return { notApplicable: "the document has no statement objects; see vpce-policy-json" };
    return { statements };
}
