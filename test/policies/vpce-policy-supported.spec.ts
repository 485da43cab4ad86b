import { vpcePolicySupported } from "../../policies/vpce-policy-supported";
import { fullAccessPolicy, s3BucketPolicy } from "../support/cases";
import { svc, stackWith, awsDefaultPolicyText, ref, stackRuleTable, T, type StackCase } from "../support/stacks";

const customer = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
const restrictive = JSON.stringify(s3BucketPolicy);
const full = JSON.stringify(fullAccessPolicy);

const valid: StackCase[] = [
    { name: "a policy on an interface endpoint to a supported service", stack: stackWith((s, v) => s.endpoint("sts", v, svc("sts"), { vpcEndpointType: "Interface", policy: restrictive })) },
    { name: "a policy on a gateway endpoint (type omitted)", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: restrictive })) },
    { name: "a policy on a service whose support is unknown", stack: stackWith((s, v) => s.endpoint("br", v, svc("bedrock-runtime"), { vpcEndpointType: "Interface", policy: restrictive })) },
    { name: "no policy on a GatewayLoadBalancer endpoint", stack: stackWith((s, v) => s.endpoint("gwlb", v, customer, { vpcEndpointType: "GatewayLoadBalancer" })) },
    { name: "the full-access policy on a customer endpoint service", stack: stackWith((s, v) => s.endpoint("partner", v, customer, { vpcEndpointType: "Interface", policy: full })) },
    { name: "the full-access policy as AWS reads it back (Version 2008-10-17) on a customer service", stack: stackWith((s, v) => s.endpoint("partner", v, customer, { vpcEndpointType: "Interface", policy: awsDefaultPolicyText })) },
    { name: "no policy on a customer endpoint service", stack: stackWith((s, v) => s.endpoint("partner", v, customer, { vpcEndpointType: "Interface" })) },
    { name: "no policy on a service that does not support them", stack: stackWith((s, v) => s.endpoint("smtp", v, svc("email-smtp"), { vpcEndpointType: "Interface" })) },
    { name: "a policy on the (non-FIPS) SageMaker runtime", stack: stackWith((s, v) => s.endpoint("smr", v, svc("sagemaker.runtime"), { vpcEndpointType: "Interface", policy: restrictive })) },
    { name: "a policy on a service the config declares supported", stack: stackWith((s, v) => s.endpoint("smtp", v, svc("email-smtp"), { vpcEndpointType: "Interface", policy: restrictive })), config: { supportedServices: ["email-smtp"] } },
    { name: "an unparseable policy on a customer service is vpce-policy-json's business", stack: stackWith((s, v) => s.endpoint("partner", v, customer, { vpcEndpointType: "Interface", policy: "{nope" })) },
    { name: "an inline policy not known yet is skipped (it may turn out empty)", stack: stackWith((s, v) => s.endpoint("gwlb", v, customer, { vpcEndpointType: "GatewayLoadBalancer", policy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: ref(s.add(T.bucket, "b", {}), "arn") }] } })), shapes: ["preview"] },
    { name: "a VpcEndpointPolicy without `policy` on a customer service resets to full access", stack: stackWith((s, v) => s.add(T.endpointPolicy, "p", { vpcEndpointId: ref(s.endpoint("partner", v, customer, { vpcEndpointType: "Interface" })) })) },
    { name: "an unknown endpoint type is skipped", stack: stackWith((s, v) => s.endpoint("x", v, svc("sts"), { vpcEndpointType: ref(s.add(T.bucket, "b", {}), "t"), policy: restrictive })), shapes: ["preview"] },
    { name: "a never-analysed GatewayLoadBalancer endpoint reading back a default policy", stack: stackWith((s, v) => s.endpoint("gwlb", v, customer, { vpcEndpointType: "GatewayLoadBalancer" }, { unanalysed: true })), shapes: ["deployed"] },
];

const invalid: StackCase[] = [
    { name: "an inline policy on a GatewayLoadBalancer endpoint", stack: stackWith((s, v) => s.endpoint("gwlb", v, customer, { vpcEndpointType: "GatewayLoadBalancer", policy: full })), expect: ["wrongType@gwlb"], says: ["type GatewayLoadBalancer", "Remove `policy` from \"gwlb\""] },
    { name: "a standalone policy on a Resource endpoint is reported on the VpcEndpointPolicy", stack: stackWith((s, v) => s.standalone("rp", s.endpoint("res", v, undefined, { vpcEndpointType: "Resource", resourceConfigurationArn: "arn:aws:vpc-lattice:us-east-1:111122223333:resourceconfiguration/rcfg-1" }), restrictive)), expect: ["wrongType@rp"], says: ["VpcEndpointPolicy \"rp\""] },
    { name: "a policy on a ServiceNetwork endpoint (case aside)", stack: stackWith((s, v) => s.endpoint("sn", v, undefined, { vpcEndpointType: "servicenetwork", policy: restrictive })), expect: ["wrongType@sn"] },
    { name: "a VpcEndpointPolicy whose document is not known yet is still a policy resource", stack: stackWith((s, v) => s.standalone("p", s.endpoint("gwlb", v, customer, { vpcEndpointType: "GatewayLoadBalancer" }), { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: ref(s.add(T.bucket, "b", {}), "arn") }] })), shapes: ["preview"], expect: ["wrongType@p"] },
    { name: "a VpcEndpointPolicy without `policy` on a GatewayLoadBalancer endpoint (it resets the policy)", stack: stackWith((s, v) => s.add(T.endpointPolicy, "p", { vpcEndpointId: ref(s.endpoint("gwlb", v, customer, { vpcEndpointType: "GatewayLoadBalancer" })) })), expect: ["wrongType@p"] },
    { name: "an aws-native GatewayLoadBalancer endpoint with a policyDocument", stack: stackWith((s, v) => s.nativeEndpoint("gwlb", v, customer, { vpcEndpointType: "GatewayLoadBalancer", policyDocument: fullAccessPolicy })), expect: ["wrongType@gwlb"] },
    { name: "a narrow policy on a customer endpoint service", stack: stackWith((s, v) => s.endpoint("partner", v, customer, { vpcEndpointType: "Interface", policy: restrictive })), expect: ["customerService@partner"], says: ["accepts only the full-access policy"] },
    { name: "a full-access policy with a condition on a customer service is not full access", stack: stackWith((s, v) => s.endpoint("partner", v, customer, { vpcEndpointType: "Interface", policy: JSON.stringify({ Statement: [{ ...fullAccessPolicy.Statement[0], Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" } } }] }) })), expect: ["customerService@partner"] },
    { name: "a policy on email-smtp", stack: stackWith((s, v) => s.endpoint("smtp", v, svc("email-smtp"), { vpcEndpointType: "Interface", policy: full })), expect: ["unsupportedService@smtp"], says: ["add \"email-smtp\" to this policy's `supportedServices`"] },
    { name: "a standalone policy on a FIPS transfer.server endpoint", stack: stackWith((s, v) => s.standalone("tp", s.endpoint("tr", v, svc("transfer-fips.server"), { vpcEndpointType: "Interface" }), restrictive)), expect: ["unsupportedService@tp"] },
    // IoTCore-VPC.html, Limitations: "VPC endpoint policies are not supported".
    { name: "a policy on the IoT Core data plane", stack: stackWith((s, v) => s.endpoint("iot", v, svc("iot.data"), { vpcEndpointType: "Interface", policy: restrictive })), expect: ["unsupportedService@iot"] },
    // SageMaker AI interface-vpc-endpoint.html: no endpoint policies on FIPS runtime endpoints.
    { name: "a policy on a FIPS SageMaker runtime endpoint", stack: stackWith((s, v) => s.endpoint("smr", v, svc("sagemaker.runtime-fips"), { vpcEndpointType: "Interface", policy: restrictive })), expect: ["unsupportedService@smr"] },
    { name: "a policy on a service the config declares unsupported", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: restrictive })), config: { unsupportedServices: ["s3"] }, expect: ["unsupportedService@s3"] },
];

describe("vpce-policy-supported", () => {
    stackRuleTable(vpcePolicySupported, valid, invalid);
});
