import { vpcePolicyDeadGrants } from "../../policies/vpce-policy-dead-grants";
import { UnknownSentinel } from "../../values/unknown-values";
import { s3BucketPolicy } from "../support/cases";
import { allow, deny, doc, endpointWith, when, type Statement } from "../support/effect-cases";
import { stackRuleTable, type StackCase } from "../support/stacks";

const u = UnknownSentinel.string;
const misspelt = "aws:PrincpalAccount";
/** A live Allow beside the statement under test, so that the document still lets something through. */
const live = allow({ Sid: "Live", Action: "s3:PutObject" });
const withLive = (...statements: Statement[]) => endpointWith(doc(live, ...statements));

const valid: StackCase[] = [
    // NHS Digital's DynamoDB policy of the corpus (60): "deny unless through our VPC" never applies
    // through an endpoint in that VPC, harmlessly; it compares with this endpoint's own VPC.
    { name: "a Deny of requests from outside this endpoint's own VPC", stack: endpointWith(doc(live, deny({ Action: "dynamodb:*", ...when("StringNotEquals", "aws:SourceVpc", "vpc-0abc1234") })), { vpc: "vpc-0abc1234" }) },
    { name: "the PrivateLink guide's narrow S3 policy", stack: endpointWith(s3BucketPolicy) },
    { name: "documented keys of every kind", stack: withLive(allow({
        Condition: {
            StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5", "s3:x-amz-acl": "private" },
            StringLike: { "s3:prefix": "home/*", "s3:ExistingObjectTag/team": "blue", "aws:PrincipalTag/team": "blue" },
            IpAddress: { "aws:VpcSourceIp": "10.0.0.0/8" },
            Bool: { "aws:SecureTransport": "true" },
            NumericLessThan: { "s3:max-keys": "10" },
            ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*" },
            DateLessThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" },
        },
    })) },
    { name: "keys compare case-insensitively", stack: withLive(allow(when("StringEquals", "AWS:principalorgid", "o-a1b2c3d4e5"))) },
    { name: "a String operator on a Bool key compares as written", stack: withLive(allow(when("StringEquals", "aws:SecureTransport", "true"))) },
    { name: "a key of a family the catalogue does not know (saml:aud)", stack: withLive(allow(when("StringEquals", "saml:aud", "x"))) },
    { name: "a key naming a policy variable", stack: withLive(allow(when("StringEquals", "aws:PrincipalTag/${aws:username}", "x"))) },
    { name: "a document that lets nothing through is vpce-policy-no-access's", stack: endpointWith(doc(allow(when("StringEquals", misspelt, "1")))) },
    { name: "a document whose Deny blocks everything (its condition always holds) is vpce-policy-no-access's", stack: withLive(deny(when("StringNotEqualsIfExists", misspelt, "1"))) },
    { name: "a Deny-only document is vpce-policy-no-access's", stack: endpointWith(doc(deny(when("StringEquals", misspelt, "1")))) },
    { name: "a document vpce-policy-json rejects is its business", stack: withLive(allow(when("StringEqual", misspelt, "1"))) },
    { name: "sts:AssumeRole on an IAM role ARN", stack: endpointWith(doc(allow({ Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/app" })), { suffix: "sts" }) },
    { name: "an action without a resource type in a statement whose NotResource leaves \"*\"", stack: withLive(allow({ Action: "s3:ListAllMyBuckets", Resource: undefined, NotResource: "arn:aws:s3:::secret/*" })) },
    { name: "a CloudFront origin access identity and a unique ID as principals", stack: withLive(allow({ Principal: { AWS: ["arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1", "AIDAEXAMPLEEXAMPLE"] } })) },
    { name: "principals in every AWS partition", stack: withLive(allow({ Principal: { AWS: ["arn:aws-cn:iam::111122223333:root", "arn:aws-us-gov:iam::111122223333:role/x", "arn:aws-iso-b:iam::111122223333:root"] } })) },
    { name: "aws:SourceVpc compared while the VPC ID is not known", stack: endpointWith(doc(live, allow(when("StringEquals", "aws:SourceVpc", "vpc-0fedcba9"))), { vpc: "stack" }), shapes: ["preview"] },
    // Unknown sentinels where the model reads: no verdict there.
    { name: "an unknown condition key", stack: withLive(allow(when("StringEquals", u, "1"))) },
    { name: "an unknown Null value on a misspelt key", stack: withLive(allow(when("Null", misspelt, u))) },
    { name: "an unknown resource beside an action without a resource type", stack: withLive(allow({ Action: "s3:ListAllMyBuckets", Resource: ["arn:aws:s3:::b", u] })) },
    { name: "an unknown Action of the live Allow hides the dead one (it might be dead too)", stack: endpointWith(doc(allow({ Action: u }), allow(when("StringEquals", misspelt, "1")))) },
    // Found by the property tests: an unknown that could revive or kill the other Allow leaves the document undecided.
    { name: "an unknown action beside resources of another service, and an Allow that is dead", stack: endpointWith(doc(allow({ Action: ["s3:GetObject", u], Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/t" }), allow(when("StringEquals", misspelt, "1")))) },
    { name: "an unknown principal list beside an Allow that is dead", stack: endpointWith(doc(allow({ Principal: { AWS: u } }), allow({ Principal: { AWS: ["*", "arn:aws:iam::111122223333:root"] }, Action: undefined, NotAction: "s3:*" }))) },
    { name: "an unknown aws:SourceVpc value", stack: endpointWith(doc(live, allow(when("StringEquals", "aws:SourceVpc", u))), { vpc: "vpc-0abc1234" }) },
];

const invalid: StackCase[] = [
    // A key that does not exist, under each way an operator reads an absent key; Allow and Deny.
    { name: "a misspelt global key (plain operator): the Allow never applies", stack: withLive(allow(when("StringEquals", misspelt, "111122223333"))), expect: ["deadStatement@ep"], says: ["Statement[1] (Allow) never applies", "\"aws:PrincpalAccount\"", "Did you mean `aws:PrincipalAccount`?"] },
    { name: "the same in a Deny", stack: withLive(deny(when("StringEquals", misspelt, "111122223333"))), expect: ["deadStatement@ep"], says: ["Statement[1] (Deny) never applies"] },
    { name: "the same key in another case gives the same verdict", stack: withLive(allow(when("StringEquals", "aws:princpalaccount", "111122223333"))), expect: ["deadStatement@ep"] },
    { name: "under IfExists it always holds", stack: withLive(deny({ Action: "s3:DeleteObject", ...when("StringNotEqualsIfExists", misspelt, "1") })), expect: ["alwaysHolds@ep"], says: ["restricts nothing", "IfExists operator holds when the key is absent"] },
    { name: "under a negated operator it always holds", stack: withLive(allow(when("StringNotLike", misspelt, "1*"))), expect: ["alwaysHolds@ep"], says: ["negated operator"] },
    { name: "under ForAllValues: it always holds", stack: withLive(allow(when("ForAllValues:StringEquals", "aws:TagKey", "a"))), expect: ["alwaysHolds@ep"], says: ["ForAllValues:", "`aws:TagKeys`"] },
    { name: "under ForAnyValue: it never matches", stack: withLive(allow(when("ForAnyValue:StringEquals", "aws:TagKey", "a"))), expect: ["deadStatement@ep"] },
    { name: "Null \"true\" always holds", stack: withLive(allow(when("Null", misspelt, "true"))), expect: ["alwaysHolds@ep"], says: ["Null with \"true\""] },
    { name: "Null false (a boolean) never matches", stack: withLive(allow(when("Null", misspelt, false))), expect: ["deadStatement@ep"] },
    { name: "a key with no service prefix", stack: withLive(allow(when("StringEquals", "PrincipalOrgID", "o-a1b2c3d4e5"))), expect: ["deadStatement@ep"], says: ["`aws:PrincipalOrgID`"] },
    { name: "a misspelt service key", stack: withLive(allow(when("StringEquals", "s3:x-amz-acll", "private"))), expect: ["deadStatement@ep"], says: ["not a condition key of \"s3\" in the IAM catalogue", "`s3:x-amz-acl`"] },
    { name: "a tag key with nothing after the slash", stack: withLive(allow(when("StringEquals", "aws:PrincipalTag/", "x"))), expect: ["deadStatement@ep"] },
    // aws:SourceIp through an endpoint.
    { name: "IpAddress on aws:SourceIp never matches", stack: withLive(allow(when("IpAddress", "aws:SourceIp", "10.0.0.0/8"))), expect: ["deadStatement@ep"], says: ["aws:VpcSourceIp"] },
    { name: "NotIpAddress on aws:SourceIp always holds (a Deny of everyone)", stack: withLive(deny({ Action: "s3:DeleteObject", ...when("NotIpAddress", "aws:SourceIp", "10.0.0.0/8") })), expect: ["alwaysHolds@ep"], says: ["negated operator"] },
    { name: "IpAddressIfExists on aws:SourceIp always holds", stack: withLive(allow(when("IpAddressIfExists", "AWS:SOURCEIP", "10.0.0.0/8"))), expect: ["alwaysHolds@ep"] },
    // aws:SourceVpc / aws:SourceVpce against the endpoint's own.
    { name: "aws:SourceVpc of another VPC", stack: endpointWith(doc(live, allow(when("StringEquals", "aws:SourceVpc", ["vpc-0fedcba9", "vpc-0fedcba8"]))), { vpc: "vpc-0abc1234" }), expect: ["deadStatement@ep"], says: ["\"vpc-0abc1234\""] },
    // Terraform DynamoDB policy of the corpus (59): an endpoint-service ID is never an endpoint's ID, known or not.
    { name: "StringNotEquals aws:SourceVpce with an endpoint-service ID always holds, in preview too", stack: endpointWith(doc(live, allow(when("StringNotEquals", "aws:sourceVpce", "vpce-svc-0a1b2c3d4e5f67890"))), { endpointId: "vpce-0123456789abcdef0" }), expect: ["alwaysHolds@ep"], says: ["\"vpce-svc-0a1b2c3d4e5f67890\"", "can never be"] },
    { name: "aws:SourceVpce of another endpoint, once the ID is known", stack: endpointWith(doc(live, deny(when("StringEqualsIgnoreCase", "aws:SourceVpce", "vpce-0fedcba987654321a"))), { endpointId: "vpce-0123456789abcdef0" }), shapes: ["deployed"], expect: ["deadStatement@ep"], says: ["(Deny)", "this endpoint's ID"] },
    // Operators of the wrong family.
    { name: "a Numeric operator on an ARN key never matches", stack: withLive(allow(when("NumericEquals", "aws:PrincipalArn", "1"))), expect: ["deadStatement@ep"], says: ["compares a number", "ARN", "Use an Arn operator"] },
    { name: "a Date operator on a Bool key never matches", stack: withLive(allow(when("DateGreaterThan", "aws:SecureTransport", "2020-01-01"))), expect: ["deadStatement@ep"] },
    { name: "the same under IfExists does not fit either", stack: withLive(allow(when("NumericEqualsIfExists", "aws:PrincipalArn", "1"))), expect: ["typeMismatch@ep"] },
    { name: "Bool on a string key does not fit", stack: withLive(allow(when("Bool", "aws:PrincipalType", "true"))), expect: ["typeMismatch@ep"], says: ["String"] },
    { name: "a service key's type from the catalogue (ArnLike on s3:x-amz-acl)", stack: withLive(allow(when("ArnLike", "s3:x-amz-acl", "arn:aws:s3:::b"))), expect: ["typeMismatch@ep"] },
    // Actions, resources and principals.
    { name: "an action without a resource type on a bucket ARN", stack: withLive(allow({ Action: ["s3:ListAllMyBuckets", "s3:GetObject"], Resource: "arn:aws:s3:::b/*" })), expect: ["deadEntry@ep"], says: ["Action entry \"s3:ListAllMyBuckets\"", "Resource\": \"*\""] },
    { name: "a resource ARN of another service", stack: withLive(allow({ Resource: ["arn:aws:s3:::b/*", "arn:aws:dynamodb:us-east-1:111122223333:table/t"] })), expect: ["deadEntry@ep"], says: ["Resource entry \"arn:aws:dynamodb:", "\"dynamodb\""] },
    { name: "a principal ARN with a Region", stack: withLive(allow({ Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam:us-east-1:111122223333:root"] } })), expect: ["deadEntry@ep"], says: ["no Region"] },
    { name: "an account ID that is not 12 digits", stack: withLive(allow({ Principal: { AWS: ["111122223333", "11112222333"] } })), expect: ["deadEntry@ep"], says: ["12-digit"] },
    { name: "an unknown partition", stack: withLive(allow({ Principal: { AWS: "arn:amazon:iam::111122223333:root" } })), expect: ["deadEntry@ep"], says: ["not an AWS partition"] },
    { name: "a long misspelt key under a long operator keeps the message short", stack: withLive(allow({ Sid: "S".repeat(150), ...when("ForAllValues:StringNotEqualsIgnoreCaseIfExists", `s3:${"prefix".repeat(40)}`, "1") })), expect: ["alwaysHolds@ep"] },
    { name: "principals made redundant by \"*\"", stack: withLive(allow({ Principal: { AWS: ["*", "arn:aws:iam::111122223333:root"] } })), expect: ["redundantPrincipal@ep"], says: ["\"arn:aws:iam::111122223333:root\""] },
    // One dead part copied into several statements of a document is one finding naming them all.
    { name: "the same dead action in two statements: one finding naming both", stack: withLive(allow({ Sid: "A", Action: "s3:ListAllMyBuckets", Resource: "arn:aws:s3:::a/*" }), allow({ Sid: "B", Action: "s3:ListAllMyBuckets", Resource: "arn:aws:s3:::b/*" })), expect: ["deadEntry@ep"], says: ["Statement[1] (\"A\") and Statement[2] (\"B\"): Action entry \"s3:ListAllMyBuckets\" never applies"] },
    { name: "the same dead action in five statements: three named, the rest counted", stack: withLive(...["A", "B", "C", "D", "E"].map((sid) => allow({ Sid: sid, Action: "s3:ListAllMyBuckets", Resource: `arn:aws:s3:::${sid.toLowerCase()}/*` }))), expect: ["deadEntry@ep"], says: ["Statement[1] (\"A\"), Statement[2] (\"B\"), Statement[3] (\"C\") and 2 more statements: Action entry"] },
    { name: "the same dead action in four statements: one more, in the singular", stack: withLive(...["A", "B", "C", "D"].map((sid) => allow({ Sid: sid, Action: "s3:ListAllMyBuckets", Resource: `arn:aws:s3:::${sid.toLowerCase()}/*` }))), expect: ["deadEntry@ep"], says: ["Statement[3] (\"C\") and 1 more statement: Action entry"] },
    { name: "the same misspelt key in two Allows: one finding, in the plural", stack: withLive(allow(when("StringEquals", misspelt, "1")), allow(when("StringEquals", misspelt, "1"))), expect: ["deadStatement@ep"], says: ["Statement[1] and Statement[2] (Allow) never apply on this endpoint: their condition"] },
    { name: "the same misspelt key in an Allow and a Deny: one finding each", stack: withLive(allow(when("StringEquals", misspelt, "1")), deny(when("StringEquals", misspelt, "1"))), expect: ["deadStatement@ep", "deadStatement@ep"], says: ["Statement[1] (Allow) never applies", "Statement[2] (Deny) never applies"] },
    { name: "different dead parts in two statements stay apart", stack: withLive(allow(when("IpAddress", "aws:SourceIp", "10.0.0.0/8")), allow(when("StringEquals", misspelt, "1"))), expect: ["deadStatement@ep", "deadStatement@ep"] },
    { name: "on a standalone VpcEndpointPolicy", stack: endpointWith(doc(live, allow(when("IpAddress", "aws:SourceIp", "10.0.0.0/8"))), { carrier: "standalone" }), expect: ["deadStatement@pol"] },
    { name: "on an aws-native endpoint", stack: endpointWith(doc(live, allow(when("IpAddress", "aws:SourceIp", "10.0.0.0/8"))), { carrier: "native" }), expect: ["deadStatement@ep"] },
];

describe("vpce-policy-dead-grants", () => {
    stackRuleTable(vpcePolicyDeadGrants, valid, invalid);
});
