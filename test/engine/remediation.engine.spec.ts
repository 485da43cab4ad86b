// Opt-in remediation (enforcement level `remediate`) through the engine as the CLI runs it:
// Remediate then Analyze on every resource's inputs, the remediated inputs going on to Analyze and
// the planned state (preview/up), or reported without applying (`pulumi policy analyze`, check).

import * as assert from "assert";
import { runPolicyPack, type PolicyPackConfigFile } from "../../engine";
import { repoRoot } from "../support/paths";
import { svc, Stack, T, urnOf, type Shape } from "../support/stacks";

// Written by hand, with its own layout: the fix changes only the principal's characters.
const written = `{
    "Version": "2012-10-17",
    "Statement": [
        { "Sid": "App", "Effect": "Allow", "Principal": "arn:aws:iam::111122223333:role/app", "Action": "s3:GetObject", "Resource": "*" },
        { "Sid": "Svc", "Effect": "Allow", "Principal": ["arn:aws:iam::111122223333:role/ci", "cloudtrail.amazonaws.com"], "Action": "s3:PutObject", "Resource": "*" },
        { "Sid": "Odd", "Effect": "Allow", "Principal": "someone", "Action": "s3:GetObject", "Resource": "*" }
    ]
}`;
const fixed = written
    .replace(`"Principal": "arn:aws:iam::111122223333:role/app"`, `"Principal": {"AWS": "arn:aws:iam::111122223333:role/app"}`)
    .replace(`"Principal": ["arn:aws:iam::111122223333:role/ci", "cloudtrail.amazonaws.com"]`, `"Principal": {"AWS": ["arn:aws:iam::111122223333:role/ci"], "Service": ["cloudtrail.amazonaws.com"]}`);

const remediate: PolicyPackConfigFile = { "vpce-policy-principal": "remediate", "vpce-private-dns": "remediate" };

function stack(): Stack {
    const s = new Stack();
    const vpc = s.vpc("vpc", { enableDnsHostnames: true });
    s.endpoint("s3", vpc, svc("s3"), { policy: written });
    s.endpoint("sts", vpc, svc("sts"), { vpcEndpointType: "Interface", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Resource: "*" }] }) });
    s.endpoint("kms", vpc, svc("kms"), { vpcEndpointType: "Interface", privateDnsEnabled: false, policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }] }) });
    return s;
}

describe("remediation through the engine", function () {
    for (const shape of ["preview", "deployed"] as Shape[]) {
        it(`applies the fixes before Analyze and in the planned state, as preview/up do [${shape}]`, async function () {
            const result = await runPolicyPack(repoRoot, stack().engineResources(shape), { config: remediate });
            const byPolicy = (p: string) => result.remediations.filter((r) => r.policyName === p && r.properties !== undefined);
            const principal = byPolicy("vpce-policy-principal");
            assert.deepStrictEqual(principal.map((r) => [r.urn, r.changed]), [[urnOf(T.endpoint, "s3"), ["policy"]]]);
            assert.strictEqual(principal[0].properties?.policy, fixed);
            // The one principal that is not unmistakable stays and is reported, at mandatory (remediate downgraded).
            const left = result.diagnostics.filter((d) => d.policyName === "vpce-policy-principal");
            assert.deepStrictEqual(left.map((d) => [d.urn, d.enforcementLevel]), [[urnOf(T.endpoint, "s3"), "mandatory"]]);
            assert.match(left[0].message, /Statement\[2\] \("Odd"\): "Principal" is "someone"/);

            // privateDnsEnabled: set where it was absent; an explicit false is the author's and stays, reported as mandatory.
            assert.deepStrictEqual(byPolicy("vpce-private-dns").map((r) => [r.urn, r.changed, r.properties?.privateDnsEnabled]), [[urnOf(T.endpoint, "sts"), ["privateDnsEnabled"], true]]);
            const dns = result.diagnostics.filter((d) => d.policyName === "vpce-private-dns");
            assert.deepStrictEqual(dns.map((d) => [d.urn, d.enforcementLevel]), [[urnOf(T.endpoint, "kms"), "mandatory"]]);
        });
    }

    it("reports without applying (as pulumi policy analyze): the violations stay", async function () {
        const result = await runPolicyPack(repoRoot, stack().engineResources("deployed"), { config: remediate, remediations: "report" });
        assert.strictEqual(result.remediations.filter((r) => r.properties !== undefined).length, 2);
        const principal = result.diagnostics.filter((d) => d.policyName === "vpce-policy-principal");
        assert.strictEqual(principal.length, 3);
        assert.deepStrictEqual(result.diagnostics.filter((d) => d.policyName === "vpce-private-dns").map((d) => d.urn).sort(), [urnOf(T.endpoint, "kms"), urnOf(T.endpoint, "sts")].sort());
    });

    it("does not remediate at other levels, nor an exempted resource", async function () {
        const plain = await runPolicyPack(repoRoot, stack().engineResources("deployed"));
        assert.deepStrictEqual(plain.remediations, []);
        const exempted = await runPolicyPack(repoRoot, stack().engineResources("deployed"), {
            config: { ...remediate, "vpce-policy-principal": { enforcementLevel: "remediate", exemptions: [{ resources: ["s3"], reason: "kept as the vendor wrote it" }] } },
        });
        assert.deepStrictEqual(exempted.remediations.filter((r) => r.policyName === "vpce-policy-principal" && r.properties !== undefined), []);
        assert.deepStrictEqual(exempted.diagnostics.filter((d) => d.policyName === "vpce-policy-principal"), []);
    });
});
