// Security group rules: one model for everything that can open traffic to or from a group —
// inline rules of `aws` and `aws-native` groups and the five separate rule resources — and the
// three-valued question the stack rules ask of it: does this set of rules admit TCP on port P
// from (or to) peers a rule accepts? A value that is not known yet is carried as `Unknown`, never
// guessed; rules AWS or the provider would refuse are kept, marked `invalid`, and open nothing.

import type { input as awsInput } from "@pulumi/aws/types";
import type { SecurityGroupRuleArgs } from "@pulumi/aws/ec2/securityGroupRule";
import type { SecurityGroupIngressRuleArgs } from "@pulumi/aws/vpc/securityGroupIngressRule";
import type { SecurityGroupEgressRuleArgs } from "@pulumi/aws/vpc/securityGroupEgressRule";
import { ipv4World, parseCidr, type Cidr } from "./cidr";
import { quote } from "../iam/policy-document";
import { isUnknown, unwrapProps } from "../values/unknown-values";
import { nameOfUrn } from "../stack/urn";

export const SecurityGroupType = {
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    nativeSecurityGroup: "aws-native:ec2:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    nativeIngress: "aws-native:ec2:SecurityGroupIngress",
    nativeEgress: "aws-native:ec2:SecurityGroupEgress",
} as const;

/** A value the engine has not computed yet (preview). */
export const Unknown: unique symbol = Symbol("unknown");
export type Unknown = typeof Unknown;
export type Maybe<T> = T | Unknown;

/** A three-valued answer: `unknown` when it depends on a value not known yet. */
export type Tri = "yes" | "no" | "unknown";

export function anyOf(values: Iterable<Tri>): Tri {
    let result: Tri = "no";
    for (const v of values) {
        if (v === "yes") return "yes";
        if (v === "unknown") result = "unknown";
    }
    return result;
}

export function allOf(values: Iterable<Tri>): Tri {
    let result: Tri = "yes";
    for (const v of values) {
        if (v === "no") return "no";
        if (v === "unknown") result = "unknown";
    }
    return result;
}

export type Direction = "ingress" | "egress";

/** Normalised IP protocol: names for the four AWS names, the IANA number for any other. */
export type Protocol = "all" | "tcp" | "udp" | "icmp" | "icmpv6" | number;

export interface PortRange {
    from: number;
    to: number;
}

export const allPorts: Readonly<PortRange> = { from: 0, to: 65535 };

export type Peer =
    | { kind: "cidr"; cidr: Cidr; property: string }
    | { kind: "prefixList"; id: string; property: string }
    /** Another security group, by ID (or by name in a default VPC). */
    | { kind: "group"; id: string; property: string }
    | { kind: "self"; property: string }
    /** A peer whose value is not known yet; `expected` is what the property holds when it is. */
    | { kind: "unknown"; expected: "ipv4" | "ipv6" | "prefixList" | "group" | "self"; property: string };

/** Where a rule is written, for messages and for looking up the property's dependencies. */
export interface RuleOrigin {
    type: string;
    urn?: string;
    /** The top-level input property: `ingress`, `securityGroupEgress`…; absent for a separate rule. */
    property?: string;
    index?: number;
}

export interface SecurityGroupRule {
    direction: Maybe<Direction>;
    /** Meaningless when `invalid` is set. */
    protocol: Maybe<Protocol>;
    /**
     * TCP/UDP ports (all ports for `all` and for protocols without ports); absent for ICMP (types
     * and codes, not ports) and for a rule AWS refuses; `Unknown` also while the protocol is unknown.
     */
    ports?: Maybe<PortRange>;
    peers: Peer[];
    /** Why AWS or the provider refuses the rule; such a rule opens nothing. */
    invalid?: string;
    /** AWS's default allow-all egress, present because no egress was given (aws-native). */
    implicit?: boolean;
    origin: RuleOrigin;
}

export interface RuleList {
    rules: SecurityGroupRule[];
    /** Places that may hold rules not known yet: a whole list (`egress`) or one element (`egress[2]`). */
    unknown: string[];
}

export type Provider = "aws" | "aws-native";

export interface SecurityGroupResource {
    role: "group";
    type: string;
    urn?: string;
    provider: Provider;
    isDefault: boolean;
    vpcId: Maybe<string> | undefined;
    ingress: RuleList;
    egress: RuleList;
    /**
     * Whether egress rules were given inline (`aws`: the property is set, even to `[]`; aws-native: a
     * non-empty list, else AWS's default allow-all stays); `Unknown` when the list itself is unknown.
     */
    egressGiven: Maybe<boolean>;
}

export interface SecurityGroupRuleResource {
    role: "rule";
    type: string;
    urn?: string;
    provider: Provider;
    /** The property naming the group (`securityGroupId`, `groupId`) and its value. */
    groupProperty: string;
    groupId: Maybe<string> | undefined;
    rules: RuleList;
}

export type SecurityGroupModel = SecurityGroupResource | SecurityGroupRuleResource | { role: "other" };

// Property names as the providers spell them; the `aws` ones are checked against its typings.
type Key<T> = keyof T & string;
type AwsInline = awsInput.ec2.SecurityGroupIngress & awsInput.ec2.SecurityGroupEgress;
type AwsVpcRule = SecurityGroupIngressRuleArgs & SecurityGroupEgressRuleArgs;

const awsInlineKeys: Record<"protocol" | "fromPort" | "toPort" | "cidrBlocks" | "ipv6CidrBlocks" | "prefixListIds" | "securityGroups" | "self", Key<AwsInline>> = {
    protocol: "protocol", fromPort: "fromPort", toPort: "toPort", cidrBlocks: "cidrBlocks",
    ipv6CidrBlocks: "ipv6CidrBlocks", prefixListIds: "prefixListIds", securityGroups: "securityGroups", self: "self",
};
const awsRuleKeys: Record<"type" | "securityGroupId" | "sourceSecurityGroupId", Key<SecurityGroupRuleArgs>> = {
    type: "type", securityGroupId: "securityGroupId", sourceSecurityGroupId: "sourceSecurityGroupId",
};
const awsVpcRuleKeys: Record<"securityGroupId" | "ipProtocol" | "fromPort" | "toPort" | "cidrIpv4" | "cidrIpv6" | "prefixListId" | "referencedSecurityGroupId", Key<AwsVpcRule>> = {
    securityGroupId: "securityGroupId", ipProtocol: "ipProtocol", fromPort: "fromPort", toPort: "toPort",
    cidrIpv4: "cidrIpv4", cidrIpv6: "cidrIpv6", prefixListId: "prefixListId", referencedSecurityGroupId: "referencedSecurityGroupId",
};

type Props = Record<string, unknown>;

/** Reads any resource into the model: a group with its inline rules, a separate rule, or neither. Never throws. */
export function readSecurityGroupResource(type: string, props: unknown, urn?: string): SecurityGroupModel {
    try {
        const p = unwrapProps(props);
        switch (type) {
            case SecurityGroupType.securityGroup:
            case SecurityGroupType.defaultSecurityGroup: {
                const egress = p.egress;
                return {
                    role: "group", type, urn, provider: "aws", isDefault: type === SecurityGroupType.defaultSecurityGroup,
                    vpcId: stringRef(p.vpcId),
                    ingress: readInlineList(p, "ingress", "ingress", { type, urn }, readAwsInline),
                    // The provider revokes AWS's default egress (the default group's too): absent means none.
                    egress: readInlineList(p, "egress", "egress", { type, urn }, readAwsInline),
                    egressGiven: isUnknown(egress) ? Unknown : egress !== undefined && egress !== null,
                };
            }
            case SecurityGroupType.nativeSecurityGroup: {
                const egressValue = p.securityGroupEgress;
                const egress = readInlineList(p, "securityGroupEgress", "egress", { type, urn }, readNativeInline);
                const egressGiven: Maybe<boolean> = isUnknown(egressValue) ? Unknown : Array.isArray(egressValue) && egressValue.length > 0;
                // CloudFormation keeps AWS's default allow-all egress unless at least one egress rule is
                // given inline; an empty list keeps it too (pulumi-aws-native#1592).
                if (egressGiven === false) egress.rules.push(defaultEgress({ type, urn, property: "securityGroupEgress" }));
                return {
                    role: "group", type, urn, provider: "aws-native", isDefault: false, vpcId: stringRef(p.vpcId),
                    ingress: readInlineList(p, "securityGroupIngress", "ingress", { type, urn }, readNativeInline),
                    egress, egressGiven,
                };
            }
            case SecurityGroupType.securityGroupRule:
                return separateRule(type, urn, "aws", p, awsRuleKeys.securityGroupId, readAwsSecurityGroupRule(p, { type, urn }));
            case SecurityGroupType.ingressRule:
            case SecurityGroupType.egressRule: {
                const direction: Direction = type === SecurityGroupType.ingressRule ? "ingress" : "egress";
                return separateRule(type, urn, "aws", p, awsVpcRuleKeys.securityGroupId, readAwsVpcRule(p, direction, { type, urn }));
            }
            case SecurityGroupType.nativeIngress:
            case SecurityGroupType.nativeEgress: {
                const direction: Direction = type === SecurityGroupType.nativeIngress ? "ingress" : "egress";
                return separateRule(type, urn, "aws-native", p, "groupId", readNativeRule(p, direction, { type, urn }));
            }
        }
    } catch {
        // Props the model cannot read (a hostile proxy): no rules claimed.
    }
    return { role: "other" };
}

function separateRule(type: string, urn: string | undefined, provider: Provider, p: Props, groupProperty: string, rules: RuleList): SecurityGroupRuleResource {
    return { role: "rule", type, urn, provider, groupProperty, groupId: stringRef(p[groupProperty]), rules };
}

type ElementReader = (element: Props, direction: Direction, origin: RuleOrigin) => SecurityGroupRule;

function readInlineList(p: Props, property: string, direction: Direction, base: RuleOrigin, read: ElementReader): RuleList {
    const value = p[property];
    if (isUnknown(value)) return { rules: [], unknown: [property] };
    // Anything but a list is refused by the provider: no rules.
    if (!Array.isArray(value)) return { rules: [], unknown: [] };
    const list: RuleList = { rules: [], unknown: [] };
    value.forEach((element: unknown, index) => {
        if (isUnknown(element)) list.unknown.push(`${property}[${index}]`);
        else if (isObject(element)) list.rules.push(read(element, direction, { ...base, property, index }));
    });
    return list;
}

function readAwsInline(e: Props, direction: Direction, origin: RuleOrigin): SecurityGroupRule {
    const k = awsInlineKeys;
    return withPorts({
        direction, origin,
        protocol: readProtocol(e[k.protocol]),
        peers: [
            ...listPeers(e[k.cidrBlocks], k.cidrBlocks, "ipv4"),
            ...listPeers(e[k.ipv6CidrBlocks], k.ipv6CidrBlocks, "ipv6"),
            ...listPeers(e[k.prefixListIds], k.prefixListIds, "prefixList"),
            ...listPeers(e[k.securityGroups], k.securityGroups, "group"),
            ...selfPeer(e[k.self], k.self),
        ],
    }, e[k.fromPort], e[k.toPort]);
}

function readAwsSecurityGroupRule(p: Props, base: RuleOrigin): RuleList {
    const k = awsInlineKeys;
    const typeValue = p[awsRuleKeys.type];
    const direction: Maybe<Direction> | undefined = isUnknown(typeValue) ? Unknown
        : typeValue === "ingress" || typeValue === "egress" ? typeValue : undefined;
    const rule = withPorts({
        direction: direction ?? "ingress", origin: base,
        protocol: readProtocol(p[k.protocol]),
        peers: [
            ...listPeers(p[k.cidrBlocks], k.cidrBlocks, "ipv4"),
            ...listPeers(p[k.ipv6CidrBlocks], k.ipv6CidrBlocks, "ipv6"),
            ...listPeers(p[k.prefixListIds], k.prefixListIds, "prefixList"),
            ...idPeer(p[awsRuleKeys.sourceSecurityGroupId], awsRuleKeys.sourceSecurityGroupId, "group"),
            ...selfPeer(p[k.self], k.self),
        ],
    }, p[k.fromPort], p[k.toPort]);
    if (direction === undefined) rule.invalid ??= `type is ${shortValue(typeValue)}, not "ingress" or "egress"`;
    return { rules: [rule], unknown: [] };
}

function readAwsVpcRule(p: Props, direction: Direction, origin: RuleOrigin): RuleList {
    const k = awsVpcRuleKeys;
    const rule = withPorts({
        direction, origin,
        protocol: readProtocol(p[k.ipProtocol]),
        peers: [
            ...idPeer(p[k.cidrIpv4], k.cidrIpv4, "ipv4"),
            ...idPeer(p[k.cidrIpv6], k.cidrIpv6, "ipv6"),
            ...idPeer(p[k.prefixListId], k.prefixListId, "prefixList"),
            ...idPeer(p[k.referencedSecurityGroupId], k.referencedSecurityGroupId, "group"),
        ],
    }, p[k.fromPort], p[k.toPort]);
    return { rules: [rule], unknown: [] };
}

// aws-native (CloudFormation) names: the same in inline items and in the separate resources.
function nativePeers(e: Props, direction: Direction): Peer[] {
    const side = direction === "ingress" ? "source" : "destination";
    return [
        ...idPeer(e.cidrIp, "cidrIp", "ipv4"),
        ...idPeer(e.cidrIpv6, "cidrIpv6", "ipv6"),
        ...idPeer(e[`${side}PrefixListId`], `${side}PrefixListId`, "prefixList"),
        ...idPeer(e[`${side}SecurityGroupId`], `${side}SecurityGroupId`, "group"),
        ...(direction === "ingress" ? idPeer(e.sourceSecurityGroupName, "sourceSecurityGroupName", "group") : []),
    ];
}

function readNativeInline(e: Props, direction: Direction, origin: RuleOrigin): SecurityGroupRule {
    return withPorts({ direction, origin, protocol: readProtocol(e.ipProtocol), peers: nativePeers(e, direction) }, e.fromPort, e.toPort);
}

function readNativeRule(p: Props, direction: Direction, origin: RuleOrigin): RuleList {
    return { rules: [readNativeInline(p, direction, origin)], unknown: [] };
}

function defaultEgress(origin: RuleOrigin): SecurityGroupRule {
    return { direction: "egress", protocol: "all", ports: { ...allPorts }, peers: [{ kind: "cidr", cidr: ipv4World, property: "(default egress)" }], implicit: true, origin };
}

const protocolNames: Readonly<Record<string, Protocol>> = { "-1": "all", all: "all", tcp: "tcp", udp: "udp", icmp: "icmp", icmpv6: "icmpv6" };
const protocolNumbers: Readonly<Record<number, Protocol>> = { 6: "tcp", 17: "udp", 1: "icmp", 58: "icmpv6" };

/** `-1`/`all`, a name (any case) or an IANA number (as the EC2 API and the providers accept them); undefined if invalid. */
export function readProtocol(value: unknown): Maybe<Protocol> | undefined {
    if (isUnknown(value)) return Unknown;
    if (typeof value === "number") return value === -1 ? "all" : protocolFromNumber(value);
    if (typeof value !== "string") return undefined;
    const lower = value.toLowerCase();
    if (Object.hasOwn(protocolNames, lower)) return protocolNames[lower];
    return /^\d{1,3}$/.test(lower) ? protocolFromNumber(Number(lower)) : undefined;
}

function protocolFromNumber(n: number): Protocol | undefined {
    if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
    return Object.hasOwn(protocolNumbers, n) ? protocolNumbers[n] : n;
}

type RuleDraft = Omit<SecurityGroupRule, "protocol" | "ports"> & { protocol: Maybe<Protocol> | undefined };

/** Settles the port range the way AWS reads it, and marks rules AWS refuses. */
function withPorts(draft: RuleDraft, fromPort: unknown, toPort: unknown): SecurityGroupRule {
    const { protocol } = draft;
    const rule: SecurityGroupRule = { ...draft, protocol: protocol ?? "all" };
    if (protocol === undefined) {
        rule.invalid = "its protocol is not one AWS accepts";
        return rule;
    }
    const from = readPort(fromPort);
    const to = readPort(toPort);
    // `-1` and protocols other than TCP, UDP, ICMP and ICMPv6 open every port whatever the range says.
    if (protocol === "all" || typeof protocol === "number") {
        rule.ports = { ...allPorts };
        return rule;
    }
    if (protocol === "icmp" || protocol === "icmpv6") return rule;
    // With the protocol unknown the range means nothing yet: `-1` would open every port.
    if (from === Unknown || to === Unknown || protocol === Unknown) {
        rule.ports = Unknown;
        return rule;
    }
    // TCP and UDP: AWS refuses a missing port, -1, a port outside 0–65535 and a reversed range.
    if (from === undefined || to === undefined) {
        rule.invalid = "a TCP/UDP rule needs both fromPort and toPort";
    } else if (from < 0 || to < 0 || from > 65535 || to > 65535) {
        rule.invalid = `TCP/UDP port ${from < 0 || from > 65535 ? from : to} is outside 0–65535`;
    } else if (from > to) {
        rule.invalid = `fromPort ${from} is greater than toPort ${to}`;
    }
    if (rule.invalid === undefined && from !== undefined && to !== undefined) rule.ports = { from, to };
    return rule;
}

function readPort(value: unknown): Maybe<number> | undefined {
    if (isUnknown(value)) return Unknown;
    if (typeof value === "number" && Number.isInteger(value)) return value;
    if (typeof value === "string" && /^-?\d{1,6}$/.test(value)) return Number(value);
    return undefined;
}

/** A list of CIDRs or IDs: each known element a peer, each unknown one (or the whole list) an unknown peer. */
function listPeers(value: unknown, property: string, kind: "ipv4" | "ipv6" | "prefixList" | "group"): Peer[] {
    if (isUnknown(value)) return [{ kind: "unknown", expected: kind, property }];
    if (!Array.isArray(value)) return [];
    return value.flatMap((element: unknown) => idPeer(element, property, kind));
}

/** One CIDR or ID value as a peer; an invalid CIDR or an empty value is ignored. */
function idPeer(value: unknown, property: string, kind: "ipv4" | "ipv6" | "prefixList" | "group"): Peer[] {
    if (isUnknown(value)) return [{ kind: "unknown", expected: kind, property }];
    if (typeof value !== "string" || value === "") return [];
    if (kind === "ipv4" || kind === "ipv6") {
        const cidr = parseCidr(value);
        return cidr !== undefined && cidr.family === kind ? [{ kind: "cidr", cidr, property }] : [];
    }
    return [{ kind, id: value, property }];
}

function selfPeer(value: unknown, property: string): Peer[] {
    if (isUnknown(value)) return [{ kind: "unknown", expected: "self", property }];
    return value === true ? [{ kind: "self", property }] : [];
}

function stringRef(value: unknown): Maybe<string> | undefined {
    if (isUnknown(value)) return Unknown;
    return typeof value === "string" && value !== "" ? value : undefined;
}

function isObject(value: unknown): value is Props {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function shortValue(value: unknown): string {
    const text = typeof value === "string" ? JSON.stringify(value) : String(value);
    return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Combining and asking

/**
 * The rules of one direction on a group: its inline rules and every separate rule linked to it (a
 * separate rule whose direction is not known yet counts in both directions).
 */
export function rulesOfGroup(group: SecurityGroupResource | undefined, separate: readonly SecurityGroupRuleResource[], direction: Direction): RuleList {
    const inline = group === undefined ? { rules: [], unknown: [] } : direction === "ingress" ? group.ingress : group.egress;
    const combined: RuleList = { rules: [...inline.rules], unknown: [...inline.unknown] };
    for (const resource of separate) {
        for (const rule of resource.rules.rules) {
            if (rule.direction === direction || rule.direction === Unknown) combined.rules.push(rule);
        }
        combined.unknown.push(...resource.rules.unknown);
    }
    return combined;
}

/** Whether the list holds at least one rule AWS would create. */
export function hasRules(list: RuleList): Tri {
    // A rule whose protocol or ports are not known yet may turn out to be one AWS refuses.
    const certain = list.rules.some((r) => r.invalid === undefined && r.direction !== Unknown && r.protocol !== Unknown && r.ports !== Unknown);
    if (certain) return "yes";
    return list.unknown.length > 0 || list.rules.some((r) => r.invalid === undefined) ? "unknown" : "no";
}

/** Where a peer sits, so a matcher can consult the rule resource's dependencies. */
export interface PeerSite {
    rule: SecurityGroupRule;
    peer: Peer;
}

/**
 * Which peers a question accepts. A kind without an entry is not accepted. `prefixList` and
 * `group` receive `undefined` for an ID that is not known yet.
 */
export interface PeerMatcher {
    cidr?: (cidr: Cidr, site: PeerSite) => Tri;
    prefixList?: (id: string | undefined, site: PeerSite) => Tri;
    group?: (id: string | undefined, site: PeerSite) => Tri;
    self?: Tri;
}

/** Whether one peer is accepted. */
export function peerMatches(peer: Peer, match: PeerMatcher, rule: SecurityGroupRule): Tri {
    const site = { rule, peer };
    switch (peer.kind) {
        case "cidr": return match.cidr ? match.cidr(peer.cidr, site) : "no";
        case "prefixList": return match.prefixList ? match.prefixList(peer.id, site) : "no";
        case "group": return match.group ? match.group(peer.id, site) : "no";
        case "self": return match.self ?? "no";
        case "unknown":
            switch (peer.expected) {
                case "ipv4":
                case "ipv6": return match.cidr ? "unknown" : "no";
                case "prefixList": return match.prefixList ? match.prefixList(undefined, site) : "no";
                case "group": return match.group ? match.group(undefined, site) : "no";
                // An unknown `self` either adds the group itself or nothing.
                case "self": return match.self === undefined || match.self === "no" ? "no" : "unknown";
            }
    }
}

/** Whether the rule lets TCP on `port` through (ignoring its peers). */
export function ruleOpensTcpPort(rule: SecurityGroupRule, port: number): Tri {
    if (rule.invalid !== undefined) return "no";
    if (rule.protocol === Unknown) return "unknown";
    if (rule.protocol !== "all" && rule.protocol !== "tcp") return "no";
    const ports = rule.ports;
    if (ports === Unknown) return "unknown";
    return ports !== undefined && ports.from <= port && port <= ports.to ? "yes" : "no";
}

export interface Admission {
    verdict: Tri;
    /** The rules and peers that certainly admit the traffic. */
    admitting: PeerSite[];
    /** Why the verdict is unknown (rule places or peers whose values are not known yet). */
    unknownAt: string[];
}

/** Whether the rules admit TCP on `port` with an accepted peer (from it on ingress, to it on egress). */
export function admitsTcp(list: RuleList, port: number, match: PeerMatcher, direction?: Direction): Admission {
    const admitting: PeerSite[] = [];
    const unknownAt: string[] = [...list.unknown];
    const verdicts: Tri[] = list.unknown.map((): Tri => "unknown");
    for (const rule of list.rules) {
        const directionOk: Tri = rule.direction === Unknown ? "unknown" : direction === undefined || rule.direction === direction ? "yes" : "no";
        const opens = allOf([directionOk, ruleOpensTcpPort(rule, port)]);
        if (opens === "no") continue;
        const peerVerdicts = rule.peers.map((peer) => {
            const v = peerMatches(peer, match, rule);
            if (v === "yes" && opens === "yes") admitting.push({ rule, peer });
            return v;
        });
        const verdict = allOf([opens, anyOf(peerVerdicts)]);
        if (verdict === "unknown") unknownAt.push(describeRule(rule));
        verdicts.push(verdict);
    }
    const verdict = anyOf(verdicts);
    return { verdict, admitting, unknownAt: verdict === "unknown" ? unknownAt : [] };
}

/** `ingress[0] of sg-app`, or the separate rule resource's name: where the user edits it. */
export function describeRule(rule: SecurityGroupRule): string {
    const name = rule.origin.urn !== undefined ? nameOfUrn(rule.origin.urn) : undefined;
    if (rule.origin.property !== undefined) {
        const place = rule.implicit ? "default allow-all egress" : `${rule.origin.property}[${rule.origin.index ?? 0}]`;
        return name !== undefined ? `${place} of ${quote(name)}` : place;
    }
    return name !== undefined ? `rule ${quote(name)}` : "separate rule";
}

/** `0.0.0.0/0`, `tcp 443`, `all`: a rule's traffic as a short phrase. */
export function describeTraffic(rule: SecurityGroupRule): string {
    const protocol = rule.protocol === Unknown ? "an unknown protocol" : rule.protocol === "all" ? "all traffic" : String(rule.protocol);
    const ports = rule.ports;
    if (rule.protocol === "all" || ports === undefined) return protocol;
    if (ports === Unknown) return `${protocol} on ports not known yet`;
    if (ports.from === 0 && ports.to === 65535) return `${protocol} on all ports`;
    return ports.from === ports.to ? `${protocol} ${ports.from}` : `${protocol} ${ports.from}-${ports.to}`;
}
