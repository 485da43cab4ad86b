// The IAM policy document model endpoint policies are written in: a document holds one statement
// or a list of them, and most elements hold a string or a list of strings. Lenient by design:
// it reads what is there and leaves grammar verdicts to `vpce-policy-json`.

export const documentKeys = ["Version", "Id", "Statement"] as const;
export const statementKeys = [
    "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
] as const;
export const policyVersions = ["2012-10-17", "2008-10-17"] as const;

export type JsonObject = Record<string, unknown>;

export interface PolicyStatement {
    /** Position in the `Statement` list (0 when `Statement` is a single object). */
    index: number;
    /** The statement's Sid when it is a non-empty string. */
    sid?: string;
    /** How messages name it: `Statement[2] ("AllowRead")`, or `Statement` when there is only an object. */
    label: string;
    /** The statement object as written. */
    element: JsonObject;
}

export function isJsonObject(value: unknown): value is JsonObject {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The statement objects of a document; entries that are not objects are skipped. */
export function statementsOf(document: unknown): PolicyStatement[] {
    if (!isJsonObject(document) || !Object.hasOwn(document, "Statement")) return [];
    const raw = document.Statement;
    const single = !Array.isArray(raw);
    const list = single ? [raw] : raw;
    const statements: PolicyStatement[] = [];
    list.forEach((element: unknown, index: number) => {
        if (!isJsonObject(element)) return;
        const sid = typeof element.Sid === "string" && element.Sid !== "" ? element.Sid : undefined;
        const position = single ? "Statement" : `Statement[${index}]`;
        statements.push({ index, sid, element, label: sid === undefined ? position : `${position} ("${truncate(sid, 64)}")` });
    });
    return statements;
}

/** A string or a list of strings as a list; undefined for anything else. */
export function stringList(value: unknown): string[] | undefined {
    if (typeof value === "string") return [value];
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
    return undefined;
}

/** One key test of a `Condition` block: `"StringEquals": { "aws:SourceVpc": ["vpc-1"] }`. */
export interface ConditionTest {
    operator: string;
    key: string;
    values: unknown[];
}

/** The key tests of a statement's `Condition`, skipping parts that are not objects. */
export function conditionTests(statement: PolicyStatement): ConditionTest[] {
    const condition = statement.element.Condition;
    if (!isJsonObject(condition)) return [];
    const tests: ConditionTest[] = [];
    for (const operator of Object.keys(condition)) {
        const block = condition[operator];
        if (!isJsonObject(block)) continue;
        for (const key of Object.keys(block)) {
            const v = block[key];
            tests.push({ operator, key, values: Array.isArray(v) ? v : [v] });
        }
    }
    return tests;
}

/** The longest a value quoted in a message may be. */
export const maxQuotedLength = 200;

/** Shortens `text` for a message, marking the cut. */
export function truncate(text: string, max = 80): string {
    const limit = Math.min(max, maxQuotedLength);
    return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** A JSON value shown in a message: short, on one line. */
export function quote(value: unknown, max = 80): string {
    let text: string;
    try {
        text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
    } catch {
        text = String(value);
    }
    return truncate(text, max);
}
