// The pack's policies, in SPEC.md order. Importable by other packs: `import { policies } from "vpce-guard/policies"`.

import type { Policies } from "@pulumi/policy";
import { vpcePolicyJson } from "./vpce-policy-json";

export { vpcePolicyJson };

export const policies: Policies = [
    vpcePolicyJson,
];
