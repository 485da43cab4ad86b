// The words for a part of a statement that never applies (effect-model.ts): which element and
// value, why it never applies, and the fix. Rules 15 and 16 put them in their messages.

import type { ActionEntryReach, DeadPart, Outcome } from "./effect-model";
import { nearestConditionKey } from "./condition-keys";
import { quote } from "./policy-document";

export interface DeadPartText {
    /** The element as a message names it: `condition "StringEquals" → "aws:PrincpalAccount"`, `Resource`… */
    element: string;
    /** The offending value, quoted. */
    value: string;
    why: string;
    fix: string;
}

const familyNames: Readonly<Record<string, string>> = {
    numeric: "a number", date: "a date", bool: "a boolean", ip: "an IP address", arn: "an ARN", binary: "binary data", string: "a string",
};
const familyOperators: Readonly<Record<string, string>> = {
    String: "String", ArrayOfString: "String (with ForAnyValue:/ForAllValues:)", ARN: "Arn", ArrayOfARN: "Arn (with ForAnyValue:/ForAllValues:)",
    Bool: "Bool", ArrayOfBool: "Bool", Numeric: "Numeric", Date: "Date", IPAddress: "IpAddress",
};

/** How an operator reads an absent key, as a clause. */
function reading(outcome: Outcome): string {
    switch (outcome.because) {
        case "ifExists": return "an …IfExists operator holds when the key is absent";
        case "negated": return "a negated operator holds when the key is absent";
        case "forAllValues": return "ForAllValues: holds when the key is absent";
        case "nullTrue": return "Null with \"true\" holds when the key is absent";
        case "nullFalse": return "Null with \"false\" requires the key to be present";
        case "forAnyValue": return "ForAnyValue: needs at least one value of the key";
        default: return "the operator needs the key to be present";
    }
}

function condition(operator: string, key: string): string {
    return `condition ${quote(operator, 60)} → ${quote(key, 64)}`;
}

export function explainDeadPart(part: DeadPart): DeadPartText {
    switch (part.kind) {
        case "missingKey": {
            const what = part.scope === "global" ? "a global condition key" : `a condition key of ${quote(part.scope, 40)} in the IAM catalogue`;
            const nearest = nearestConditionKey(part.key, part.scope);
            const fix = nearest !== undefined ? `Did you mean \`${nearest}\`?` : "Check the key against the IAM documentation of global and service condition keys.";
            return {
                element: condition(part.operator, part.key), value: quote(part.key, 64),
                why: `${quote(part.key, 64)} is not ${what} (no request carries it), and ${reading(part.outcome)}`,
                fix,
            };
        }
        case "absentKey":
            return {
                element: condition(part.operator, part.key), value: quote(part.key, 64),
                why: `requests through a VPC endpoint never carry ${quote(part.key, 64)}, and ${reading(part.outcome)}`,
                fix: "Requests through an endpoint carry the client's private address in `aws:VpcSourceIp`: test that key instead.",
            };
        case "otherVpc": {
            const what = /vpce$/i.test(part.key) ? "ID" : "VPC";
            const has = part.actual !== undefined ? `${quote(part.key, 64)} ${quote(part.actual)}` : `${quote(part.key, 64)} set to its own ${what} (a ${what === "ID" ? "vpce-" : "vpc-"} ID)`;
            return {
                element: condition(part.operator, part.key), value: quote(part.compared, 64),
                why: part.outcome.truth === "always"
                    ? `every request through this endpoint has ${has}, which ${quote(part.compared, 64)} can never be, so the negated test always holds`
                    : `every request through this endpoint has ${has}, which the test's values (${quote(part.compared, 64)}…) never are`,
                fix: part.actual !== undefined ? `Compare with ${quote(part.actual)} (this endpoint's ${what}), or remove the test.` : `Compare with this endpoint's own ${what}, or remove the test.`,
            };
        }
        case "typeMismatch": {
            const types = part.keyTypes.join(" or ");
            const fitting = [...new Set(part.keyTypes.map((t) => familyOperators[t] ?? t))].join(" or ");
            return {
                element: condition(part.operator, part.key), value: quote(part.operator, 60),
                why: `the operator compares ${familyNames[part.family] ?? part.family}, but AWS documents ${quote(part.key, 64)} as ${types}${part.outcome === "unclear" ? "" : ", so the test never matches"}`,
                fix: `Use ${/^[AEIOU]/.test(fitting) ? "an" : "a"} ${fitting} operator.`,
            };
        }
        case "noResourceAction":
            return {
                element: "Action", value: quote(part.entry),
                why: "it names only actions for which the Service Authorization Reference lists no resource type, which only \"Resource\": \"*\" matches, and the statement's resources cannot match \"*\"",
                fix: "Move the entry to a statement with \"Resource\": \"*\" (narrowed by a condition if needed).",
            };
        case "resourceService":
            return {
                element: part.element, value: quote(part.entry),
                why: `it is an ARN of service ${quote(part.service, 40)}, but the statement's actions act only on resources of ${part.actionServices.slice(0, 4).map((s) => quote(s, 40)).join(", ")}`,
                fix: "Use the ARN of a resource the statement's actions act on.",
            };
        case "badPrincipal": {
            const why = part.why === "region" ? "an IAM or STS ARN has no Region" : part.why === "account" ? "its account is not a 12-digit account ID" : "its partition is not an AWS partition";
            return {
                element: part.element, value: quote(part.entry),
                why: `it cannot name a principal (${why}), so it matches no request`,
                fix: "Write the principal as a 12-digit account ID or an ARN such as `arn:aws:iam::111122223333:role/name`.",
            };
        }
        case "redundantPrincipal":
            return {
                element: "Principal", value: quote(part.entry),
                why: "the same Principal has \"*\", which already matches every principal",
                fix: "Remove the entry, or replace \"*\" with the principals you mean (or narrow with a condition such as aws:PrincipalOrgID).",
            };
    }
}

/** Why an action entry names nothing the endpoint carries (rule 10's findings, in rule 15's words). */
export function explainActionEntry(entry: string, reach: ActionEntryReach, service: string): string | undefined {
    switch (reach.kind) {
        case "foreign": return `${quote(entry)} is an action of ${quote(reach.prefix, 40)}, which this endpoint to ${service} does not carry`;
        case "none": return `${quote(entry)} matches no action of ${quote(reach.matching.join(", "), 60)} in the IAM catalogue`;
        case "malformed": return `${quote(entry)} is not of the form "service:action"`;
        default: return undefined;
    }
}
