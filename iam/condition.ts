// IAM condition operators and keys: what an operator name means (its base operator, `IfExists`,
// the `ForAnyValue:`/`ForAllValues:` set qualifier, its category) and how keys compare.

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

const baseOperators: Readonly<Record<string, OperatorCategory>> = {
    StringEquals: "string", StringNotEquals: "string", StringEqualsIgnoreCase: "string",
    StringNotEqualsIgnoreCase: "string", StringLike: "string", StringNotLike: "string",
    NumericEquals: "numeric", NumericNotEquals: "numeric", NumericLessThan: "numeric",
    NumericLessThanEquals: "numeric", NumericGreaterThan: "numeric", NumericGreaterThanEquals: "numeric",
    DateEquals: "date", DateNotEquals: "date", DateLessThan: "date", DateLessThanEquals: "date",
    DateGreaterThan: "date", DateGreaterThanEquals: "date",
    Bool: "bool",
    BinaryEquals: "binary",
    IpAddress: "ip", NotIpAddress: "ip",
    ArnEquals: "arn", ArnLike: "arn", ArnNotEquals: "arn", ArnNotLike: "arn",
    Null: "null",
};

const canonicalBase = new Map(Object.keys(baseOperators).map((name) => [name.toLowerCase(), name]));

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
    let base = canonicalBase.get(rest.toLowerCase());
    if (base === undefined && rest.toLowerCase().endsWith("ifexists")) {
        base = canonicalBase.get(rest.slice(0, -"IfExists".length).toLowerCase());
        ifExists = base !== undefined;
    }
    const known = base ?? rest;
    return {
        text: String(text),
        base: known,
        category: base === undefined ? undefined : baseOperators[base],
        ifExists,
        setQualifier,
        negated: /Not(Equals|Like|IpAddress)/.test(known),
    };
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
