// The endpoint a document is judged on, as the effect model (iam/effect-model.ts) needs it: the
// IAM prefixes of its service, and its VPC and endpoint IDs when the stack knows them (every
// request through it carries them as aws:SourceVpc and aws:SourceVpce).

import { notKnownYet, type EndpointContext } from "../iam/effect-model";
import { iamPrefixesFor, type ServiceName } from "./service-catalogue";
import type { VpcEndpointView } from "./vpc-endpoint";

export async function endpointContext(view: VpcEndpointView & { service: ServiceName }): Promise<EndpointContext> {
    const vpc = view.node.property("vpcId");
    const vpcId = vpc.state === "known" && typeof vpc.value === "string" && vpc.value !== "" ? vpc.value : notKnownYet;
    const endpointId = view.node.ids().find((id) => id.startsWith("vpce-")) ?? notKnownYet;
    return { prefixes: await iamPrefixesFor(view.service), vpcId, endpointId };
}
