import * as assert from "assert";
import { vpcePrivateDns } from "../../policies/vpce-private-dns";
import { UnknownSentinel as U } from "../../values/unknown-values";
import { gatewayEndpoint, interfaceEndpoint, networkRegion, ref, Stack, stackOf, stackRuleTable, svc, T, verdictOn, vpc, type Spec, type StackCase } from "../support/stacks";

const sts = (extra: Record<string, unknown> = {}) => interfaceEndpoint("sts", "sts", extra);
const noDnsInputs = (v: Spec, drop: string): Spec => {
    const inputs = { ...v.inputs };
    delete inputs[drop];
    return { ...v, inputs };
};
const nativeVpc: Spec = { type: T.nativeVpc, name: "main", inputs: { cidrBlock: "10.0.0.0/16", enableDnsSupport: true, enableDnsHostnames: true }, computed: { vpcId: "vpc-0native", id: "vpc-0native" } };
const nativeSts = (extra: Record<string, unknown> = {}): Spec => ({ type: T.nativeEndpoint, name: "native-sts", inputs: { vpcId: ref("main", "vpcId"), serviceName: svc("sts", networkRegion), vpcEndpointType: "Interface", ...extra }, computed: { id: "vpce-0n" } });

const valid: StackCase[] = [
    { name: "private DNS on, VPC DNS attributes on", stack: stackOf([vpc(), sts()]), expect: [] },
    { name: "enableDnsSupport not set (defaults to true)", stack: stackOf([noDnsInputs(vpc(), "enableDnsSupport"), sts()]), expect: [] },
    { name: "a VPC outside the stack", stack: stackOf([sts({ vpcId: "vpc-0external" })]), expect: [] },
    { name: "an exempt service", stack: stackOf([vpc({}), sts({ privateDnsEnabled: false })]), config: { exemptServices: ["sts"] }, expect: [] },
    { name: "a customer endpoint service", stack: stackOf([vpc(), sts({ serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0abc123", privateDnsEnabled: false })]), expect: [] },
    { name: "a gateway endpoint", stack: stackOf([vpc({ enableDnsHostnames: false }), gatewayEndpoint("s3", "s3")]), expect: [] },
    { name: "privateDnsEnabled not known yet", shapes: ["preview"], stack: stackOf([vpc(), sts({ privateDnsEnabled: U.bool })]), expect: [] },
    { name: "VPC DNS attributes not known yet", shapes: ["preview"], stack: stackOf([vpc({ enableDnsHostnames: U.bool }), sts()]), expect: [] },
    { name: "aws-native endpoint and VPC", stack: stackOf([nativeVpc, nativeSts({ privateDnsEnabled: true })]), expect: [] },
    // IoTCore-VPC.html: neither the IoT data plane nor its credential provider supports private DNS names.
    { name: "IoT Core data plane: AWS offers no private DNS", stack: stackOf([vpc(), interfaceEndpoint("iot", "iot.data", { privateDnsEnabled: false })]), expect: [] },
    { name: "IoT Core credential provider without privateDnsEnabled", stack: stackOf([vpc(), interfaceEndpoint("iot-creds", "iot.credentials", { privateDnsEnabled: undefined })]), expect: [] },
    // PrivateLink, S3: an interface endpoint for on-premises clients beside the VPC's gateway endpoint.
    { name: "S3 interface endpoint without private DNS beside an S3 gateway endpoint", stack: stackOf([vpc(), gatewayEndpoint("s3-gw", "s3"), interfaceEndpoint("s3-if", "s3", { privateDnsEnabled: false })]), expect: [] },
    // Found by the fuzz: the other endpoint's service not known yet might be the S3 gateway.
    { name: "S3 interface endpoint without private DNS beside an endpoint whose service is not known yet", shapes: ["preview"], stack: stackOf([vpc(), gatewayEndpoint("maybe-s3", "s3", { serviceName: U.string }), interfaceEndpoint("s3-if", "s3", { privateDnsEnabled: false })]), expect: [] },
];

const invalid: StackCase[] = [
    { name: "privateDnsEnabled not set", stack: stackOf([vpc(), sts({ privateDnsEnabled: undefined })]), expect: ["privateDnsOff@sts"], says: ["not set and defaults to false", "`privateDnsEnabled: true`", "\"sts\""] },
    { name: "privateDnsEnabled false", stack: stackOf([vpc(), sts({ privateDnsEnabled: false })]), expect: ["privateDnsOff@sts"], says: ["privateDnsEnabled is false"] },
    { name: "enableDnsHostnames not set", stack: stackOf([noDnsInputs(vpc(), "enableDnsHostnames"), sts()]), expect: ["vpcDnsOff@main"], says: ["`enableDnsHostnames` not set (it defaults to false)", "\"sts\""] },
    { name: "enableDnsSupport false", stack: stackOf([vpc({ enableDnsSupport: false }), sts()]), expect: ["vpcDnsOff@main"], says: ["`enableDnsSupport` set to false"] },
    {
        name: "one VPC report for several endpoints",
        stack: stackOf([vpc({ enableDnsHostnames: false }), sts(), interfaceEndpoint("logs", "logs"), interfaceEndpoint("ecr-api", "ecr.api"), interfaceEndpoint("ecr-dkr", "ecr.dkr")]),
        expect: ["vpcDnsOff@main"],
        says: ["\"sts\", \"logs\", \"ecr-api\" and 1 more"],
    },
    { name: "aws-native endpoint without privateDnsEnabled", stack: stackOf([nativeVpc, nativeSts()]), expect: ["privateDnsOff@native-sts"] },
    { name: "S3 interface endpoint without private DNS and no gateway endpoint", stack: stackOf([vpc(), interfaceEndpoint("s3-if", "s3", { privateDnsEnabled: false })]), expect: ["privateDnsOff@s3-if"] },
    { name: "an exempt list that does not name the service", stack: stackOf([vpc(), sts({ privateDnsEnabled: false })]), config: { exemptServices: ["s3"] }, expect: ["privateDnsOff@sts"] },
];

describe("vpce-private-dns", () => {
    stackRuleTable(vpcePrivateDns, valid, invalid);

    it("has no verdict without Interface endpoints to AWS services", async () => {
        const verdict = await verdictOn(vpcePrivateDns, Stack.of([vpc(), gatewayEndpoint("s3", "s3")]), "preview");
        assert.match(verdict.notApplicable ?? "", /no Interface endpoints/);
    });
});
