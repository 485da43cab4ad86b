import * as assert from "assert";
import { cidrsOverlap, coversIpv4World, parseCidr, type Cidr } from "../../network/cidr";
import {
    admitsTcp, describeRule, describeTraffic, hasRules, readProtocol, readSecurityGroupResource, rulesOfGroup,
    SecurityGroupType as T, Unknown, type Direction, type PeerMatcher, type SecurityGroupResource,
    type SecurityGroupRuleResource, type Tri,
} from "../../network/security-group-rules";
import { UnknownSentinel as U } from "../../values/unknown-values";
import { urnOf } from "../support/stacks";

const vpcCidr = parseCidr("10.0.0.0/16") as Cidr;

/** Ingress from inside the VPC: a CIDR overlapping it, any group, self, any prefix list. */
const fromVpc: PeerMatcher = {
    cidr: (c) => (cidrsOverlap(c, vpcCidr) ? "yes" : "no"),
    group: () => "yes",
    prefixList: () => "yes",
    self: "yes",
};
/** Egress to S3: its prefix list (unknown IDs resolved by `s3PlByDependency`) or anything covering 0.0.0.0/0. */
const s3Pl = "pl-63a5400a";
const toS3: PeerMatcher = {
    cidr: (c) => (coversIpv4World(c) ? "yes" : "no"),
    prefixList: (id) => (id === undefined ? "unknown" : id === s3Pl ? "yes" : "no"),
};
const onlyGroups: PeerMatcher = { group: (id) => (id === undefined ? "unknown" : id === "sg-app" ? "yes" : "no") };
const onlySelf: PeerMatcher = { self: "yes" };

const tcp = (port: number, extra: Record<string, unknown>) => ({ protocol: "tcp", fromPort: port, toPort: port, ...extra });

interface Case {
    name: string;
    type: string;
    props: Record<string, unknown>;
    direction: Direction;
    port?: number;
    match?: PeerMatcher;
    expect: Tri;
}

/** Inline cases are run through `aws` SecurityGroup and DefaultSecurityGroup alike. */
const awsInline: Omit<Case, "type">[] = [
    { name: "tcp 443 from the VPC CIDR", direction: "ingress", props: { ingress: [tcp(443, { cidrBlocks: ["10.0.0.0/16"] })] }, expect: "yes" },
    { name: "tcp 443 from a subnet of the VPC", direction: "ingress", props: { ingress: [tcp(443, { cidrBlocks: ["10.0.3.0/24"] })] }, expect: "yes" },
    { name: "tcp 443 from another network only", direction: "ingress", props: { ingress: [tcp(443, { cidrBlocks: ["192.168.0.0/16"] })] }, expect: "no" },
    { name: "a range 0-65535 covers 443", direction: "ingress", props: { ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["10.0.0.0/8"] }] }, expect: "yes" },
    { name: "a range 1024-2048 misses 443", direction: "ingress", props: { ingress: [{ protocol: "tcp", fromPort: 1024, toPort: 2048, cidrBlocks: ["10.0.0.0/8"] }] }, expect: "no" },
    { name: "protocol -1 with ports 0/0 opens 443", direction: "ingress", props: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "yes" },
    { name: "protocol ALL (any case) opens 443", direction: "ingress", props: { ingress: [{ protocol: "ALL", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "yes" },
    { name: "protocol \"6\" is tcp", direction: "ingress", props: { ingress: [{ protocol: "6", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "yes" },
    { name: "protocol TCP in upper case", direction: "ingress", props: { ingress: [{ protocol: "TCP", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "yes" },
    { name: "udp 443 is not tcp", direction: "ingress", props: { ingress: [{ protocol: "udp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "no" },
    { name: "protocol \"17\" is udp", direction: "ingress", props: { ingress: [{ protocol: "17", fromPort: 0, toPort: 65535, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "no" },
    { name: "icmp is not tcp", direction: "ingress", props: { ingress: [{ protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "no" },
    { name: "icmpv6 (58) is not tcp", direction: "ingress", props: { ingress: [{ protocol: "58", fromPort: -1, toPort: -1, ipv6CidrBlocks: ["::/0"] }] }, expect: "no" },
    { name: "protocol 50 (ESP) opens all its ports, but not tcp", direction: "ingress", props: { ingress: [{ protocol: "50", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "no" },
    { name: "an unknown protocol", direction: "ingress", props: { ingress: [{ protocol: U.string, fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "unknown" },
    { name: "an unknown protocol from outside the VPC is still no", direction: "ingress", props: { ingress: [{ protocol: U.string, fromPort: 0, toPort: 0, cidrBlocks: ["192.168.0.0/16"] }] }, expect: "no" },
    { name: "an unknown fromPort", direction: "ingress", props: { ingress: [tcp(443, { fromPort: U.number, cidrBlocks: ["10.0.0.0/16"] })] }, expect: "unknown" },
    { name: "tcp with port -1 is refused by AWS", direction: "ingress", props: { ingress: [{ protocol: "tcp", fromPort: -1, toPort: -1, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "no" },
    { name: "tcp with a negative port is refused", direction: "ingress", props: { ingress: [{ protocol: "tcp", fromPort: -5, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "no" },
    { name: "tcp with a port above 65535 is refused", direction: "ingress", props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 70000, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "no" },
    { name: "tcp with a reversed range is refused", direction: "ingress", props: { ingress: [{ protocol: "tcp", fromPort: 444, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "no" },
    { name: "tcp without ports is refused", direction: "ingress", props: { ingress: [{ protocol: "tcp", cidrBlocks: ["10.0.0.0/16"] }] }, expect: "no" },
    { name: "a protocol AWS does not know is refused", direction: "ingress", props: { ingress: [{ protocol: "tcp6", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16"] }] }, expect: "no" },
    { name: "an invalid CIDR is ignored", direction: "ingress", props: { ingress: [tcp(443, { cidrBlocks: ["10.0.0.0/33", "10.0.0.0"] })] }, expect: "no" },
    { name: "an invalid CIDR beside a valid one", direction: "ingress", props: { ingress: [tcp(443, { cidrBlocks: ["bogus", "10.0.1.0/24"] })] }, expect: "yes" },
    { name: "an IPv6 CIDR in cidrBlocks is ignored", direction: "ingress", props: { ingress: [tcp(443, { cidrBlocks: ["::/0"] })] }, expect: "no" },
    { name: "ipv6CidrBlocks only", direction: "ingress", match: { cidr: (c) => (c.family === "ipv6" ? "yes" : "no") }, props: { ingress: [tcp(443, { ipv6CidrBlocks: ["2600:1f18:abc::/56"] })] }, expect: "yes" },
    { name: "an unknown CIDR in a list", direction: "ingress", props: { ingress: [tcp(443, { cidrBlocks: ["192.168.0.0/16", U.string] })] }, expect: "unknown" },
    { name: "a whole CIDR list unknown", direction: "ingress", props: { ingress: [tcp(443, { cidrBlocks: U.array })] }, expect: "unknown" },
    { name: "a rule list with an unknown element", direction: "ingress", props: { ingress: [tcp(443, { cidrBlocks: ["192.168.0.0/16"] }), U.object] }, expect: "unknown" },
    { name: "an unknown element does not hide a known yes", direction: "ingress", props: { ingress: [U.object, tcp(443, { cidrBlocks: ["10.0.0.0/16"] })] }, expect: "yes" },
    { name: "a whole ingress list unknown", direction: "ingress", props: { ingress: U.array }, expect: "unknown" },
    { name: "a referenced group", direction: "ingress", props: { ingress: [tcp(443, { securityGroups: ["sg-app"] })] }, expect: "yes" },
    { name: "an unknown group ID is still a group", direction: "ingress", props: { ingress: [tcp(443, { securityGroups: [U.string] })] }, expect: "yes" },
    { name: "a group that is not the one asked for", direction: "ingress", match: onlyGroups, props: { ingress: [tcp(443, { securityGroups: ["sg-other"] })] }, expect: "no" },
    { name: "an unknown group ID when one group is asked for", direction: "ingress", match: onlyGroups, props: { ingress: [tcp(443, { securityGroups: [U.string] })] }, expect: "unknown" },
    { name: "self", direction: "ingress", props: { ingress: [tcp(443, { self: true })] }, expect: "yes" },
    { name: "self: false opens nothing", direction: "ingress", props: { ingress: [tcp(443, { self: false })] }, expect: "no" },
    { name: "an unknown self", direction: "ingress", match: onlySelf, props: { ingress: [tcp(443, { self: U.bool })] }, expect: "unknown" },
    { name: "an unknown self when self is not accepted", direction: "ingress", match: onlyGroups, props: { ingress: [tcp(443, { self: U.bool })] }, expect: "no" },
    { name: "a prefix list source", direction: "ingress", props: { ingress: [tcp(443, { prefixListIds: ["pl-0123"] })] }, expect: "yes" },
    { name: "a rule with no peer opens nothing", direction: "ingress", props: { ingress: [tcp(443, {})] }, expect: "no" },
    { name: "no ingress at all", direction: "ingress", props: {}, expect: "no" },
    { name: "an ingress that is not a list", direction: "ingress", props: { ingress: "tcp 443" }, expect: "no" },
    { name: "odd elements are skipped", direction: "ingress", props: { ingress: [null, 7, "x", [], tcp(443, { cidrBlocks: ["10.0.0.0/16"] })] }, expect: "yes" },
    // egress, asked for S3
    { name: "egress to the S3 prefix list", direction: "egress", match: toS3, props: { egress: [tcp(443, { prefixListIds: [s3Pl] })] }, expect: "yes" },
    { name: "egress to another prefix list", direction: "egress", match: toS3, props: { egress: [tcp(443, { prefixListIds: ["pl-other"] })] }, expect: "no" },
    { name: "egress to an unknown prefix list", direction: "egress", match: toS3, props: { egress: [tcp(443, { prefixListIds: [U.string] })] }, expect: "unknown" },
    { name: "egress all to 0.0.0.0/0", direction: "egress", match: toS3, props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }, expect: "yes" },
    { name: "egress 443 to the VPC only", direction: "egress", match: toS3, props: { egress: [tcp(443, { cidrBlocks: ["10.0.0.0/16"] })] }, expect: "no" },
    { name: "egress 443 to ::/0 only (S3 gateway is IPv4)", direction: "egress", match: toS3, props: { egress: [tcp(443, { ipv6CidrBlocks: ["::/0"] })] }, expect: "no" },
    { name: "no egress given: the provider revoked the default", direction: "egress", match: toS3, props: { ingress: [] }, expect: "no" },
    { name: "a whole egress list unknown", direction: "egress", match: toS3, props: { egress: U.array }, expect: "unknown" },
    { name: "ingress rules do not answer for egress", direction: "egress", match: toS3, props: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }, expect: "no" },
];

const separate: Case[] = [
    { name: "SecurityGroupRule ingress from a CIDR", type: T.securityGroupRule, direction: "ingress", props: { type: "ingress", securityGroupId: "sg-1", ...tcp(443, { cidrBlocks: ["10.0.0.0/16"] }) }, expect: "yes" },
    { name: "SecurityGroupRule egress does not answer for ingress", type: T.securityGroupRule, direction: "ingress", props: { type: "egress", securityGroupId: "sg-1", ...tcp(443, { cidrBlocks: ["10.0.0.0/16"] }) }, expect: "no" },
    { name: "SecurityGroupRule with an unknown type", type: T.securityGroupRule, direction: "ingress", props: { type: U.string, securityGroupId: "sg-1", ...tcp(443, { cidrBlocks: ["10.0.0.0/16"] }) }, expect: "unknown" },
    { name: "SecurityGroupRule with type \"Ingress\" is refused", type: T.securityGroupRule, direction: "ingress", props: { type: "Ingress", securityGroupId: "sg-1", ...tcp(443, { cidrBlocks: ["10.0.0.0/16"] }) }, expect: "no" },
    { name: "SecurityGroupRule from a source group", type: T.securityGroupRule, direction: "ingress", props: { type: "ingress", securityGroupId: "sg-1", ...tcp(443, { sourceSecurityGroupId: "sg-app" }) }, expect: "yes" },
    { name: "SecurityGroupRule with self", type: T.securityGroupRule, direction: "ingress", props: { type: "ingress", securityGroupId: "sg-1", ...tcp(443, { self: true }) }, expect: "yes" },
    { name: "SecurityGroupRule protocol all", type: T.securityGroupRule, direction: "ingress", props: { type: "ingress", securityGroupId: "sg-1", protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/8"] }, expect: "yes" },
    { name: "SecurityGroupRule egress to the prefix list", type: T.securityGroupRule, direction: "egress", match: toS3, props: { type: "egress", securityGroupId: "sg-1", ...tcp(443, { prefixListIds: [s3Pl] }) }, expect: "yes" },
    { name: "vpc ingress rule, tcp 443 from cidrIpv4", type: T.ingressRule, direction: "ingress", props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/24" }, expect: "yes" },
    { name: "vpc ingress rule, -1 without ports", type: T.ingressRule, direction: "ingress", props: { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "10.0.0.0/24" }, expect: "yes" },
    { name: "vpc ingress rule, tcp without ports is refused", type: T.ingressRule, direction: "ingress", props: { securityGroupId: "sg-1", ipProtocol: "tcp", cidrIpv4: "10.0.0.0/24" }, expect: "no" },
    { name: "vpc ingress rule from a referenced group", type: T.ingressRule, direction: "ingress", props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: "sg-app" }, expect: "yes" },
    { name: "vpc ingress rule from an IPv6 CIDR only", type: T.ingressRule, direction: "ingress", props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "2600:1f18::/56" }, expect: "no" },
    { name: "vpc ingress rule with an unknown CIDR", type: T.ingressRule, direction: "ingress", props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: U.string }, expect: "unknown" },
    { name: "vpc ingress rule with an invalid CIDR", type: T.ingressRule, direction: "ingress", props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/40" }, expect: "no" },
    { name: "vpc egress rule to the prefix list", type: T.egressRule, direction: "egress", match: toS3, props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: s3Pl }, expect: "yes" },
    { name: "vpc egress rule to an unknown prefix list", type: T.egressRule, direction: "egress", match: toS3, props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: U.string }, expect: "unknown" },
    { name: "vpc egress rule does not answer for ingress", type: T.egressRule, direction: "ingress", props: { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "10.0.0.0/16" }, expect: "no" },
    { name: "native ingress, tcp 443 from cidrIp", type: T.nativeIngress, direction: "ingress", props: { groupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIp: "10.0.0.0/16" }, expect: "yes" },
    { name: "native ingress, ipProtocol given as the number -1", type: T.nativeIngress, direction: "ingress", props: { groupId: "sg-1", ipProtocol: -1, cidrIp: "10.0.0.0/16" }, expect: "yes" },
    { name: "native ingress from a source group", type: T.nativeIngress, direction: "ingress", props: { groupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, sourceSecurityGroupId: "sg-app" }, expect: "yes" },
    { name: "native ingress from a source group name", type: T.nativeIngress, direction: "ingress", props: { groupName: "default", ipProtocol: "tcp", fromPort: 443, toPort: 443, sourceSecurityGroupName: "app" }, expect: "yes" },
    { name: "native ingress from a prefix list", type: T.nativeIngress, direction: "ingress", props: { groupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, sourcePrefixListId: "pl-1" }, expect: "yes" },
    { name: "native ingress ports as numeric strings", type: T.nativeIngress, direction: "ingress", props: { groupId: "sg-1", ipProtocol: "6", fromPort: "443", toPort: "443", cidrIp: "10.0.0.0/16" }, expect: "yes" },
    { name: "native egress to the prefix list", type: T.nativeEgress, direction: "egress", match: toS3, props: { groupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, destinationPrefixListId: s3Pl }, expect: "yes" },
    { name: "native egress ignores a source-side key", type: T.nativeEgress, direction: "egress", match: toS3, props: { groupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, sourcePrefixListId: s3Pl }, expect: "no" },
    { name: "native egress to 0.0.0.0/0", type: T.nativeEgress, direction: "egress", match: toS3, props: { groupId: "sg-1", ipProtocol: "-1", cidrIp: "0.0.0.0/0" }, expect: "yes" },
];

const native: Case[] = [
    { name: "native group, inline tcp 443 from the VPC", type: T.nativeSecurityGroup, direction: "ingress", props: { vpcId: "vpc-1", securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIp: "10.0.0.0/16" }] }, expect: "yes" },
    { name: "native group, inline ingress with an unknown element", type: T.nativeSecurityGroup, direction: "ingress", props: { securityGroupIngress: [U.object] }, expect: "unknown" },
    { name: "native group, inline ingress from ::/0 only", type: T.nativeSecurityGroup, direction: "ingress", props: { securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" }] }, expect: "no" },
    { name: "native group without egress keeps allow-all", type: T.nativeSecurityGroup, direction: "egress", match: toS3, props: { vpcId: "vpc-1" }, expect: "yes" },
    { name: "native group with an empty egress list keeps allow-all", type: T.nativeSecurityGroup, direction: "egress", match: toS3, props: { securityGroupEgress: [] }, expect: "yes" },
    { name: "native group with egress given loses allow-all", type: T.nativeSecurityGroup, direction: "egress", match: toS3, props: { securityGroupEgress: [{ ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIp: "10.0.0.0/16" }] }, expect: "no" },
    { name: "native group, egress to the destination prefix list", type: T.nativeSecurityGroup, direction: "egress", match: toS3, props: { securityGroupEgress: [{ ipProtocol: "tcp", fromPort: 443, toPort: 443, destinationPrefixListId: s3Pl }] }, expect: "yes" },
    { name: "native group, a whole egress list unknown", type: T.nativeSecurityGroup, direction: "egress", match: toS3, props: { securityGroupEgress: U.array }, expect: "unknown" },
];

const cases: Case[] = [
    ...awsInline.map((c) => ({ ...c, type: T.securityGroup })),
    ...awsInline.map((c) => ({ ...c, type: T.defaultSecurityGroup, name: `${c.name} [default group]` })),
    ...separate,
    ...native,
];

function listOf(type: string, props: Record<string, unknown>, direction: Direction) {
    const model = readSecurityGroupResource(type, props, urnOf(type, "x"));
    if (model.role === "group") return rulesOfGroup(model, [], direction);
    if (model.role === "rule") return rulesOfGroup(undefined, [model], direction);
    assert.fail(`${type} not read as a group or rule`);
}

describe("security-group-rules", () => {
    describe("admits TCP 443", () => {
        for (const c of cases) {
            it(`${c.name} → ${c.expect}`, () => {
                const list = listOf(c.type, c.props, c.direction);
                const admission = admitsTcp(list, c.port ?? 443, c.match ?? fromVpc, c.direction);
                assert.strictEqual(admission.verdict, c.expect);
                if (c.expect === "yes") assert.ok(admission.admitting.length > 0);
                if (c.expect === "unknown") assert.ok(admission.unknownAt.length > 0);
                else assert.deepStrictEqual(admission.unknownAt, []);
            });
        }
    });

    describe("reads the rule", () => {
        it("normalises an inline aws rule", () => {
            const model = readSecurityGroupResource(T.securityGroup, {
                vpcId: "vpc-1",
                ingress: [{ protocol: "TCP", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/16", "bad"], ipv6CidrBlocks: ["fd00::/8"], prefixListIds: ["pl-1"], securityGroups: ["sg-2"], self: true }],
            }, urnOf(T.securityGroup, "endpoints")) as SecurityGroupResource;
            assert.strictEqual(model.role, "group");
            assert.strictEqual(model.provider, "aws");
            assert.strictEqual(model.vpcId, "vpc-1");
            const [rule] = model.ingress.rules;
            assert.strictEqual(rule.direction, "ingress");
            assert.strictEqual(rule.protocol, "tcp");
            assert.deepStrictEqual(rule.ports, { from: 443, to: 443 });
            assert.deepStrictEqual(rule.peers.map((p) => (p.kind === "cidr" ? p.cidr.text : p.kind === "self" ? "self" : p.kind === "unknown" ? "?" : p.id)), ["10.0.0.0/16", "fd00::/8", "pl-1", "sg-2", "self"]);
            assert.strictEqual(describeRule(rule), "ingress[0] of \"endpoints\"");
            assert.strictEqual(describeTraffic(rule), "tcp 443");
            assert.strictEqual(model.egressGiven, false);
            assert.deepStrictEqual(model.egress, { rules: [], unknown: [] });
        });

        it("marks unknown fields, never guesses them", () => {
            const model = readSecurityGroupResource(T.securityGroup, { vpcId: U.string, ingress: [{ protocol: U.string, fromPort: U.number, toPort: 443, cidrBlocks: U.array, self: U.bool }], egress: U.array }) as SecurityGroupResource;
            const [rule] = model.ingress.rules;
            assert.strictEqual(model.vpcId, Unknown);
            assert.strictEqual(rule.protocol, Unknown);
            assert.strictEqual(rule.ports, Unknown);
            assert.deepStrictEqual(rule.peers.map((p) => p.kind === "unknown" && p.expected), ["ipv4", "self"]);
            assert.deepStrictEqual(model.egress.unknown, ["egress"]);
            assert.strictEqual(model.egressGiven, Unknown);
        });

        it("keeps a refused rule, with the reason", () => {
            const cases: [Record<string, unknown>, RegExp][] = [
                [{ protocol: "tcp", fromPort: -1, toPort: -1 }, /outside 0–65535/],
                [{ protocol: "udp", fromPort: 1, toPort: 65536 }, /65536 is outside/],
                [{ protocol: "tcp", fromPort: 2, toPort: 1 }, /greater than toPort/],
                [{ protocol: "tcp" }, /needs both fromPort and toPort/],
                [{ protocol: "tcp", fromPort: 1.5, toPort: 2 }, /needs both/],
                [{ protocol: "bogus", fromPort: 1, toPort: 2 }, /protocol/],
                [{ protocol: "256", fromPort: 1, toPort: 2 }, /protocol/],
            ];
            for (const [rule, reason] of cases) {
                const model = readSecurityGroupResource(T.securityGroup, { ingress: [{ ...rule, cidrBlocks: ["10.0.0.0/16"] }] }) as SecurityGroupResource;
                assert.match(model.ingress.rules[0].invalid ?? "", reason, JSON.stringify(rule));
                assert.strictEqual(hasRules(model.ingress), "no");
            }
        });

        it("reads protocols", () => {
            const table: [unknown, unknown][] = [
                ["-1", "all"], ["all", "all"], ["All", "all"], [-1, "all"], ["tcp", "tcp"], ["6", "tcp"], [6, "tcp"], ["006", "tcp"],
                ["UDP", "udp"], ["17", "udp"], ["icmp", "icmp"], ["1", "icmp"], ["icmpv6", "icmpv6"], ["58", "icmpv6"], ["50", 50],
                ["0", 0], ["255", 255], ["256", undefined], ["-2", undefined], ["", undefined], ["tcp ", undefined], [null, undefined],
                [U.string, Unknown],
            ];
            for (const [value, expected] of table) assert.strictEqual(readProtocol(value), expected, String(value));
        });

        it("names the group a separate rule belongs to", () => {
            const aws = readSecurityGroupResource(T.ingressRule, { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "10.0.0.0/8" }, urnOf(T.ingressRule, "allow-vpc")) as SecurityGroupRuleResource;
            assert.deepStrictEqual([aws.role, aws.groupProperty, aws.groupId], ["rule", "securityGroupId", "sg-1"]);
            assert.strictEqual(describeRule(aws.rules.rules[0]), "rule \"allow-vpc\"");
            const native = readSecurityGroupResource(T.nativeEgress, { groupId: U.string, ipProtocol: "-1", cidrIp: "0.0.0.0/0" }) as SecurityGroupRuleResource;
            assert.deepStrictEqual([native.provider, native.groupProperty, native.groupId], ["aws-native", "groupId", Unknown]);
        });

        it("adds AWS's default egress to an aws-native group without egress", () => {
            const model = readSecurityGroupResource(T.nativeSecurityGroup, {}, urnOf(T.nativeSecurityGroup, "native")) as SecurityGroupResource;
            assert.strictEqual(model.egressGiven, false);
            assert.strictEqual(model.egress.rules.length, 1);
            assert.strictEqual(model.egress.rules[0].implicit, true);
            assert.strictEqual(describeRule(model.egress.rules[0]), "default allow-all egress of \"native\"");
            assert.strictEqual(describeTraffic(model.egress.rules[0]), "all traffic");
        });

        it("is not about other resources", () => {
            assert.deepStrictEqual(readSecurityGroupResource("aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" }), { role: "other" });
        });

        it("never throws", () => {
            const odd: unknown[] = [undefined, null, 0, "", [], { ingress: [{ protocol: Symbol("x") }] }, { ingress: { length: 2 } }, new Proxy({}, { get() { throw new Error("boom"); } })];
            for (const type of Object.values(T)) {
                odd.forEach((props, i) => assert.doesNotThrow(() => admitsTcp(listOf2(type, props), 443, fromVpc), `${type} odd[${i}]`));
            }
        });
    });

    describe("combines a group's inline rules with its separate rules", () => {
        const group = readSecurityGroupResource(T.securityGroup, { ingress: [tcp(22, { cidrBlocks: ["10.0.0.0/16"] })] }) as SecurityGroupResource;
        const https = readSecurityGroupResource(T.ingressRule, { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" }) as SecurityGroupRuleResource;
        const egressAll = readSecurityGroupResource(T.securityGroupRule, { type: "egress", securityGroupId: "sg-1", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }) as SecurityGroupRuleResource;
        const unknownType = readSecurityGroupResource(T.securityGroupRule, { type: U.string, securityGroupId: "sg-1", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }) as SecurityGroupRuleResource;

        it("inline alone misses 443", () => assert.strictEqual(admitsTcp(rulesOfGroup(group, [], "ingress"), 443, fromVpc).verdict, "no"));
        it("with the separate rule it admits 443", () => {
            const admission = admitsTcp(rulesOfGroup(group, [https, egressAll], "ingress"), 443, fromVpc);
            assert.strictEqual(admission.verdict, "yes");
            assert.strictEqual(admission.admitting[0].rule, https.rules.rules[0]);
        });
        it("an egress rule resource adds egress, not ingress", () => {
            assert.strictEqual(rulesOfGroup(group, [egressAll], "ingress").rules.length, 1);
            assert.strictEqual(hasRules(rulesOfGroup(group, [], "egress")), "no");
            assert.strictEqual(hasRules(rulesOfGroup(group, [egressAll], "egress")), "yes");
            assert.strictEqual(admitsTcp(rulesOfGroup(group, [egressAll], "egress"), 443, toS3).verdict, "yes");
        });
        it("a rule of unknown direction counts in both, as unknown", () => {
            assert.strictEqual(hasRules(rulesOfGroup(group, [unknownType], "egress")), "unknown");
            assert.strictEqual(admitsTcp(rulesOfGroup(group, [unknownType], "egress"), 443, toS3).verdict, "unknown");
            assert.strictEqual(admitsTcp(rulesOfGroup(group, [unknownType], "ingress"), 443, fromVpc).verdict, "unknown");
        });
        it("a whole list unknown makes hasRules unknown", () => {
            const unknownEgress = readSecurityGroupResource(T.securityGroup, { egress: U.array }) as SecurityGroupResource;
            assert.strictEqual(hasRules(rulesOfGroup(unknownEgress, [], "egress")), "unknown");
            assert.strictEqual(hasRules(rulesOfGroup(unknownEgress, [egressAll], "egress")), "yes");
        });
        it("port 9142 (Keyspaces) is asked like any other", () => {
            const cassandra = readSecurityGroupResource(T.securityGroup, { ingress: [tcp(9142, { cidrBlocks: ["10.0.0.0/16"] })] }) as SecurityGroupResource;
            assert.strictEqual(admitsTcp(rulesOfGroup(cassandra, [], "ingress"), 9142, fromVpc).verdict, "yes");
            assert.strictEqual(admitsTcp(rulesOfGroup(cassandra, [], "ingress"), 443, fromVpc).verdict, "no");
        });
    });
});

function listOf2(type: string, props: unknown) {
    const model = readSecurityGroupResource(type, props);
    if (model.role === "group") return rulesOfGroup(model, [], "ingress");
    if (model.role === "rule") return rulesOfGroup(undefined, [model], "ingress");
    return { rules: [], unknown: [] };
}
