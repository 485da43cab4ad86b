// The pack's policies, in SPEC.md order. Importable by other packs: `import { policies } from "vpce-guard/policies"`.

import type { Policies } from "@pulumi/policy";
import { vpcePolicyJson } from "./vpce-policy-json";
import { vpcePolicySize } from "./vpce-policy-size";
import { vpcePolicyPrincipal } from "./vpce-policy-principal";
import { vpcePolicyConditions } from "./vpce-policy-conditions";
import { vpceDataPerimeter } from "./vpce-data-perimeter";
import { vpcePolicyExplicit } from "./vpce-policy-explicit";
import { vpcePolicySupported } from "./vpce-policy-supported";
import { vpceSinglePolicy } from "./vpce-single-policy";
import { vpceGatewayPrincipal } from "./vpce-gateway-principal";
import { vpcePolicyServiceActions } from "./vpce-policy-service-actions";
import { vpceInterfaceSecurityGroups } from "./vpce-interface-security-groups";
import { vpceEndpointIngress } from "./vpce-endpoint-ingress";
import { vpceGatewayEgress } from "./vpce-gateway-egress";
import { vpcePrivateDns } from "./vpce-private-dns";
import { vpcePolicyNoAccess } from "./vpce-policy-no-access";
import { vpcePolicyDeadGrants } from "./vpce-policy-dead-grants";

export { vpcePolicyJson };
export { vpcePolicySize, vpcePolicyPrincipal, vpcePolicyConditions, vpceDataPerimeter };
export { vpcePolicyExplicit, vpcePolicySupported, vpceSinglePolicy, vpceGatewayPrincipal, vpcePolicyServiceActions };
export { vpceInterfaceSecurityGroups, vpceEndpointIngress, vpceGatewayEgress, vpcePrivateDns };
export { vpcePolicyNoAccess, vpcePolicyDeadGrants };
// Not installed on import: it changes what every policy of the pack receives (see its file).
export { shareDeserializedProperties } from "../framework/framework-cache";

export const policies: Policies = [
    vpcePolicyJson,
    vpcePolicySize,
    vpcePolicyPrincipal,
    vpcePolicyConditions,
    vpceDataPerimeter,
    vpcePolicyExplicit,
    vpcePolicySupported,
    vpceSinglePolicy,
    vpceGatewayPrincipal,
    vpcePolicyServiceActions,
    vpceInterfaceSecurityGroups,
    vpceEndpointIngress,
    vpceGatewayEgress,
    vpcePrivateDns,
    vpcePolicyNoAccess,
    vpcePolicyDeadGrants,
];
