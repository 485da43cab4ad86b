import { vpcePolicyPrincipal } from "../../policies/vpce-policy-principal";
import { ResourceType } from "../../stack/endpoint-policy";
import { UnknownSentinel } from "../../values/unknown-values";
import { fullAccessPolicy, expectPasses, expectReports, type DocumentCase, documentedPolicyCases, expectNeverThrows, expectNotApplicable, type NotApplicableCase } from "../support/cases";

type Case = DocumentCase;

const statement = (extra: Record<string, unknown>) => ({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*", ...extra }] });
const withoutPrincipal = (extra: Record<string, unknown> = {}) => {
    const s: Record<string, unknown> = { Effect: "Allow", Action: "s3:GetObject", Resource: "*", ...extra };
    return { Statement: [s] };
};

const valid: Case[] = [
    ...documentedPolicyCases,
    { name: "{\"AWS\": \"*\"}", document: statement({ Principal: { AWS: "*" } }) },
    { name: "AWS principals as a list of an ARN and an account ID", document: statement({ Principal: { AWS: ["arn:aws:iam::111122223333:role/app", "444455556666"] } }) },
    { name: "a service principal", document: statement({ Principal: { Service: "ec2.amazonaws.com" } }) },
    { name: "a federated principal", document: statement({ Principal: { Federated: "cognito-identity.amazonaws.com" } }) },
    { name: "a canonical user", document: statement({ Principal: { CanonicalUser: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be" } }) },
    { name: "all four principal types together", document: statement({ Principal: { AWS: "111122223333", Service: ["s3.amazonaws.com"], Federated: "accounts.google.com", CanonicalUser: "abc" } }) },
    { name: "NotPrincipal in a Deny", document: { Statement: [fullAccessPolicy.Statement[0], { Effect: "Deny", NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "*", Resource: "*" }] } },
    { name: "a single statement object", document: { Statement: fullAccessPolicy.Statement[0] } },
];

const invalid: Case[] = [
    { name: "no Principal", document: withoutPrincipal(), ids: ["missingPrincipal"], says: ["Statement[0] has no \"Principal\"", "Add \"Principal\": \"*\"", "aws:PrincipalArn"] },
    { name: "no Principal, named by Sid", document: withoutPrincipal({ Sid: "ReadOnly" }), ids: ["missingPrincipal"], says: ["Statement[0] (\"ReadOnly\")"] },
    { name: "a lower-case principal key", document: withoutPrincipal({ principal: "*" }), ids: ["missingPrincipal"], says: ["found \"principal\"", "case-sensitive"] },
    { name: "a bare IAM role ARN", document: statement({ Principal: "arn:aws:iam::111122223333:role/app" }), ids: ["bareString"], says: ["\"arn:aws:iam::111122223333:role/app\"", "{\"AWS\": \"arn:aws:iam::111122223333:role/app\"}"] },
    { name: "a bare service principal", document: statement({ Principal: "ec2.amazonaws.com" }), ids: ["bareString"], says: ["{\"Service\": \"ec2.amazonaws.com\"}"] },
    { name: "a bare account ID", document: statement({ Principal: "111122223333" }), ids: ["bareString"], says: ["{\"AWS\": \"111122223333\"}"] },
    { name: "a principal that is a number", document: statement({ Principal: 111122223333 }), ids: ["notStarOrObject"], says: ["is a number"] },
    { name: "a principal that is a list", document: statement({ Principal: ["*"] }), ids: ["notStarOrObject"], says: ["an array"] },
    { name: "a principal that is null", document: statement({ Principal: null }), ids: ["notStarOrObject"], says: ["null"] },
    { name: "an empty principal object", document: statement({ Principal: {} }), ids: ["emptyObject"] },
    { name: "principal type in lower case", document: statement({ Principal: { aws: "*" } }), ids: ["unknownType"], says: ["\"aws\"", "did you mean \"AWS\""] },
    { name: "an unknown principal type", document: statement({ Principal: { User: "alice" } }), ids: ["unknownType"], says: ["\"User\"", "AWS, Service, Federated and CanonicalUser"] },
    { name: "a principal value that is an object", document: statement({ Principal: { AWS: { arn: "x" } } }), ids: ["badValue"], says: ["\"Principal\" → AWS is an object"] },
    { name: "an empty principal list", document: statement({ Principal: { Service: [] } }), ids: ["emptyList"], says: ["Service is an empty list"] },
    { name: "a number in a principal list", document: statement({ Principal: { AWS: ["111122223333", 444455556666] } }), ids: ["badEntry"], says: ["AWS[1] is a number"] },
    { name: "NotPrincipal in an Allow", document: { Statement: [{ Sid: "AllButAdmin", Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::111122223333:role/admin" }, Action: "*", Resource: "*" }] }, ids: ["notPrincipalWithAllow"], says: ["Statement[0] (\"AllButAdmin\")", "only in a Deny"] },
    { name: "a malformed NotPrincipal in a Deny", document: { Statement: [{ Effect: "Deny", NotPrincipal: "arn:aws:iam::111122223333:root", Action: "*", Resource: "*" }] }, ids: ["bareString"], says: ["\"NotPrincipal\" is"] },
    {
        name: "one violation per offending statement, in order",
        document: { Statement: [withoutPrincipal({ Sid: "A" }).Statement[0], fullAccessPolicy.Statement[0], statement({ Sid: "C", Principal: { aws: 1, User: [] } }).Statement[0]] },
        ids: ["missingPrincipal", "unknownType"], says: ["Statement[0] (\"A\")", "Statement[2] (\"C\")"],
    },
    { name: "a long bare principal is shortened", document: statement({ Principal: `arn:aws:iam::111122223333:role/${"x".repeat(5000)}` }), ids: ["bareString"], says: ["…"] },
];

describe("vpce-policy-principal", () => {
    describe("passes", () => expectPasses(vpcePolicyPrincipal, valid));

    describe("reports", () => {
        expectReports(vpcePolicyPrincipal, invalid);
    });

    describe("has no verdict", () => {
        const cases: NotApplicableCase[] = [
            ["no policy", ResourceType.vpcEndpoint, { vpcId: "vpc-1" }, /no endpoint policy/],
            ["an unknown policy (preview)", ResourceType.vpcEndpoint, { policy: UnknownSentinel.string }, /not known until the update/],
            ["an aws-native document with an unknown principal", ResourceType.nativeVpcEndpoint, { policyDocument: { Statement: [{ Effect: "Allow", Principal: { AWS: UnknownSentinel.string }, Action: "*", Resource: "*" }] } }, /not known/],
            ["text that is not JSON", ResourceType.vpcEndpoint, { policy: "{\"Statement\": [" }, /^not valid JSON; see vpce-policy-json$/],
            ["a policy that is a number", ResourceType.vpcEndpointPolicy, { policy: 7 }, /^not valid JSON; see vpce-policy-json$/],
            ["a JSON array", ResourceType.vpcEndpoint, { policy: "[]" }, /not a JSON object; see vpce-policy-json/],
            ["a document without statements", ResourceType.vpcEndpoint, { policy: "{\"Version\":\"2012-10-17\"}" }, /no statement objects; see vpce-policy-json/],
        ];
        expectNotApplicable(vpcePolicyPrincipal, cases);
    });

    describe("never throws", () => {
        const odd: unknown[] = [undefined, null, 0, "", [], { policy: "{\"Statement\":[{\"Principal\":{\"__proto__\":1}}]}" }, { policyDocument: { Statement: [{ Principal: Object.create(null) }] } }, { policyDocument: { Statement: [null, 1, "x", [{}]] } }, new Proxy({}, { get() { throw new Error("boom"); } })];
        expectNeverThrows(vpcePolicyPrincipal, odd);
    });
});
