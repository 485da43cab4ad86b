import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("vpce-guard", {
    description: "Guards AWS VPC endpoints: the endpoint policy documents and the security groups around interface and gateway endpoints.",
    policies,
});
