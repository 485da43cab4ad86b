import * as assert from "assert";
import { vpcePolicyJson } from "../../policies/vpce-policy-json";
import { maxViolationsPerResource } from "../../framework/rule";
import { UnknownSentinel } from "../../values/unknown-values";
import { ResourceType } from "../../stack/endpoint-policy";
import { fullAccessPolicy, s3BucketPolicy, type Carrier, expectPasses, expectReports, type DocumentCase, expectNeverThrows, expectNotApplicable, type NotApplicableCase } from "../support/cases";

type Case = DocumentCase;

const statement = (extra: Record<string, unknown>) => ({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*", ...extra }] });
const without = (key: string) => {
    const s: Record<string, unknown> = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" };
    delete s[key];
    return { Statement: [s] };
};
const textCarriers: Carrier[] = ["endpoint", "standalone", "nativeText"];

const valid: Case[] = [
    { name: "AWS's default full-access policy", document: fullAccessPolicy },
    { name: "the PrivateLink guide's S3 bucket example", document: s3BucketPolicy },
    { name: "Version 2008-10-17, as AWS reads the default back", document: { Version: "2008-10-17", ...fullAccessPolicy } },
    { name: "a single statement object instead of a list", document: { Version: "2012-10-17", Statement: fullAccessPolicy.Statement[0] } },
    { name: "an Id string", document: { Id: "endpoint-policy-1", ...fullAccessPolicy } },
    { name: "a Deny with NotAction and NotResource", document: { Statement: [{ Effect: "Deny", Principal: "*", NotAction: ["s3:Get*"], NotResource: "arn:aws:s3:::b/*" }] } },
    { name: "NotPrincipal with Deny (grammar; principals are another policy's)", document: { Statement: [{ Effect: "Deny", NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "*", Resource: "*" }] } },
    { name: "condition values of string, boolean, number and lists", document: statement({ Condition: { Bool: { "aws:SecureTransport": true }, NumericLessThan: { "s3:max-keys": 10 }, StringEquals: { "aws:PrincipalOrgID": ["o-a1b2c3d4e5"] } } }) },
    { name: "an empty Condition object", document: statement({ Condition: {} }) },
    { name: "every operator family, with IfExists and the set qualifiers", document: statement({ Condition: {
        StringEqualsIgnoreCaseIfExists: { "aws:PrincipalTag/team": "x" }, "ForAnyValue:StringLike": { "aws:TagKeys": "team-*" }, "ForAllValues:StringNotEqualsIfExists": { "aws:TagKeys": "x" },
        NumericGreaterThanEqualsIfExists: { "s3:max-keys": 1 }, DateLessThanEquals: { "aws:CurrentTime": "2030-01-01T00:00:00Z" }, BoolIfExists: { "aws:SecureTransport": true },
        BinaryEquals: { "k:bin": "QmluYXJ5" }, NotIpAddressIfExists: { "aws:VpcSourceIp": "10.0.0.0/8" }, ArnNotLikeIfExists: { "aws:PrincipalArn": "arn:aws:iam::*:role/x-*" },
        Null: { "aws:PrincipalOrgID": "false" }, "ForAllValues:Null": { "aws:TagKeys": "false" },
    } }) },
    { name: "different keys in one operator block", document: statement({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:PrincipalAccount": "111122223333" } } }) },
    { name: "the same key under two operators", document: statement({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" }, StringLike: { "AWS:PrincipalOrgID": "o-a1b2c3d4e5" } } }) },
    { name: "pretty-printed with CRLF line ends", document: JSON.stringify(fullAccessPolicy, null, 2).replace(/\n/g, "\r\n"), on: textCarriers },
    { name: "\\u escapes as the aws provider writes them", document: "{\"Statement\":[{\"Action\":\"*\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"arn:aws:s3:::a\\u0026b\"}]}", on: textCarriers },
];

const invalid: Case[] = [
    { name: "a trailing comma names line and column", document: "{\"Statement\": [],}", on: textCarriers, ids: ["syntax"], says: ["at line 1, column 18: expected a property name"] },
    { name: "an error on a later line names that line", document: "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\" \"Action\": \"*\"}\n  ]\n}", on: textCarriers, ids: ["syntax"], says: ["line 3, column 24", "expected ','"] },
    { name: "a comment", document: "{\"Statement\": [] // none\n}", on: textCarriers, ids: ["syntax"], says: ["comments are not allowed"] },
    { name: "a byte-order mark", document: "\ufeff" + JSON.stringify(fullAccessPolicy), on: textCarriers, ids: ["syntax"], says: ["byte-order mark", "line 1, column 1"] },
    { name: "text that is not JSON", document: "allow everything", on: textCarriers, ids: ["syntax"], says: ["line 1, column 1"] },
    { name: "only white space", document: "   ", on: textCarriers, ids: ["syntax"], says: ["line 1, column 4", "expected a value"] },
    { name: "single quotes", document: "{'Statement': []}", on: textCarriers, ids: ["syntax"] },
    { name: "a raw line break inside a string", document: "{\"Id\": \"a\nb\", \"Statement\": []}", on: textCarriers, ids: ["syntax"], says: ["line 1"] },
    { name: "10,000 levels of nesting", document: "[".repeat(10000) + "]".repeat(10000), on: textCarriers, ids: ["syntax"], says: ["nested more than 64 levels"] },
    { name: "a JSON array at the top", document: [fullAccessPolicy], on: textCarriers, ids: ["notObject"], says: ["an array"] },
    { name: "a JSON string holding JSON", document: JSON.stringify(JSON.stringify(fullAccessPolicy)), on: textCarriers, ids: ["notObject"], says: ["a string"] },
    { name: "a misspelt Statement key", document: { Statements: fullAccessPolicy.Statement }, ids: ["unknownDocumentKey", "missingStatement"], says: ["\"Statements\""] },
    { name: "an unsupported Version", document: { Version: "2012-10-18", ...fullAccessPolicy }, ids: ["badVersion"], says: ["\"2012-10-18\""] },
    { name: "a numeric Version", document: { Version: 2012, ...fullAccessPolicy }, ids: ["badVersion"] },
    { name: "a numeric Id", document: { Id: 7, ...fullAccessPolicy }, ids: ["badId"] },
    { name: "an empty Statement list", document: { Statement: [] }, ids: ["emptyStatementList"] },
    { name: "a Statement that is a string", document: { Statement: "allow" }, ids: ["badStatementList"], says: ["a string"] },
    { name: "a statement that is not an object", document: { Statement: [fullAccessPolicy.Statement[0], "x"] }, ids: ["statementNotObject"], says: ["Statement[1]"] },
    { name: "a misspelt statement key", document: { Statement: [{ Effect: "Allow", Principal: "*", Actions: "*", Resource: "*" }] }, ids: ["unknownStatementKey", "missingPair"], says: ["\"Actions\"", "neither \"Action\" nor \"NotAction\""] },
    { name: "Effect in lower case", document: statement({ Effect: "allow" }), ids: ["badEffect"], says: ["\"allow\"", "exactly \"Allow\" or \"Deny\""] },
    { name: "no Effect", document: without("Effect"), ids: ["missingEffect"] },
    { name: "both Action and NotAction", document: statement({ NotAction: "s3:PutObject" }), ids: ["bothOfPair"], says: ["both \"Action\" and \"NotAction\""] },
    { name: "neither Resource nor NotResource", document: without("Resource"), ids: ["missingPair"], says: ["\"Resource\" nor \"NotResource\""] },
    { name: "both Principal and NotPrincipal", document: statement({ Effect: "Deny", NotPrincipal: "*" }), ids: ["bothOfPair"], says: ["\"Principal\" and \"NotPrincipal\""] },
    { name: "an empty Action list", document: statement({ Action: [] }), ids: ["emptyValueList"] },
    { name: "a number in the Action list", document: statement({ Action: ["s3:GetObject", 3] }), ids: ["badValueEntry"], says: ["\"Action\"[1]", "a number"] },
    { name: "a Resource that is an object", document: statement({ Resource: { arn: "*" } }), ids: ["badValueList"], says: ["an object"] },
    { name: "a Condition that is a string", document: statement({ Condition: "aws:SourceVpc=vpc-1" }), ids: ["badCondition"] },
    { name: "a condition operator holding a string", document: statement({ Condition: { StringEquals: "vpc-1" } }), ids: ["badConditionBlock"], says: ["\"StringEquals\""] },
    { name: "a condition value that is an object", document: statement({ Condition: { StringEquals: { "aws:SourceVpc": { id: "vpc-1" } } } }), ids: ["badConditionValue"], says: ["\"aws:SourceVpc\"", "an object"] },
    { name: "an operator IAM does not know names the nearest real one", document: statement({ Condition: { StringEqual: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }), ids: ["unknownOperator"], says: ["\"StringEqual\"", "Did you mean `StringEquals`?"] },
    { name: "an operator in the wrong letter case", document: statement({ Condition: { stringequals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }), ids: ["unknownOperator"], says: ["`StringEquals`"] },
    { name: "a misspelt IfExists suffix", document: statement({ Condition: { StringLikeIfExist: { "aws:PrincipalArn": "arn:aws:iam::*:role/app-*" } } }), ids: ["unknownOperator"], says: ["`StringLikeIfExists`"] },
    { name: "a misspelt set qualifier", document: statement({ Condition: { "ForAnyValues:StringLike": { "aws:TagKeys": "team-*" } } }), ids: ["unknownOperator"], says: ["`ForAnyValue:StringLike`"] },
    { name: "IfExists on Null", document: statement({ Condition: { NullIfExists: { "aws:PrincipalOrgID": "false" } } }), ids: ["nullIfExists"], says: ["\"NullIfExists\"", "Write `Null`"] },
    { name: "IfExists on Null with a set qualifier", document: statement({ Condition: { "ForAllValues:NullIfExists": { "aws:TagKeys": "false" } } }), ids: ["nullIfExists"], says: ["`ForAllValues:Null`"] },
    { name: "the same key twice in one block, in another case", document: statement({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:principalorgid": "o-f6g7h8i9j0" } } }), ids: ["duplicateConditionKey"], says: ["\"aws:PrincipalOrgID\" and \"aws:principalorgid\"", "ignoring case"] },
    { name: "a null in a condition value list", document: statement({ Condition: { StringEquals: { "aws:SourceVpc": ["vpc-1", null] } } }), ids: ["badConditionValue"], says: ["a list holding null"] },
    { name: "a duplicate top-level key", document: "{\"Statement\": [], \"Statement\": [{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}", on: textCarriers, ids: ["duplicateKey"], says: ["\"Statement\"", "(top level)", "line 1, column 19"] },
    { name: "a duplicate key inside a statement", document: "{\"Statement\":[{\"Effect\":\"Deny\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}", on: textCarriers, ids: ["duplicateKey"], says: ["\"Effect\"", "Statement[0]"] },
    { name: "a duplicate Sid", document: { Statement: [{ ...fullAccessPolicy.Statement[0], Sid: "A" }, { ...fullAccessPolicy.Statement[0], Sid: "A" }] }, ids: ["duplicateSid"], says: ["Statement[1] (\"A\")", "Statement[0] (\"A\")"] },
    { name: "a numeric Sid", document: statement({ Sid: 1 }), ids: ["badSid"] },
    { name: "a value longer than 200 characters is shortened", document: statement({ Effect: "A".repeat(5000) }), ids: ["badEffect"], says: ["…"] },
];

describe("vpce-policy-json", () => {
    describe("passes", () => expectPasses(vpcePolicyJson, valid));

    describe("reports", () => {
        expectReports(vpcePolicyJson, invalid);

        it("a policy that is a number, on the aws endpoint", () => {
            const verdict = vpcePolicyJson.evaluate(ResourceType.vpcEndpoint, { policy: 42 });
            assert.deepStrictEqual(verdict.violations.map((v) => v.messageId), ["wrongType"]);
            assert.match(verdict.violations[0].message, /policy is a number.*JSON\.stringify/);
        });

        it("an aws-native policyDocument that is a list", () => {
            const verdict = vpcePolicyJson.evaluate(ResourceType.nativeVpcEndpoint, { policyDocument: [fullAccessPolicy] });
            assert.deepStrictEqual(verdict.violations.map((v) => v.messageId), ["wrongType"]);
        });

        it(`stops at ${maxViolationsPerResource} violations and counts the rest`, () => {
            const many = { Statement: Array.from({ length: 100 }, () => ({ Effect: "allow", Principal: "*", Action: "*", Resource: "*" })) };
            const verdict = vpcePolicyJson.evaluate(ResourceType.vpcEndpoint, { policy: JSON.stringify(many) });
            assert.strictEqual(verdict.violations.length, maxViolationsPerResource + 1);
            assert.match(verdict.violations[maxViolationsPerResource].message, /and 75 more problem/);
        });
    });

    describe("has no verdict", () => {
        const cases: NotApplicableCase[] = [
            ["no policy on the endpoint", ResourceType.vpcEndpoint, { vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.s3" }, /no endpoint policy/],
            ["an empty policy string", ResourceType.vpcEndpoint, { policy: "" }, /no endpoint policy/],
            ["a null policy", ResourceType.vpcEndpointPolicy, { policy: null }, /no endpoint policy/],
            ["an unknown policy string (preview)", ResourceType.vpcEndpoint, { policy: UnknownSentinel.string }, /not known until the update/],
            ["an unknown standalone policy (preview)", ResourceType.vpcEndpointPolicy, { vpcEndpointId: UnknownSentinel.string, policy: UnknownSentinel.string }, /not known/],
            ["an unknown aws-native document", ResourceType.nativeVpcEndpoint, { policyDocument: UnknownSentinel.object }, /not known/],
            ["an aws-native document with an unknown inside", ResourceType.nativeVpcEndpoint, { policyDocument: { Statement: [{ Effect: "allow", Principal: "*", Action: "*", Resource: UnknownSentinel.string }] } }, /not known/],
            ["a security group", "aws:ec2/securityGroup:SecurityGroup", { policy: "{" }, /not a resource that carries/],
        ];
        expectNotApplicable(vpcePolicyJson, cases);
    });

    describe("never throws", () => {
        const odd: unknown[] = [undefined, null, 0, "", "x", [], [[]], { policy: Symbol("s") }, { policy: { toString: null } }, { policyDocument: Object.create(null) }, new Proxy({}, { get() { throw new Error("boom"); } })];
        expectNeverThrows(vpcePolicyJson, odd);
    });
});

// Found by the property tests (test/properties): shrunk counterexamples, kept as table cases.
describe("vpce-policy-json: cases found by the property tests", () => {
    const duplicates = `{"Statement":[{${Array.from({ length: 200_000 }, (_, i) => `"Effect":"Allow${i % 7}"`).join(",")},"Principal":"*","Action":"*","Resource":"*"}]}`;
    const longKey = "k".repeat(600);
    describe("reports", () => expectReports(vpcePolicyJson, [
        // Each duplicate's line and column were found by scanning from the start: quadratic, a hang at 5 MB.
        { name: "200,000 duplicate keys", document: duplicates, on: textCarriers, ids: [...Array.from({ length: maxViolationsPerResource }, () => "duplicateKey"), "more"] },
        // The path of the object holding a duplicate key was quoted whole, however long its keys.
        { name: "a duplicate key below a 600-character key", document: `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"${longKey}":"x"}}}],"${longKey}":{"a":1,"a":2}}`, on: textCarriers, ids: ["duplicateKey", "unknownDocumentKey"] },
    ]));
    describe("reads the props it is given", () => {
        // A plain object that has the framework proxy's target key as its own was taken for the proxy.
        const cases: [string, Record<string, unknown>, string[]][] = [
            ["a props key named __getSpecialProxyTarget", { policy: 5, __getSpecialProxyTarget: { policy: "{}" } }, ["wrongType"]],
        ];
        for (const [name, props, ids] of cases) {
            it(name, () => {
                const verdict = vpcePolicyJson.evaluate(ResourceType.vpcEndpoint, props);
                assert.deepStrictEqual(verdict.violations.map((v) => v.messageId), ids);
            });
        }
        // The same key behind the framework's proxy: the proxy is still unwrapped (it was not, and
        // reading an unknown through it became an internal error).
        it("a props key named __getSpecialProxyTarget behind the framework's proxy", () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(v: T): T };
            const props = unknownCheckingProxy({ __getSpecialProxyTarget: false, policyDocument: JSON.parse(`{"__proto__":{"__proto__":"${UnknownSentinel.string}"}}`) });
            let reason: string | undefined;
            const validate = vpcePolicyJson.validateResource as (args: never, report: (message: string) => void) => void;
            try {
                validate({
                    type: ResourceType.nativeVpcEndpoint, props, urn: "urn:pulumi:dev::p::aws-native:ec2:VpcEndpoint::e", name: "e",
                    getConfig: () => ({}), notApplicable: (r?: string): never => { reason = r; throw new Error("not applicable"); },
                } as never, () => assert.fail("no violation expected"));
            } catch (e) {
                if (reason === undefined) throw e;
            }
            assert.match(reason ?? "", /not known until the update/);
        });
    });
});
