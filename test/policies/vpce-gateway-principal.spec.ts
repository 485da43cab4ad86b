import { vpceGatewayPrincipal } from "../../policies/vpce-gateway-principal";
import { s3BucketPolicy } from "../support/cases";
import { svc, stackWith, ref, stackRuleTable, T, type StackCase } from "../support/stacks";

const withPrincipal = (principal: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ Statement: [{ Sid: "Read", Effect: "Allow", Principal: principal, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", ...extra }] });

const valid: StackCase[] = [
    { name: "Principal \"*\" with an aws:PrincipalArn condition", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: withPrincipal("*", { Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/app-*" } } }) })) },
    { name: "{\"AWS\": \"*\"} and [\"*\"]", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:*", Resource: "*" }, { Effect: "Allow", Principal: { AWS: ["*"] }, Action: "s3:*", Resource: "*" }] }) })) },
    { name: "an interface endpoint may name an account", stack: stackWith((s, v) => s.endpoint("sts", v, svc("sts"), { vpcEndpointType: "Interface", policy: withPrincipal({ AWS: "111122223333" }) })) },
    { name: "an interface S3 endpoint may name a role", stack: stackWith((s, v) => s.endpoint("s3i", v, svc("s3"), { vpcEndpointType: "Interface", policy: withPrincipal({ AWS: "arn:aws:iam::111122223333:role/app" }) })) },
    { name: "no policy at all (vpce-policy-explicit's business)", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"))) },
    { name: "AWS's default read back with Version 2008-10-17", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), {}, { unanalysed: true })), shapes: ["deployed"] },
    { name: "a policy not known yet", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: { Statement: [{ Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "*", Resource: ref(s.add(T.bucket, "b", {}), "arn") }] } })), shapes: ["preview"] },
    { name: "the PrivateLink guide's example (a condition on the account)", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify(s3BucketPolicy) })) },
    { name: "a Deny with Principal \"*\" and an aws:PrincipalArn condition", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }, { Effect: "Deny", Principal: "*", Action: "s3:DeleteObject", Resource: "*", Condition: { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/admin" } } }] }) })) },
    { name: "an interface endpoint may use NotPrincipal in a Deny", stack: stackWith((s, v) => s.endpoint("sts", v, svc("sts"), { vpcEndpointType: "Interface", policy: JSON.stringify({ Statement: [{ Effect: "Deny", NotPrincipal: { AWS: "arn:aws:iam::111122223333:role/admin" }, Action: "sts:*", Resource: "*" }] }) })) },
];

// AWS PrivateLink guide, "Control access to VPC endpoints using endpoint policies", Principals for gateway endpoints
// (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html): "With gateway endpoints, the Principal
// element must be set to *. To specify a principal, use the aws:PrincipalArn condition key. … If you specify the principal
// in the following format, access is granted to the AWS account root user only, not all users and roles for the account".
const denyWith = (element: Record<string, unknown>) => JSON.stringify({ Statement: [
    { Sid: "Read", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" },
    { Sid: "NoDeletes", Effect: "Deny", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/*", ...element },
] });

const invalid: StackCase[] = [
    {
        name: "a NotPrincipal in a Deny (no Principal)",
        stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: denyWith({ NotPrincipal: { AWS: "arn:aws:iam::111122223333:role/admin" } }) })),
        expect: ["notPrincipal@s3"],
        says: ["Statement[1] (\"NoDeletes\")", "NotPrincipal", "must be \"*\"", "\"ArnNotLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::111122223333:role/admin\"}"],
    },
    {
        name: "a NotPrincipal of an account in another partition",
        stack: stackWith((s, v) => s.endpoint("s3", v, "com.amazonaws.cn-north-1.s3", { vpcEndpointType: "Gateway", policy: denyWith({ NotPrincipal: { AWS: ["arn:aws-cn:iam::111122223333:root"] } }) })),
        expect: ["notPrincipal@s3"],
        says: ["\"StringNotEquals\": {\"aws:PrincipalAccount\": \"111122223333\"}"],
    },
    {
        name: "an account principal in a Deny denies only the root user",
        stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: denyWith({ Principal: { AWS: "111122223333" } }) })),
        expect: ["rootOnlyDeny@s3"],
        says: ["Statement[1] (\"NoDeletes\")", "denies only the root user of account 111122223333", "not the account's roles and users", "\"arn:aws:iam::111122223333:role/*\""],
    },
    {
        name: "an aws-cn :root ARN keeps its partition in the suggested aws:PrincipalArn",
        stack: stackWith((s, v) => s.endpoint("s3", v, "com.amazonaws.cn-north-1.s3", { vpcEndpointType: "Gateway", policy: withPrincipal({ AWS: "arn:aws-cn:iam::111122223333:root" }) })),
        expect: ["rootOnly@s3"],
        says: ["\"arn:aws-cn:iam::111122223333:role/*\""],
    },
    {
        name: "a bare account ID on a China Region's endpoint gets an aws-cn ARN",
        stack: stackWith((s, v) => s.endpoint("s3", v, "cn.com.amazonaws.cn-northwest-1.s3", { vpcEndpointType: "Gateway", policy: withPrincipal({ AWS: "111122223333" }) })),
        expect: ["rootOnly@s3"],
        says: ["\"arn:aws-cn:iam::111122223333:role/*\""],
    },
    { name: "an account ID on a gateway endpoint (type omitted)", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: withPrincipal({ AWS: "111122223333" }) })), expect: ["rootOnly@s3"], says: ["Statement[0] (\"Read\")", "root user of account 111122223333", "aws:PrincipalArn"] },
    { name: "the account's :root ARN, in another partition", stack: stackWith((s, v) => s.endpoint("ddb", v, "com.amazonaws.us-gov-west-1.dynamodb", { vpcEndpointType: "Gateway", policy: withPrincipal({ AWS: ["*", "arn:aws-us-gov:iam::111122223333:root"] }) })), expect: ["rootOnly@ddb"], says: ["\"arn:aws-us-gov:iam::111122223333:role/*\""] },
    { name: "a role ARN", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: withPrincipal({ AWS: "arn:aws:iam::111122223333:role/app" }) })), expect: ["unsupported@s3"], says: ["{\"AWS\": \"arn:aws:iam::111122223333:role/app\"}", "must be \"*\"", "aws:PrincipalArn"] },
    { name: "a service principal and a role in one statement", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: withPrincipal({ Service: "lambda.amazonaws.com", AWS: "arn:aws:iam::111122223333:user/u" }) })), expect: ["unsupported@s3", "unsupported@s3"] },
    { name: "a bare ARN string", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: withPrincipal("arn:aws:iam::111122223333:root") })), expect: ["rootOnly@s3"] },
    { name: "a standalone policy is reported on the VpcEndpointPolicy", stack: stackWith((s, v) => s.standalone("p", s.endpoint("s3", v, svc("s3")), withPrincipal({ AWS: "arn:aws:iam::111122223333:role/app" }))), expect: ["unsupported@p"] },
    { name: "an aws-native gateway endpoint (type omitted) with a policyDocument object", stack: stackWith((s, v) => s.nativeEndpoint("s3", v, svc("s3"), { policyDocument: JSON.parse(withPrincipal({ AWS: "111122223333" })) })), expect: ["rootOnly@s3"] },
    { name: "a never-analysed gateway endpoint reading back an account principal", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: withPrincipal({ AWS: "111122223333" }) }, { unanalysed: true })), shapes: ["deployed"], expect: ["rootOnly@s3"] },
];

describe("vpce-gateway-principal", () => {
    stackRuleTable(vpceGatewayPrincipal, valid, invalid);
});
