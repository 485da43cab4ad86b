import { vpcePolicyExplicit } from "../../policies/vpce-policy-explicit";
import { UnknownSentinel } from "../../values/unknown-values";
import { fullAccessPolicy, s3BucketPolicy } from "../support/cases";
import { svc, stackWith, awsDefaultPolicyText, ref, Stack, stackRuleTable, T, type StackCase } from "../support/stacks";

const restrictive = JSON.stringify(s3BucketPolicy);
const allow = (action: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: action, Resource: "*", ...extra }] });

const valid: StackCase[] = [
    { name: "a gateway endpoint with a narrow inline policy", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: restrictive })) },
    { name: "an interface endpoint with a narrow standalone policy", stack: stackWith((s, v) => s.standalone("sts-policy", s.endpoint("sts", v, svc("sts"), { vpcEndpointType: "Interface" }), { Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }] })) },
    { name: "an aws-native endpoint with a policyDocument object", stack: stackWith((s, v) => s.nativeEndpoint("s3", v, svc("s3"), { policyDocument: s3BucketPolicy })) },
    { name: "full access plus a Deny is not full access", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Statement: [...fullAccessPolicy.Statement, { Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" }] }) })) },
    { name: "s3:* with a condition is not full access", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: allow("s3:*", { Condition: { StringEquals: { "aws:ResourceAccount": "111122223333" } } }) })) },
    { name: "every action on one bucket is not full access", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "arn:aws:s3:::b/*" }] }) })) },
    { name: "a NotAction that leaves out some of this service's actions is not full access", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", NotAction: ["s3:Delete*"], Resource: "*" }] }) })) },
    { name: "full access plus a Deny whose action is not known yet", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Statement: [...fullAccessPolicy.Statement, { Effect: "Deny", Principal: "*", Action: UnknownSentinel.string, Resource: "*" }] }) })) },
    // Found by the property tests: a statement that is an unknown value could be a Deny that applies.
    { name: "full access plus a statement not known yet", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Statement: [...fullAccessPolicy.Statement, UnknownSentinel.string] }) })) },
    { name: "another service's wildcard is not full access to this one", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: allow("dynamodb:*") })) },
    { name: "the IoT Core credential provider, which takes no endpoint policy (IoTCore-VPC.html), needs none", stack: stackWith((s, v) => s.endpoint("iotc", v, svc("iot.credentials"), { vpcEndpointType: "Interface" })) },
    { name: "a service known to lack policy support needs none", stack: stackWith((s, v) => s.endpoint("smtp", v, svc("email-smtp"), { vpcEndpointType: "Interface" })) },
    { name: "a customer endpoint service needs none", stack: stackWith((s, v) => s.endpoint("partner", v, "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", { vpcEndpointType: "Interface" })) },
    { name: "a GatewayLoadBalancer endpoint needs none", stack: stackWith((s, v) => s.endpoint("gwlb", v, "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", { vpcEndpointType: "GatewayLoadBalancer" })) },
    { name: "an exempt service needs none (config, FIPS aside)", stack: stackWith((s, v) => s.endpoint("ecr", v, svc("ecr-fips.dkr"), { vpcEndpointType: "Interface" })), config: { exemptServices: ["ecr.dkr"] } },
    { name: "a service name that is not one of AWS's forms gets no claim", stack: stackWith((s, v) => s.endpoint("odd", v, "my-service")) },
    { name: "an unknown service name is skipped", stack: stackWith((s, v) => s.endpoint("unk", v, ref(s.add(T.bucket, "b", {}), "serviceName"))), shapes: ["preview"] },
    { name: "an unknown endpoint type is skipped", stack: stackWith((s, v) => s.endpoint("unk", v, svc("sts"), { vpcEndpointType: ref(s.add(T.bucket, "b", {}), "type") })), shapes: ["preview"] },
    { name: "a policy built from unknown values is skipped until the update", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: ref(s.add(T.bucket, "b", {}), "arn") }] } })), shapes: ["preview"] },
    { name: "a standalone policy whose document is what the endpoint reads back is its policy", stack: stackWith((s, v) => s.standalone("p", s.endpoint("s3", v, svc("s3")), restrictive)) },
    { name: "a standalone policy whose link is not known yet may be the endpoint's", stack: () => {
        const s = new Stack();
        const vpc = s.vpc();
        s.endpoint("s3", vpc, svc("s3"));
        s.standalone("p", UnknownSentinel.string, restrictive);
        return s;
    }, shapes: ["preview"] },
    { name: "a deployed endpoint the pack never analysed, reading back a narrow policy", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: restrictive }, { unanalysed: true })), shapes: ["deployed"] },
    { name: "an endpoint the pack never analysed, in preview (its policy output is unknown)", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), {}, { unanalysed: true })), shapes: ["preview"] },
];

const invalid: StackCase[] = [
    { name: "a gateway endpoint without a policy (vpcEndpointType omitted)", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"))), expect: ["missing@s3"], says: ["Gateway endpoint to \"com.amazonaws.us-east-1.s3\"", "default policy", "Set `policy`"] },
    { name: "an interface endpoint without a policy", stack: stackWith((s, v) => s.endpoint("sts", v, svc("sts"), { vpcEndpointType: "Interface" })), expect: ["missing@sts"] },
    { name: "an aws-native endpoint without a policyDocument", stack: stackWith((s, v) => s.nativeEndpoint("sts", v, svc("sts"), { vpcEndpointType: "Interface" })), expect: ["missing@sts"], says: ["Set `policyDocument`"] },
    { name: "an empty policy string is no policy", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: "" })), expect: ["missing@s3"] },
    { name: "a service whose support is unknown still gets the default", stack: stackWith((s, v) => s.endpoint("br", v, svc("bedrock-runtime"), { vpcEndpointType: "Interface" })), expect: ["missing@br"] },
    { name: "an explicit policy of \"*\"", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify(fullAccessPolicy) })), expect: ["fullAccess@s3"], says: ["Statement[0] allows every action (\"*\")"] },
    { name: "\"S3:*\" on an S3 endpoint, principal {\"AWS\": \"*\"}, with a Sid", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "All", Effect: "Allow", Principal: { AWS: "*" }, Action: ["S3:*"], Resource: ["*"] }] }) })), expect: ["fullAccess@s3"], says: ["Statement[0] (\"All\")", "\"S3:*\""] },
    { name: "ecr:* on an ecr.dkr endpoint", stack: stackWith((s, v) => s.endpoint("ecr", v, svc("ecr.dkr"), { vpcEndpointType: "Interface", policy: allow("ecr:*") })), expect: ["fullAccess@ecr"] },
    { name: "kinesis:* on a kinesis-streams FIPS endpoint", stack: stackWith((s, v) => s.endpoint("kin", v, svc("kinesis-streams-fips"), { vpcEndpointType: "Interface", policy: allow("kinesis:*") })), expect: ["fullAccess@kin"] },
    { name: "a full-access standalone policy is reported on the VpcEndpointPolicy", stack: stackWith((s, v) => s.standalone("open", s.endpoint("s3", v, svc("s3")), fullAccessPolicy)), expect: ["fullAccess@open"] },
    { name: "a VpcEndpointPolicy without `policy` resets to the default", stack: stackWith((s, v) => s.add(T.endpointPolicy, "reset", { vpcEndpointId: ref(s.endpoint("s3", v, svc("s3"))) })), expect: ["defaultedStandalone@reset"], says: ["sets no `policy`"] },
    { name: "a VpcEndpointPolicy with an empty `policy` resets to the default", stack: stackWith((s, v) => s.standalone("reset", s.endpoint("s3", v, svc("s3")), "")), expect: ["defaultedStandalone@reset"] },
    { name: "a never-analysed VpcEndpointPolicy reading back the default", stack: stackWith((s, v) => s.add(T.endpointPolicy, "reset", { vpcEndpointId: ref(s.endpoint("s3", v, svc("s3"))) }, { unanalysed: true })), shapes: ["deployed"], expect: ["fullAccess@reset"] },
    { name: "NotAction naming only another service, on resource \"*\"", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", NotAction: ["ec2:*"], Resource: "*" }] }) })), expect: ["fullAccess@s3"], says: ["every action (NotAction \"ec2:*\")"] },
    { name: "the default policy plus a Deny of ec2:*, which never applies on S3", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Statement: [...fullAccessPolicy.Statement, { Sid: "NoEc2", Effect: "Deny", Principal: "*", Action: "ec2:*", Resource: "*" }] }) })), expect: ["fullAccess@s3"], says: ["its Deny, Statement[1] (\"NoEc2\"), never applies here"] },
    { name: "the default policy plus a Deny on a misspelt condition key", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: JSON.stringify({ Statement: [...fullAccessPolicy.Statement, { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { StringEquals: { "aws:PrincpalAccount": "111122223333" } } }] }) })), expect: ["fullAccess@s3"] },
    { name: "a condition that always holds restricts nothing", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: allow("s3:*", { Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }) })), expect: ["fullAccess@s3"] },
    { name: "an empty Condition object is no condition", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: allow("*", { Condition: {} }) })), expect: ["fullAccess@s3"] },
    { name: "an aws-native full-access policyDocument object", stack: stackWith((s, v) => s.nativeEndpoint("s3", v, svc("s3"), { policyDocument: fullAccessPolicy })), expect: ["fullAccess@s3"] },
    { name: "a deployed endpoint the pack never analysed that reads back AWS's default", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), {}, { unanalysed: true, deployedOutputs: { policy: awsDefaultPolicyText } })), shapes: ["deployed"], expect: ["awsDefault@s3"], says: ["as AWS reports it"] },
    { name: "an existing endpoint whose inline policy was removed keeps its live policy", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), {}, { existing: true, deployedOutputs: { policy: restrictive }, previewOutputs: { policy: restrictive } })), expect: ["undeclared@s3"], says: ["removing `policy` does not reset the live policy"] },
    { name: "an existing endpoint without a policy reading back the default", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), {}, { existing: true })), expect: ["missing@s3"] },
    { name: "the exemption is per service", stack: stackWith((s, v) => { s.endpoint("s3", v, svc("s3")); s.endpoint("ddb", v, svc("dynamodb")); }), config: { exemptServices: ["s3"] }, expect: ["missing@ddb"] },
];

describe("vpce-policy-explicit", () => {
    stackRuleTable(vpcePolicyExplicit, valid, invalid);
});
