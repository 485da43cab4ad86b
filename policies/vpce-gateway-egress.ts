// vpce-gateway-egress: every security group with egress rules in a Gateway endpoint's VPC also
// lets TCP 443 out to the endpoint's service (SPEC rule 13).

import { coversIpv4World, ipv4World, unionCovers, type Cidr } from "../network/cidr";
import { quote, truncate } from "../iam/policy-document";
import { groupRules, groupsInVpc, vpcOf } from "../network/security-group-links";
import { admitsTcp, hasRules, ruleOpensTcpPort, type PeerMatcher, type PeerSite, type RuleList, type Tri } from "../network/security-group-rules";
import { interfacePorts, serviceKeyPattern } from "../stack/service-catalogue";
import type { StackGraph, StackNode } from "../stack/stack-graph";
import { stackPolicy } from "../framework/stack-rule";
import { isUnknown } from "../values/unknown-values";
import { vpcEndpoints, type VpcEndpointView } from "../stack/vpc-endpoint";

const messages = {
    noEgress: "Security group {{group}} has egress rules, but none admits TCP {{port}} to {{service}} through the Gateway endpoint {{endpoint}} in the same VPC, so what uses this group cannot reach the service. Add an egress rule for TCP {{port}} to the endpoint's prefix list ({{prefixList}}), or remove the group's egress rules if it is meant to be isolated.",
};

export interface VpceGatewayEgressConfig extends Record<string, unknown> {
    ports: Record<string, number[]>;
    prefixListIds: Record<string, string>;
}

export const vpceGatewayEgress = stackPolicy<typeof messages, VpceGatewayEgressConfig>({
    meta: {
        name: "vpce-gateway-egress",
        displayName: "Security groups can reach their VPC's gateway endpoints",
        description: "For each Gateway endpoint, every security group in the same VPC that has at least one egress rule (inline or separate) also allows TCP 443 to the endpoint's service: to the endpoint's prefix list (linked by dependency, by its known pl- ID, or from config `prefixListIds`), or to CIDRs that together cover 0.0.0.0/0 (0.0.0.0/1 plus 128.0.0.0/1 does). Groups with no egress rule are deliberately isolated and are not reported; an aws-native group given no egress keeps AWS's allow-all.",
        enforcementLevel: "advisory",
        severity: "low",
        remediationSteps: "Add an egress rule for TCP 443 whose destination is the gateway endpoint's prefix list: `prefixListIds: [endpoint.prefixListId]` (aws.ec2.SecurityGroup egress or aws.ec2.SecurityGroupRule), `prefixListId` (aws.vpc.SecurityGroupEgressRule) or `destinationPrefixListId` (aws-native). If the prefix list comes from elsewhere (aws.ec2.getPrefixList), list it under `prefixListIds` so the policy recognises it.",
        configProperties: {
            ports: {
                type: "object",
                patternProperties: { [serviceKeyPattern]: { type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, minItems: 1 } },
                additionalProperties: false,
                default: {},
                description: "Service-name suffix (or full service name) → the TCP ports the groups must reach it on. Without an entry: 443.",
            },
            prefixListIds: {
                type: "object",
                patternProperties: { [serviceKeyPattern]: { type: "string", pattern: "^pl-[0-9a-f]+$" } },
                additionalProperties: false,
                default: {},
                description: "Service name → its managed prefix list ID in your Region, e.g. {\"com.amazonaws.eu-west-1.s3\": \"pl-6da54004\"}; an egress rule to that ID counts as reaching the endpoint.",
            },
        },
    },
    messages,
    check(graph, config, findings) {
        const gateways = vpcEndpoints(graph).filter((v) => v.type === "Gateway" && v.service !== undefined);
        if (gateways.length === 0) return "the stack has no Gateway endpoints";
        for (const view of gateways) {
            const endpointVpc = vpcOf(graph.follow(view.node, "endpointVpc"));
            const ports = (view.service && interfacePorts(view.service, config.ports)) ?? [443];
            const match = toEndpoint(graph, view, config.prefixListIds);
            for (const group of groupsInVpc(graph, endpointVpc)) {
                const rules = groupRules(graph, group);
                if (rules === undefined) continue;
                const has = hasRules(rules.egress);
                if (has === "no") continue;
                for (const port of ports) {
                    const admission = admitsTcp(rules.egress, port, match, "egress");
                    // "unknown" whether the group has egress at all: it may be isolated, so no claim.
                    if (admission.verdict !== "no" || has !== "yes" || destinationsCoverIpv4(rules.egress, port)) continue;
                    findings.report(group.urn, "noEgress", {
                        group: quote(group.name), port, service: quote(view.serviceName ?? "its service"),
                        endpoint: quote(view.node.name), prefixList: prefixListHint(view, config.prefixListIds),
                    });
                }
            }
        }
        return undefined;
    },
});

/**
 * Whether the group's egress rules that surely open TCP `port` reach, together, every IPv4 address
 * (`0.0.0.0/1` in one rule and `128.0.0.0/1` in another do): security group rules add up.
 */
function destinationsCoverIpv4(egress: RuleList, port: number): boolean {
    const destinations: Cidr[] = [];
    for (const rule of egress.rules) {
        if (rule.direction !== "egress" || ruleOpensTcpPort(rule, port) !== "yes") continue;
        for (const peer of rule.peers) if (peer.kind === "cidr") destinations.push(peer.cidr);
    }
    return unionCovers(destinations, ipv4World);
}

/** The endpoint's prefix list as the user can name it. */
function prefixListHint(view: VpcEndpointView, configured: Readonly<Record<string, string>>): string {
    const known = view.node.ids("prefixList")[0] ?? configuredFor(view, configured);
    return known !== undefined ? `${truncate(known)}, the endpoint's prefixListId` : "the endpoint's prefixListId";
}

function configuredFor(view: VpcEndpointView, configured: Readonly<Record<string, string>>): string | undefined {
    const name = view.serviceName?.toLowerCase();
    if (name === undefined) return undefined;
    for (const [service, id] of Object.entries(configured ?? {})) {
        if (service.toLowerCase() === name && typeof id === "string") return id;
    }
    return undefined;
}

/** Destinations that reach the endpoint's service: its prefix list, or anything covering 0.0.0.0/0. */
function toEndpoint(graph: StackGraph, view: VpcEndpointView, configured: Readonly<Record<string, string>>): PeerMatcher {
    const ownIds = view.node.ids("prefixList");
    const configuredId = configuredFor(view, configured);
    return {
        cidr: (c) => (coversIpv4World(c) ? "yes" : "no"),
        prefixList: (id, site) => prefixListReaches(graph, view.node, id, site, ownIds, configuredId),
    };
}

function prefixListReaches(graph: StackGraph, endpoint: StackNode, id: string | undefined, site: PeerSite, ownIds: readonly string[], configuredId: string | undefined): Tri {
    if (id !== undefined && (ownIds.includes(id) || id === configuredId)) return "yes";
    // A known ID that names endpoints of the stack names those and no others, whatever the rule depends on.
    const named = id === undefined || isUnknown(id) ? undefined : endpointsWithPrefixList(graph, id);
    if (named !== undefined && named.size > 0) return named.has(endpoint) ? "yes" : "no";
    // The value's own dependencies: an unknown ID that came from this endpoint is its prefix list.
    const holder = site.rule.origin.urn === undefined ? undefined : graph.node(site.rule.origin.urn);
    const deps = holder === undefined ? [] : graph.dependencies(holder, site.rule.origin.property ?? site.peer.property);
    const resolution = graph.resolveValue(id, deps, { roles: ["endpoint"], by: "prefixList" });
    if (resolution.linked.includes(endpoint)) return "yes";
    // Another list when the value comes from Gateway endpoints (only they have one); an unknown ID
    // that depends on anything else gives no verdict (found by the fuzz).
    if (resolution.linked.length > 0 && (id !== undefined || resolution.linked.every(isGatewayEndpoint))) return "no";
    // A known ID that is not this endpoint's, when the endpoint's is known (or configured): another list.
    if (id !== undefined && (ownIds.length > 0 || configuredId !== undefined)) return "no";
    return "unknown";
}

/** An endpoint whose type is Gateway (`vpcEndpointType` omitted means Gateway). */
function isGatewayEndpoint(node: StackNode): boolean {
    const type = node.property("vpcEndpointType");
    return type.state === "absent" || (type.state === "known" && typeof type.value === "string" && type.value.toLowerCase() === "gateway");
}

// The stack's endpoints known by a prefix list ID, once per graph and ID: a Region's Gateway
// endpoints to one service share it, and every egress rule to it asks.
const prefixListHolders = new WeakMap<StackGraph, Map<string, Set<StackNode>>>();

function endpointsWithPrefixList(graph: StackGraph, id: string): Set<StackNode> {
    let byId = prefixListHolders.get(graph);
    if (byId === undefined) prefixListHolders.set(graph, (byId = new Map()));
    let holders = byId.get(id);
    if (holders === undefined) byId.set(id, (holders = new Set(graph.withId(id, { roles: ["endpoint"], by: "prefixList" }))));
    return holders;
}
