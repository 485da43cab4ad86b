// IAM condition operators and keys: what an operator name means (its base operator, `IfExists`,
// the `ForAnyValue:`/`ForAllValues:` set qualifier, its category) and how keys compare.

import type OperatorTableFile from "./data/condition-operators.json";
import { nearestText } from "../values/nearest";

export type OperatorCategory = "string" | "numeric" | "date" | "bool" | "binary" | "ip" | "arn" | "null";

export type SetQualifier = "ForAnyValue" | "ForAllValues";

export interface ConditionOperator {
    /** The operator as written in the policy. */
    text: string;
    /** The canonical base operator (`StringLike`), or the written base when IAM does not know it. */
    base: string;
    /** Undefined when the base operator is not one IAM defines. */
    category?: OperatorCategory;
    ifExists: boolean;
    setQualifier?: SetQualifier;
    /** A "not" operator (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`…). */
    negated: boolean;
}

interface OperatorTable {
    families: { family: OperatorCategory; keyTypes: string[] | null; operators: { name: string; negated: boolean }[] }[];
}

interface Operators {
    /** Lower-case base operator → its canonical name and family. */
    byLowerCase: Map<string, { name: string; category: OperatorCategory; negated: boolean }>;
    /** Every operator name IAM accepts, qualifiers and IfExists included (for suggestions). */
    allNames: string[];
    keyTypes: Map<OperatorCategory, readonly string[] | null>;
}

let operators: Operators | undefined;

// Read on first use: nothing is loaded when the pack starts.
function operatorTable(): Operators {
    if (operators !== undefined) return operators;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const table = require("./data/condition-operators.json") as typeof OperatorTableFile & OperatorTable;
    const byLowerCase = new Map<string, { name: string; category: OperatorCategory; negated: boolean }>();
    const keyTypes = new Map<OperatorCategory, readonly string[] | null>();
    const allNames: string[] = [];
    for (const family of table.families) {
        keyTypes.set(family.family, family.keyTypes);
        for (const op of family.operators) {
            byLowerCase.set(op.name.toLowerCase(), { name: op.name, category: family.family, negated: op.negated });
            for (const qualifier of ["", "ForAnyValue:", "ForAllValues:"]) {
                allNames.push(`${qualifier}${op.name}`);
                if (family.family !== "null") allNames.push(`${qualifier}${op.name}IfExists`);
            }
        }
    }
    return (operators = { byLowerCase, allNames, keyTypes });
}

/** Reads an operator name; letter case is ignored so that a near miss is still understood. */
export function parseConditionOperator(text: string): ConditionOperator {
    let rest = String(text);
    let setQualifier: SetQualifier | undefined;
    const colon = rest.indexOf(":");
    if (colon >= 0) {
        const prefix = rest.slice(0, colon).toLowerCase();
        if (prefix === "foranyvalue") setQualifier = "ForAnyValue";
        else if (prefix === "forallvalues") setQualifier = "ForAllValues";
        if (setQualifier) rest = rest.slice(colon + 1);
    }
    let ifExists = false;
    const table = operatorTable().byLowerCase;
    let base = table.get(rest.toLowerCase());
    if (base === undefined && rest.toLowerCase().endsWith("ifexists")) {
        base = table.get(rest.slice(0, -"IfExists".length).toLowerCase());
        ifExists = base !== undefined;
    }
    const known = base?.name ?? rest;
    return {
        text: String(text),
        base: known,
        category: base?.category,
        ifExists,
        setQualifier,
        negated: base?.negated ?? /Not(Equals|Like|IpAddress)/.test(known),
    };
}

/** Why IAM would not accept an operator name as written (names are matched exactly), or undefined. */
export type OperatorProblem = { problem: "unknown"; nearest: string } | { problem: "null-if-exists"; nearest: string };

const operatorProblems = new Map<string, OperatorProblem | undefined>();

export function conditionOperatorProblem(text: string): OperatorProblem | undefined {
    if (operatorProblems.has(text)) return operatorProblems.get(text);
    const problem = findOperatorProblem(text);
    if (operatorProblems.size < 1000) operatorProblems.set(text, problem);
    return problem;
}

function findOperatorProblem(text: string): OperatorProblem | undefined {
    const { allNames } = operatorTable();
    if (allNames.includes(text)) return undefined;
    const parsed = parseConditionOperator(text);
    if (parsed.base === "Null" && parsed.ifExists && text === `${parsed.setQualifier ? `${parsed.setQualifier}:` : ""}NullIfExists`) {
        return { problem: "null-if-exists", nearest: parsed.setQualifier ? `${parsed.setQualifier}:Null` : "Null" };
    }
    return { problem: "unknown", nearest: nearestText(text.slice(0, 100), allNames) };
}

/** The key types an operator family compares; null when it takes any type (or none is known). */
export function keyTypesOf(category: OperatorCategory): readonly string[] | null {
    return operatorTable().keyTypes.get(category) ?? null;
}

/** Condition keys compare case-insensitively; this is the form to compare. */
export function normalizeConditionKey(key: string): string {
    return String(key).toLowerCase();
}

/** True when `key` names `expected`, ignoring case. */
export function isConditionKey(key: string, expected: string): boolean {
    return normalizeConditionKey(key) === normalizeConditionKey(expected);
}

/**
 * Global keys whose values are system-generated IDs (account, organization, VPC and endpoint IDs):
 * AWS PrivateLink rejects wildcards and numeric operators on them in endpoint policies.
 */
export const systemIdConditionKeys = [
    "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:ResourceAccount", "aws:ResourceOrgID",
    "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceVpc", "aws:SourceVpce",
    "aws:VpceAccount", "aws:VpceOrgID",
] as const;

const systemIdKeys = new Map(systemIdConditionKeys.map((k) => [normalizeConditionKey(k), k]));

/** The canonical spelling of a system-generated-ID key, or undefined for any other key. */
export function systemIdKey(key: string): string | undefined {
    return systemIdKeys.get(normalizeConditionKey(key));
}

/** Policy variables that stand for one literal character (`${*}`, `${?}`, `${$}`). */
const literalCharacterVariable = /\$\{[*?$]\}/g;

/**
 * The value with its literal-character variables replaced by a plain character, so that the `*`
 * and `?` left are the wildcards IAM matches with.
 */
export function withoutLiteralVariables(value: string): string {
    return value.replace(literalCharacterVariable, "_");
}
