// vpce-policy-explicit: every Interface or Gateway endpoint to an AWS service that takes a policy
// carries an explicit one, and not one equivalent to full access (SPEC rule 6).

import { quote } from "../iam/policy-document";
import { documentEffect, type DocumentEffect } from "../iam/effect-model";
import { endpointContext } from "../stack/endpoint-effect";
import { policySupport, suffixListed } from "../stack/service-catalogue";
import { stackPolicy } from "../framework/stack-rule";
import { inlinePolicyProperty, isAwsServiceEndpoint, vpcEndpoints, writtenPolicies } from "../stack/vpc-endpoint";

const messages = {
    missing: "This {{type}} endpoint to {{service}} has no endpoint policy, so AWS attaches its default policy, which allows every action by every principal on every resource of the service. Set `{{property}}` (or add an aws.ec2.VpcEndpointPolicy) to a policy that allows only what your workloads need.",
    awsDefault: "This {{type}} endpoint to {{service}} has AWS's default full-access policy (as AWS reports it): either no policy is set or the one set allows everything. Set `{{property}}` (or add an aws.ec2.VpcEndpointPolicy) to a policy that allows only what your workloads need.",
    undeclared: "This {{type}} endpoint to {{service}} has no policy in the program, but AWS reports one other than the default on it: it was set outside this program or by an earlier version of it{{resetNote}}. Declare the policy in `{{property}}` (or an aws.ec2.VpcEndpointPolicy) so the program owns it.",
    defaultedStandalone: "This VpcEndpointPolicy sets no `policy`, so the provider resets the endpoint to {{service}} to AWS's default full-access policy. Set `policy` to a policy that allows only what your workloads need.",
    fullAccess: "{{statement}} allows every action ({{action}}) by every principal on every resource, with no condition that restricts it, and no Deny of the document can apply on this endpoint{{denyNote}}: this policy is the same as AWS's default full-access policy on this endpoint to {{service}}. Narrow its actions and resources, or add a condition (for example aws:PrincipalOrgID or aws:ResourceAccount).",
};

export interface VpcePolicyExplicitConfig extends Record<string, unknown> {
    exemptServices: string[];
}

export const vpcePolicyExplicit = stackPolicy<typeof messages, VpcePolicyExplicitConfig>({
    meta: {
        name: "vpce-policy-explicit",
        displayName: "Endpoints carry an explicit, narrower-than-default policy",
        description: "Every Interface or Gateway VPC endpoint to an AWS service that is not known to lack endpoint-policy support carries an explicit policy (inline, or a linked VpcEndpointPolicy), since otherwise AWS attaches the default full-access policy; an explicit policy that is equivalent to full access is reported too.",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps: "Give the endpoint a policy that allows only the actions and resources your workloads use through it — for example only your organisation's principals (aws:PrincipalOrgID) and buckets (aws:ResourceAccount) — either in the endpoint's `policy` (aws-native: `policyDocument`) or in one aws.ec2.VpcEndpointPolicy. If a service must stay open, list its service-name suffix in this policy's `exemptServices`.",
        configProperties: {
            exemptServices: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Service-name suffixes (e.g. \"s3\", \"ecr.dkr\") whose endpoints need no explicit policy.",
            },
        },
    },
    messages,
    async check(graph, config, findings) {
        const endpoints = vpcEndpoints(graph);
        if (endpoints.length === 0) return "the stack has no VPC endpoints";
        for (const view of endpoints) {
            if (!isAwsServiceEndpoint(view)) continue;
            const service = view.service;
            if (policySupport(service) === "unsupported" || suffixListed(service.suffix, config.exemptServices)) continue;
            if (view.inline.state === "unknown") continue;

            const data = { type: view.type, service: quote(view.serviceName ?? service.name), property: inlinePolicyProperty(view.node) };
            const written = writtenPolicies(view);
            if (written.length === 0) {
                // A standalone policy whose link is not known yet may be this endpoint's.
                if (view.standaloneUncertain) continue;
                if (view.inline.state === "read-back") {
                    if (view.inline.isAwsDefault) findings.report(view.node.urn, "awsDefault", data);
                    continue;
                }
                // The program sets none, yet a policy of someone else's is in force: say so, not "default".
                if (view.readBack !== undefined && !view.readBack.isAwsDefault) {
                    const resetNote = view.node.provider === "aws" ? " (removing `policy` does not reset the live policy; an empty string does)" : "";
                    findings.report(view.node.urn, "undeclared", { ...data, resetNote });
                    continue;
                }
                findings.report(view.node.urn, "missing", data);
                continue;
            }
            const context = await endpointContext(view);
            for (const policy of written) {
                if (policy.defaulted) {
                    findings.report(policy.carrier.urn, "defaultedStandalone", { service: data.service });
                    continue;
                }
                if (policy.input.status !== "parsed") continue;
                const grant = fullAccessGrant(await documentEffect(policy.input.document, context));
                if (grant === undefined) continue;
                findings.report(policy.carrier.urn, "fullAccess", { ...grant, service: data.service });
            }
        }
        return undefined;
    },
});

/**
 * The statement that makes a document equivalent to full access on its endpoint: an Allow that
 * applies to every request (every principal, every action of the endpoint's service, resource `*`,
 * a condition that always holds), with every other statement a Deny that never applies there.
 */
function fullAccessGrant(effect: DocumentEffect): { statement: string; action: string; denyNote: string } | undefined {
    const grant = effect.allows.find((a) => a.applies.lo === 2);
    if (grant === undefined || effect.unknownStatements) return undefined;
    const others = effect.statements.filter((s) => s.effect !== "Allow");
    if (!others.every((s) => s.effect === "Deny" && s.applies.hi === 0)) return undefined;
    const denyNote = others.length === 0 ? "" : ` (${others.length === 1 ? `its Deny, ${others[0].statement.label}, never applies here` : `none of its ${others.length} Deny statements applies here`})`;
    return { statement: grant.statement.label, action: grant.everyAction?.startsWith("NotAction ") ? grant.everyAction : quote(grant.everyAction ?? "*", 80), denyNote };
}
