// vpce-policy-json through the path the Pulumi CLI uses: the built pack started by
// run-policy-pack, configured as the engine configures it, Analyze on inputs with the engine's
// real unknown sentinels.

import * as assert from "assert";
import { PolicyPackProcess, UnknownSentinel, type StackResource } from "../../engine";
import { ResourceType } from "../../stack/endpoint-policy";
import { fullAccessPolicy } from "../support/cases";
import { repoRoot } from "../support/paths";
import { urnOf } from "../support/stacks";


const broken = (type: string, name: string, props: Record<string, unknown>): StackResource => ({ urn: urnOf(type, name), type, inputs: props });

const badEffect = JSON.stringify({ Statement: [{ Sid: "Read", Effect: "allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }] });

describe("vpce-policy-json through the engine", function () {
    let pack: PolicyPackProcess;

    before(async function () {
        pack = await PolicyPackProcess.start(repoRoot);
    });
    after(async function () {
        await pack?.close();
    });

    it("is described by GetAnalyzerInfo with its level, severity, remediation and config schema", function () {
        assert.strictEqual(pack.info.name, "vpce-guard");
        const info = pack.info.policies.find((p) => p.name === "vpce-policy-json");
        assert.ok(info, "vpce-policy-json is registered");
        assert.strictEqual(info.enforcementLevel, "mandatory");
        assert.strictEqual(info.severity, "high");
        assert.strictEqual(info.policyType, "resource");
        assert.match(info.description, /valid JSON/);
        assert.match(info.remediationSteps ?? "", /JSON\.stringify/);
        // Only the exemption settings every policy has.
        assert.deepStrictEqual(Object.keys(info.configSchema?.properties ?? {}).sort(), ["allowTagExemptions", "exemptions"]);
    });

    it("reports a bad document on each carrier, on that resource, at the default mandatory level", async function () {
        await pack.configure();
        const resources = [
            broken(ResourceType.vpcEndpoint, "inline", { serviceName: "com.amazonaws.us-east-1.s3", vpcId: UnknownSentinel.string, policy: badEffect }),
            broken(ResourceType.vpcEndpointPolicy, "standalone", { vpcEndpointId: UnknownSentinel.string, policy: "{\"Statement\": [}" }),
            broken(ResourceType.nativeVpcEndpoint, "native", { serviceName: "com.amazonaws.us-east-1.s3", vpcId: UnknownSentinel.string, policyDocument: { Statement: [] } }),
        ];
        const expected = [/"Effect" is "allow"/, /line 1, column 16/, /empty list/];
        for (const [i, r] of resources.entries()) {
            const result = await pack.analyze(r);
            const mine = result.diagnostics.filter((d) => d.policyName === "vpce-policy-json");
            assert.strictEqual(mine.length, 1, `${r.urn}: ${JSON.stringify(result.diagnostics)}`);
            assert.strictEqual(mine[0].urn, r.urn);
            assert.strictEqual(mine[0].enforcementLevel, "mandatory");
            assert.match(mine[0].message, expected[i]);
        }
    });

    it("follows the configured level: `all: advisory`, then a per-policy override, then disabled", async function () {
        const r = broken(ResourceType.vpcEndpoint, "inline", { serviceName: "com.amazonaws.us-east-1.s3", policy: badEffect });
        const levelOf = async () => (await pack.analyze(r)).diagnostics.filter((d) => d.policyName === "vpce-policy-json").map((d) => d.enforcementLevel);
        await pack.configure({ all: "advisory" });
        assert.deepStrictEqual(await levelOf(), ["advisory"]);
        await pack.configure({ all: "advisory", "vpce-policy-json": "mandatory" });
        assert.deepStrictEqual(await levelOf(), ["mandatory"]);
        await pack.configure({ "vpce-policy-json": { enforcementLevel: "disabled" } });
        assert.deepStrictEqual(await levelOf(), []);
    });

    it("has no verdict and no framework note for unknown values of every kind, anywhere", async function () {
        await pack.configure({ all: "mandatory" });
        const previews: StackResource[] = [
            broken(ResourceType.vpcEndpoint, "unknown-policy", { serviceName: UnknownSentinel.string, vpcId: UnknownSentinel.string, policy: UnknownSentinel.string, securityGroupIds: UnknownSentinel.array, privateDnsEnabled: UnknownSentinel.bool }),
            broken(ResourceType.vpcEndpointPolicy, "unknown-standalone", { vpcEndpointId: UnknownSentinel.string, policy: UnknownSentinel.string }),
            broken(ResourceType.nativeVpcEndpoint, "unknown-document", { vpcId: UnknownSentinel.string, policyDocument: UnknownSentinel.object }),
            broken(ResourceType.nativeVpcEndpoint, "unknown-inside", { policyDocument: { Statement: [{ Effect: "allow", Principal: "*", Action: UnknownSentinel.array, Resource: UnknownSentinel.string, Condition: { NumericLessThan: { "s3:max-keys": UnknownSentinel.number }, Bool: { "aws:SecureTransport": UnknownSentinel.bool } } }] } }),
            broken(ResourceType.vpcEndpoint, "known-policy-unknown-rest", { serviceName: "com.amazonaws.us-east-1.s3", vpcId: UnknownSentinel.string, routeTableIds: [UnknownSentinel.string], policy: JSON.stringify(fullAccessPolicy), tags: UnknownSentinel.object }),
        ];
        for (const r of previews) {
            const result = await pack.analyze(r);
            const notes = result.diagnostics.filter((d) => d.message.includes("can't run policy"));
            assert.deepStrictEqual(notes, [], `framework note for ${r.urn}`);
            assert.deepStrictEqual(result.diagnostics.filter((d) => d.policyName === "vpce-policy-json"), [], r.urn);
        }
        const na = (await pack.analyze(previews[0])).notApplicable.find((n) => n.policyName === "vpce-policy-json");
        assert.match(na?.reason ?? "", /not known until the update/);
    });

    it("answers every odd policy value without an RPC error", async function () {
        await pack.configure();
        const odd: unknown[] = ["", " ", "null", "[]", "\"{}\"", "{", "\ufeff{}", "{\"a\":1,\"a\":2}", "[".repeat(20000), 42, true, [], {}, null, { Statement: "x" }];
        for (const [i, policy] of odd.entries()) {
            const type = typeof policy === "string" ? ResourceType.vpcEndpoint : ResourceType.nativeVpcEndpoint;
            const inputs = type === ResourceType.vpcEndpoint ? { policy } : { policyDocument: policy };
            const result = await pack.analyze(broken(type, `odd-${i}`, inputs));
            for (const d of result.diagnostics) assert.ok(d.message.length < 1000, `short message for ${JSON.stringify(policy).slice(0, 40)}`);
        }
    });
});
