import * as assert from "assert";
import { vpceInterfaceSecurityGroups } from "../../policies/vpce-interface-security-groups";
import { UnknownSentinel } from "../../values/unknown-values";
import {
    gatewayEndpoint, interfaceEndpoint, networkRegion, ref, sg, shapes, Stack, stackCases, stackOf, stackRuleTable, svc, T, tcpIngress, verdictOn, vpc, type StackCase,
} from "../support/stacks";

const endpointSg = sg("endpoints", { ingress: [tcpIngress(443, { cidrBlocks: ["10.0.0.0/16"] })] });
const association = (name: string, endpoint: string, group: unknown, extra: Record<string, unknown> = {}) => ({
    type: T.association, name, inputs: { vpcEndpointId: ref(endpoint), securityGroupId: group, ...extra }, computed: { id: `${name}-id` },
});
const replacing = { replaceDefaultAssociation: true };
// Created without securityGroupIds, the endpoint got the VPC's default group; AWS reads back every group attached.
const readBackWithDefault = (...groups: string[]) => ({ deployedOutputs: { securityGroupIds: ["sg-0defaultmain", ...groups] } });

const valid: StackCase[] = [
    { name: "an endpoint naming its own group", stack: stackOf([vpc(), endpointSg, interfaceEndpoint("sts", "sts", { securityGroupIds: [ref("endpoints")] })]), expect: [] },
    // Terraform/Pulumi aws.ec2.SecurityGroupAssociation, replaceDefaultAssociation: "whether this association should replace the
    // association with the VPC's default security group that is created when no security groups are specified during VPC endpoint creation".
    { name: "a group attached by an association that replaces the default group", stack: stackOf([vpc(), endpointSg, interfaceEndpoint("sts", "sts"), association("sts-sg", "sts", ref("endpoints"), replacing)]), expect: [] },
    {
        name: "two associations, one of them replacing the default group",
        stack: stackOf([vpc(), endpointSg, sg("more", {}), interfaceEndpoint("sts", "sts"), association("sts-sg", "sts", ref("endpoints")), association("sts-more", "sts", ref("more"), replacing)]),
        expect: [],
    },
    { name: "an association beside securityGroupIds (the default group was never attached)", stack: stackOf([vpc(), endpointSg, sg("more", {}), interfaceEndpoint("sts", "sts", { securityGroupIds: [ref("endpoints")] }), association("sts-more", "sts", ref("more"))]), expect: [] },
    { name: "replaceDefaultAssociation not known yet", stack: stackOf([vpc(), endpointSg, interfaceEndpoint("sts", "sts"), association("sts-sg", "sts", ref("endpoints"), { replaceDefaultAssociation: UnknownSentinel.bool })]), shapes: ["preview"], expect: [] },
    {
        name: "an association whose endpoint is not known yet may be the one that replaces",
        stack: stackOf([vpc(), endpointSg, interfaceEndpoint("sts", "sts"), association("sts-sg", "sts", ref("endpoints")), { type: T.association, name: "elsewhere", inputs: { vpcEndpointId: UnknownSentinel.string, securityGroupId: ref("endpoints"), ...replacing } }]),
        shapes: ["preview"],
        expect: [],
    },
    { name: "a group outside the stack", stack: stackOf([vpc(), interfaceEndpoint("sts", "sts", { securityGroupIds: ["sg-0123456789abcdef0"] })]), expect: [] },
    { name: "two groups, one of them outside the stack", stack: stackOf([vpc(), endpointSg, interfaceEndpoint("sts", "sts", { securityGroupIds: [ref("endpoints"), "sg-0123456789abcdef0"] })]), expect: [] },
    { name: "a gateway endpoint needs no group", stack: stackOf([vpc(), gatewayEndpoint("s3", "s3")]), expect: [] },
    { name: "an endpoint whose type is not known yet", stack: stackOf([vpc(), interfaceEndpoint("sts", "sts", { vpcEndpointType: UnknownSentinel.string })]), expect: [] },
    { name: "a whole securityGroupIds list not known yet", stack: stackOf([vpc(), interfaceEndpoint("sts", "sts", { securityGroupIds: UnknownSentinel.array })]), expect: [] },
    {
        name: "an aws-native endpoint naming an aws-native group",
        stack: stackOf([
            vpc(),
            { type: T.nativeSecurityGroup, name: "native-endpoints", inputs: { vpcId: ref("main"), groupDescription: "endpoints", securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIp: "10.0.0.0/16" }] }, computed: { groupId: "sg-0native", id: "sg-0native" } },
            { type: T.nativeEndpoint, name: "native-sts", inputs: { vpcId: ref("main"), serviceName: svc("sts", networkRegion), vpcEndpointType: "Interface", privateDnsEnabled: true, securityGroupIds: [ref("native-endpoints", "groupId")] }, computed: { id: "vpce-0native" } },
        ]),
        expect: [],
    },
];

const invalid: StackCase[] = [
    { name: "no securityGroupIds and no association", stack: stackOf([vpc(), interfaceEndpoint("sts", "sts")]), expect: ["noGroups@sts"], says: ["Interface endpoint to com.amazonaws.eu-west-1.sts", "default security group"] },
    { name: "an empty securityGroupIds list", stack: stackOf([vpc(), interfaceEndpoint("sts", "sts", { securityGroupIds: [] })]), expect: ["noGroups@sts"] },
    { name: "an aws-native endpoint without groups", stack: stackOf([vpc(), { type: T.nativeEndpoint, name: "native-sts", inputs: { vpcId: ref("main"), serviceName: svc("sts", networkRegion), vpcEndpointType: "Interface" }, computed: { id: "vpce-0n" } }]), expect: ["noGroups@native-sts"] },
    {
        name: "the VPC's defaultSecurityGroupId",
        stack: stackOf([vpc(), interfaceEndpoint("sts", "sts", { securityGroupIds: [ref("main", "defaultSecurityGroupId")] })]),
        expect: ["defaultGroup@sts"],
        says: ["default group of VPC \"main\"", "`securityGroupIds`"],
    },
    {
        name: "an adopted DefaultSecurityGroup",
        stack: stackOf([vpc(), { type: T.defaultSecurityGroup, name: "default", inputs: { vpcId: ref("main"), ingress: [] }, computed: { id: "sg-0default" } }, interfaceEndpoint("sts", "sts", { securityGroupIds: [ref("default")] })]),
        expect: ["defaultGroup@sts"],
        says: ["\"default\" (DefaultSecurityGroup)"],
    },
    {
        name: "the default group attached by an association",
        stack: stackOf([vpc(), interfaceEndpoint("sts", "sts"), association("sts-default", "sts", ref("main", "defaultSecurityGroupId"))]),
        expect: ["defaultGroup@sts"],
        says: ["SecurityGroupAssociation \"sts-default\""],
    },
    {
        name: "an association without replaceDefaultAssociation keeps the default group",
        stack: stackOf([vpc(), endpointSg, { ...interfaceEndpoint("sts", "sts"), ...readBackWithDefault("sg-0endpoints") }, association("sts-sg", "sts", ref("endpoints"))]),
        expect: ["defaultKept@sts"],
        says: ["created without `securityGroupIds`", "\"sts-sg\"", "`replaceDefaultAssociation: true`", "default group stays attached"],
    },
    {
        name: "replaceDefaultAssociation: false keeps the default group",
        stack: stackOf([vpc(), endpointSg, { ...interfaceEndpoint("sts", "sts"), ...readBackWithDefault("sg-0endpoints") }, association("sts-sg", "sts", ref("endpoints"), { replaceDefaultAssociation: false })]),
        expect: ["defaultKept@sts"],
    },
    {
        name: "two associations, neither replacing the default group",
        stack: stackOf([vpc(), endpointSg, sg("more", {}), { ...interfaceEndpoint("sts", "sts"), ...readBackWithDefault("sg-0endpoints", "sg-0more") }, association("sts-sg", "sts", ref("endpoints")), association("sts-more", "sts", ref("more"))]),
        expect: ["defaultKept@sts"],
        says: ["\"sts-sg\", \"sts-more\""],
    },
    {
        name: "an endpoint whose inputs the pack never saw, read back with the default group",
        stack: stackOf([vpc(), endpointSg, { ...interfaceEndpoint("sts", "sts"), ...readBackWithDefault("sg-0endpoints"), unanalysed: true }, association("sts-sg", "sts", ref("endpoints"))]),
        shapes: ["deployed"],
        expect: ["defaultGroup@sts"],
        says: ["sg-0defaultmain (the default group of VPC \"main\")"],
    },
    {
        name: "the same group inline and in an association",
        stack: stackOf([vpc(), endpointSg, interfaceEndpoint("sts", "sts", { securityGroupIds: [ref("endpoints")] }), association("sts-sg", "sts", ref("endpoints"))]),
        expect: ["both@sts"],
        says: ["\"endpoints\"", "SecurityGroupAssociation \"sts-sg\"", "perpetual difference"],
    },
    {
        name: "the same external group inline and in an association",
        stack: stackOf([vpc(), interfaceEndpoint("sts", "sts", { securityGroupIds: ["sg-0ext"] }), association("sts-sg", "sts", "sg-0ext")]),
        expect: ["both@sts"],
    },
    {
        name: "one finding per endpoint",
        stack: stackOf([vpc(), interfaceEndpoint("sts", "sts"), interfaceEndpoint("logs", "logs"), endpointSg, interfaceEndpoint("ecr-api", "ecr.api", { securityGroupIds: [ref("endpoints")] })]),
        expect: ["noGroups@sts", "noGroups@logs"],
    },
];

describe("vpce-interface-security-groups", () => {
    stackRuleTable(vpceInterfaceSecurityGroups, valid, invalid);

    describe("has no verdict", () => {
        for (const shape of shapes) {
            it(`without Interface endpoints [${shape}]`, async () => {
                const verdict = await verdictOn(vpceInterfaceSecurityGroups, Stack.of([vpc(), gatewayEndpoint("s3", "s3")]), shape);
                assert.deepStrictEqual(verdict.violations, []);
                assert.match(verdict.notApplicable ?? "", /no Interface endpoints/);
            });
        }
        it("never throws on odd resources", async () => {
            const odd = [null, 1, { type: T.endpoint }, { type: T.endpoint, urn: "u", props: null }, { type: T.association, urn: "a", props: { vpcEndpointId: [] } }];
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            const verdict = await vpceInterfaceSecurityGroups.evaluate(odd as any);
            assert.ok(Array.isArray(verdict.violations));
        });
    });

    it("declares its metadata", () => {
        assert.strictEqual(vpceInterfaceSecurityGroups.name, "vpce-interface-security-groups");
        assert.strictEqual(vpceInterfaceSecurityGroups.enforcementLevel, "advisory");
    });
});

// Found by the property tests (test/properties): shrunk counterexamples, kept as table cases.
describe("vpce-interface-security-groups: cases found by the property tests", () => {
    // aws-native calls the VPC's default group's ID `defaultSecurityGroup`: known once deployed, it was
    // not recognised, while in preview (unknown, linked by dependency) it was.
    const nativeVpc = { type: T.nativeVpc, name: "main", inputs: { cidrBlock: "10.0.0.0/16" }, computed: { vpcId: "vpc-0main", defaultSecurityGroup: "sg-0nativedefault" } };
    describe("reports", () => stackCases(vpceInterfaceSecurityGroups, [
        { name: "an aws-native VPC's default group by its defaultSecurityGroup output", stack: stackOf([nativeVpc, interfaceEndpoint("sts", "sts", { vpcId: ref("main", "vpcId"), securityGroupIds: [ref("main", "defaultSecurityGroup")] })]), expect: ["defaultGroup@sts"] },
        // Resource names and IDs were written into messages whole, however long.
        { name: "a DefaultSecurityGroup with a 600-character name", stack: stackOf([vpc(), { type: T.defaultSecurityGroup, name: "d".repeat(600), inputs: { vpcId: ref("main") }, computed: { id: "sg-0d" } }, interfaceEndpoint("sts", "sts", { securityGroupIds: [ref("d".repeat(600))] })]), expect: ["defaultGroup@sts"] },
        { name: "a 600-character group ID both inline and in an association", stack: stackOf([vpc(), interfaceEndpoint("sts", "sts", { securityGroupIds: [`sg-${"0".repeat(600)}`] }), association("assoc", "sts", `sg-${"0".repeat(600)}`)]), expect: ["both@sts"] },
    ]));
    // The message quoted the whole service name, however long.
    for (const shape of shapes) {
        it(`a 300-character service name is shortened in the message [${shape}]`, async () => {
            const long = `com.amazonaws.us-east-1.${"a".repeat(300)}`;
            const verdict = await verdictOn(vpceInterfaceSecurityGroups, Stack.of([vpc(), interfaceEndpoint("long", "sts", { serviceName: long })]), shape);
            assert.deepStrictEqual(verdict.violations.map((v) => v.messageId), ["noGroups"]);
            assert.ok(!verdict.violations[0].message.includes(long), verdict.violations[0].message);
        });
    }
});
