// vpce-endpoint-ingress: an Interface endpoint's security groups admit TCP on the service port
// from inside the VPC, and not from the whole internet (SPEC rule 12).

import { cidrsOverlap, isWorld, overlapsPrivate, type Cidr, type IpFamily } from "../network/cidr";
import { quote } from "../iam/policy-document";
import {
    allReferences, endpointGroups, groupRules, vpcCidrs, vpcOf, type VpcCidrs,
} from "../network/security-group-links";
import {
    admitsTcp, anyOf, describeRule, describeTraffic, Unknown, type PeerMatcher, type RuleList, type Tri,
} from "../network/security-group-rules";
import { interfacePortRequirement, serviceKeyPattern } from "../stack/service-catalogue";
import type { StackNode } from "../stack/stack-graph";
import { stackPolicy } from "../framework/stack-rule";
import { describeEndpoint, vpcEndpoints } from "../stack/vpc-endpoint";

const messages = {
    noIngress: "The security groups of this {{endpoint}} ({{groups}}) have no ingress rule that admits TCP {{port}} from inside the VPC, so nothing in the VPC can reach the service through it. Add an ingress rule for TCP {{port}} from {{source}}, from the workloads' security group, or from the group itself (`self`).",
    wrongFamily: "The security groups of this {{endpoint}} ({{groups}}) admit TCP {{port}} only from {{other}} sources, but the endpoint's `ipAddressType` is {{type}}: its network interfaces have only {{family}} addresses, so nothing reaches the service through it. Add an ingress rule for TCP {{port}} from {{source}} or from the workloads' security group, or set `ipAddressType` to \"dualstack\".",
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
        description: "The ingress rules of an Interface endpoint's security groups (inline and separate rules together) admit TCP on the service port (443; as AWS documents otherwise: any of 25, 465, 587, 2465, 2587 for SES SMTP, 9142 for Amazon Keyspaces, …; config `ports`) from inside the VPC, in the endpoint's address family (ipAddressType ipv4, ipv6 or dualstack): a CIDR overlapping the VPC's CIDR (any private range when that is not known), another security group, the group itself, or a prefix list. Ingress from 0.0.0.0/0 or ::/0 on an endpoint's group is reported as over-broad.",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps: "On the endpoint's security group, add an ingress rule for TCP 443 (or the service's port) whose source is the VPC's CIDR block of the endpoint's address family (IPv4 for an ipv4 endpoint, IPv6 for ipv6, either for dualstack), the security groups of the workloads that call the service, or the group itself, and remove rules whose source is 0.0.0.0/0 or ::/0. For a customer endpoint service, list its port under `ports`.",
        configProperties: {
            ports: {
                type: "object",
                patternProperties: { [serviceKeyPattern]: { type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, minItems: 1 } },
                additionalProperties: false,
                default: {},
                description: "Service-name suffix (or full service name) → the TCP ports its interface endpoint must admit (every one listed), e.g. {\"cassandra\": [9142], \"vpce-svc-0123456789abcdef0\": [8443]}. Without an entry: the pack's table of AWS-documented ports (443; any of 25, 465, 587, 2465, 2587 for email-smtp; 9142 for cassandra; 22 for transfer.server; any of 8883, 443, 8443 for iot.data); customer services are skipped.",
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
            const requirement = view.service === undefined ? undefined : interfacePortRequirement(view.service, config.ports);
            if (requirement === undefined) continue;
            const vpc = vpcOf(graph.follow(view.node, "endpointVpc"));
            // A VPC outside the stack (or none named): its CIDR is not the pack's to know. A VPC reference
            // not known yet: it may be a stack VPC whose CIDR is anything, as for a CIDR not known yet.
            const cidrs: VpcCidrs = vpc.kind === "stack" ? vpcCidrs(graph, vpc.vpc)
                : { ipv4: vpc.kind === "unknown" ? Unknown : undefined, secondaryIpv4: [], ipv6: Unknown };
            const address = addressType(view.node);
            const inFamily = insideVpc(cidrs, address?.families);
            const anyFamily = insideVpc(cidrs, undefined);
            const admits = (ports: readonly number[], match: PeerMatcher): Tri => anyOf(ports.map((port) => admitsTcp(ingress, port, match, "ingress").verdict));
            // Any one port of the set suffices (SES SMTP); otherwise each port is a set of its own.
            const sets = requirement.anyOne ? [requirement.ports] : requirement.ports.map((p) => [p]);
            const groupsText = names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ");
            for (const set of sets) {
                if (!complete || admits(set, inFamily) !== "no") continue;
                const port = portList(set);
                const family = address?.families.length === 1 ? address.families[0] : undefined;
                if (address !== undefined && family !== undefined && admits(set, anyFamily) !== "no") {
                    findings.report(view.node.urn, "wrongFamily", {
                        endpoint, groups: groupsText, port, source: vpcSource(cidrs, family),
                        type: address.given ? address.type : `${address.type} (not set; taken as ipv4)`,
                        family: familyName(family), other: familyName(family === "ipv4" ? "ipv6" : "ipv4"),
                    });
                } else {
                    findings.report(view.node.urn, "noIngress", { endpoint, groups: groupsText, port, source: vpcSource(cidrs, family ?? "ipv4") });
                }
            }
        }
        return undefined;
    },
});

/** The endpoint's address type (`ipAddressType`) and the families of its network interfaces; undefined while not known. */
interface AddressType {
    type: string;
    families: readonly IpFamily[];
    /** Set by the user (or read back), rather than the ipv4 the pack assumes when it is absent. */
    given: boolean;
}

const familiesOf: Readonly<Record<string, readonly IpFamily[]>> = { ipv4: ["ipv4"], ipv6: ["ipv6"], dualstack: ["ipv4", "ipv6"] };

function addressType(node: StackNode): AddressType | undefined {
    const p = node.property("ipAddressType");
    if (p.state === "unknown") return undefined;
    // Not set: AWS's read-back when known, else IPv4 (SPEC: `ipv4` by default).
    const value = p.state === "known" ? p.value : node.outputs.ipAddressType;
    if (p.state === "absent" && (typeof value !== "string" || !Object.hasOwn(familiesOf, value.toLowerCase()))) return { type: "ipv4", families: familiesOf.ipv4, given: false };
    if (typeof value !== "string") return undefined;
    const type = value.toLowerCase();
    return Object.hasOwn(familiesOf, type) ? { type, families: familiesOf[type], given: true } : undefined;
}

function familyName(family: IpFamily): string {
    return family === "ipv4" ? "IPv4" : "IPv6";
}

function portList(ports: readonly number[]): string {
    return ports.length === 1 ? `${ports[0]}` : `${ports.slice(0, -1).join(", ")} or ${ports[ports.length - 1]}`;
}

function vpcSource(cidrs: VpcCidrs, family: IpFamily): string {
    const block = family === "ipv4" ? cidrs.ipv4 : cidrs.ipv6;
    const label = family === "ipv4" ? "the VPC's CIDR" : "the VPC's IPv6 CIDR";
    return block !== undefined && block !== Unknown ? `${label} (${block.text})` : label;
}

/**
 * Sources inside the VPC: its CIDRs (private ranges when unknown) of the endpoint's address
 * families (all when undefined), any security group, self, any prefix list.
 */
function insideVpc(cidrs: VpcCidrs, families: readonly IpFamily[] | undefined): PeerMatcher {
    return {
        cidr: (c) => (families !== undefined && !families.includes(c.family) ? "no" : c.family === "ipv4" ? insideIpv4(c, cidrs) : insideIpv6(c, cidrs.ipv6)),
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
