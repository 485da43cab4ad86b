// The pack's policies, in SPEC.md order. Importable by other packs: `import { policies } from "vpce-guard/policies"`.

import type { Policies } from "@pulumi/policy";
import { vpcePolicyJson } from "./vpce-policy-json";
import { vpcePolicySize } from "./vpce-policy-size";
import { vpcePolicyPrincipal } from "./vpce-policy-principal";
import { vpcePolicyConditions } from "./vpce-policy-conditions";
import { vpceDataPerimeter } from "./vpce-data-perimeter";

export { vpcePolicyJson };
export { vpcePolicySize, vpcePolicyPrincipal, vpcePolicyConditions, vpceDataPerimeter };

export const policies: Policies = [
    vpcePolicyJson,
    vpcePolicySize,
    vpcePolicyPrincipal,
    vpcePolicyConditions,
    vpceDataPerimeter,
];
