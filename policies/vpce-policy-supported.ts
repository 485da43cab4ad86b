// vpce-policy-supported: no policy on an endpoint that cannot take one (SPEC rule 7).

import { quote } from "../iam/policy-document";
import { policySupport } from "../stack/service-catalogue";
import type { StackNode } from "../stack/stack-graph";
import { stackPolicy } from "../framework/stack-rule";
import { fullAccessStatement, policiesSet, vpcEndpoints } from "../stack/vpc-endpoint";

const messages = {
    wrongType: "Endpoints of type {{type}} do not take an endpoint policy (AWS accepts one only for Interface and Gateway endpoints), but {{where}} sets one. Remove {{fix}}.",
    customerService: "The endpoint to {{service}}, a customer or partner endpoint service, accepts only the full-access policy, and {{where}} sets a narrower one{{statement}}. Remove {{fix}}: access to such a service is controlled by its provider (allowed principals, connection acceptance) and by the endpoint's security groups.",
    unsupportedService: "{{service}} does not support VPC endpoint policies, but {{where}} sets one; AWS does not apply it. Remove {{fix}}. If the service supports endpoint policies in your Region (`aws ec2 describe-vpc-endpoint-services`, VpcEndpointPolicySupported), add {{suffix}} to this policy's `supportedServices`.",
};

export interface VpcePolicySupportedConfig extends Record<string, unknown> {
    supportedServices: string[];
    unsupportedServices: string[];
}

const typesWithPolicy = ["Interface", "Gateway"];
const typesWithoutPolicy = ["GatewayLoadBalancer", "Resource", "ServiceNetwork"];

export const vpcePolicySupported = stackPolicy<typeof messages, VpcePolicySupportedConfig>({
    meta: {
        name: "vpce-policy-supported",
        displayName: "No policy on an endpoint that cannot take one",
        description: "No endpoint policy (inline or a linked VpcEndpointPolicy) on a GatewayLoadBalancer, Resource or ServiceNetwork endpoint; on an endpoint to a customer or partner endpoint service, only the full-access policy; none on an endpoint to a service known not to support endpoint policies.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Remove the `policy` (aws-native: `policyDocument`) or the aws.ec2.VpcEndpointPolicy from the endpoint. Control access to a customer or partner service through its provider and the endpoint's security groups. If the built-in table is wrong for your Region, list the service-name suffix in `supportedServices` (or `unsupportedServices`).",
        configProperties: {
            supportedServices: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Service-name suffixes to treat as supporting endpoint policies, overriding the built-in table.",
            },
            unsupportedServices: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Service-name suffixes to treat as not supporting endpoint policies, overriding the built-in table.",
            },
        },
    },
    messages,
    check(graph, config, findings) {
        const endpoints = vpcEndpoints(graph);
        if (endpoints.length === 0) return "the stack has no VPC endpoints";
        for (const view of endpoints) {
            if (view.type === undefined) continue;
            const policies = policiesSet(view);
            if (policies.length === 0) continue;
            if (typesWithoutPolicy.includes(view.type)) {
                for (const p of policies) findings.report(p.carrier.urn, "wrongType", { type: view.type, ...placement(p, view.node) });
                continue;
            }
            const service = view.service;
            if (!typesWithPolicy.includes(view.type) || service === undefined) continue;
            if (service.customer) {
                for (const p of policies) {
                    if (p.input.status !== "parsed" || fullAccessStatement(p.input.document, []) !== undefined) continue;
                    findings.report(p.carrier.urn, "customerService", { service: quote(view.serviceName ?? service.name), statement: "", ...placement(p, view.node) });
                }
                continue;
            }
            if (policySupport(service, config) !== "unsupported") continue;
            for (const p of policies) {
                findings.report(p.carrier.urn, "unsupportedService", { service: quote(view.serviceName ?? service.name), suffix: quote(service.suffix), ...placement(p, view.node) });
            }
        }
        return undefined;
    },
});

function placement(policy: { carrier: StackNode; origin: string; property: string }, endpoint: StackNode): { where: string; fix: string } {
    if (policy.origin === "standalone") {
        return { where: `VpcEndpointPolicy ${quote(policy.carrier.name)}`, fix: "this VpcEndpointPolicy" };
    }
    return { where: `its \`${policy.property}\``, fix: `\`${policy.property}\` from ${quote(endpoint.name)}` };
}
