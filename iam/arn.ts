// Amazon Resource Names as they appear in policies: `arn:partition:service:region:account:resource`,
// possibly with wildcards (`*`, `?`) and policy variables (`${aws:PrincipalAccount}`) in any field.

export interface Arn {
    partition: string;
    service: string;
    region: string;
    /** The account field as written: empty (S3 buckets), an ID, `aws`, a wildcard, a variable… */
    account: string;
    /** Everything after the fifth colon (may itself contain colons); empty when absent. */
    resource: string;
}

const accountIdPattern = /^[0-9]{12}$/;

/** True for a 12-digit AWS account ID. */
export function isAccountId(value: unknown): value is string {
    return typeof value === "string" && accountIdPattern.test(value);
}

/**
 * Splits `text` into ARN fields when it starts with `arn:` and has at least the account field.
 * A colon inside a policy variable (`${aws:PrincipalAccount}`) does not separate fields.
 */
export function parseArn(text: string): Arn | undefined {
    if (typeof text !== "string" || !text.startsWith("arn:")) return undefined;
    const fields: string[] = [];
    let start = 0;
    let inVariable = false;
    for (let i = 0; i < text.length && fields.length < 5; i++) {
        const c = text[i];
        if (inVariable) {
            if (c === "}") inVariable = false;
        } else if (c === "$" && text[i + 1] === "{") {
            inVariable = true;
        } else if (c === ":") {
            fields.push(text.slice(start, i));
            start = i + 1;
        }
    }
    if (fields.length === 5) {
        const [, partition, service, region, account] = fields;
        return { partition, service, region, account, resource: text.slice(start) };
    }
    // `arn:aws:iam::123456789012` has an account field and no resource part.
    if (fields.length === 4) {
        const [, partition, service, region] = fields;
        return { partition, service, region, account: text.slice(start), resource: "" };
    }
    return undefined;
}

/** True when `text` holds a wildcard character of IAM's matching (`*` or `?`). */
export function hasWildcard(text: string): boolean {
    return text.includes("*") || text.includes("?");
}

/** True when the account field is only wildcards (`*`, `**`, `?`…). */
export function isWildcardOnly(text: string): boolean {
    return text.length > 0 && /^[*?]+$/.test(text);
}

/** The account ID an ARN names, when its account field is exactly one. */
export function arnAccountId(text: string): string | undefined {
    const arn = parseArn(text);
    return arn && isAccountId(arn.account) ? arn.account : undefined;
}
