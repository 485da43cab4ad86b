// The endpoint a document is judged on, as the effect model (iam/effect-model.ts) needs it: the
// IAM prefixes of its service, and its VPC and endpoint IDs when the stack knows them (every
// request through it carries them as aws:SourceVpc and aws:SourceVpce).

import { documentEffect, notKnownYet, unknownInGrammar, type DocumentEffect, type EndpointContext } from "../iam/effect-model";
import type { EndpointPolicyInput } from "./endpoint-policy";
import { iamPrefixesFor, type ServiceName } from "./service-catalogue";
import type { StackGraph } from "./stack-graph";
import { isAwsServiceEndpoint, vpcEndpoints, writtenPolicies, type AttachedPolicy, type VpcEndpointView } from "./vpc-endpoint";

export async function endpointContext(view: VpcEndpointView & { service: ServiceName }): Promise<EndpointContext> {
    const vpc = view.node.property("vpcId");
    const vpcId = vpc.state === "known" && typeof vpc.value === "string" && vpc.value !== "" ? vpc.value : notKnownYet;
    const endpointId = view.node.ids().find((id) => id.startsWith("vpce-")) ?? notKnownYet;
    return { prefixes: await iamPrefixesFor(view.service), vpcId, endpointId };
}

/** A written document on an endpoint to an AWS service, with what it lets through there. */
export interface JudgedDocument {
    view: VpcEndpointView & { service: ServiceName };
    policy: AttachedPolicy;
    context: EndpointContext;
    effect: DocumentEffect;
}

// Rules 15 and 16 judge the same documents of one stack: the list is made once per graph (and
// per `accepted`), and each asks for it.
const judgedByGraph = new WeakMap<StackGraph, Map<unknown, Promise<JudgedDocument[] | undefined>>>();

/**
 * Every document rules 15 and 16 judge: the written (not defaulted) policies of endpoints to AWS
 * services that `accepted` (vpce-policy-json's verdict) lets through and whose grammar holds no
 * unknown, with the effect model's result. Undefined when the stack has no endpoint at all.
 */
export function judgedDocuments(graph: StackGraph, accepted: Accepted): Promise<JudgedDocument[] | undefined> {
    let byAccepted = judgedByGraph.get(graph);
    if (byAccepted === undefined) judgedByGraph.set(graph, (byAccepted = new Map()));
    let judged = byAccepted.get(accepted);
    if (judged === undefined) {
        judged = judge(graph, accepted);
        byAccepted.set(accepted, judged);
        // A failed judgement is not kept: the next rule tries again and reports its own failure.
        judged.catch(() => byAccepted!.delete(accepted));
    }
    return judged;
}

type Accepted = (input: EndpointPolicyInput & { status: "parsed" }) => boolean;

async function judge(graph: StackGraph, accepted: Accepted): Promise<JudgedDocument[] | undefined> {
    const endpoints = vpcEndpoints(graph);
    if (endpoints.length === 0) return undefined;
    const judged: JudgedDocument[] = [];
    for (const view of endpoints) {
        if (!isAwsServiceEndpoint(view)) continue;
        const policies = writtenPolicies(view).filter((p) => p.input.status === "parsed" && !p.defaulted);
        if (policies.length === 0) continue;
        const context = await endpointContext(view);
        for (const policy of policies) {
            const input = policy.input;
            if (input.status !== "parsed" || !accepted(input) || unknownInGrammar(input.document)) continue;
            judged.push({ view, policy, context, effect: await documentEffect(input.document, context) });
        }
    }
    return judged;
}
