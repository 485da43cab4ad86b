import * as assert from "assert";
import { vpcePolicySize, endpointPolicyMaxLength } from "../../policies/vpce-policy-size";
import { ResourceType } from "../../stack/endpoint-policy";
import { UnknownSentinel } from "../../values/unknown-values";
import { type Carrier, expectPasses, expectReports, type DocumentCase, documentedPolicyCases, expectNeverThrows, expectNotApplicable, type NotApplicableCase } from "../support/cases";

type Case = DocumentCase;

const textCarriers: Carrier[] = ["endpoint", "standalone", "nativeText"];
const awsCarriers: Carrier[] = ["endpoint", "standalone"];
const nativeCarriers: Carrier[] = ["native", "nativeText"];

/** A one-statement policy whose compact JSON is exactly `length` characters, padded in its Sid with `fill`. */
function policyOfLength(length: number, fill = "A"): { Statement: Record<string, string>[] } {
    const base = JSON.stringify({ Statement: [{ Action: "*", Effect: "Allow", Principal: "*", Resource: "*", Sid: "" }] }).length;
    return { Statement: [{ Action: "*", Effect: "Allow", Principal: "*", Resource: "*", Sid: fill.repeat(length - base) }] };
}

const limit = endpointPolicyMaxLength;
const exactly = policyOfLength(limit);
const oneOver = policyOfLength(limit + 1);
/** `count` statements reading one bucket each. */
function manyStatements(count: number) {
    return { Statement: Array.from({ length: count }, (_, i) => ({ Sid: `Read${i}`, Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::bucket-${i}/*` })) };
}
// 20,315 characters compact, 49,855 pretty-printed.
const prettyOver = JSON.stringify(manyStatements(180), null, 8);
// 100 characters under the limit as written; each of the 40 "&" is sent as "\u0026", 200 more in all.
const escapesOver = (() => {
    const p = policyOfLength(limit - 100);
    p.Statement[0].Sid = p.Statement[0].Sid.slice(40) + "&".repeat(40);
    return p;
})();

// 20,480 characters, 20,580 UTF-16 code units.
const astral = (() => {
    const p = policyOfLength(limit);
    p.Statement[0].Sid = p.Statement[0].Sid.slice(100) + "😀".repeat(100);
    return p;
})();

const valid: Case[] = [
    ...documentedPolicyCases,
    { name: "exactly 20,480 characters", document: exactly },
    { name: "pretty-printed over the limit, compacted under it", document: prettyOver, on: textCarriers },
    { name: "20,480 characters of which 100 are astral (counted as characters, not UTF-16 units)", document: astral },
    { name: "<, > and & escapes over the limit, with aws-native (no HTML escaping)", document: escapesOver, on: nativeCarriers },
    { name: "a short text that is not JSON", document: "{ not json", on: textCarriers },
    { name: "an empty Statement list (grammar is vpce-policy-json's business)", document: { Statement: [] } },
    { name: "numbers written long are sent short (1.000000e+00 → 1)", document: `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":${"1.0" + "0".repeat(limit)}}}}]}`, on: awsCarriers },
];

const invalid: Case[] = [
    { name: "20,481 characters", document: oneOver, ids: ["tooLarge"], says: ["20,481 characters", "the limit is 20,480", "remove at least 1."] },
    { name: "20,481 characters, named as the aws provider sends it", document: oneOver, on: awsCarriers, ids: ["tooLarge"], says: ["compacted by the aws provider"] },
    { name: "20,481 characters, named as CloudFormation passes it", document: oneOver, on: nativeCarriers, ids: ["tooLarge"], says: ["as CloudFormation passes the object"] },
    { name: "over the limit only through <, > and & escapes", document: escapesOver, on: awsCarriers, ids: ["tooLarge"], says: ["20,580 characters as AWS receives it", "is only 20,380 characters", "each <, > and & as six characters"] },
    { name: "pretty-printed and still over once compacted", document: JSON.stringify(oneOver, null, 4), on: textCarriers, ids: ["tooLarge"], says: ["20,481 characters", "white space does not count"] },
    { name: "not JSON and longer than the limit: measured as written", document: "{" + "x".repeat(30000), on: textCarriers, ids: ["tooLargeAsWritten"], says: ["30,001 characters", "not valid JSON", "remove at least 9,521"] },
    { name: "a number outside float64's range: measured as written", document: `{"Statement":[],"Id":"${"x".repeat(limit)}","N":1e400}`, on: awsCarriers, ids: ["tooLargeAsWritten"], says: ["cannot read"] },
];

describe("vpce-policy-size", () => {
    it("builds its boundary documents as intended", () => {
        assert.strictEqual(JSON.stringify(exactly).length, limit);
        assert.strictEqual(JSON.stringify(escapesOver).length, limit - 100);
        assert.ok(JSON.stringify(manyStatements(180)).length < limit && prettyOver.length > limit * 1.5);
        assert.strictEqual(JSON.stringify(astral).length, limit + 100);
    });

    describe("passes", () => expectPasses(vpcePolicySize, valid));

    describe("reports", () => {
        expectReports(vpcePolicySize, invalid);

        it("never echoes the document", () => {
            const verdict = vpcePolicySize.evaluate(ResourceType.vpcEndpoint, { policy: JSON.stringify(oneOver) });
            assert.ok(!verdict.violations[0].message.includes("AAAAAAAAAA"));
        });
    });

    describe("has no verdict", () => {
        const cases: NotApplicableCase[] = [
            ["no policy", ResourceType.vpcEndpoint, { vpcId: "vpc-1" }, /no endpoint policy/],
            ["an unknown policy (preview)", ResourceType.vpcEndpoint, { policy: UnknownSentinel.string }, /not known until the update/],
            ["an unknown standalone policy (preview)", ResourceType.vpcEndpointPolicy, { policy: UnknownSentinel.string }, /not known/],
            ["an aws-native document with an unknown inside", ResourceType.nativeVpcEndpoint, { policyDocument: { Statement: [{ ...oneOver.Statement[0], Resource: UnknownSentinel.string }] } }, /not known/],
            ["a policy that is a number", ResourceType.vpcEndpoint, { policy: 42 }, /a number, not a policy document; see vpce-policy-json/],
        ];
        expectNotApplicable(vpcePolicySize, cases);
    });

    describe("never throws", () => {
        const odd: unknown[] = [undefined, null, 0, "", [], { policy: Symbol("s") }, { policyDocument: { a: 1n } }, { policyDocument: { a: () => 1 } }, { policyDocument: Object.create(null) }, new Proxy({}, { get() { throw new Error("boom"); } })];
        expectNeverThrows(vpcePolicySize, odd);
    });
});
