import * as assert from "assert";
import { execFileSync } from "child_process";
import { lookupConditionKey, nearestConditionKey } from "../../iam/condition-keys";
import { conditionOperatorProblem } from "../../iam/condition";
import { classifyActionEntry, documentEffect, notKnownYet, principalDefect } from "../../iam/effect-model";
import { iamActionsOf } from "../../iam/actions";
import { UnknownSentinel } from "../../values/unknown-values";
import { repoRoot } from "../support/paths";

const s3 = { prefixes: ["s3"], vpcId: "vpc-0abc1234", endpointId: notKnownYet } as const;

describe("iam: the effect model and its catalogues", () => {
    it("looks condition keys up as AWS documents them, ignoring case", async () => {
        assert.deepStrictEqual(await lookupConditionKey("AWS:principalaccount"), { status: "known", name: "aws:PrincipalAccount", types: ["String"], throughVpcEndpoint: "always" });
        assert.deepStrictEqual(await lookupConditionKey("aws:PrincpalAccount"), { status: "missing", scope: "global" });
        assert.strictEqual(nearestConditionKey("aws:PrincpalAccount", "global"), "aws:PrincipalAccount");
        assert.strictEqual(nearestConditionKey("aws:Nothing-like-any-key", "global"), undefined);
        assert.strictEqual((await lookupConditionKey("aws:SourceIp")).status === "known" && (await lookupConditionKey("aws:SourceIp") as { throughVpcEndpoint: string }).throughVpcEndpoint, "never");
        assert.deepStrictEqual(await lookupConditionKey("aws:ResourceTag/team"), { status: "known", name: "aws:ResourceTag/${TagKey}", types: ["String"], throughVpcEndpoint: "sometimes" });
        assert.strictEqual((await lookupConditionKey("aws:ResourceTag/")).status, "missing");
        const s3Key = await lookupConditionKey("s3:ExistingObjectTag/team");
        assert.ok(s3Key.status === "known" && s3Key.types.includes("String"), JSON.stringify(s3Key));
        assert.deepStrictEqual(await lookupConditionKey("s3:prefx"), { status: "missing", scope: "s3" });
        assert.strictEqual(nearestConditionKey("s3:prefx", "s3"), "s3:prefix");
        assert.deepStrictEqual(await lookupConditionKey("saml:aud"), { status: "no-claim" });
        assert.deepStrictEqual(await lookupConditionKey("aws:PrincipalTag/${aws:username}"), { status: "no-claim" });
        assert.strictEqual((await lookupConditionKey("ec2:SourceInstanceArn")).status, "known");
        assert.strictEqual((await lookupConditionKey("aws:SourceOwner")).status, "known");
    });

    it("names the nearest operator for one IAM does not know", () => {
        assert.strictEqual(conditionOperatorProblem("StringEquals"), undefined);
        assert.strictEqual(conditionOperatorProblem("ForAllValues:ArnNotLikeIfExists"), undefined);
        assert.deepStrictEqual(conditionOperatorProblem("StringEqual"), { problem: "unknown", nearest: "StringEquals" });
        assert.deepStrictEqual(conditionOperatorProblem("NullIfExists"), { problem: "null-if-exists", nearest: "Null" });
        assert.deepStrictEqual(conditionOperatorProblem("ForAnyValue:NullIfExists"), { problem: "null-if-exists", nearest: "ForAnyValue:Null" });
        assert.strictEqual(conditionOperatorProblem("numericlessthan")?.nearest, "NumericLessThan");
    });

    it("tells which principal values cannot name a principal", () => {
        assert.strictEqual(principalDefect("111122223333"), undefined);
        assert.strictEqual(principalDefect("1111222233334"), "account");
        assert.strictEqual(principalDefect("arn:aws:iam:us-east-1:111122223333:root"), "region");
        assert.strictEqual(principalDefect("arn:aws:iam::1111:root"), "account");
        assert.strictEqual(principalDefect("arn:aws-xx:iam::111122223333:root"), "partition");
        assert.strictEqual(principalDefect("arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1"), undefined);
        assert.strictEqual(principalDefect("arn:aws:iam::*:root"), undefined);
        assert.strictEqual(principalDefect("AIDAEXAMPLE"), undefined);
    });

    it("classifies action entries against the endpoint's prefixes", async () => {
        await iamActionsOf("s3");
        assert.deepStrictEqual(classifyActionEntry("*", ["s3"]), { kind: "all" });
        assert.deepStrictEqual(classifyActionEntry("S3:*", ["s3"]), { kind: "all" });
        assert.deepStrictEqual(classifyActionEntry("s3:Get*", ["s3"]), { kind: "some" });
        assert.deepStrictEqual(classifyActionEntry("s3:GetObjekt", ["s3"]), { kind: "none", matching: ["s3"] });
        assert.deepStrictEqual(classifyActionEntry("s3:GetObjekt", ["s3"], false), { kind: "some" });
        assert.deepStrictEqual(classifyActionEntry("ec2:*", ["s3"]), { kind: "foreign", prefix: "ec2" });
        assert.deepStrictEqual(classifyActionEntry("GetObject", ["s3"]), { kind: "malformed" });
        assert.deepStrictEqual(classifyActionEntry(UnknownSentinel.string, ["s3"]), { kind: "unknown" });
        assert.deepStrictEqual(classifyActionEntry("ec2:*", []), { kind: "some" });
    });

    it("gives each part a range, an unknown spanning what it could be", async () => {
        // Through JSON, as documents arrive: a key set to undefined is left out.
        const statement = (extra: Record<string, unknown>) => JSON.parse(JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*", ...extra }] })) as unknown;
        const ranges = async (extra: Record<string, unknown>) => {
            const e = (await documentEffect(statement(extra), s3)).statements[0];
            return { actions: e.actions, resources: e.resources, principals: e.principals, condition: e.condition, applies: e.applies };
        };
        assert.deepStrictEqual((await ranges({})).applies, { lo: 1, hi: 1 });
        assert.deepStrictEqual((await ranges({ Action: "*" })).applies, { lo: 2, hi: 2 });
        assert.deepStrictEqual((await ranges({ Action: UnknownSentinel.string })).actions, { lo: 0, hi: 2 });
        assert.deepStrictEqual((await ranges({ Action: ["s3:GetObject", UnknownSentinel.string] })).actions, { lo: 1, hi: 2 });
        assert.deepStrictEqual((await ranges({ Action: undefined, NotAction: ["ec2:*", UnknownSentinel.string] })).actions, { lo: 0, hi: 2 });
        assert.deepStrictEqual((await ranges({ Resource: [UnknownSentinel.string] })).resources, { lo: 0, hi: 2 });
        assert.deepStrictEqual((await ranges({ Principal: { AWS: [UnknownSentinel.string] } })).principals, { lo: 0, hi: 2 });
        assert.deepStrictEqual((await ranges({ Condition: { StringEquals: { "aws:SourceVpc": "vpc-0abc1234" } } })).condition, { lo: 2, hi: 2 });
        assert.deepStrictEqual((await ranges({ Condition: { StringEquals: { "aws:SourceVpc": "vpc-0fedcba9" } } })).condition, { lo: 0, hi: 0 });
        assert.deepStrictEqual((await ranges({ Condition: { StringEquals: { "aws:SourceVpce": "vpce-0fedcba987654321a" } } })).condition, { lo: 0, hi: 2 });
        assert.deepStrictEqual((await ranges({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } })).condition, { lo: 1, hi: 1 });
        assert.deepStrictEqual((await ranges({ Condition: { Null: { "aws:PrincpalAccount": UnknownSentinel.string } } })).condition, { lo: 0, hi: 2 });
    });

    it("loads nothing when the pack is required: catalogues, data files and the suggestion library wait for first use", () => {
        const probe = [
            "require('./bin/policies/index.js');",
            "const loaded = Object.keys(require.cache);",
            "console.log(JSON.stringify(loaded.filter((f) => /iam[\\\\/]data[\\\\/]|iam-data|fastest-levenshtein/.test(f))));",
        ].join("\n");
        const out = execFileSync(process.execPath, ["-e", probe], { cwd: repoRoot, encoding: "utf8" });
        assert.deepStrictEqual(JSON.parse(out.trim().split("\n").pop() ?? "[]"), []);
    });
});
