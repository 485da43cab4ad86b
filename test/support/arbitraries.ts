// fast-check generators for the property tests: hostile JSON (unknown sentinels of every kind,
// wrong types, odd keys, huge strings, deep nesting), nearly valid endpoint policy documents and
// their texts, and stack programs — resources of every pack-relevant type whose references are
// real references (so a preview rendering is what `pulumi preview` would send), plus the hostile
// mutations no engine sends. Big values are built from small recipes, so a counterexample prints
// as the recipe, not as five megabytes.

import * as fc from "fast-check";
import { UnknownSentinel, type UnknownKind } from "../../values/unknown-values";
import { carriers, carrierResource, type Carrier } from "./cases";
import { idPrefix, looseOf, ownIdOutput, ref, Stack, T, type BuiltResource, type LooseResource, type Shape, type Spec } from "./stacks";

// ---------------------------------------------------------------------------------------------
// Unknowns, huge strings, deep nesting

export const sentinelKinds = Object.keys(UnknownSentinel) as UnknownKind[];
export const sentinels: string[] = Object.values(UnknownSentinel);
export const sentinel: fc.Arbitrary<string> = fc.constantFrom(...sentinels);

/** A recipe for a long string: `unit` repeated `times` times. */
export interface HugeString {
    unit: string;
    times: number;
}

const hugeUnits = ["a", "*", "?", "\u0000", "\ud800", "\udc00", "é", "𝄞", " ", "\"", "\\", "<&>", "arn:aws:iam::111122223333:role/", "s3:Get", "{", "[", "10.0.0.0/8,"];

export function hugeString(maxTimes: number): fc.Arbitrary<string> {
    return fc.record({ unit: fc.constantFrom(...hugeUnits), times: fc.integer({ min: 200, max: maxTimes }) })
        .map((r: HugeString) => r.unit.repeat(r.times), (v) => {
            // Shrinking from a value: only values this arbitrary built can be unmapped.
            if (typeof v !== "string" || v.length === 0) throw new Error("not a huge string");
            const unit = hugeUnits.find((u) => v.length % u.length === 0 && u.repeat(v.length / u.length) === v);
            if (unit === undefined) throw new Error("not a huge string");
            return { unit, times: v.length / unit.length };
        });
}

/** Arrays/objects nested `depth` levels around `leaf`, built without recursion. */
export function nest(depth: number, kind: "array" | "object" | "mixed", leaf: unknown): unknown {
    let value = leaf;
    for (let i = 0; i < depth; i++) {
        const asArray = kind === "array" || (kind === "mixed" && i % 2 === 0);
        value = asArray ? [value] : objectOf([["a", value]]);
    }
    return value;
}

export function deepValue(maxDepth: number): fc.Arbitrary<unknown> {
    return fc.record({ depth: fc.integer({ min: 65, max: maxDepth }), kind: fc.constantFrom("array", "object", "mixed") as fc.Arbitrary<"array" | "object" | "mixed">, leaf: fc.constantFrom<unknown>("x", 1, null, UnknownSentinel.string, true) })
        .map((r) => nest(r.depth, r.kind, r.leaf));
}

/** An object with these own entries, `__proto__` included as a plain key (as JSON.parse makes it). */
export function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
}

// ---------------------------------------------------------------------------------------------
// Hostile JSON-like values

export const oddKeys = [
    "__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "__getSpecialProxyTarget", "", " ", "\u0000",
    "\ud800", "Statement", "Effect", "Action", "NotAction", "Principal", "NotPrincipal", "Resource", "Condition", "Version", "Id", "Sid",
    "AWS", "Service", "*", "policy", "policyDocument", "vpcId", "serviceName", "vpcEndpointType", "securityGroupIds", "ingress", "egress",
    "fromPort", "toPort", "protocol", "cidrBlocks", "cidrBlock", "length", "0",
];

const oddStrings = [
    "", " ", "*", "?", "\u0000", "\ufeff", "\ud800", "\udfff", "\u2028", "<>&", "null", "true", "[]", "{}", "{\"Statement\":[]}",
    "\"{\\\"Statement\\\":[]}\"", "NaN", "-1", "65536", "1e400", "__proto__", "arn:aws:iam::111122223333:root", "o-a1b2c3d4e5",
    "10.0.0.0/8", "::/0", "vpc-0abc", "sg-0abc", "pl-6da54004", "vpce-0abc", "com.amazonaws.us-east-1.s3", "Interface", "Gateway",
    "[secret]", "${aws:PrincipalAccount}",
];

export interface JsonOptions {
    /** Longest generated huge string (repetitions of a unit). */
    hugeTimes: number;
    /** Deepest recipe-built nesting. */
    deepDepth: number;
    /** Include values JSON and the protocol cannot carry (NaN, ±Infinity, undefined). */
    nonJson: boolean;
}

export const quickJson: JsonOptions = { hugeTimes: 30_000, deepDepth: 2_000, nonJson: true };

export function leafValue(o: JsonOptions): fc.Arbitrary<unknown> {
    const numbers = o.nonJson ? fc.double() : fc.double({ noNaN: true, noDefaultInfinity: true });
    return fc.oneof(
        { arbitrary: fc.string({ maxLength: 12 }), weight: 4 },
        { arbitrary: fc.string({ unit: "binary", maxLength: 8 }), weight: 1 },
        { arbitrary: fc.constantFrom(...oddStrings), weight: 4 },
        { arbitrary: sentinel, weight: 4 },
        { arbitrary: fc.integer({ min: -70000, max: 70000 }), weight: 2 },
        { arbitrary: numbers, weight: 1 },
        { arbitrary: fc.boolean(), weight: 2 },
        { arbitrary: fc.constant(null), weight: 2 },
        ...(o.nonJson ? [{ arbitrary: fc.constant(undefined), weight: 1 }] : []),
        { arbitrary: hugeString(o.hugeTimes), weight: 1 },
    );
}

/** Any JSON-like value: odd keys, sentinels of each kind anywhere, wrong types, sometimes huge or very deep. */
export function hostileJson(o: JsonOptions = quickJson): fc.Arbitrary<unknown> {
    const key = fc.oneof({ arbitrary: fc.constantFrom(...oddKeys), weight: 3 }, { arbitrary: fc.string({ maxLength: 6 }), weight: 1 });
    const { value } = fc.letrec((tie) => ({
        value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leafValue(o), tie("array"), tie("object")),
        array: fc.array(tie("value"), { maxLength: 5 }),
        object: fc.array(fc.tuple(key, tie("value")), { maxLength: 6 }).map((entries) => objectOf(entries as [string, unknown][])),
    }));
    return fc.oneof({ arbitrary: value, weight: 20 }, { arbitrary: deepValue(o.deepDepth), weight: 1 });
}

/** A property bag: mostly the keys pack rules read, with hostile values. */
export function hostileProps(o: JsonOptions = quickJson): fc.Arbitrary<Record<string, unknown>> {
    return fc.array(fc.tuple(fc.constantFrom(...oddKeys), hostileJson(o)), { maxLength: 8 })
        .map((entries) => objectOf(entries as [string, unknown][]));
}

// ---------------------------------------------------------------------------------------------
// Nearly valid endpoint policy documents

/** Values `b` mostly, sometimes a value of any type (to reach the wrong-type branches). */
function mostly<T>(b: fc.Arbitrary<T>, junkWeight = 1): fc.Arbitrary<unknown> {
    return fc.oneof({ arbitrary: b as fc.Arbitrary<unknown>, weight: 12 }, { arbitrary: hostileJson({ hugeTimes: 400, deepDepth: 80, nonJson: false }), weight: junkWeight });
}

const accountIds = ["111122223333", "444455556666", "123456789012"];
const orgIds = ["o-a1b2c3d4e5", "o-zzzzzzzzzz", "o-exampleorgid11"];

export const actionPool = [
    "*", "s3:*", "s3:GetObject", "s3:Get*", "s3:?etObject", "S3:PutObject", "s3:ListBucket", "s3:NoSuchAction", "s3:", ":GetObject", "s3",
    "dynamodb:GetItem", "dynamodb:*", "ec2:*", "ec2:DescribeInstances", "sts:AssumeRole", "sts:GetCallerIdentity", "logs:PutLogEvents",
    "ecr:BatchGetImage", "ecr:GetAuthorizationToken", "kms:Decrypt", "execute-api:Invoke", "apigateway:GET", "*:*", "s*:Get*", "**",
    "cassandra:Select", "ses:SendEmail", "sqs:SendMessage", "iam:PassRole",
];
const actionPattern = fc.stringMatching(/^[a-z0-9*?]{1,6}:[A-Za-z*?]{0,30}$/);
const action = fc.oneof({ arbitrary: fc.constantFrom(...actionPool), weight: 6 }, { arbitrary: actionPattern, weight: 2 });

export const resourcePool = [
    "*", "arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*", "arn:aws:s3:::packages.us-east-1.amazonaws.com/*",
    "arn:aws:s3:::amazonlinux-2-repos-us-east-1/*", "arn:aws:iam::1234*:role/x", "arn:aws:iam::*:role/app-*",
    "arn:aws:ec2:us-east-1:111122223333:instance/*", "arn:aws:iam::aws:policy/ReadOnly", "arn:aws:ssm:us-east-1::parameter/aws/service/x",
    "arn:aws:dynamodb:us-east-1:444455556666:table/t", "arn:aws:sqs:*:111122223333:q", "arn:aws:s3", "arn:", "arn:aws:iam::${aws:PrincipalAccount}:role/x",
    "arn:aws:iam::1?1122223333:root",
];

const awsPrincipal = fc.constantFrom(
    "*", "111122223333", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/app", "arn:aws:sts::444455556666:assumed-role/r/s",
    "arn:aws-cn:iam::123456789012:root", "arn:aws:iam::1111*:root", "AIDAEXAMPLE",
);
export const principal: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: fc.constant("*"), weight: 6 },
    { arbitrary: awsPrincipal.map((v) => ({ AWS: v })), weight: 3 },
    { arbitrary: fc.array(awsPrincipal, { minLength: 0, maxLength: 3 }).map((v) => ({ AWS: v })), weight: 2 },
    { arbitrary: fc.constantFrom("ec2.amazonaws.com", "lambda.amazonaws.com.cn").map((v) => ({ Service: v })), weight: 1 },
    { arbitrary: fc.constantFrom("cognito-identity.amazonaws.com", "arn:aws:iam::111122223333:saml-provider/x").map((v) => ({ Federated: v })), weight: 1 },
    { arbitrary: fc.constant({ CanonicalUser: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be" }), weight: 1 },
    { arbitrary: fc.constantFrom<unknown>("arn:aws:iam::111122223333:root", "ec2.amazonaws.com", { aws: "*" }, {}, { AWS: [] }, { AWS: [1] }, { AWS: 1 }, { Foo: "x" }), weight: 1 },
);

export const operatorPool = [
    "StringEquals", "StringLike", "StringNotEquals", "StringNotLike", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
    "ForAnyValue:StringLike", "ForAllValues:StringEquals", "StringEqualsIfExists", "StringNotEqualsIfExists", "ArnLike", "ArnEquals", "ArnNotLike",
    "NumericEquals", "NumericLessThan", "Bool", "BoolIfExists", "Null", "IpAddress", "NotIpAddress", "DateGreaterThan", "stringequals", "Foo",
    "ForAnyValue:Foo", "forallvalues:stringlike",
];
export const conditionKeyPool = [
    "aws:PrincipalOrgID", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:ResourceOrgID", "aws:ResourceAccount", "aws:SourceVpc",
    "aws:SourceVpce", "aws:SourceAccount", "aws:VpceAccount", "aws:PrincipalIsAWSService", "aws:SecureTransport", "aws:principalorgid",
    "AWS:PRINCIPALACCOUNT", "s3:prefix", "aws:SourceIp", "aws:CalledVia",
];
const conditionScalar = fc.oneof(
    { arbitrary: fc.constantFrom<unknown>(...orgIds, ...accountIds, "arn:aws:iam::111122223333:role/*", "arn:aws:iam::1111*:role/x", "o-*", "1111*",
        "${aws:PrincipalOrgID}", "${aws:ResourceAccount}", "${aws:PrincipalAccount}", "true", "false", "vpc-1*", "ab*", "${*}abcdef", "abcdef*", "a?cdefg",
        "vpce-0abc", "10.0.0.0/8", "*"), weight: 8 },
    { arbitrary: fc.constantFrom<unknown>(true, false, 1, 0), weight: 2 },
    { arbitrary: fc.stringMatching(/^[a-z0-9*?${}:-]{0,14}$/), weight: 2 },
);
const conditionValue = fc.oneof({ arbitrary: conditionScalar, weight: 3 }, { arbitrary: fc.array(conditionScalar, { maxLength: 3 }), weight: 2 });
const conditionBlock = fc.array(fc.tuple(fc.constantFrom(...conditionKeyPool), mostly(conditionValue)), { minLength: 1, maxLength: 3 })
    .map((e) => objectOf(e as [string, unknown][]));
export const condition = fc.array(fc.tuple(fc.constantFrom(...operatorPool), mostly(conditionBlock)), { maxLength: 3 })
    .map((e) => objectOf(e as [string, unknown][]));

const stringOrList = <T>(a: fc.Arbitrary<T>) => fc.oneof(a as fc.Arbitrary<unknown>, fc.array(a, { minLength: 0, maxLength: 4 }));

const sid = fc.oneof(fc.constantFrom("AllowRead", "DenyOthers", "A", "", "dup", "Allow_All-1"), fc.string({ maxLength: 10 }));

/** One statement: the usual keys, each sometimes absent, sometimes of the wrong type, sometimes an extra key. */
export const statement: fc.Arbitrary<Record<string, unknown>> = fc.record({
    Sid: mostly(sid),
    Effect: mostly(fc.constantFrom("Allow", "Allow", "Deny", "allow")),
    Principal: mostly(principal),
    NotPrincipal: mostly(principal),
    Action: mostly(stringOrList(action)),
    NotAction: mostly(stringOrList(action)),
    Resource: mostly(stringOrList(fc.constantFrom(...resourcePool))),
    NotResource: mostly(stringOrList(fc.constantFrom(...resourcePool))),
    Condition: mostly(condition),
    Extra: hostileJson({ hugeTimes: 300, deepDepth: 70, nonJson: false }),
}, { requiredKeys: [] }).chain((s) => {
    // Mostly the shape AWS expects: Effect, Principal, Action, Resource; the rest rarer.
    return fc.record({
        keepEffect: fc.boolean(), keepPrincipal: fc.boolean(), keepAction: fc.boolean(), keepResource: fc.boolean(),
        notPrincipal: fc.integer({ min: 0, max: 9 }), notAction: fc.integer({ min: 0, max: 9 }), notResource: fc.integer({ min: 0, max: 9 }), extra: fc.integer({ min: 0, max: 14 }),
        // The name an extra key goes under: an unknown element, a near miss in case or number, a prototype key.
        extraKey: fc.constantFrom("Extra", "principal", "Actions", "__proto__"),
    }).map((k) => {
        const out: Array<[string, unknown]> = [];
        const given = s as Record<string, unknown>;
        const put = (key: string, keep: boolean, fallback: () => unknown) => {
            if (Object.hasOwn(given, key)) out.push([key, given[key]]);
            else if (keep) out.push([key, fallback()]);
        };
        put("Sid", false, () => undefined);
        put("Effect", k.keepEffect, () => "Allow");
        put("Principal", k.keepPrincipal, () => "*");
        if (k.notPrincipal === 0 && Object.hasOwn(s, "NotPrincipal")) out.push(["NotPrincipal", s.NotPrincipal]);
        put("Action", k.keepAction, () => "s3:GetObject");
        if (k.notAction === 0 && Object.hasOwn(s, "NotAction")) out.push(["NotAction", s.NotAction]);
        put("Resource", k.keepResource, () => "*");
        if (k.notResource === 0 && Object.hasOwn(s, "NotResource")) out.push(["NotResource", s.NotResource]);
        put("Condition", false, () => undefined);
        if (k.extra === 0 && Object.hasOwn(s, "Extra")) out.push([k.extraKey, s.Extra]);
        return objectOf(out);
    });
});

/** A nearly valid endpoint policy document (an object). */
export const policyDocument: fc.Arbitrary<unknown> = fc.record({
    Version: fc.oneof(fc.constantFrom<unknown>("2012-10-17", "2008-10-17", "2012-10-18", 2012, undefined)),
    Id: fc.oneof(fc.constantFrom<unknown>(undefined, "policy-1", 7)),
    Statement: fc.oneof(
        { arbitrary: fc.array(statement, { minLength: 1, maxLength: 5 }), weight: 10 },
        { arbitrary: statement, weight: 2 },
        { arbitrary: fc.array(mostly(statement, 2), { maxLength: 3 }), weight: 1 },
        { arbitrary: fc.constantFrom<unknown>(undefined, [], "allow", null), weight: 1 },
    ),
    extra: fc.constantFrom<unknown>(undefined, undefined, undefined, undefined, ["Statements", []], ["version", "2012-10-17"], ["__proto__", {}]),
}).map((d) => {
    const entries: Array<[string, unknown]> = [];
    if (d.Version !== undefined) entries.push(["Version", d.Version]);
    if (d.Id !== undefined) entries.push(["Id", d.Id]);
    if (d.Statement !== undefined) entries.push(["Statement", d.Statement]);
    if (Array.isArray(d.extra)) entries.push([d.extra[0] as string, d.extra[1]]);
    return objectOf(entries);
});

/** A document that is valid and quiet for most rules: principal `*`, real actions, a perimeter condition. */
export const wellFormedDocument: fc.Arbitrary<unknown> = fc.array(fc.record({
    Sid: fc.constantFrom("A", "B", "C", "D") as fc.Arbitrary<string>,
    Effect: fc.constantFrom("Allow", "Deny"),
    Principal: fc.constant("*"),
    Action: fc.constantFrom<unknown>("s3:GetObject", ["s3:GetObject", "s3:ListBucket"], "*", "s3:*"),
    Resource: fc.constantFrom<unknown>("*", "arn:aws:s3:::my-bucket/*"),
    Condition: fc.constantFrom<unknown>({ StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }, { StringEquals: { "aws:PrincipalAccount": ["111122223333"] } }),
}), { minLength: 1, maxLength: 4 }).map((statements) => {
    statements.forEach((s, i) => { s.Sid = `${s.Sid}${i}`; });
    return { Version: "2012-10-17", Statement: statements };
});

// ---------------------------------------------------------------------------------------------
// Policy text

/** How a document object becomes the text a program sets. */
export interface TextForm {
    indent: 0 | 2 | 4;
    crlf: boolean;
    /** Duplicate the first key of every n-th object (0 = never). */
    duplicateEvery: number;
    /** Write `<`, `>`, `&` and non-ASCII as \u escapes. */
    escapeAll: boolean;
    mutation: "none" | "bom" | "truncate" | "insert" | "comment" | "json-in-string" | "trailing" | "nul";
    /** Where a truncation or insertion happens, as a fraction of the length. */
    at: number;
    insert: string;
    /** How an aws-native endpoint's `policyDocument` takes the document: the object itself (only while the text is undamaged), or this text. */
    onNative: "object" | "text";
}

export const textForm: fc.Arbitrary<TextForm> = fc.record({
    indent: fc.constantFrom<0 | 2 | 4>(0, 0, 2, 4),
    crlf: fc.boolean(),
    duplicateEvery: fc.constantFrom(0, 0, 0, 0, 1, 2, 3),
    escapeAll: fc.boolean(),
    mutation: fc.constantFrom<TextForm["mutation"]>("none", "none", "none", "none", "none", "bom", "truncate", "insert", "comment", "json-in-string", "trailing", "nul"),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    insert: fc.constantFrom(",", "}", "]", "\"", "\u0000", "\n", "{", "\\", "\ud800", "1e999", "-", "/"),
    onNative: fc.constantFrom<TextForm["onNative"]>("object", "object", "object", "text"),
});

/** JSON.stringify's own text (an object on aws-native). */
export const plainText: TextForm = { indent: 0, crlf: false, duplicateEvery: 0, escapeAll: false, mutation: "none", at: 0, insert: "", onNative: "object" };

/** Serialises like JSON.stringify, but can duplicate keys, escape everything, and then damage the text. */
export function policyText(document: unknown, form: TextForm): string {
    let objects = 0;
    const nl = form.crlf ? "\r\n" : "\n";
    const str = (s: string) => {
        const json = JSON.stringify(s);
        return form.escapeAll ? json.replace(/[<>&\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : json;
    };
    const write = (v: unknown, depth: number): string => {
        const pad = form.indent ? nl + " ".repeat(form.indent * (depth + 1)) : "";
        const end = form.indent ? nl + " ".repeat(form.indent * depth) : "";
        const sep = form.indent ? ": " : ":";
        if (v === null || typeof v === "boolean") return String(v);
        if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
        if (typeof v === "string") return str(v);
        if (Array.isArray(v)) return v.length === 0 ? "[]" : `[${v.map((e) => pad + write(e === undefined ? null : e, depth + 1)).join(",")}${end}]`;
        if (typeof v === "object") {
            const entries = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined)
                .map((k) => [k, (v as Record<string, unknown>)[k]] as const);
            objects++;
            if (form.duplicateEvery > 0 && objects % form.duplicateEvery === 0 && entries.length > 0) {
                entries.push([entries[0][0], entries.length > 1 ? entries[1][1] : null]);
            }
            if (entries.length === 0) return "{}";
            return `{${entries.map(([k, e]) => `${pad}${str(k)}${sep}${write(e, depth + 1)}`).join(",")}${end}}`;
        }
        return "null";
    };
    let text = write(document, 0);
    const cut = Math.floor(form.at * text.length);
    switch (form.mutation) {
        case "bom": text = `\ufeff${text}`; break;
        case "truncate": text = text.slice(0, cut); break;
        case "insert": text = text.slice(0, cut) + form.insert + text.slice(cut); break;
        case "comment": text = `${text.slice(0, cut)}/* c */${text.slice(cut)}`; break;
        case "json-in-string": text = JSON.stringify(text); break;
        case "trailing": text = `${text}${form.insert}`; break;
        case "nul": text = text.slice(0, cut) + "\u0000" + text.slice(cut); break;
        case "none": break;
    }
    return text;
}

/** Raw text that is sometimes JSON, mostly not. */
export const rawPolicyText: fc.Arbitrary<string> = fc.oneof(
    fc.constantFrom("{", "}", "[]", "[1,2]", "null", "\"x\"", "{}", " ", "{\"Statement\": []}", "{\"Statement\":[{\"Effect\":\"Allow\",\"Effect\":\"Deny\"}]}",
        "\ufeff{}", "{\"a\":1}//", "{'Statement':[]}", "{\"Statement\":[{}],}", "\u0000", "\"{\\\"Statement\\\":[]}\"", "1e999", "{\"Version\":1e400}",
        "{\"__proto__\":{\"Statement\":[]},\"constructor\":1}", "{\"Statement\":\"\ud800\"}"),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 20 }),
);

// ---------------------------------------------------------------------------------------------
// Unknowns placed at a path

/** A step into a value: an object key or an array index. */
export type PathStep = string | number;

/** Every path into `value` (the root included), depth first; at most `limit` of them. */
export function pathsOf(value: unknown, limit = 5000, stopAt?: (v: unknown) => boolean): PathStep[][] {
    const paths: PathStep[][] = [];
    const pending: Array<[unknown, PathStep[]]> = [[value, []]];
    while (pending.length > 0 && paths.length < limit) {
        const [v, path] = pending.pop()!;
        paths.push(path);
        if (stopAt?.(v)) continue;
        if (Array.isArray(v)) {
            for (let i = v.length - 1; i >= 0; i--) pending.push([v[i], [...path, i]]);
        } else if (v !== null && typeof v === "object") {
            const keys = Object.keys(v);
            for (let i = keys.length - 1; i >= 0; i--) pending.push([(v as Record<string, unknown>)[keys[i]], [...path, keys[i]]]);
        }
    }
    return paths;
}

/** A copy of `value` with the value at `path` replaced (structure shared elsewhere). */
export function replaceAt(value: unknown, path: readonly PathStep[], replacement: unknown, copy: (v: unknown) => unknown = shallowCopy): unknown {
    if (path.length === 0) return replacement;
    const [head, ...rest] = path;
    const out = copy(value) as Record<string | number, unknown>;
    const child = (value as Record<string | number, unknown>)[head];
    Object.defineProperty(out, head, { value: replaceAt(child, rest, replacement, copy), enumerable: true, writable: true, configurable: true });
    return out;
}

export function getAt(value: unknown, path: readonly PathStep[]): unknown {
    let v = value;
    for (const step of path) v = v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[step] : undefined;
    return v;
}

export function shallowCopy(v: unknown): unknown {
    if (Array.isArray(v)) return [...v];
    if (v !== null && typeof v === "object") {
        const out = objectOf(Object.keys(v).map((k) => [k, (v as Record<string, unknown>)[k]] as const));
        // Keep class-tagged values (stack program references) recognisable.
        Object.setPrototypeOf(out, Object.getPrototypeOf(v));
        return out;
    }
    return v;
}

/** The sentinel that fits a value's type, or the one the mutation asked for. */
export function sentinelFor(value: unknown, kind?: UnknownKind): string {
    if (kind !== undefined) return UnknownSentinel[kind];
    if (Array.isArray(value)) return UnknownSentinel.array;
    if (typeof value === "boolean") return UnknownSentinel.bool;
    if (typeof value === "number") return UnknownSentinel.number;
    if (value !== null && typeof value === "object") return UnknownSentinel.object;
    return UnknownSentinel.string;
}

/** Which path to replace (an index into `pathsOf`, modulo) and with which sentinel kind (undefined: the matching kind). */
export interface UnknownPlacement {
    pick: number;
    kind: UnknownKind | undefined;
}

export const unknownPlacement: fc.Arbitrary<UnknownPlacement> = fc.record({
    pick: fc.nat(),
    kind: fc.option(fc.constantFrom(...sentinelKinds), { nil: undefined, freq: 3 }),
});

/** Prints a value with long strings and deep nesting summarised, for counterexamples. */
export function summarize(value: unknown, budget = 3000): string {
    const seen = new Set<unknown>();
    const out: string[] = [];
    let used = 0;
    const write = (v: unknown, depth: number): void => {
        if (used > budget) return;
        if (typeof v === "string") {
            const s = v.length > 120 ? `${JSON.stringify(v.slice(0, 40))}…(${v.length} chars)` : JSON.stringify(v);
            used += s.length;
            out.push(s);
        } else if (v === null || typeof v !== "object") {
            out.push(String(v));
            used += 8;
        } else if (depth > 12 || seen.has(v)) {
            out.push(Array.isArray(v) ? "[…]" : "{…}");
        } else {
            seen.add(v);
            const entries = Array.isArray(v) ? v.map((e, i) => [String(i), e] as const) : Object.keys(v).map((k) => [k, (v as Record<string, unknown>)[k]] as const);
            out.push(Array.isArray(v) ? "[" : "{");
            entries.forEach(([k, e], i) => {
                if (i > 0) out.push(",");
                if (!Array.isArray(v)) out.push(`${JSON.stringify(k)}:`);
                if (isTagged(e)) out.push(e.describe());
                else write(e, depth + 1);
            });
            out.push(Array.isArray(v) ? "]" : "}");
            seen.delete(v);
        }
    };
    write(value, 0);
    const text = out.join("");
    return used > budget ? `${text.slice(0, budget)}…` : text;
}

interface Tagged {
    describe(): string;
}

function isTagged(v: unknown): v is Tagged {
    return v instanceof Ref || v instanceof Doc;
}

/** Gives a generated case a short printed form (fast-check prints counterexamples with it). */
export function printable<T extends object>(value: T, print: (v: T) => string = summarize): T {
    Object.defineProperty(value, fc.toStringMethod, { value: () => print(value), enumerable: false });
    return value;
}

// ---------------------------------------------------------------------------------------------
// Stack programs

/** The pack's types that programs are made of (besides a bucket, which the pack does not judge). */
export const packTypes: string[] = [
    T.vpc, T.nativeVpc, T.endpoint, T.nativeEndpoint, T.endpointPolicy, T.securityGroup, T.defaultSecurityGroup, T.nativeSecurityGroup,
    T.securityGroupRule, T.ingressRule, T.egressRule, T.nativeIngress, T.nativeEgress, T.association, T.cidrBlock, T.nativeCidrBlock,
];

type RoleName = "vpc" | "endpoint" | "securityGroup";
const roleTypes: Record<RoleName, string[]> = {
    vpc: [T.vpc, T.nativeVpc],
    endpoint: [T.endpoint, T.nativeEndpoint],
    securityGroup: [T.securityGroup, T.defaultSecurityGroup, T.nativeSecurityGroup],
};

/** A reference to an output of another resource of the program: resolved when rendered. */
export class Ref {
    constructor(readonly role: RoleName, readonly pick: number, readonly output: "id" | "prefixListId" | "defaultSecurityGroupId") {}
    describe(): string {
        return `ref(${this.role}#${this.pick}.${this.output})`;
    }
}

/** An endpoint policy as the program builds it: an object (pulumi.jsonStringify'd where text is taken) or raw text. */
export class Doc {
    constructor(readonly value: unknown, readonly form: TextForm | "raw") {}
    describe(): string {
        return `doc(${summarize(this.value, 600)})`;
    }
}

export interface ResourceSpec {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** In preview: the resource exists already (its outputs are known). Deployed: always known. */
    existing: boolean;
    /** Analyze saw its inputs. */
    analysed: boolean;
    /** A policy AWS reads back when the program sets none (an endpoint's `policy` output). */
    readBack?: Doc;
}

export interface Program {
    resources: ResourceSpec[];
}

const regionNames = ["us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"];
export const serviceNamePool = [
    ...["s3", "dynamodb", "sts", "logs", "execute-api", "cassandra", "email-smtp", "ecr.dkr", "kms-fips", "ssm", "sqs", "monitoring", "transfer.server", "notebook", "bedrock-runtime", "unknownsvc"]
        .map((s, i) => `com.amazonaws.${regionNames[i % 2]}.${s}`),
    "com.amazonaws.s3-global.accesspoint", "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", "aws.sagemaker.us-east-1.notebook",
    "cn.com.amazonaws.cn-north-1.s3", "com.amazonaws.iam", "s3", "", "COM.AMAZONAWS.US-EAST-1.S3", " com.amazonaws.us-east-1.sts ",
];
const endpointTypePool = ["Interface", "Interface", "Gateway", "Gateway", "GatewayLoadBalancer", "Resource", "ServiceNetwork", "interface", "gateway", "Bogus"];
export const cidrPool = [
    "10.0.0.0/16", "10.0.0.0/8", "10.1.2.0/24", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "0.0.0.0/0", "8.8.8.8/32", "8.8.0.0/16",
    "52.94.0.0/16", "52.0.0.0/8", "10.0.0.0/33", "010.0.0.0/8", "10.0.0.0", "1.2.3.4/0", "::/0", "fd00::/8", "2600:1f18::/56", "2600:1f18::/40",
    "fe80::1%eth0/64", "garbage", "",
];
const protocolPool: unknown[] = ["tcp", "tcp", "-1", "all", "udp", "icmp", "6", "17", 6, -1, "TCP", "58", "icmpv6", "999", "x"];
const portPool: unknown[] = [443, 443, 0, 65535, 22, 9142, 80, 8443, -1, 65536, 70000, "443", 1.5];

/** Deterministic IDs, so a literal in one resource can name another resource by value. */
export function idOf(prefix: string, index: number): string {
    return `${prefix}-0${index.toString(16)}f0`;
}
const literalIds = (prefix: string) => fc.oneof(fc.nat(12).map((i) => idOf(prefix, i)), fc.constantFrom(`${prefix}-0external`, `${prefix}-0abc`));

const refTo = (role: RoleName, output: Ref["output"] = "id") => fc.nat(12).map((pick) => new Ref(role, pick, output));
const refOrLiteral = (role: RoleName, prefix: string, output: Ref["output"] = "id") =>
    fc.oneof({ arbitrary: refTo(role, output) as fc.Arbitrary<unknown>, weight: 4 }, { arbitrary: literalIds(prefix), weight: 2 });

const docArb: fc.Arbitrary<Doc> = fc.oneof(
    { arbitrary: fc.tuple(policyDocument, textForm).map(([d, f]) => new Doc(d, f)), weight: 8 },
    { arbitrary: fc.tuple(wellFormedDocument, textForm).map(([d, f]) => new Doc(d, { ...f, mutation: "none", duplicateEvery: 0 })), weight: 4 },
    { arbitrary: rawPolicyText.map((t) => new Doc(t, "raw")), weight: 1 },
    { arbitrary: fc.constantFrom(new Doc({ Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] }, plainText)), weight: 2 },
);
const policyValue = fc.oneof({ arbitrary: docArb as fc.Arbitrary<unknown>, weight: 8 }, { arbitrary: fc.constantFrom<unknown>(""), weight: 1 });

/**
 * One resource of a program. With `junk`, fields sometimes hold a value of any type (to reach the
 * wrong-type branches); without, every value comes from the pools (clean programs for the
 * metamorphic properties, where a junk value equal to a pool value would confuse the oracle).
 */
function resourceSpecArbitrary(junk: boolean, weights?: Array<[string, number]>): fc.Arbitrary<ResourceSpec> {
    const m = <T>(b: fc.Arbitrary<T>, weight = 1): fc.Arbitrary<unknown> => (junk ? mostly(b, weight) : b);
    // What an aws inline rule and an aws SecurityGroupRule both have: protocol, ports, CIDR and prefix list peers.
    const awsRuleFields = {
        protocol: m(fc.constantFrom(...protocolPool), 1),
        fromPort: m(fc.constantFrom(...portPool), 1),
        toPort: m(fc.constantFrom(...portPool), 1),
        cidrBlocks: fc.array(fc.constantFrom(...cidrPool), { maxLength: 2 }),
        ipv6CidrBlocks: fc.array(fc.constantFrom(...cidrPool), { maxLength: 1 }),
        prefixListIds: fc.array(refOrLiteral("endpoint", "pl", "prefixListId"), { maxLength: 2 }),
    };
    const inlineRuleAws = fc.record({
        ...awsRuleFields,
        securityGroups: fc.array(refOrLiteral("securityGroup", "sg"), { maxLength: 2 }),
        self: fc.constantFrom<unknown>(true, false, "true"),
    }, { requiredKeys: ["protocol"] });

    const nativeRule = (direction: "ingress" | "egress") => fc.record({
        ipProtocol: m(fc.constantFrom(...protocolPool), 1),
        fromPort: m(fc.constantFrom(...portPool), 1),
        toPort: m(fc.constantFrom(...portPool), 1),
        cidrIp: fc.constantFrom(...cidrPool),
        cidrIpv6: fc.constantFrom(...cidrPool),
        [direction === "ingress" ? "sourceSecurityGroupId" : "destinationSecurityGroupId"]: refOrLiteral("securityGroup", "sg"),
        [direction === "ingress" ? "sourcePrefixListId" : "destinationPrefixListId"]: refOrLiteral("endpoint", "pl", "prefixListId"),
    }, { requiredKeys: ["ipProtocol"] });

    const ruleList = <T>(rule: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.array(rule, { maxLength: 3 }) as fc.Arbitrary<unknown>, weight: 8 }, { arbitrary: m(fc.constant([]), 1), weight: 1 });

    /** Inputs by type: near-valid, with references to other resources of the program. */
    const inputsByType: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
        [T.vpc]: fc.record({
            cidrBlock: m(fc.constantFrom(...cidrPool), 1),
            enableDnsSupport: fc.constantFrom<unknown>(true, false, "false"),
            enableDnsHostnames: fc.constantFrom<unknown>(true, false, "true"),
            assignGeneratedIpv6CidrBlock: fc.constantFrom<unknown>(true, false),
            ipv6CidrBlock: fc.constantFrom(...cidrPool),
            ipv4IpamPoolId: fc.constant("ipam-pool-0abc"),
        }, { requiredKeys: [] }),
        [T.nativeVpc]: fc.record({
            cidrBlock: m(fc.constantFrom(...cidrPool), 1),
            enableDnsSupport: fc.constantFrom<unknown>(true, false),
            enableDnsHostnames: fc.constantFrom<unknown>(true, false),
        }, { requiredKeys: [] }),
        [T.endpoint]: fc.record({
            vpcId: refOrLiteral("vpc", "vpc"),
            serviceName: m(fc.constantFrom(...serviceNamePool)),
            vpcEndpointType: m(fc.constantFrom(...endpointTypePool), 1),
            policy: policyValue,
            securityGroupIds: m(fc.array(fc.oneof(refOrLiteral("securityGroup", "sg"), refTo("vpc", "defaultSecurityGroupId")), { maxLength: 3 }), 1),
            privateDnsEnabled: fc.constantFrom<unknown>(true, true, false, "true"),
            subnetIds: fc.array(literalIds("subnet"), { maxLength: 2 }),
            routeTableIds: fc.array(literalIds("rtb"), { maxLength: 2 }),
        }, { requiredKeys: ["serviceName"] }),
        [T.nativeEndpoint]: fc.record({
            vpcId: refOrLiteral("vpc", "vpc"),
            serviceName: m(fc.constantFrom(...serviceNamePool)),
            vpcEndpointType: m(fc.constantFrom(...endpointTypePool), 1),
            policyDocument: policyValue,
            securityGroupIds: m(fc.array(fc.oneof(refOrLiteral("securityGroup", "sg"), refTo("vpc", "defaultSecurityGroupId")), { maxLength: 3 }), 1),
            privateDnsEnabled: fc.constantFrom<unknown>(true, false),
        }, { requiredKeys: ["serviceName"] }),
        [T.endpointPolicy]: fc.record({
            vpcEndpointId: refOrLiteral("endpoint", "vpce"),
            policy: policyValue,
        }, { requiredKeys: ["vpcEndpointId"] }),
        [T.securityGroup]: fc.record({
            vpcId: refOrLiteral("vpc", "vpc"),
            ingress: ruleList(inlineRuleAws),
            egress: ruleList(inlineRuleAws),
            description: fc.constant("managed"),
        }, { requiredKeys: [] }),
        [T.defaultSecurityGroup]: fc.record({
            vpcId: refOrLiteral("vpc", "vpc"),
            ingress: ruleList(inlineRuleAws),
            egress: ruleList(inlineRuleAws),
        }, { requiredKeys: [] }),
        [T.nativeSecurityGroup]: fc.record({
            vpcId: refOrLiteral("vpc", "vpc"),
            groupDescription: fc.constant("managed"),
            securityGroupIngress: ruleList(nativeRule("ingress")),
            securityGroupEgress: ruleList(nativeRule("egress")),
        }, { requiredKeys: [] }),
        [T.securityGroupRule]: fc.record({
            type: m(fc.constantFrom("ingress", "egress", "Ingress"), 1),
            securityGroupId: refOrLiteral("securityGroup", "sg"),
            ...awsRuleFields,
            sourceSecurityGroupId: refOrLiteral("securityGroup", "sg"),
            self: fc.constantFrom<unknown>(true, false),
        }, { requiredKeys: ["type", "securityGroupId"] }),
        [T.ingressRule]: vpcRule(),
        [T.egressRule]: vpcRule(),
        [T.nativeIngress]: fc.tuple(refOrLiteral("securityGroup", "sg"), nativeRule("ingress")).map(([groupId, r]) => ({ groupId, ...r })),
        [T.nativeEgress]: fc.tuple(refOrLiteral("securityGroup", "sg"), nativeRule("egress")).map(([groupId, r]) => ({ groupId, ...r })),
        [T.association]: fc.record({
            vpcEndpointId: refOrLiteral("endpoint", "vpce"),
            securityGroupId: refOrLiteral("securityGroup", "sg"),
            replaceDefaultAssociation: m(fc.constantFrom<unknown>(true, false), 1),
        }, { requiredKeys: [] }),
        // Secondary IPv4 blocks of a VPC: given, or from an IPAM pool (known once allocated).
        [T.cidrBlock]: fc.record({
            vpcId: refOrLiteral("vpc", "vpc"),
            cidrBlock: m(fc.constantFrom(...cidrPool), 1),
            ipv4IpamPoolId: fc.constant("ipam-pool-0abc"),
            ipv4NetmaskLength: fc.constantFrom<unknown>(16, 20, 28),
        }, { requiredKeys: ["vpcId"] }),
        [T.nativeCidrBlock]: fc.record({
            vpcId: refOrLiteral("vpc", "vpc"),
            cidrBlock: m(fc.constantFrom(...cidrPool), 1),
            ipv4IpamPoolId: fc.constant("ipam-pool-0abc"),
            amazonProvidedIpv6CidrBlock: fc.boolean(),
        }, { requiredKeys: ["vpcId"] }),
        [T.bucket]: fc.record({ bucket: fc.constant("b"), policy: policyValue }, { requiredKeys: [] }),
    };

    function vpcRule(): fc.Arbitrary<Record<string, unknown>> {
        return fc.record({
            securityGroupId: refOrLiteral("securityGroup", "sg"),
            ipProtocol: m(fc.constantFrom(...protocolPool), 1),
            fromPort: m(fc.constantFrom(...portPool), 1),
            toPort: m(fc.constantFrom(...portPool), 1),
            cidrIpv4: fc.constantFrom(...cidrPool),
            cidrIpv6: fc.constantFrom(...cidrPool),
            prefixListId: refOrLiteral("endpoint", "pl", "prefixListId"),
            referencedSecurityGroupId: refOrLiteral("securityGroup", "sg"),
        }, { requiredKeys: ["securityGroupId", "ipProtocol"] });
    }

    const typeWeights: Array<[string, number]> = [
        [T.vpc, 3], [T.nativeVpc, 1], [T.endpoint, 5], [T.nativeEndpoint, 2], [T.endpointPolicy, 2],
        [T.securityGroup, 4], [T.defaultSecurityGroup, 1], [T.nativeSecurityGroup, 2], [T.securityGroupRule, 2], [T.ingressRule, 1], [T.egressRule, 1],
        [T.nativeIngress, 1], [T.nativeEgress, 1], [T.association, 2], [T.cidrBlock, 1], [T.nativeCidrBlock, 1], [T.bucket, 1],
    ];

    return fc.oneof(
        ...(weights ?? typeWeights).map(([type, weight]) => ({
            weight,
            arbitrary: fc.record({
                inputs: inputsByType[type],
                existing: fc.boolean(),
                analysed: fc.constantFrom(true, true, true, true, false),
                readBack: fc.option(docArb, { nil: undefined }),
            }).map((r): ResourceSpec => {
                const spec: ResourceSpec = { type, name: "", inputs: r.inputs, existing: r.existing, analysed: r.analysed };
                if (r.readBack !== undefined) spec.readBack = r.readBack;
                return spec;
            }),
        })),
    );
}

export const resourceSpec = resourceSpecArbitrary(true);
export const cleanResourceSpec = resourceSpecArbitrary(false);

export function programOf(specs: ResourceSpec[]): Program {
    // Copies: fast-check shares generated values between the cases it shrinks to.
    const resources = specs.map((r, i) => ({ ...r, name: `n${i}` }));
    return printable({ resources }, (p) => p.resources.map((r) => `${r.name} ${r.type}${r.existing ? " (existing)" : ""}${r.analysed ? "" : " (not analysed)"} ${summarize(r.inputs, 1200)}${r.readBack ? ` readBack=${r.readBack.describe()}` : ""}`).join("\n"));
}

export function program(maxResources = 12, minResources = 1, clean = false): fc.Arbitrary<Program> {
    const size = minResources > 1 ? "max" : undefined;
    return fc.array(clean ? cleanResourceSpec : resourceSpec, { minLength: minResources, maxLength: maxResources, ...(size ? { size } : {}) }).map(programOf);
}

const networkWeights: Array<[string, number]> = [
    [T.endpoint, 4], [T.nativeEndpoint, 1], [T.securityGroup, 4], [T.nativeSecurityGroup, 2], [T.defaultSecurityGroup, 1], [T.securityGroupRule, 2],
    [T.ingressRule, 2], [T.egressRule, 2], [T.nativeIngress, 1], [T.nativeEgress, 1], [T.association, 1], [T.cidrBlock, 1], [T.nativeCidrBlock, 1],
];
// Public blocks too: a VPC may use any range, and rules from inside it are then public CIDRs.
const vpcCidr = fc.constantFrom("10.0.0.0/16", "8.8.0.0/16", "52.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12");
const oneVpc = fc.tuple(resourceSpecArbitrary(false, [[T.vpc, 3], [T.nativeVpc, 1]]), vpcCidr, fc.boolean())
    .map(([spec, cidr, setIt]) => (setIt ? { ...spec, inputs: { ...spec.inputs, cidrBlock: cidr } } : spec));

/**
 * A network: one VPC (every VPC reference lands on it), endpoints, security groups and rules
 * densely linked — the programs that reach the security-group rules' deepest code.
 */
export function networkProgram(maxResources = 8, clean = false): fc.Arbitrary<Program> {
    // Endpoints of the two types the security-group rules judge, to services that resolve, with groups named.
    const endpointShape = fc.record({
        type: fc.constantFrom("Interface", "Interface", "Gateway"),
        service: fc.constantFrom("com.amazonaws.us-east-1.s3", "com.amazonaws.eu-west-1.sts", "com.amazonaws.us-east-1.cassandra", "com.amazonaws.us-east-1.dynamodb", "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"),
        groups: fc.array(refTo("securityGroup"), { minLength: 1, maxLength: 2 }),
        keep: fc.boolean(),
    });
    const member = fc.tuple(resourceSpecArbitrary(!clean, networkWeights), endpointShape).map(([spec, shape]) => {
        if (shape.keep || (spec.type !== T.endpoint && spec.type !== T.nativeEndpoint)) return spec;
        return { ...spec, inputs: { ...spec.inputs, vpcId: new Ref("vpc", 0, "id"), vpcEndpointType: shape.type, serviceName: shape.service, securityGroupIds: shape.groups } };
    });
    return fc.tuple(oneVpc, fc.array(member, { minLength: 2, maxLength: maxResources }))
        .map(([vpc, rest]) => programOf([vpc, ...rest]));
}

export type { Shape };

/** A resource as the engine sends it, and as the pack's tests hand it over. */
export type RenderedResource = BuiltResource;


/** The index of the resource a reference resolves to, or undefined when the program has none of its role. */
export function refTarget(p: Program, ref: Ref): number | undefined {
    const candidates = p.resources.map((r, i) => ({ r, i })).filter(({ r }) => roleTypes[ref.role].includes(r.type));
    return candidates.length === 0 ? undefined : candidates[ref.pick % candidates.length].i;
}

/** Resources one reference away from resource `index` (either direction), and itself. */
export function neighbours(p: Program, index: number): Set<number> {
    const near = new Set<number>([index]);
    p.resources.forEach((r, i) => {
        for (const path of pathsOf(r.inputs, 2000, (x) => x instanceof Ref)) {
            const v = getAt(r.inputs, path);
            if (!(v instanceof Ref)) continue;
            const target = refTarget(p, v);
            if (i === index && target !== undefined) near.add(target);
            if (target === index) near.add(i);
        }
    });
    return near;
}

/** The output a reference reads on its target: the own-ID output by type, and aws-native's name for the default group. */
function outputName(type: string, output: Ref["output"]): string {
    if (output === "id") return ownIdOutput(type);
    return output === "defaultSecurityGroupId" && type === T.nativeVpc ? "defaultSecurityGroup" : output;
}

/** What a program's document is as the resource holds it: the object, or the text the program wrote (wholly unknown if the object holds an unknown). */
function documentInput(doc: Doc, asText: boolean): unknown {
    if (doc.form === "raw" || !asText) return doc.value;
    return containsSentinel(doc.value) ? UnknownSentinel.string : policyText(doc.value, doc.form);
}

/** aws-native takes the document as the object (or text); everything else as text. */
function takesText(type: string, key: string, v: unknown): boolean {
    return !(key === "policyDocument" && type === T.nativeEndpoint && v instanceof Doc && v.form !== "raw" && v.form.mutation === "none" && v.form.onNative === "object");
}

/**
 * A program as the stack builder's data: references by name, documents as the program sets them,
 * and the IDs the provider assigns fixed by position, so that a literal in one resource can name
 * another resource by value (`idOf`).
 */
export function specsOf(p: Program): Spec[] {
    const input = (v: unknown, asText: boolean): unknown => {
        if (v instanceof Ref) {
            const target = refTarget(p, v);
            // No resource of the role in the program: the program names one outside it.
            if (target === undefined) return idOf(v.role === "vpc" ? "vpc" : v.role === "endpoint" ? (v.output === "prefixListId" ? "pl" : "vpce") : "sg", 0xfff);
            const r = p.resources[target];
            return ref(r.name, outputName(r.type, v.output));
        }
        if (v instanceof Doc) return documentInput(v, asText);
        if (Array.isArray(v)) return v.map((e) => input(e, asText));
        if (v !== null && typeof v === "object") return objectOf(Object.keys(v).map((k) => [k, input((v as Record<string, unknown>)[k], asText)] as const));
        return v;
    };
    return p.resources.map((r, index) => {
        const inputs = objectOf(Object.keys(r.inputs).filter((k) => r.inputs[k] !== undefined).map((k) => [k, input(r.inputs[k], takesText(r.type, k, r.inputs[k]))] as const));
        const computed: Record<string, unknown> = {};
        // A VpcEndpointPolicy that references its endpoint has the endpoint's ID (the builder follows the reference).
        const followsEndpoint = r.type === T.endpointPolicy && r.inputs.vpcEndpointId instanceof Ref && refTarget(p, r.inputs.vpcEndpointId) !== undefined;
        if (!followsEndpoint) computed[ownIdOutput(r.type)] = idOf(idPrefix[r.type] ?? "r", index);
        if ((r.type === T.endpoint || r.type === T.nativeEndpoint) && (r.inputs.vpcEndpointType === undefined || r.inputs.vpcEndpointType === "Gateway")) computed.prefixListId = idOf("pl", index);
        if (r.type === T.vpc || r.type === T.nativeVpc) computed[outputName(r.type, "defaultSecurityGroupId")] = idOf("sg", 0x100 + index);
        const spec: Spec = { type: r.type, name: r.name, inputs, computed };
        if (r.existing) spec.existing = true;
        if (!r.analysed) spec.unanalysed = true;
        const property = r.type === T.endpoint ? "policy" : r.type === T.nativeEndpoint ? "policyDocument" : undefined;
        if (property !== undefined && r.readBack !== undefined && (inputs[property] === undefined || inputs[property] === "")) {
            spec.deployedOutputs = { [property]: documentInput(r.readBack, r.type === T.endpoint) };
        }
        return spec;
    });
}

/** Renders a program as one shape, through the stack builder; `pulumi preview` sends unknowns for what new resources compute. */
export function render(p: Program, shape: Shape): RenderedResource[] {
    return Stack.of(specsOf(p)).build(shape);
}

export function containsSentinel(value: unknown): boolean {
    const pending: unknown[] = [value];
    while (pending.length > 0) {
        const v = pending.pop();
        if (typeof v === "string") {
            if (sentinels.includes(v)) return true;
        } else if (Array.isArray(v)) for (const e of v) pending.push(e);
        else if (v !== null && typeof v === "object") for (const k of Object.keys(v)) pending.push((v as Record<string, unknown>)[k]);
    }
    return false;
}

/** Paths into a program's inputs that can become unknown: every value, references and documents included. */
export function programPaths(p: Program): PathStep[][] {
    const paths: PathStep[][] = [];
    p.resources.forEach((r, i) => {
        for (const key of Object.keys(r.inputs)) {
            const v = r.inputs[key];
            if (v === undefined) continue;
            for (const path of pathsOf(v, 400, (x) => x instanceof Ref || (x instanceof Doc && x.form === "raw"))) {
                // Inside a document object: skip the Doc wrapper's own fields, keep its value's paths.
                if (v instanceof Doc && path.length > 0 && path[0] !== "value") continue;
                paths.push(["resources", i, "inputs", key, ...path]);
            }
        }
    });
    return paths;
}

function copyProgramNode(v: unknown): unknown {
    if (v instanceof Doc) return new Doc(v.value, v.form);
    if (v instanceof Ref) return new Ref(v.role, v.pick, v.output);
    return shallowCopy(v);
}

/** The program with the value at `path` (from `programPaths`) replaced by an unknown (no dependency). */
export function withUnknownAt(p: Program, path: readonly PathStep[], kind: UnknownKind | undefined): Program {
    const current = getAt(p, path);
    const sentinelValue = sentinelFor(current instanceof Doc ? "" : current instanceof Ref ? "" : current, kind);
    const replaced = replaceAt(p, path, sentinelValue, copyProgramNode) as Program;
    return programOf(replaced.resources.map((r) => ({ ...r })));
}

/** The program with every input value equal to `value` replaced by an unknown (no dependency). */
export function withValueUnknown(p: Program, value: unknown): Program {
    let out = p;
    for (const path of programPaths(p)) {
        const v = getAt(p, path);
        if (v === value) out = withUnknownAt(out, path, undefined);
    }
    return out;
}

/** The program in preview with one more resource new (its computed outputs unknown). */
export function withResourceNew(p: Program, index: number): Program {
    // A literal equal to one of the resource's IDs names it by value; a new resource's ID is not known
    // to anyone yet, so such a literal can only be a reference to it (unknown, with its dependency).
    const target = p.resources[index];
    const role = (Object.keys(roleTypes) as RoleName[]).find((r) => roleTypes[r].includes(target.type));
    const byId = new Map<string, Ref>();
    if (role !== undefined) {
        const pick = p.resources.filter((r) => roleTypes[role].includes(r.type)).indexOf(target);
        const known = render({ resources: p.resources.map((r) => ({ ...r, existing: true })) }, "deployed")[index].outputs;
        for (const output of ["id", "prefixListId", "defaultSecurityGroupId"] as const) {
            const value = known[outputName(target.type, output)];
            if (typeof value === "string") byId.set(value, new Ref(role, pick, output));
        }
    }
    const relink = (v: unknown): unknown => {
        if (typeof v === "string") return byId.get(v) ?? v;
        if (v instanceof Ref || v instanceof Doc) return v;
        if (Array.isArray(v)) return v.map(relink);
        if (v !== null && typeof v === "object") return objectOf(Object.keys(v).map((k) => [k, relink((v as Record<string, unknown>)[k])] as const));
        return v;
    };
    return programOf(p.resources.map((r, i) => (i === index ? { ...r, existing: false } : { ...r, inputs: relink(r.inputs) as Record<string, unknown> })));
}

// ---------------------------------------------------------------------------------------------
// Hostile stacks: what no engine sends, but a policy must survive

export interface HostileMutation {
    kind: "dangling-dep" | "self-dep" | "junk-deps" | "duplicate-urn" | "odd-urn" | "junk-props" | "null-props" | "junk-inputs" | "swap-type" | "junk-entry" | "long-name" | "long-value";
    pick: number;
    junk: unknown;
}

export const hostileMutation: fc.Arbitrary<HostileMutation> = fc.record({
    kind: fc.constantFrom<HostileMutation["kind"]>("dangling-dep", "self-dep", "junk-deps", "duplicate-urn", "odd-urn", "junk-props", "null-props", "junk-inputs", "swap-type", "junk-entry", "long-name", "long-value", "long-value"),
    pick: fc.nat(),
    junk: hostileJson({ hugeTimes: 5_000, deepDepth: 500, nonJson: true }),
});

const oddUrns = ["", "urn", "::", "urn:pulumi:dev::fuzz::aws:ec2/vpcEndpoint:VpcEndpoint::", "urn:pulumi:dev::fuzz::x::a::b::c", "not a urn", "\u0000", UnknownSentinel.string];

export type { LooseResource };

function renameDependencies(r: LooseResource, from: unknown, to: unknown): void {
    if (r === null || typeof r !== "object" || r.propertyDependencies === null || typeof r.propertyDependencies !== "object") return;
    const deps = r.propertyDependencies as Record<string, unknown>;
    for (const k of Object.keys(deps)) if (Array.isArray(deps[k])) deps[k] = (deps[k] as unknown[]).map((u) => (u === from ? to : u));
}

function stringLeaves(value: unknown): string[] {
    return pathsOf(value, 2000).map((p) => getAt(value, p)).filter((v): v is string => typeof v === "string" && v.length > 0 && !sentinels.includes(v));
}

/** A copy of `value` with every string equal to `from` replaced by `to`. */
function replaceValue(value: unknown, from: string, to: string): unknown {
    if (value === from) return to;
    if (Array.isArray(value)) return value.map((e) => replaceValue(e, from, to));
    if (value !== null && typeof value === "object") {
        return objectOf(Object.keys(value).map((k) => [k, replaceValue((value as Record<string, unknown>)[k], from, to)] as const));
    }
    return value;
}

/** Applies hostile mutations to a rendered stack. */
export function mutateStack(resources: RenderedResource[], mutations: HostileMutation[]): LooseResource[] {
    const out: LooseResource[] = looseOf(resources).map((r) => ({ ...r, propertyDependencies: { ...(r.propertyDependencies as object) } }));
    for (const m of mutations) {
        if (out.length === 0) break;
        const target = out[m.pick % out.length];
        const other = out[(m.pick >> 3) % out.length] ?? target;
        if (target === null || typeof target !== "object") continue;
        if (target.propertyDependencies === null || typeof target.propertyDependencies !== "object") target.propertyDependencies = {};
        const deps = target.propertyDependencies as Record<string, unknown>;
        const key = Object.keys((target.props ?? {}) as object)[(m.pick >> 5) % Math.max(1, Object.keys((target.props ?? {}) as object).length)] ?? "vpcId";
        switch (m.kind) {
            case "dangling-dep": deps[key] = [...(Array.isArray(deps[key]) ? deps[key] as unknown[] : []), "urn:pulumi:dev::fuzz::aws:ec2/vpc:Vpc::gone"]; break;
            case "self-dep": deps[key] = [target.urn, other?.urn, target.urn]; break;
            case "junk-deps": if ((m.pick & 1) === 0) target.propertyDependencies = m.junk; else deps[key] = m.junk; break;
            case "duplicate-urn": target.urn = other?.urn; break;
            case "odd-urn": target.urn = oddUrns[(m.pick >> 4) % oddUrns.length]; break;
            case "junk-props": target.props = replaceAt(target.props !== null && typeof target.props === "object" ? target.props : {}, [key], m.junk); break;
            case "null-props": target.props = [null, undefined, 0, "props", []][(m.pick >> 4) % 5]; break;
            case "junk-inputs": target.inputs = (m.pick & 1) === 0 ? m.junk : replaceAt(target.inputs !== null && typeof target.inputs === "object" ? target.inputs : {}, [key], m.junk); break;
            case "swap-type": target.type = [...packTypes, "", 7, null, "aws:ec2/vpcEndpoint:vpcEndpoint"][(m.pick >> 4) % (packTypes.length + 4)]; break;
            case "junk-entry": out.splice(m.pick % (out.length + 1), 0, m.junk as LooseResource); break;
            case "long-name": {
                // A long resource name, in its URN and in every dependency on it.
                const long = `${"n".repeat(300)}${m.pick % 97}`;
                const was = target.urn;
                target.urn = typeof was === "string" ? `${was.slice(0, was.lastIndexOf("::") + 2)}${long}` : was;
                target.name = long;
                for (const r of out) renameDependencies(r, was, target.urn);
                break;
            }
            case "long-value": {
                // A long value everywhere the same value appears (an ID stays the same ID, only long).
                const strings = stringLeaves(target.props);
                if (strings.length === 0) break;
                const value = strings[(m.pick >> 4) % strings.length];
                const long = `${value}${"0".repeat(300)}`;
                for (const r of out) {
                    if (r === null || typeof r !== "object") continue;
                    r.props = replaceValue(r.props, value, long);
                    if (r.inputs !== undefined) r.inputs = replaceValue(r.inputs, value, long);
                }
                break;
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Document cases: one carrier resource and its config

export type { Carrier };

/** A generated document on one carrier, with the carrier's other inputs and a config. */
export interface GeneratedDocumentCase {
    carrier: Carrier;
    doc: Doc;
    /** The carrier's other inputs. */
    others: Record<string, unknown>;
    config: unknown;
}

/** Config that makes vpce-data-perimeter judge (the other document rules take none). */
export const documentConfig: fc.Arbitrary<unknown> = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 2 },
    {
        arbitrary: fc.record({
            organizationIds: fc.subarray(["o-a1b2c3d4e5", "o-exampleorgid11"]),
            accountIds: fc.subarray(["111122223333", "444455556666"]),
            allowServicePrincipals: fc.boolean(),
            requireResourcePerimeter: fc.boolean(),
        }, { requiredKeys: ["organizationIds"] }),
        weight: 5,
    },
);

const otherInputs = fc.record({
    vpcId: fc.constantFrom<unknown>("vpc-0abc", UnknownSentinel.string),
    serviceName: fc.constantFrom<unknown>("com.amazonaws.us-east-1.s3", "com.amazonaws.eu-west-1.sts", UnknownSentinel.string),
    vpcEndpointType: fc.constantFrom<unknown>("Interface", "Gateway"),
    vpcEndpointId: fc.constantFrom<unknown>("vpce-0abc", UnknownSentinel.string),
}, { requiredKeys: [] });

export const documentCase: fc.Arbitrary<GeneratedDocumentCase> = fc.record({
    carrier: fc.constantFrom(...carriers),
    doc: docArb,
    others: otherInputs as fc.Arbitrary<Record<string, unknown>>,
    config: documentConfig,
}).map((c) => printable(c, (v) => `${v.carrier} ${v.doc.describe()} others=${summarize(v.others)} config=${summarize(v.config)}`));

/** The policy property's value as the carrier holds it: text, or (aws-native) an object. */
export function documentValue(carrier: Carrier, doc: Doc): unknown {
    if (doc.form === "raw") return doc.value;
    if (carrier === "native") return doc.value;
    return containsSentinel(doc.value) ? UnknownSentinel.string : policyText(doc.value, doc.form);
}

export function carrierProps(c: Pick<GeneratedDocumentCase, "carrier" | "doc" | "others">): { type: string; props: Record<string, unknown> } {
    return carrierResource(c.carrier, documentValue(c.carrier, c.doc), c.others);
}
