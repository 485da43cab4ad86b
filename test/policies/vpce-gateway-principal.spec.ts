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
    { name: "a NotPrincipal element is vpce-policy-principal's business", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Statement: [{ Effect: "Deny", NotPrincipal: { AWS: "111122223333" }, Action: "s3:*", Resource: "*" }] }) })) },
];

const invalid: StackCase[] = [
    { name: "an account ID on a gateway endpoint (type omitted)", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: withPrincipal({ AWS: "111122223333" }) })), expect: ["rootOnly@s3"], says: ["Statement[0] (\"Read\")", "root user of account 111122223333", "aws:PrincipalArn"] },
    { name: "the account's :root ARN, in another partition", stack: stackWith((s, v) => s.endpoint("ddb", v, "com.amazonaws.us-gov-west-1.dynamodb", { vpcEndpointType: "Gateway", policy: withPrincipal({ AWS: ["*", "arn:aws-us-gov:iam::111122223333:root"] }) })), expect: ["rootOnly@ddb"] },
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
