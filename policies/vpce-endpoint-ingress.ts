// vpce-endpoint-ingress: an Interface endpoint's security groups admit TCP on the service port
// from inside the VPC, and not from the whole internet (SPEC rule 12).

import { cidrsOverlap, isWorld, overlapsPrivate, type Cidr } from "../network/cidr";
import { quote } from "../iam/policy-document";
import {
    allReferences, endpointGroups, groupRules, vpcCidrs, vpcOf, type VpcCidrs,
} from "../network/security-group-links";
import {
    admitsTcp, describeRule, describeTraffic, Unknown, type PeerMatcher, type RuleList, type Tri,
} from "../network/security-group-rules";
import { interfacePorts, serviceKeyPattern } from "../stack/service-catalogue";
import { stackPolicy } from "../framework/stack-rule";
import { describeEndpoint, vpcEndpoints } from "../stack/vpc-endpoint";

const messages = {
    noIngress: "The security groups of this {{endpoint}} ({{groups}}) have no ingress rule that admits TCP {{port}} from inside the VPC, so nothing in the VPC can reach the service through it. Add an ingress rule for TCP {{port}} from {{source}}, from the workloads' security group, or from the group itself (`self`).",
    worldIngress: "{{rule}} admits {{traffic}} from {{cidr}} into security group {{group}}, which guards the {{endpoint}}: anyone who can route to the endpoint's addresses may use it. Narrow the source to the VPC's CIDR or to the workloads' security groups.",
};

export interface VpceEndpointIngressConfig extends Record<string, unknown> {
    ports: Record<string, number[]>;
    allowWorldIngress: boolean;
}

export const vpceEndpointIngress = stackPolicy<typeof messages, VpceEndpointIngressConfig>({
    meta: {
        name: "vpce-endpoint-ingress",
        displayName: "Interface endpoints admit the service port from the VPC only",
        description: "The ingress rules of an Interface endpoint's security groups (inline and separate rules together) admit TCP on the service port (443; 9142 for Amazon Keyspaces; config `ports`) from inside the VPC: a CIDR overlapping the VPC's CIDR (any private range when that is not known), another security group, the group itself, or a prefix list. Ingress from 0.0.0.0/0 or ::/0 on an endpoint's group is reported as over-broad.",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps: "On the endpoint's security group, add an ingress rule for TCP 443 (or the service's port) whose source is the VPC's CIDR block, the security groups of the workloads that call the service, or the group itself, and remove rules whose source is 0.0.0.0/0 or ::/0. For a customer endpoint service, list its port under `ports`.",
        configProperties: {
            ports: {
                type: "object",
                patternProperties: { [serviceKeyPattern]: { type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, minItems: 1 } },
                additionalProperties: false,
                default: {},
                description: "Service-name suffix (or full service name) → the TCP ports its interface endpoint must admit, e.g. {\"cassandra\": [9142], \"vpce-svc-0123456789abcdef0\": [8443]}. Without an entry: 443, and 9142 for cassandra; customer services are skipped.",
            },
            allowWorldIngress: {
                type: "boolean",
                default: false,
                description: "Do not report ingress from 0.0.0.0/0 or ::/0 on an endpoint's security groups.",
            },
        },
    },
    messages,
    check(graph, config, findings) {
        const endpoints = vpcEndpoints(graph).filter((v) => v.type === "Interface");
        if (endpoints.length === 0) return "the stack has no Interface endpoints";
        const reportedWorld = new Set<string>();
        for (const view of endpoints) {
            const endpoint = describeEndpoint(view);
            const groups = endpointGroups(graph, view.node);
            const refs = allReferences(groups);
            const groupNodes = [...new Set(refs.flatMap((r) => r.resolution.linked))].filter((n) => n.role === "securityGroup");
            // A group outside the stack (the VPC's default one too) or a reference not known yet: not all rules are here.
            const complete = !groups.associationsUncertain && refs.every((r) => r.resolution.unresolved === 0 && r.resolution.external.length === 0);
            const ingress: RuleList = { rules: [], unknown: [] };
            const names: string[] = [];
            for (const node of groupNodes) {
                const rules = groupRules(graph, node);
                if (rules === undefined) continue;
                names.push(quote(node.name));
                ingress.rules.push(...rules.ingress.rules);
                ingress.unknown.push(...rules.ingress.unknown);
                if (!config.allowWorldIngress) reportWorldIngress(rules.ingress, quote(node.name), endpoint, reportedWorld, findings);
            }
            if (groupNodes.length === 0) continue; // no group of its own: rule 11's finding, not ours
            const ports = view.service === undefined ? undefined : interfacePorts(view.service, config.ports);
            if (ports === undefined) continue;
            const vpc = vpcOf(graph.follow(view.node, "endpointVpc"));
            // A VPC outside the stack (or none named): its CIDR is not the pack's to know. A VPC reference
            // not known yet: it may be a stack VPC whose CIDR is anything, as for a CIDR not known yet.
            const cidrs: VpcCidrs = vpc.kind === "stack" ? vpcCidrs(graph, vpc.vpc)
                : { ipv4: vpc.kind === "unknown" ? Unknown : undefined, secondaryIpv4: [], ipv6: Unknown };
            const match = insideVpc(cidrs);
            for (const port of ports) {
                const admission = admitsTcp(ingress, port, match, "ingress");
                if (admission.verdict !== "no" || !complete) continue;
                const source = cidrs.ipv4 !== undefined && cidrs.ipv4 !== Unknown ? `the VPC's CIDR (${cidrs.ipv4.text})` : "the VPC's CIDR";
                findings.report(view.node.urn, "noIngress", { endpoint, groups: names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", "), port, source });
            }
        }
        return undefined;
    },
});

/** Sources inside the VPC: its CIDRs (private ranges when unknown), any security group, self, any prefix list. */
function insideVpc(cidrs: VpcCidrs): PeerMatcher {
    return {
        cidr: (c) => (c.family === "ipv4" ? insideIpv4(c, cidrs) : insideIpv6(c, cidrs.ipv6)),
        group: () => "yes",
        prefixList: () => "yes",
        self: "yes",
    };
}

/**
 * IPv4: the VPC's CIDR and its secondary blocks when known; any private range when the VPC's CIDR
 * is not the pack's to know (outside the stack). A block not known yet (IPAM, preview) may be any
 * range: a source it could hold is not yet a verdict either way.
 */
function insideIpv4(c: Cidr, cidrs: VpcCidrs): Tri {
    const primary = cidrs.ipv4;
    if (primary === undefined) return overlapsPrivate(c) ? "yes" : "no";
    if (primary === Unknown) return overlapsPrivate(c) ? "yes" : "unknown";
    let verdict: Tri = cidrsOverlap(c, primary) ? "yes" : "no";
    for (const block of cidrs.secondaryIpv4) {
        if (verdict === "yes") break;
        if (block === Unknown) verdict = "unknown";
        else if (cidrsOverlap(c, block)) verdict = "yes";
    }
    return verdict;
}

/** IPv6: the VPC's block when known; a ULA block always; an Amazon-provided block not known yet can't be told. */
function insideIpv6(c: Cidr, block: Cidr | typeof Unknown | undefined): Tri {
    if (block === undefined) return "no";
    if (block !== Unknown) return cidrsOverlap(c, block) ? "yes" : "no";
    return overlapsPrivate(c) ? "yes" : "unknown";
}

function reportWorldIngress(
    ingress: RuleList, group: string, endpoint: string, reported: Set<string>,
    findings: { report(urn: string, id: "worldIngress", data: Record<string, string>): void },
): void {
    for (const rule of ingress.rules) {
        if (rule.invalid !== undefined || rule.direction !== "ingress" || rule.origin.urn === undefined) continue;
        // A protocol or ports not known yet may make the rule one AWS refuses: no claim until they are.
        if (rule.protocol === Unknown || rule.ports === Unknown) continue;
        for (const peer of rule.peers) {
            if (peer.kind !== "cidr" || !isWorld(peer.cidr)) continue;
            const key = `${rule.origin.urn}\u0000${describeRule(rule)}\u0000${peer.cidr.text}`;
            if (reported.has(key)) continue;
            reported.add(key);
            const where = describeRule(rule);
            findings.report(rule.origin.urn, "worldIngress", { rule: where.charAt(0).toUpperCase() + where.slice(1), traffic: describeTraffic(rule), cidr: peer.cidr.text, group, endpoint });
        }
    }
}
