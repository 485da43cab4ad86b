// vpce-private-dns: an Interface endpoint to an AWS service turns on private DNS, and its VPC has
// the DNS attributes private DNS needs (SPEC rule 14).

import { quote } from "../iam/policy-document";
import { sameVpc, vpcOf } from "../network/security-group-links";
import { parseServiceName, privateDnsSupported, suffixListed } from "../stack/service-catalogue";
import { roleOf } from "../stack/roles";
import type { StackGraph, StackNode } from "../stack/stack-graph";
import { stackPolicy } from "../framework/stack-rule";
import { describeEndpoint, vpcEndpoints, type VpcEndpointView } from "../stack/vpc-endpoint";

const messages = {
    privateDnsOff: "This {{endpoint}} has private DNS {{state}}, so the service's default hostname still resolves to its public addresses and clients bypass the endpoint. Set `privateDnsEnabled: true`, or list {{suffix}} in this policy's `exemptServices` if clients use the endpoint-specific names on purpose.",
    vpcDnsOff: "VPC {{vpc}} has `{{attribute}}` {{state}}, so private DNS of its Interface endpoints ({{endpoints}}) cannot work. Set `{{attribute}}: true` on the VPC.",
};

export interface VpcePrivateDnsConfig extends Record<string, unknown> {
    exemptServices: string[];
}

/** The VPC attributes private DNS needs, with the value each has when not set. */
const vpcAttributes = [
    { attribute: "enableDnsSupport", whenAbsent: true },
    { attribute: "enableDnsHostnames", whenAbsent: false },
] as const;

export const vpcePrivateDns = stackPolicy<typeof messages, VpcePrivateDnsConfig>({
    meta: {
        name: "vpce-private-dns",
        displayName: "Interface endpoints use private DNS",
        description: "An Interface endpoint to an AWS service sets privateDnsEnabled: true, so the service's default hostname resolves to the endpoint, and its VPC (when in the stack) has enableDnsSupport and enableDnsHostnames true, which private DNS needs.",
        enforcementLevel: "advisory",
        severity: "low",
        remediationSteps: "At enforcement level `remediate`, an Interface endpoint to an AWS service that does not set `privateDnsEnabled` gets `privateDnsEnabled: true` (an explicit `false` is left as written); what remains is reported as mandatory. Otherwise: set `privateDnsEnabled: true` on the interface endpoint, and `enableDnsSupport: true` and `enableDnsHostnames: true` on its VPC (enableDnsHostnames defaults to false). If clients deliberately use the endpoint-specific DNS names, list the service's suffix under `exemptServices`.",
        configProperties: {
            exemptServices: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Service-name suffixes (e.g. \"s3\", \"execute-api\") whose interface endpoints may keep private DNS off.",
            },
        },
    },
    messages,
    check(graph, config, findings) {
        const all = vpcEndpoints(graph);
        const endpoints = all.filter((v) => v.type === "Interface" && v.service !== undefined && !v.service.customer
            && privateDnsSupported(v.service) && !suffixListed(v.service.suffix, config.exemptServices));
        if (endpoints.length === 0) return "the stack has no Interface endpoints to AWS services that need private DNS";
        const byVpc = new Map<StackNode, string[]>();
        for (const view of endpoints) {
            const privateDns = view.node.property("privateDnsEnabled");
            const off = privateDns.state === "absent" || (privateDns.state === "known" && privateDns.value !== true);
            if (off && (view.service?.suffix !== "s3" || s3GatewayBeside(graph, all, view) === "no")) {
                const state = privateDns.state === "absent" ? "off (privateDnsEnabled is not set and defaults to false)" : `off (privateDnsEnabled is ${quote(privateDns.value)})`;
                findings.report(view.node.urn, "privateDnsOff", { endpoint: describeEndpoint(view), state, suffix: quote(view.service?.suffix ?? "") });
            }
            const vpc = vpcOf(graph.follow(view.node, "endpointVpc"));
            if (vpc.kind !== "stack") continue;
            const names = byVpc.get(vpc.vpc) ?? [];
            names.push(quote(view.node.name));
            byVpc.set(vpc.vpc, names);
        }
        for (const [vpc, names] of byVpc) {
            for (const { attribute, whenAbsent } of vpcAttributes) {
                const value = vpc.property(attribute);
                if (value.state === "unknown") continue;
                const enabled = value.state === "absent" ? whenAbsent : value.value === true;
                if (enabled) continue;
                const state = value.state === "absent" ? "not set (it defaults to false)" : `set to ${quote(value.value)}`;
                const endpoints = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
                findings.report(vpc.urn, "vpcDnsOff", { vpc: quote(vpc.name), attribute, state, endpoints });
            }
        }
        return undefined;
    },
    remediate(type, inputs, config) {
        if (roleOf(type) !== "endpoint" || inputs.vpcEndpointType !== "Interface" || Object.hasOwn(inputs, "privateDnsEnabled")) return undefined;
        const service = parseServiceName(inputs.serviceName);
        if (service === undefined || service.customer || !privateDnsSupported(service) || service.suffix === "s3" || suffixListed(service.suffix, config.exemptServices)) return undefined;
        return { privateDnsEnabled: true };
    },
});

/**
 * An S3 Interface endpoint without private DNS beside an S3 Gateway endpoint in the same VPC is a
 * design AWS documents: the gateway serves the VPC, the interface endpoint's own DNS names serve
 * on-premises clients (PrivateLink guide, "Gateway endpoints for Amazon S3" and
 * `PrivateDnsOnlyForInboundResolverEndpoint`).
 */
function s3GatewayBeside(graph: StackGraph, all: readonly VpcEndpointView[], view: VpcEndpointView): "yes" | "no" | "unknown" {
    const place = vpcOf(graph.follow(view.node, "endpointVpc"));
    let unknown = false;
    for (const other of all) {
        if (other === view) continue;
        const same = sameVpc(place, vpcOf(graph.follow(other.node, "endpointVpc")));
        if (same === false) continue;
        // An endpoint whose VPC, type or service is not known yet might be the S3 gateway: no verdict.
        const serviceUnknown = other.serviceName === undefined && other.node.property("serviceName").state === "unknown";
        if (same === undefined || other.type === undefined || serviceUnknown) {
            unknown = true;
            continue;
        }
        if (other.type === "Gateway" && other.service?.suffix === "s3") return "yes";
    }
    return unknown ? "unknown" : "no";
}
