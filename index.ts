import { PolicyPack } from "@pulumi/policy";
import { policies, shareDeserializedProperties } from "./policies";

// Before any request: every policy then reads the same deserialized props (see framework-cache.ts).
shareDeserializedProperties();

new PolicyPack("vpce-guard", {
    description: "Guards AWS VPC endpoints: the endpoint policy documents and the security groups around interface and gateway endpoints.",
    policies,
});
