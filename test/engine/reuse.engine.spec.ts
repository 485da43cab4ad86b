// The policies reused by another pack at other levels, as README's "Reuse" section shows.

import * as assert from "assert";
import * as path from "path";
import { runPolicyPack, type StackResource } from "../../engine";
import { ResourceType } from "../../stack/endpoint-policy";
import { fixturesDir } from "../support/paths";

describe("vpce-guard policies in another pack", function () {
    it("run there under that pack's name, at the levels it chose", async function () {
        const endpoint: StackResource = {
            urn: "urn:pulumi:dev::net::aws:ec2/vpcEndpoint:VpcEndpoint::s3",
            type: ResourceType.vpcEndpoint,
            inputs: { vpcId: "vpc-0abc", serviceName: "com.amazonaws.us-east-1.s3", policy: "{\"Statement\": [{\"Effect\": \"allow\"}]}" },
        };
        const result = await runPolicyPack(path.join(fixturesDir, "reuse-pack"), [endpoint]);
        assert.strictEqual(result.info.name, "my-org-guard");
        assert.ok(result.info.policies.length >= 14 && result.info.policies.every((p) => p.enforcementLevel === "advisory"));
        const json = result.diagnostics.filter((d) => d.policyName === "vpce-policy-json");
        assert.ok(json.length > 0);
        assert.ok(json.every((d) => d.enforcementLevel === "advisory" && d.policyPackName === "my-org-guard"));
    });
});
