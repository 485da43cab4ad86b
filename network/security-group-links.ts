// The security-group side of the stack, built on the stack graph's public API (its one linker):
// a group's rules with every separate rule linked to it, the groups an interface endpoint ends up
// with (`securityGroupIds` and `SecurityGroupAssociation`s), whether one of them is the VPC's
// default group, a VPC's CIDR blocks, and whether two resources sit in the same VPC.

import { parseCidr, type Cidr } from "./cidr";
import {
    readSecurityGroupResource, rulesOfGroup, SecurityGroupType, Unknown, type Maybe, type RuleList, type SecurityGroupResource,
    type SecurityGroupRuleResource,
} from "./security-group-rules";
import type { Resolution, StackGraph, StackNode } from "../stack/stack-graph";
import { quote, truncate } from "../iam/policy-document";
import { isUnknown, UnknownSentinel } from "../values/unknown-values";

/** The resource's properties as the user set them (StackNode.property for each), unknowns as sentinels. */
function propertiesAsSet(node: StackNode): Record<string, unknown> {
    const keys = new Set([...Object.keys(node.outputs), ...Object.keys(node.inputs ?? {})]);
    const props: Record<string, unknown> = {};
    for (const key of keys) {
        const p = node.property(key);
        if (p.state === "known") props[key] = p.value;
        else if (p.state === "unknown") props[key] = UnknownSentinel.string;
    }
    return props;
}

/** A security group node read into the rule model (inline rules only). */
export function groupModel(node: StackNode): SecurityGroupResource | undefined {
    const model = readSecurityGroupResource(node.type, propertiesAsSet(node), node.urn);
    return model.role === "group" ? model : undefined;
}

/** A separate rule node read into the rule model. */
export function ruleModel(node: StackNode): SecurityGroupRuleResource | undefined {
    const model = readSecurityGroupResource(node.type, propertiesAsSet(node), node.urn);
    return model.role === "rule" ? model : undefined;
}

export interface GroupRules {
    node: StackNode;
    model: SecurityGroupResource;
    ingress: RuleList;
    egress: RuleList;
}

/**
 * A group's rules in both directions: inline and every separate rule resource linked to it. A rule
 * resource whose group cannot be resolved yet may be this group's: it counts as unknown rules.
 */
export function groupRules(graph: StackGraph, node: StackNode): GroupRules | undefined {
    // Nodes belong to one graph: the rules of each are read once, however many endpoints ask.
    if (!readRules.has(node)) readRules.set(node, readGroupRules(graph, node));
    return readRules.get(node);
}

const readRules = new WeakMap<StackNode, GroupRules | undefined>();

function readGroupRules(graph: StackGraph, node: StackNode): GroupRules | undefined {
    const model = groupModel(node);
    if (model === undefined) return undefined;
    const referrers = graph.referrers(node, "ruleSecurityGroup");
    const separate = referrers.nodes.map(ruleModel).filter((r): r is SecurityGroupRuleResource => r !== undefined);
    const ingress = rulesOfGroup(model, separate, "ingress");
    const egress = rulesOfGroup(model, separate, "egress");
    for (const ruleNode of referrers.uncertain) {
        if (referrers.nodes.includes(ruleNode)) continue;
        const place = `rule "${ruleNode.name}" (its group is not known yet)`;
        const directions = new Set(ruleModel(ruleNode)?.rules.rules.map((r) => r.direction) ?? [Unknown]);
        if (directions.has("ingress") || directions.has(Unknown)) ingress.unknown.push(place);
        if (directions.has("egress") || directions.has(Unknown)) egress.unknown.push(place);
    }
    return { node, model, ingress, egress };
}

/** One reference to a security group, as an endpoint or an association holds it. */
export interface GroupReference {
    /** The resource holding the reference, and its property. */
    holder: StackNode;
    property: string;
    resolution: Resolution;
}

export interface EndpointGroups {
    /** `securityGroupIds` on the endpoint. */
    inline: GroupReference;
    /**
     * `securityGroupIds` was read from the outputs (the pack never saw the inputs, or they held an
     * unknown): AWS's read-back, which lists every attached group, the associations' included.
     */
    inlineIsReadBack: boolean;
    /** Linked `SecurityGroupAssociation`s and the group each names. */
    associations: GroupReference[];
    /** Some association's endpoint is not known yet: it may be this endpoint's. */
    associationsUncertain: boolean;
}

/**
 * Whether an endpoint created without `securityGroupIds` keeps the VPC's default group beside its
 * associations: true when every linked association leaves `replaceDefaultAssociation` unset or
 * false (the provider's default), undefined while a flag or an association's endpoint is unknown.
 * Only an association with `replaceDefaultAssociation: true` swaps the default group out.
 */
export function keepsDefaultGroup(groups: EndpointGroups): boolean | undefined {
    if (groups.inline.resolution.kind !== "absent" || groups.associations.length === 0) return undefined;
    let unknown = groups.associationsUncertain;
    for (const association of groups.associations) {
        const flag = association.holder.property("replaceDefaultAssociation");
        if (flag.state === "known" && flag.value === true) return false;
        if (flag.state === "unknown" || (flag.state === "known" && typeof flag.value !== "boolean")) unknown = true;
    }
    return unknown ? undefined : true;
}

/** The endpoint's groups; read once per node (nodes belong to one graph), however many rules ask. */
export function endpointGroups(graph: StackGraph, endpoint: StackNode): EndpointGroups {
    let groups = groupsOfEndpoint.get(endpoint);
    if (groups === undefined) groupsOfEndpoint.set(endpoint, (groups = readEndpointGroups(graph, endpoint)));
    return groups;
}

const groupsOfEndpoint = new WeakMap<StackNode, EndpointGroups>();

function readEndpointGroups(graph: StackGraph, endpoint: StackNode): EndpointGroups {
    const referrers = graph.referrers(endpoint, "associationEndpoint");
    return {
        inline: { holder: endpoint, property: "securityGroupIds", resolution: graph.follow(endpoint, "endpointSecurityGroups") },
        inlineIsReadBack: endpoint.property("securityGroupIds").from === "outputs",
        associations: referrers.nodes.map((a) => ({ holder: a, property: "securityGroupId", resolution: graph.follow(a, "associationSecurityGroup") })),
        associationsUncertain: referrers.uncertain.some((a) => !referrers.nodes.includes(a)),
    };
}

/** Every reference of the endpoint, inline first. */
export function allReferences(groups: EndpointGroups): GroupReference[] {
    return [groups.inline, ...groups.associations];
}

/** The VPC default group a reference names, if it does: what to call it, or undefined. */
export function defaultGroupIn(graph: StackGraph, ref: GroupReference): string | undefined {
    for (const n of ref.resolution.linked) {
        if (n.type === SecurityGroupType.defaultSecurityGroup) return `${quote(n.name)} (DefaultSecurityGroup)`;
    }
    const vpcs = graph.nodesOf("vpc");
    for (const id of ref.resolution.external) {
        const vpc = vpcs.find((v) => defaultGroupOutputs.some((output) => knownString(v.outputs[output]) === id));
        if (vpc !== undefined) return `${truncate(id)} (the default group of VPC ${quote(vpc.name)})`;
    }
    // In preview a new VPC's default group ID is unknown: its only security-group-valued output, so
    // an entry no group explains that comes from a VPC is that VPC's default group.
    if (ref.resolution.unresolved > 0) {
        const vpc = graph.dependencies(ref.holder, ref.property).find((d) => d.role === "vpc");
        if (vpc !== undefined) return `the default group of VPC ${quote(vpc.name)} (${vpc.provider === "aws-native" ? "defaultSecurityGroup" : "defaultSecurityGroupId"})`;
    }
    return undefined;
}

/** A VPC's output holding its default security group's ID: `aws` names it defaultSecurityGroupId, aws-native (CloudFormation) defaultSecurityGroup. */
const defaultGroupOutputs = ["defaultSecurityGroupId", "defaultSecurityGroup"] as const;

function knownString(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" && !isUnknown(value) ? value : undefined;
}

/** The CIDR blocks of a VPC in the stack: what AWS assigned (outputs) when known, else what was asked. */
export interface VpcCidrs {
    ipv4: Maybe<Cidr> | undefined;
    /** Secondary IPv4 blocks associated in the stack; `Unknown` for one not known yet, or one that may belong to this VPC. */
    secondaryIpv4: Maybe<Cidr>[];
    /** Undefined when the VPC has no IPv6 block; `Unknown` while Amazon has not assigned it. */
    ipv6: Maybe<Cidr> | undefined;
}

/** A VPC's blocks, read once per node (see `endpointGroups`). */
export function vpcCidrs(graph: StackGraph, vpc: StackNode): VpcCidrs {
    let cidrs = cidrsOfVpc.get(vpc);
    if (cidrs === undefined) cidrsOfVpc.set(vpc, (cidrs = readVpcCidrs(graph, vpc)));
    return cidrs;
}

const cidrsOfVpc = new WeakMap<StackNode, VpcCidrs>();

function readVpcCidrs(graph: StackGraph, vpc: StackNode): VpcCidrs {
    const blocks = graph.referrers(vpc, "cidrBlockVpc");
    const secondaryIpv4: Maybe<Cidr>[] = [];
    for (const block of blocks.nodes) {
        const cidr = computedCidr(block, "cidrBlock");
        if (cidr !== undefined) secondaryIpv4.push(cidr);
        else if (block.inputs?.ipv4IpamPoolId !== undefined || block.outputs.ipv4IpamPoolId !== undefined) secondaryIpv4.push(Unknown);
    }
    if (blocks.uncertain.some((b) => !blocks.nodes.includes(b))) secondaryIpv4.push(Unknown);
    return {
        ipv4: computedCidr(vpc, "cidrBlock"),
        secondaryIpv4,
        ipv6: vpc.provider === "aws-native" ? computedCidr(vpc, "ipv6CidrBlocks") : awsIpv6Cidr(vpc),
    };
}

/** A CIDR attribute AWS may compute (IPAM pools, Amazon-provided IPv6): outputs first, then inputs. */
function computedCidr(node: StackNode, property: string): Maybe<Cidr> | undefined {
    let unknown = false;
    for (const value of [node.outputs[property], node.inputs?.[property]]) {
        const text = Array.isArray(value) ? value[0] : value;
        if (isUnknown(value) || isUnknown(text)) unknown = true;
        else if (typeof text === "string" && text !== "") return parseCidr(text) ?? Unknown;
    }
    return unknown ? Unknown : undefined;
}

/** An `aws` VPC's IPv6 block: assigned, asked for (Amazon-provided or IPAM) and not known yet, or none. */
function awsIpv6Cidr(vpc: StackNode): Maybe<Cidr> | undefined {
    const known = computedCidr(vpc, "ipv6CidrBlock");
    if (known !== undefined && known !== Unknown) return known;
    if (vpc.inputs === undefined) return known;
    // Preview reports the computed block as unknown for every new VPC: the inputs say whether one comes.
    const inputs = vpc.inputs;
    const asked = isUnknown(inputs.ipv6CidrBlock) || inputs.assignGeneratedIpv6CidrBlock === true || isUnknown(inputs.assignGeneratedIpv6CidrBlock)
        || (inputs.ipv6IpamPoolId !== undefined && inputs.ipv6IpamPoolId !== null && inputs.ipv6IpamPoolId !== "");
    return asked ? Unknown : undefined;
}

/** Where a resource's VPC reference leads: a stack VPC, an external ID, or not known. */
export type VpcPlace = { kind: "stack"; vpc: StackNode } | { kind: "external"; id: string } | { kind: "unknown" } | { kind: "none" };

export function vpcOf(resolution: Resolution): VpcPlace {
    if (resolution.kind === "linked" && resolution.linked.length === 1) return { kind: "stack", vpc: resolution.linked[0] };
    if (resolution.kind === "external" && resolution.external.length === 1) return { kind: "external", id: resolution.external[0] };
    if (resolution.kind === "absent") return { kind: "none" };
    return { kind: "unknown" };
}

/** Whether two VPC places are the same VPC; undefined when it cannot be told yet. */
export function sameVpc(a: VpcPlace, b: VpcPlace): boolean | undefined {
    if (a.kind === "unknown" || b.kind === "unknown" || a.kind === "none" || b.kind === "none") return undefined;
    if (a.kind === "stack" && b.kind === "stack") return a.vpc === b.vpc;
    if (a.kind === "external" && b.kind === "external") return a.id === b.id;
    return false;
}

/**
 * The security groups of the stack that are surely in the VPC at `place` (`sameVpc` true), in stack
 * order. Groups are placed once per graph, so asking for every endpoint stays linear in the stack.
 */
export function groupsInVpc(graph: StackGraph, place: VpcPlace): readonly StackNode[] {
    let index = groupsByVpc.get(graph);
    if (index === undefined) {
        index = new Map();
        for (const group of graph.nodesOf("securityGroup")) {
            const key = vpcKey(vpcOf(graph.follow(group, "securityGroupVpc")));
            if (key === undefined) continue;
            const same = index.get(key);
            if (same) same.push(group);
            else index.set(key, [group]);
        }
        groupsByVpc.set(graph, index);
    }
    const key = vpcKey(place);
    return key === undefined ? [] : index.get(key) ?? [];
}

const groupsByVpc = new WeakMap<StackGraph, Map<StackNode | string, StackNode[]>>();

/** What `sameVpc` compares: the stack VPC, or the external ID; undefined when it cannot be told. */
function vpcKey(place: VpcPlace): StackNode | string | undefined {
    return place.kind === "stack" ? place.vpc : place.kind === "external" ? `external:${place.id}` : undefined;
}
