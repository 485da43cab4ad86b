// vpce-single-policy: at most one policy per endpoint (SPEC rule 8).

import { quote } from "../iam/policy-document";
import { stackPolicy } from "../framework/stack-rule";
import { inlinePolicyProperty, samePolicy, vpcEndpoints } from "../stack/vpc-endpoint";

const messages = {
    inlineAndStandalone: "The endpoint sets `{{property}}` and is also the target of VpcEndpointPolicy {{standalone}}, with a different document; an endpoint has one policy, so each update overwrites the other's and the live policy depends on the order they are applied. Keep the policy in one place: remove `{{property}}` or the VpcEndpointPolicy.",
    severalStandalone: "The endpoint is the target of {{count}} VpcEndpointPolicy resources ({{names}}); an endpoint has one policy, so they overwrite each other. Keep one VpcEndpointPolicy per endpoint.",
};

export const vpceSinglePolicy = stackPolicy<typeof messages, Record<string, never>>({
    meta: {
        name: "vpce-single-policy",
        displayName: "One policy per endpoint",
        description: "At most one policy per VPC endpoint: an inline policy and a linked VpcEndpointPolicy that differ (compared as parsed JSON), or two VpcEndpointPolicy resources for the same endpoint, are reported on the endpoint.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Define each endpoint's policy once: either in the endpoint's `policy` (aws-native: `policyDocument`) or in a single aws.ec2.VpcEndpointPolicy that names the endpoint. Delete the other definitions.",
        configProperties: {},
    },
    messages,
    check(graph, _config, findings) {
        const endpoints = vpcEndpoints(graph);
        if (endpoints.length === 0) return "the stack has no VPC endpoints";
        for (const view of endpoints) {
            if (view.standalone.length > 1) {
                const names = view.standalone.map((s) => quote(s.carrier.name, 60));
                const shown = names.length > 5 ? [...names.slice(0, 5), `and ${names.length - 5} more`] : names;
                findings.report(view.node.urn, "severalStandalone", { count: view.standalone.length, names: shown.join(", ") });
            }
            if (view.inline.state !== "set") continue;
            const inline = view.inline.policy;
            for (const standalone of view.standalone) {
                if (samePolicy(inline, standalone) !== false) continue;
                findings.report(view.node.urn, "inlineAndStandalone", { property: inlinePolicyProperty(view.node), standalone: quote(standalone.carrier.name, 60) });
            }
        }
        return undefined;
    },
});
