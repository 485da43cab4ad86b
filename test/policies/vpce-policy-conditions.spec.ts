import * as assert from "assert";
import { vpcePolicyConditions, wildcardsAnchored } from "../../policies/vpce-policy-conditions";
import { ResourceType } from "../../stack/endpoint-policy";
import { UnknownSentinel } from "../../values/unknown-values";
import { fullAccessPolicy, expectPasses, expectReports, type DocumentCase, documentedPolicyCases, expectNeverThrows, expectNotApplicable, type NotApplicableCase } from "../support/cases";

type Case = DocumentCase;

const withCondition = (condition: unknown, extra: Record<string, unknown> = {}) =>
    ({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*", Condition: condition, ...extra }] });
const withResource = (resource: unknown, element = "Resource") => {
    const s: Record<string, unknown> = { Effect: "Allow", Principal: "*", Action: "*" };
    s[element] = resource;
    return { Statement: [s] };
};

const valid: Case[] = [
    ...documentedPolicyCases,
    { name: "exact system IDs, several keys", document: withCondition({ StringEquals: { "aws:SourceVpc": ["vpc-1a2b3c4d"], "aws:SourceVpce": "vpce-1a2b3c4d5e6f", "aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:VpceAccount": "111122223333" } }) },
    { name: "Null on a system-ID key", document: withCondition({ Null: { "aws:PrincipalOrgID": "false" } }) },
    { name: "a policy variable as a system-ID value", document: withCondition({ StringEquals: { "aws:ResourceOrgID": "${aws:PrincipalOrgID}" } }) },
    { name: "a wildcard with six characters before it", document: withCondition({ StringLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/app-*" } }) },
    { name: "a wildcard with six characters after it", document: withCondition({ StringLike: { "s3:prefix": "*report.csv" } }) },
    { name: "exactly six characters before a wildcard", document: withCondition({ "ForAnyValue:StringLike": { "aws:TagKeys": "team-x*" } }) },
    { name: "${*} and ${?} are literal characters, not wildcards", document: withCondition({ StringEquals: { "s3:prefix": "a${*}b", "aws:SourceVpc": "vpc-${?}" } }) },
    { name: "an ARN operator is not a string operator (short wildcard allowed)", document: withCondition({ ArnLike: { "aws:SourceArn": "arn:*" } }) },
    { name: "numbers and booleans in values", document: withCondition({ NumericLessThan: { "s3:max-keys": 10 }, Bool: { "aws:SecureTransport": true } }) },
    { name: "numeric operator on a key that is not a system ID", document: withCondition({ NumericGreaterThanEquals: { "s3:signatureAge": "600000" } }) },
    { name: "ARN account fields: ID, *, empty, aws, a variable", document: withResource(["arn:aws:iam::111122223333:role/x", "arn:aws:iam::*:role/x", "arn:aws:s3:::bucket/*", "arn:aws:iam::aws:policy/*", "arn:aws:iam::${aws:PrincipalAccount}:role/x", "arn:aws:lambda:*:123456789012:layer:*"]) },
    { name: "a NotResource with a wildcard account", document: withResource("arn:aws:sqs:us-east-1:*:queue-*", "NotResource") },
    { name: "an ARN account of only wildcards", document: withResource("arn:aws:iam::**:role/x") },
];

const invalid: Case[] = [
    { name: "a wildcard on aws:PrincipalAccount", document: withCondition({ StringLike: { "aws:PrincipalAccount": "1111*" } }), ids: ["wildcardOnIdKey"], says: ["Statement[0]", "\"StringLike\" → \"aws:PrincipalAccount\"", "\"1111*\"", "no wildcard"] },
    { name: "a key in another case", document: withCondition({ StringEquals: { "AWS:SOURCEVPC": "vpc-*" } }), ids: ["wildcardOnIdKey"], says: ["\"AWS:SOURCEVPC\""] },
    { name: "? on aws:SourceVpce with IfExists", document: withCondition({ StringEqualsIfExists: { "aws:SourceVpce": "vpce-1a2b3c4?" } }), ids: ["wildcardOnIdKey"] },
    { name: "a wildcard on aws:PrincipalOrgID with ForAnyValue", document: withCondition({ "ForAnyValue:StringLike": { "aws:PrincipalOrgID": ["o-a1b2c3d4e5", "o-*"] } }), ids: ["wildcardOnIdKey"], says: ["\"o-*\""] },
    { name: "a wildcard on aws:VpceOrgID with ArnLike", document: withCondition({ ArnLike: { "aws:VpceOrgID": "o-abcdefghij*" } }), ids: ["wildcardOnIdKey"] },
    { name: "a numeric operator on aws:PrincipalAccount", document: withCondition({ NumericEquals: { "aws:PrincipalAccount": 111122223333 } }), ids: ["numericOnIdKey"], says: ["\"NumericEquals\" is a numeric operator on \"aws:PrincipalAccount\"", "StringEquals"] },
    { name: "a numeric IfExists operator on aws:SourceAccount", document: withCondition({ NumericLessThanIfExists: { "aws:SourceAccount": "2" } }), ids: ["numericOnIdKey"] },
    { name: "a short wildcard with StringLike", document: withCondition({ StringLike: { "aws:userid": "AI*" } }), ids: ["shortWildcard"], says: ["\"AI*\"", "at least six"] },
    { name: "five characters before a wildcard", document: withCondition({ StringLike: { "s3:prefix": "home/*" } }), ids: ["shortWildcard"] },
    { name: "a wildcard between two short runs", document: withCondition({ StringLike: { "s3:prefix": "rep*.csv" } }), ids: ["shortWildcard"] },
    { name: "a lone * with a string operator", document: withCondition({ "ForAllValues:StringLikeIfExists": { "aws:TagKeys": "*" } }), ids: ["shortWildcard"] },
    { name: "a short wildcard with StringEquals too (a string condition operator)", document: withCondition({ StringNotEquals: { "aws:RequestedRegion": "eu-*" } }), ids: ["shortWildcard"] },
    { name: "an ARN in Resource mixing an account ID and a wildcard", document: withResource("arn:aws:iam::1234*:role/x"), ids: ["mixedAccount"], says: ["\"Resource\" has ARN \"arn:aws:iam::1234*:role/x\"", "account field \"1234*\"", "exactly \"*\""] },
    { name: "an ARN in NotResource with ? in the account", document: withResource(["arn:aws:dynamodb:us-east-1:12345678901?:table/x"], "NotResource"), ids: ["mixedAccount"], says: ["\"NotResource\""] },
    { name: "an ARN in a condition mixing account ID and wildcard", document: withCondition({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::1111*:role/admin" } }), ids: ["mixedAccount"], says: ["condition \"ArnLike\" → \"aws:PrincipalArn\""] },
    { name: "each offending value is its own violation", document: withCondition({ StringLike: { "aws:SourceVpc": ["vpc-1*", "vpc-2*"], "s3:prefix": "ab*" }, NumericEquals: { "aws:ResourceAccount": 1 } }, { Sid: "Mixed", Resource: ["arn:aws:s3:::b", "arn:aws:iam::12*:root"] }), ids: ["mixedAccount", "wildcardOnIdKey", "wildcardOnIdKey", "shortWildcard", "numericOnIdKey"], says: ["Statement[0] (\"Mixed\")", "\"vpc-1*\"", "\"vpc-2*\""] },
    { name: "statements are named by index", document: { Statement: [fullAccessPolicy.Statement[0], withCondition({ StringLike: { "aws:SourceAccount": "*" } }).Statement[0]] }, ids: ["wildcardOnIdKey"], says: ["Statement[1]"] },
];

describe("vpce-policy-conditions", () => {
    describe("wildcardsAnchored", () => {
        const table: [string, boolean][] = [
            ["no wildcard", true], ["abcdef*", true], ["*abcdef", true], ["abcde*", false], ["*abcde", false],
            ["abcdef*gh*ijklmn", true], ["abc*def*ghi", false], ["*", false], ["**", false], ["abcdef**", false], ["", true],
        ];
        for (const [pattern, expected] of table) it(`${JSON.stringify(pattern)} → ${expected}`, () => assert.strictEqual(wildcardsAnchored(pattern), expected));
    });

    describe("passes", () => expectPasses(vpcePolicyConditions, valid));

    describe("reports", () => {
        expectReports(vpcePolicyConditions, invalid);

        it("shortens a long value", () => {
            const verdict = vpcePolicyConditions.evaluate(ResourceType.vpcEndpoint, { policy: JSON.stringify(withCondition({ StringLike: { "aws:SourceVpc": `vpc-${"1".repeat(5000)}*` } })) });
            assert.deepStrictEqual(verdict.violations.map((v) => v.messageId), ["wildcardOnIdKey"]);
            assert.ok(verdict.violations[0].message.length < 400 && verdict.violations[0].message.includes("…"));
        });
    });

    describe("has no verdict", () => {
        const cases: NotApplicableCase[] = [
            ["an unknown policy (preview)", ResourceType.vpcEndpoint, { policy: UnknownSentinel.string }, /not known until the update/],
            ["an aws-native document with an unknown condition value", ResourceType.nativeVpcEndpoint, { policyDocument: withCondition({ StringLike: { "aws:SourceVpc": UnknownSentinel.string } }) }, /not known/],
            ["text that is not JSON", ResourceType.vpcEndpointPolicy, { policy: "{" }, /^not valid JSON; see vpce-policy-json$/],
            ["a policy that is a list", ResourceType.nativeVpcEndpoint, { policyDocument: [] }, /^not valid JSON; see vpce-policy-json$/],
        ];
        expectNotApplicable(vpcePolicyConditions, cases);
    });

    describe("never throws", () => {
        const odd: unknown[] = [undefined, null, 0, [], { policyDocument: { Statement: [{ Condition: { StringLike: { k: [null, {}, [], 1] } }, Resource: [1, null] }] } }, { policyDocument: { Statement: [{ Condition: { "ForAnyValue:": { "": "" }, ":": 1, IfExists: { a: "b" } } }] } }, new Proxy({}, { get() { throw new Error("boom"); } })];
        expectNeverThrows(vpcePolicyConditions, odd);
    });
});
