// The IAM domain modules the document rules share: ARNs, condition operators and keys,
// principals, AWS-owned resources.

import * as assert from "assert";
import { arnAccountId, isAccountId, parseArn } from "../../iam/arn";
import { isAwsOwnedResource } from "../../iam/aws-owned-resources";
import { isConditionKey, parseConditionOperator, systemIdKey, withoutLiteralVariables } from "../../iam/condition";
import { isAnyPrincipal, principalAccount, principalEntries, readPrincipal } from "../../iam/principal";

describe("arn", () => {
    const table: [string, ReturnType<typeof parseArn>][] = [
        ["arn:aws:iam::111122223333:role/app", { partition: "aws", service: "iam", region: "", account: "111122223333", resource: "role/app" }],
        ["arn:aws:s3:::bucket/key:with:colons", { partition: "aws", service: "s3", region: "", account: "", resource: "bucket/key:with:colons" }],
        ["arn:aws:lambda:*:123456789012:layer:*", { partition: "aws", service: "lambda", region: "*", account: "123456789012", resource: "layer:*" }],
        ["arn:aws:iam::${aws:PrincipalAccount}:role/x", { partition: "aws", service: "iam", region: "", account: "${aws:PrincipalAccount}", resource: "role/x" }],
        ["arn:aws-cn:iam::111122223333", { partition: "aws-cn", service: "iam", region: "", account: "111122223333", resource: "" }],
        ["arn:*", undefined],
        ["arn:aws:s3", undefined],
        ["ARN:aws:iam::1:x", undefined],
        ["*", undefined],
    ];
    for (const [text, expected] of table) it(`parses ${text}`, () => assert.deepStrictEqual(parseArn(text), expected));

    it("knows account IDs", () => {
        assert.ok(isAccountId("012345678901"));
        assert.ok(!isAccountId("12345678901") && !isAccountId("1234567890123") && !isAccountId(111122223333) && !isAccountId("aws"));
        assert.strictEqual(arnAccountId("arn:aws:sts::111122223333:assumed-role/r/s"), "111122223333");
        assert.strictEqual(arnAccountId("arn:aws:iam::*:root"), undefined);
    });
});

describe("iam-condition", () => {
    const table: [string, Partial<ReturnType<typeof parseConditionOperator>>][] = [
        ["StringEquals", { base: "StringEquals", category: "string", ifExists: false, setQualifier: undefined, negated: false }],
        ["StringLikeIfExists", { base: "StringLike", category: "string", ifExists: true }],
        ["ForAnyValue:StringEqualsIgnoreCase", { base: "StringEqualsIgnoreCase", setQualifier: "ForAnyValue", category: "string" }],
        ["ForAllValues:StringNotLikeIfExists", { base: "StringNotLike", setQualifier: "ForAllValues", ifExists: true, negated: true }],
        ["NumericLessThanEqualsIfExists", { base: "NumericLessThanEquals", category: "numeric", ifExists: true }],
        ["stringlike", { base: "StringLike", category: "string" }],
        ["NotIpAddress", { base: "NotIpAddress", category: "ip", negated: true }],
        ["ArnNotLike", { category: "arn", negated: true }],
        ["Bool", { category: "bool" }],
        ["BinaryEquals", { category: "binary" }],
        ["DateGreaterThan", { category: "date" }],
        ["Null", { category: "null" }],
        ["StringMatches", { base: "StringMatches", category: undefined }],
        ["ForAnyValue:", { base: "", category: undefined }],
    ];
    for (const [text, expected] of table) {
        it(`parses ${text}`, () => {
            const parsed = parseConditionOperator(text);
            for (const [k, v] of Object.entries(expected)) assert.deepStrictEqual(parsed[k as keyof typeof parsed], v, k);
        });
    }

    it("matches keys case-insensitively and knows the system-ID keys", () => {
        assert.ok(isConditionKey("AWS:PrincipalOrgId", "aws:PrincipalOrgID"));
        assert.strictEqual(systemIdKey("aws:sourcevpce"), "aws:SourceVpce");
        assert.strictEqual(systemIdKey("aws:PrincipalArn"), undefined);
    });

    it("treats ${*} ${?} ${$} as literal characters", () => {
        assert.strictEqual(withoutLiteralVariables("a${*}b${?}c${$}*"), "a_b_c_*");
    });
});

describe("iam-principal", () => {
    it("reads \"*\" and objects by type", () => {
        assert.deepStrictEqual(principalEntries("*"), [{ kind: "*", value: "*" }]);
        assert.deepStrictEqual(principalEntries({ AWS: ["111122223333", "*"], Service: "s3.amazonaws.com" }), [
            { kind: "AWS", value: "111122223333" }, { kind: "AWS", value: "*" }, { kind: "Service", value: "s3.amazonaws.com" },
        ]);
        assert.ok(principalEntries({ AWS: "*" })!.every(isAnyPrincipal));
        assert.ok(!isAnyPrincipal({ kind: "Service", value: "*" }));
    });

    it("names every shape problem", () => {
        assert.deepStrictEqual(readPrincipal("arn:aws:iam::1:root").problems.map((p) => p.problem), ["not-star-or-object"]);
        assert.deepStrictEqual(readPrincipal({}).problems.map((p) => p.problem), ["empty-object"]);
        assert.deepStrictEqual(readPrincipal({ aws: "*", AWS: [1, "x"], Service: [], Federated: {} }).problems.map((p) => p.problem), ["unknown-type", "bad-entry", "empty-list", "bad-value"]);
        assert.strictEqual(principalEntries({ AWS: [1] }), undefined);
    });

    it("finds a principal's account", () => {
        assert.strictEqual(principalAccount("111122223333"), "111122223333");
        assert.strictEqual(principalAccount("arn:aws:iam::111122223333:root"), "111122223333");
        assert.strictEqual(principalAccount("arn:aws:sts::111122223333:assumed-role/r/s"), "111122223333");
        assert.strictEqual(principalAccount("arn:aws:s3:::bucket"), undefined);
        assert.strictEqual(principalAccount("arn:aws:iam::*:root"), undefined);
    });
});

describe("aws-owned-resources", () => {
    const owned = [
        "arn:aws:s3:::packages.us-east-1.amazonaws.com/*",
        "arn:aws:s3:::al2023-repos-eu-central-1-de612dc2/*",
        "arn:aws:s3:::prod-ap-southeast-2-starport-layer-bucket/*",
        "arn:aws:s3:::cloudformation-custom-resource-response-uswest2/*",
        "arn:aws-us-gov:s3:::aws-ssm-us-gov-west-1/*",
        "arn:aws:s3:::assets-123456789012-us-east-1/*",
        "arn:aws:s3:::amazoncloudwatch-agent",
        "arn:aws:iam::aws:policy/*",
        "arn:aws:imagebuilder:us-east-1:aws:component/*",
        "arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/*",
        "arn:aws:ssm:us-east-1::document/*",
        "arn:aws:iot:*::jobtemplate/*",
    ];
    const notOwned = [
        "arn:aws:s3:::my-bucket/*",
        "arn:aws:s3:::aws-ssm-*/*",
        "arn:aws:s3:::aws-ssm-us-east-1-evil/*",
        "arn:aws:s3:::elasticbeanstalk-us-east-1-111122223333/*",
        "arn:aws:s3:::*",
        "arn:aws:ssm:us-east-1:111122223333:document/*",
        "arn:aws:ssm:us-east-1::parameter/mine/*",
        "arn:aws:ec2:us-east-1::image/ami-123",
        "*",
    ];
    for (const arn of owned) it(`${arn} is AWS-owned`, () => assert.ok(isAwsOwnedResource(arn)));
    for (const arn of notOwned) it(`${arn} is not`, () => assert.ok(!isAwsOwnedResource(arn)));
});
