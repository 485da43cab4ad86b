import { vpcePolicyNoAccess } from "../../policies/vpce-policy-no-access";
import { UnknownSentinel } from "../../values/unknown-values";
import { fullAccessPolicy, s3BucketPolicy } from "../support/cases";
import { allow, deny, doc, endpointWith, when } from "../support/effect-cases";
import { ref, Stack, stackRuleTable, svc, T, type StackCase } from "../support/stacks";

const u = UnknownSentinel.string;
const misspelt = "aws:PrincpalAccount";

const valid: StackCase[] = [
    { name: "the PrivateLink guide's narrow S3 policy", stack: endpointWith(s3BucketPolicy) },
    { name: "AWS's default policy", stack: endpointWith(fullAccessPolicy) },
    { name: "an Allow next to a Deny with a condition", stack: endpointWith(doc(allow(), deny(when("StringNotEquals", "aws:ResourceAccount", "111122223333")))) },
    // A key no request carries: the operators that hold without it keep the Allow alive.
    { name: "a misspelt key under StringEqualsIfExists holds", stack: endpointWith(doc(allow(when("StringEqualsIfExists", misspelt, "111122223333")))) },
    { name: "a misspelt key under a negated operator holds", stack: endpointWith(doc(allow(when("StringNotEquals", misspelt, "111122223333")))) },
    { name: "a misspelt key under ForAllValues: holds", stack: endpointWith(doc(allow(when("ForAllValues:StringEquals", misspelt, "111122223333")))) },
    { name: "Null \"true\" on a misspelt key holds", stack: endpointWith(doc(allow(when("Null", misspelt, "true")))) },
    { name: "NotIpAddress on aws:SourceIp holds", stack: endpointWith(doc(allow(when("NotIpAddress", "aws:SourceIp", "10.0.0.0/8")))) },
    { name: "a Deny of everything except some principals (NotPrincipal)", stack: endpointWith(doc(allow(), deny({ Action: "*", Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" } }))) },
    { name: "a Deny of everything outside one bucket (NotResource)", stack: endpointWith(doc(allow(), deny({ Action: "*", Resource: undefined, NotResource: "arn:aws:s3:::b/*" }))) },
    { name: "a Deny of every action with a condition", stack: endpointWith(doc(allow(), deny({ Action: "*", ...when("Bool", "aws:SecureTransport", "false") }))) },
    { name: "aws:SourceVpc of this endpoint's VPC", stack: endpointWith(doc(allow(when("StringEquals", "aws:SourceVpc", "vpc-0abc1234"))), { vpc: "vpc-0abc1234" }) },
    { name: "aws:SourceVpc while the VPC ID is not known (preview of a new VPC)", stack: endpointWith(doc(allow(when("StringEquals", "aws:SourceVpc", "vpc-0fedcba9"))), { vpc: "stack" }), shapes: ["preview"] },
    { name: "aws:SourceVpce while the endpoint's ID is not known (preview)", stack: endpointWith(doc(allow(when("StringEquals", "aws:SourceVpce", "vpce-0fedcba987654321a"))), { endpointId: "vpce-0123456789abcdef0" }), shapes: ["preview"] },
    { name: "a key of a family the catalogue does not know (saml:aud)", stack: endpointWith(doc(allow(when("StringEquals", "saml:aud", "x")))) },
    { name: "a service with no known IAM prefix gets no claim on actions", stack: endpointWith(doc(allow({ Action: "brandnew:Do" })), { suffix: "brand-new-service", type: "Interface" }) },
    { name: "a customer endpoint service is not judged", stack: () => { const s = new Stack(); s.endpoint("ep", s.vpc(), "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", { vpcEndpointType: "Interface", policy: JSON.stringify(doc(deny())) }); return s; } },
    { name: "a document vpce-policy-json rejects (an unknown operator) is its business", stack: endpointWith(doc(deny(when("StringEqual", "aws:PrincipalAccount", "1")))) },
    { name: "a document vpce-policy-json rejects (a duplicate Sid) is its business", stack: endpointWith(doc(deny({ Sid: "x" }), deny({ Sid: "x" }))) },
    { name: "a policy built from unknown values is not judged until the update", stack: () => { const s = new Stack(); const b = s.add(T.bucket, "b", {}); s.endpoint("ep", s.vpc(), svc("s3"), { policy: doc(deny({ Resource: ref(b, "arn") })) }); return s; }, shapes: ["preview"] },
    // Unknown sentinels inside a document the engine sends as text: no verdict where they decide.
    { name: "an unknown Action of the only Allow", stack: endpointWith(doc(allow({ Action: u }), deny({ Action: "s3:DeleteBucket" }))) },
    { name: "an unknown Resource entry next to a dead one", stack: endpointWith(doc(allow({ Action: "s3:ListAllMyBuckets", Resource: ["arn:aws:s3:::b", u] }))) },
    { name: "an unknown condition value of Null on a misspelt key", stack: endpointWith(doc(allow(when("Null", misspelt, u)))) },
    { name: "an unknown condition key", stack: endpointWith(doc(allow(when("StringEquals", u, "x")))) },
    { name: "an unknown principal next to a bad one", stack: endpointWith(doc(allow({ Principal: { AWS: ["arn:aws:iam:us-east-1:111122223333:root", u] } }))) },
    { name: "an unknown Sid in a Deny-only document (it could repeat another Sid)", stack: endpointWith(doc(deny({ Sid: u }), deny({ Sid: "b" }))) },
    { name: "an unknown Deny Action beside an Allow", stack: endpointWith(doc(allow(), deny({ Action: u }))) },
];

const invalid: StackCase[] = [
    { name: "a document of Deny statements alone (AWS's KMS and S3 guides)", stack: endpointWith(doc(deny(when("StringNotEquals", "aws:PrincipalAccount", "111122223333")))), expect: ["noAllow@ep"], says: ["no Allow statement", "Deny statements grant nothing", "\"s3:*\""] },
    { name: "the VPC guide's misspelt aws:PrincpalAccount", stack: endpointWith(doc(allow(when("StringEquals", misspelt, "111122223333")))), expect: ["deadAllows@ep"], says: ["Statement[0]", "\"aws:PrincpalAccount\"", "not a global condition key", "Did you mean `aws:PrincipalAccount`?"] },
    { name: "the same in upper case", stack: endpointWith(doc(allow(when("StringEquals", "AWS:PRINCPALACCOUNT", "111122223333")))), expect: ["deadAllows@ep"], says: ["`aws:PrincipalAccount`"] },
    { name: "ForAnyValue: on a key no request carries", stack: endpointWith(doc(allow(when("ForAnyValue:StringEquals", "aws:PrincipalTagz", "x")))), expect: ["deadAllows@ep"] },
    { name: "Null \"false\" on a key no request carries", stack: endpointWith(doc(allow(when("Null", misspelt, "false")))), expect: ["deadAllows@ep"], says: ["requires the key to be present"] },
    { name: "a misspelt service key (s3:prefx)", stack: endpointWith(doc(allow(when("StringLike", "s3:prefx", "home/*")))), expect: ["deadAllows@ep"], says: ["`s3:prefix`"] },
    { name: "IpAddress on aws:SourceIp, which requests through an endpoint never carry", stack: endpointWith(doc(allow(when("IpAddress", "aws:SourceIp", "10.0.0.0/8")))), expect: ["deadAllows@ep"], says: ["aws:VpcSourceIp"] },
    { name: "only actions of another service", stack: endpointWith(doc(allow({ Action: ["ec2:*", "dynamodb:GetItem"] }))), expect: ["deadAllows@ep"], says: ["\"ec2:*\" is an action of \"ec2\""] },
    { name: "only an action the catalogue does not know", stack: endpointWith(doc(allow({ Action: "s3:GetObjekt" }))), expect: ["deadAllows@ep"], says: ["matches no action"] },
    { name: "a NotAction of every action of the service", stack: endpointWith(doc(allow({ Action: undefined, NotAction: "s3:*" }))), expect: ["deadAllows@ep"], says: ["NotAction excludes every action"] },
    { name: "an action without a resource type on a bucket ARN", stack: endpointWith(doc(allow({ Action: "s3:ListAllMyBuckets", Resource: "arn:aws:s3:::b" }))), expect: ["deadAllows@ep"], says: ["\"s3:ListAllMyBuckets\"", "Resource\": \"*\""] },
    { name: "resources of another service", stack: endpointWith(doc(allow({ Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/t" }))), expect: ["deadAllows@ep"], says: ["\"dynamodb\""] },
    { name: "a principal ARN with a Region", stack: endpointWith(doc(allow({ Principal: { AWS: "arn:aws:iam:us-east-1:111122223333:root" } }))), expect: ["deadAllows@ep"], says: ["no Region"] },
    { name: "aws:SourceVpc of another VPC", stack: endpointWith(doc(allow(when("StringEquals", "aws:SourceVpc", "vpc-0fedcba9"))), { vpc: "vpc-0abc1234" }), expect: ["deadAllows@ep"], says: ["\"vpc-0abc1234\""] },
    { name: "aws:SourceVpce of another endpoint, once the ID is known", stack: endpointWith(doc(allow(when("StringLike", "aws:SourceVpce", "vpce-0other*"))), { endpointId: "vpce-0123456789abcdef0" }), shapes: ["deployed"], expect: ["deadAllows@ep"], says: ["\"vpce-0123456789abcdef0\""] },
    { name: "StringNotEquals aws:SourceVpc of this very VPC", stack: endpointWith(doc(allow(when("StringNotEquals", "aws:SourceVpc", "vpc-0abc1234"))), { vpc: "vpc-0abc1234" }), expect: ["deadAllows@ep"] },
    { name: "a Numeric operator on an ARN key", stack: endpointWith(doc(allow(when("NumericEquals", "aws:PrincipalArn", "1")))), expect: ["deadAllows@ep"], says: ["compares a number", "ARN"] },
    { name: "every Allow dead, for different reasons", stack: endpointWith(doc(allow({ Sid: "A", ...when("StringEquals", misspelt, "1") }), allow({ Sid: "B", Action: "ec2:*" }), deny())), expect: ["deadAllows@ep"], says: ["Statement[0] (\"A\")", "Statement[1] (\"B\")"] },
    // Found by the protocol fuzz: the engine puts the description before the message; both stay short.
    { name: "long Sids and keys in many dead Allows keep the message short", stack: endpointWith(doc(...[0, 1, 2].map((i) => allow({ Sid: `${"S".repeat(150)}${i}`, ...when("ForAnyValue:StringEqualsIgnoreCase", `aws:${"Principal".repeat(20)}${i}`, "1") })))), expect: ["deadAllows@ep"], says: ["and 1 more Allow statement(s)"] },
    { name: "a Deny of everything without a condition", stack: endpointWith(doc(allow({ Action: "*" }), deny({ Action: "*" }))), expect: ["blanketDeny@ep"], says: ["Statement[1] denies every action (\"*\")"] },
    { name: "a Deny of every S3 action, principal {\"AWS\": \"*\"}", stack: endpointWith(doc(allow(), deny({ Principal: { AWS: "*" } }))), expect: ["blanketDeny@ep"] },
    { name: "a Deny whose NotAction names only another service", stack: endpointWith(doc(allow(), deny({ Action: undefined, NotAction: "ec2:*" }))), expect: ["blanketDeny@ep"], says: ["NotAction \"ec2:*\""] },
    { name: "a Deny whose only condition always holds", stack: endpointWith(doc(allow(), deny({ Action: "*", ...when("StringEqualsIfExists", misspelt, "1") }))), expect: ["blanketDeny@ep"], says: ["its condition always holds"] },
    { name: "on a standalone VpcEndpointPolicy", stack: endpointWith(doc(deny()), { carrier: "standalone" }), expect: ["noAllow@pol"] },
    { name: "on an aws-native endpoint", stack: endpointWith(doc(allow(when("IpAddress", "aws:SourceIp", "10.0.0.0/8"))), { carrier: "native" }), expect: ["deadAllows@ep"] },
    { name: "an Interface endpoint to STS", stack: endpointWith(doc(allow({ Action: "sts:AssumeRole", ...when("StringEquals", "aws:PrincipalOrgId ", "o-a1b2c3d4e5") })), { suffix: "sts" }), expect: ["deadAllows@ep"], says: ["`aws:PrincipalOrgID`"] },
];

describe("vpce-policy-no-access", () => {
    stackRuleTable(vpcePolicyNoAccess, valid, invalid);
});
