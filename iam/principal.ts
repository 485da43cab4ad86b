// The Principal and NotPrincipal elements of a policy statement: `"*"` or an object of principal
// type → one principal or a list of them, and the AWS account a principal belongs to.

import { isAccountId, parseArn } from "./arn";
import { isJsonObject } from "./policy-document";

export const principalTypes = ["AWS", "Service", "Federated", "CanonicalUser"] as const;
export type PrincipalType = (typeof principalTypes)[number];

export interface PrincipalEntry {
    /** `*` for the bare `"Principal": "*"`; otherwise the principal type it is listed under. */
    kind: "*" | PrincipalType;
    value: string;
}

export function isPrincipalType(key: string): key is PrincipalType {
    return (principalTypes as readonly string[]).includes(key);
}

/** A defect of a Principal/NotPrincipal element's shape. */
export type PrincipalShapeProblem =
    | { problem: "not-star-or-object"; found: unknown }
    | { problem: "empty-object" }
    | { problem: "unknown-type"; type: string }
    | { problem: "bad-value"; type: string; found: unknown }
    | { problem: "empty-list"; type: string }
    | { problem: "bad-entry"; type: string; index: number; found: unknown };

export interface ReadPrincipal {
    /** The well-formed entries, in order. */
    entries: PrincipalEntry[];
    problems: PrincipalShapeProblem[];
}

/** Reads a Principal/NotPrincipal element: its entries, and what is wrong with its shape. */
export function readPrincipal(element: unknown): ReadPrincipal {
    if (element === "*") return { entries: [{ kind: "*", value: "*" }], problems: [] };
    if (!isJsonObject(element)) return { entries: [], problems: [{ problem: "not-star-or-object", found: element }] };
    const entries: PrincipalEntry[] = [];
    const problems: PrincipalShapeProblem[] = [];
    const types = Object.keys(element);
    if (types.length === 0) problems.push({ problem: "empty-object" });
    for (const type of types) {
        const value = element[type];
        if (!isPrincipalType(type)) {
            problems.push({ problem: "unknown-type", type });
            continue;
        }
        if (typeof value === "string") {
            entries.push({ kind: type, value });
        } else if (Array.isArray(value)) {
            if (value.length === 0) problems.push({ problem: "empty-list", type });
            value.forEach((v: unknown, index: number) => {
                if (typeof v === "string") entries.push({ kind: type, value: v });
                else problems.push({ problem: "bad-entry", type, index, found: v });
            });
        } else {
            problems.push({ problem: "bad-value", type, found: value });
        }
    }
    return { entries, problems };
}

/** The entries of a well-formed element; undefined when its shape is wrong anywhere. */
export function principalEntries(element: unknown): PrincipalEntry[] | undefined {
    const read = readPrincipal(element);
    return read.problems.length === 0 ? read.entries : undefined;
}

/** True for `"*"` and `{"AWS": "*"}`: every principal. */
export function isAnyPrincipal(entry: PrincipalEntry): boolean {
    return entry.value === "*" && (entry.kind === "*" || entry.kind === "AWS");
}

/**
 * The account an `AWS` principal belongs to: the ID itself, or the account field of an
 * `arn:…:iam::ACCOUNT:…` / `arn:…:sts::ACCOUNT:…` ARN. Undefined for anything else.
 */
export function principalAccount(value: string): string | undefined {
    if (isAccountId(value)) return value;
    const arn = parseArn(value);
    if (arn === undefined || (arn.service !== "iam" && arn.service !== "sts")) return undefined;
    return isAccountId(arn.account) ? arn.account : undefined;
}
