import * as fs from "fs";
import * as path from "path";
import { PolicyPack } from "@pulumi/policy";
import { policies, shareDeserializedProperties } from "./policies";

// Before any request: every policy then reads the same deserialized props (see framework-cache.ts).
shareDeserializedProperties();

/** The README, which Pulumi Cloud shows on the pack's page; beside index.ts, or one up from bin/. */
function readme(): string | undefined {
    for (const dir of [__dirname, path.dirname(__dirname)]) {
        try {
            return fs.readFileSync(path.join(dir, "README.md"), "utf8");
        } catch {
            // try the next place
        }
    }
    return undefined;
}

const text = readme();

new PolicyPack("vpce-guard", {
    displayName: "vpce-guard: AWS VPC endpoint policies and security groups",
    description: "Guards AWS VPC endpoints: the endpoint policy documents and the security groups around interface and gateway endpoints.",
    provider: "aws",
    tags: ["aws", "vpc-endpoint", "privatelink", "iam", "endpoint-policy", "security-group", "network"],
    ...(text !== undefined ? { readme: text } : {}),
    policies,
});
