import * as assert from "assert";
import { vpcePrivateDns } from "../policies/vpce-private-dns";
import { UnknownSentinel as U } from "../policies/unknown-values";
import { gatewayEndpoint, interfaceEndpoint, ref, runCases, runStackPolicy, service, T, vpc, type Spec, type StackCase } from "./sg-stack-cases";

const sts = (extra: Record<string, unknown> = {}) => interfaceEndpoint("sts", "sts", extra);
const noDnsInputs = (v: Spec, drop: string): Spec => {
    const inputs = { ...v.inputs };
    delete inputs[drop];
    return { ...v, inputs };
};
const nativeVpc: Spec = { type: T.nativeVpc, name: "main", inputs: { cidrBlock: "10.0.0.0/16", enableDnsSupport: true, enableDnsHostnames: true }, computed: { vpcId: "vpc-0native", id: "vpc-0native" } };
const nativeSts = (extra: Record<string, unknown> = {}): Spec => ({ type: T.nativeEndpoint, name: "native-sts", inputs: { vpcId: ref("main", "vpcId"), serviceName: service("sts"), vpcEndpointType: "Interface", ...extra }, computed: { id: "vpce-0n" } });

const valid: StackCase[] = [
    { name: "private DNS on, VPC DNS attributes on", specs: [vpc(), sts()], expect: [] },
    { name: "enableDnsSupport not set (defaults to true)", specs: [noDnsInputs(vpc(), "enableDnsSupport"), sts()], expect: [] },
    { name: "a VPC outside the stack", specs: [sts({ vpcId: "vpc-0external" })], expect: [] },
    { name: "an exempt service", specs: [vpc({}), sts({ privateDnsEnabled: false })], config: { exemptServices: ["sts"] }, expect: [] },
    { name: "a customer endpoint service", specs: [vpc(), sts({ serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0abc123", privateDnsEnabled: false })], expect: [] },
    { name: "a gateway endpoint", specs: [vpc({ enableDnsHostnames: false }), gatewayEndpoint("s3", "s3")], expect: [] },
    { name: "privateDnsEnabled not known yet", only: "preview", specs: [vpc(), sts({ privateDnsEnabled: U.bool })], expect: [] },
    { name: "VPC DNS attributes not known yet", only: "preview", specs: [vpc({ enableDnsHostnames: U.bool }), sts()], expect: [] },
    { name: "aws-native endpoint and VPC", specs: [nativeVpc, nativeSts({ privateDnsEnabled: true })], expect: [] },
];

const invalid: StackCase[] = [
    { name: "privateDnsEnabled not set", specs: [vpc(), sts({ privateDnsEnabled: undefined })], expect: ["privateDnsOff@sts"], says: ["not set and defaults to false", "`privateDnsEnabled: true`", "\"sts\""] },
    { name: "privateDnsEnabled false", specs: [vpc(), sts({ privateDnsEnabled: false })], expect: ["privateDnsOff@sts"], says: ["privateDnsEnabled is false"] },
    { name: "enableDnsHostnames not set", specs: [noDnsInputs(vpc(), "enableDnsHostnames"), sts()], expect: ["vpcDnsOff@main"], says: ["`enableDnsHostnames` not set (it defaults to false)", "\"sts\""] },
    { name: "enableDnsSupport false", specs: [vpc({ enableDnsSupport: false }), sts()], expect: ["vpcDnsOff@main"], says: ["`enableDnsSupport` set to false"] },
    {
        name: "one VPC report for several endpoints",
        specs: [vpc({ enableDnsHostnames: false }), sts(), interfaceEndpoint("logs", "logs"), interfaceEndpoint("ecr-api", "ecr.api"), interfaceEndpoint("ecr-dkr", "ecr.dkr")],
        expect: ["vpcDnsOff@main"],
        says: ["\"sts\", \"logs\", \"ecr-api\" and 1 more"],
    },
    { name: "aws-native endpoint without privateDnsEnabled", specs: [nativeVpc, nativeSts()], expect: ["privateDnsOff@native-sts"] },
    { name: "an exempt list that does not name the service", specs: [vpc(), sts({ privateDnsEnabled: false })], config: { exemptServices: ["s3"] }, expect: ["privateDnsOff@sts"] },
];

describe("vpce-private-dns", () => {
    describe("passes", () => runCases(vpcePrivateDns, valid));
    describe("reports", () => runCases(vpcePrivateDns, invalid));

    it("has no verdict without Interface endpoints to AWS services", async () => {
        const verdict = await runStackPolicy(vpcePrivateDns, [vpc(), gatewayEndpoint("s3", "s3")], "preview");
        assert.match(verdict.notApplicable ?? "", /no Interface endpoints/);
    });
});
