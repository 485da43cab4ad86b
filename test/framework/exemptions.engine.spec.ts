// Exemptions (config `exemptions`, the `vpce-guard:exempt` tag, `allowTagExemptions`) through the
// path the Pulumi CLI uses: the built pack started by run-policy-pack, configured from a config as a
// user writes it, Analyze on inputs then AnalyzeStack — for resource and stack policies alike.

import * as assert from "assert";
import { PolicyConfigError, runPolicyPack, type PolicyPackConfigFile, type StackResource } from "../../engine";
import { parseExemptionRecord } from "../../values/exemption-record";
import { repoRoot } from "../support/paths";
import { fullAccessPolicy } from "../support/cases";
import { svc, Stack, T, urnOf, type Shape } from "../support/stacks";

const barePrincipal = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "arn:aws:iam::111122223333:role/app", Action: "s3:GetObject", Resource: "*" }] });

async function run(stack: Stack, config: PolicyPackConfigFile | undefined, shape: Shape = "deployed", parents: Record<string, string> = {}) {
    const resources: StackResource[] = stack.engineResources(shape).map((r) => (parents[r.urn] ? { ...r, parent: parents[r.urn] } : r));
    const result = await runPolicyPack(repoRoot, resources, { config });
    return { ...result, exemptions: result.output.map(parseExemptionRecord).filter((e) => e !== undefined) };
}

describe("exemptions through the engine", function () {
    it("every policy declares `exemptions` and `allowTagExemptions` (true by default only for advisory policies), and entries refuse unknown keys", async function () {
        const stack = new Stack();
        stack.vpc("vpc");
        const result = await run(stack, undefined);
        assert.ok(result.info.policies.length >= 14);
        for (const p of result.info.policies) {
            const props = p.configSchema?.properties as Record<string, any>;
            assert.ok(props.exemptions, p.name);
            assert.strictEqual(props.allowTagExemptions.default, p.enforcementLevel === "advisory", p.name);
            assert.strictEqual(props.exemptions.items.additionalProperties, false, p.name);
            assert.deepStrictEqual(props.exemptions.items.required, ["resources", "reason"], p.name);
        }
        // The engine enforces nested additionalProperties: a misspelt key in an entry is refused.
        await assert.rejects(
            run(stack, { "vpce-policy-size": { exemptions: [{ resources: ["*"], reason: "x", expire: "2030-01-01" }] } }),
            (e: unknown) => e instanceof PolicyConfigError && /vpce-policy-size: property "exemptions\[0\]\.expire" is not allowed/.test(e.message),
        );
        await assert.rejects(
            run(stack, { "vpce-policy-size": { exemptions: [{ resources: ["*"] }] } }),
            (e: unknown) => e instanceof PolicyConfigError && /exemptions\[0\]\.reason" is required/.test(e.message),
        );
    });

    it("resource policy, config exemption: not applicable with the reason, no violation, recorded on stdout", async function () {
        const stack = new Stack();
        stack.endpoint("legacy-s3", stack.vpc("vpc"), svc("s3"), { policy: barePrincipal });
        const urn = urnOf(T.endpoint, "legacy-s3");
        const config = { "vpce-policy-principal": { exemptions: [{ resources: ["legacy-*"], reason: "Vendor template, replaced in Q3 (SEC-12)", expires: "2999-09-30" }] } };
        const result = await run(stack, config);
        assert.deepStrictEqual(result.diagnostics.filter((d) => d.policyName === "vpce-policy-principal"), []);
        const na = result.notApplicable.filter((n) => n.policyName === "vpce-policy-principal" && n.urn === urn);
        assert.deepStrictEqual(na.map((n) => n.reason), ["exempted by a config exemption (until 2999-09-30): Vendor template, replaced in Q3 (SEC-12)"]);
        assert.deepStrictEqual(result.exemptions, [{ policy: "vpce-policy-principal", urn, kind: "config", reason: "Vendor template, replaced in Q3 (SEC-12)", expires: "2999-09-30", suppressed: 1 }]);
        // Without the exemption the same resource is a mandatory violation.
        const plain = await run(stack, undefined);
        assert.strictEqual(plain.diagnostics.filter((d) => d.policyName === "vpce-policy-principal" && d.urn === urn && d.enforcementLevel === "mandatory").length, 1);
    });

    it("an expired config exemption gives the violation, saying it expired on that date", async function () {
        const stack = new Stack();
        stack.endpoint("old", stack.vpc("vpc"), svc("s3"), { policy: barePrincipal });
        const result = await run(stack, { "vpce-policy-principal": { exemptions: [{ resources: [urnOf(T.endpoint, "old")], reason: "grace period", expires: "2020-01-31" }] } });
        const mine = result.diagnostics.filter((d) => d.policyName === "vpce-policy-principal");
        assert.strictEqual(mine.length, 1);
        assert.match(mine[0].message, /An exemption of this resource from vpce-policy-principal expired on 2020-01-31 \("grace period"\)/);
        assert.deepStrictEqual(result.exemptions, []);
    });

    it("a mandatory policy ignores the tag unless allowTagExemptions is set, and says so", async function () {
        const stack = new Stack();
        stack.endpoint("tagged", stack.vpc("vpc"), svc("s3"), { policy: barePrincipal, tags: { "vpce-guard:exempt": "vpce-policy-principal,vpce-policy-explicit: migrating to ABAC" } });
        const urn = urnOf(T.endpoint, "tagged");
        const strict = await run(stack, undefined, "preview");
        const mine = strict.diagnostics.filter((d) => d.policyName === "vpce-policy-principal");
        assert.strictEqual(mine.length, 1);
        assert.match(mine[0].message, /tag names vpce-policy-principal, but this policy does not honour tag exemptions \(`allowTagExemptions` is false\)/);

        const allowed = await run(stack, { "vpce-policy-principal": { allowTagExemptions: true } }, "preview");
        assert.deepStrictEqual(allowed.diagnostics.filter((d) => d.policyName === "vpce-policy-principal"), []);
        assert.deepStrictEqual(allowed.notApplicable.filter((n) => n.policyName === "vpce-policy-principal" && n.urn === urn).map((n) => n.reason), ["exempted by its vpce-guard:exempt tag: migrating to ABAC"]);
        assert.deepStrictEqual(allowed.exemptions.map((e) => [e.policy, e.kind, e.urn]), [["vpce-policy-principal", "tag", urn]]);
    });

    it("stack policy, tag: the exempted resource's violation is dropped and recorded; with nothing left the policy is not applicable, naming the exemption", async function () {
        const stack = new Stack();
        const vpc = stack.vpc("vpc", { enableDnsHostnames: true });
        stack.endpoint("sts", vpc, svc("sts"), { vpcEndpointType: "Interface", policy: JSON.stringify(fullAccessPolicy), tags: { Name: "sts", "vpce-guard:exempt": "vpce-private-dns: clients use the endpoint-specific DNS names" } });
        const urn = urnOf(T.endpoint, "sts");
        for (const shape of ["preview", "deployed"] as Shape[]) {
            const result = await run(stack, undefined, shape);
            assert.deepStrictEqual(result.diagnostics.filter((d) => d.policyName === "vpce-private-dns"), [], shape);
            // (In Analyze it answers "does not implement validateResource": it has a remediation; see README.)
            assert.deepStrictEqual(result.notApplicable.filter((n) => n.policyName === "vpce-private-dns" && n.phase === "analyzeStack").map((n) => n.reason),
                ["every finding was on an exempted resource: \"sts\" (exempted by its vpce-guard:exempt tag: clients use the endpoint-specific DNS names)"], shape);
            assert.deepStrictEqual(result.exemptions, [{ policy: "vpce-private-dns", urn, kind: "tag", reason: "clients use the endpoint-specific DNS names", suppressed: 1 }], shape);
        }
    });

    it("stack policy: other resources' violations stay; a VpcEndpointPolicy follows its endpoint's tag (linked in preview too)", async function () {
        const stack = new Stack();
        const vpc = stack.vpc("vpc");
        const tagged = stack.endpoint("ddb", vpc, svc("dynamodb"), { tags: { "vpce-guard:exempt": "vpce-policy-explicit: DynamoDB access is governed by table policies" } });
        stack.standalone("ddb-open", tagged, fullAccessPolicy);
        stack.endpoint("s3", vpc, svc("s3"));
        for (const shape of ["preview", "deployed"] as Shape[]) {
            const result = await run(stack, undefined, shape);
            const mine = result.diagnostics.filter((d) => d.policyName === "vpce-policy-explicit");
            assert.deepStrictEqual(mine.map((d) => d.urn), [urnOf(T.endpoint, "s3")], shape);
            assert.deepStrictEqual(result.exemptions.map((e) => [e.policy, e.urn, e.kind]), [["vpce-policy-explicit", urnOf(T.endpointPolicy, "ddb-open"), "tag"]], shape);
        }
    });

    it("resource policy on a VpcEndpointPolicy follows the tag of its endpoint when the endpoint is its Pulumi parent", async function () {
        const stack = new Stack();
        const endpoint = stack.endpoint("s3", stack.vpc("vpc"), svc("s3"), { tags: { "vpce-guard:exempt": "vpce-policy-conditions: reviewed" } });
        stack.standalone("s3-policy", endpoint, { Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*", Condition: { StringLike: { "aws:PrincipalAccount": "1111*" } } }] });
        const policyUrn = urnOf(T.endpointPolicy, "s3-policy");
        const orphan = await run(stack, undefined);
        assert.strictEqual(orphan.diagnostics.filter((d) => d.policyName === "vpce-policy-conditions" && d.urn === policyUrn).length, 1);
        const child = await run(stack, undefined, "deployed", { [policyUrn]: urnOf(T.endpoint, "s3") });
        assert.deepStrictEqual(child.diagnostics.filter((d) => d.policyName === "vpce-policy-conditions"), []);
        assert.deepStrictEqual(child.exemptions.map((e) => [e.policy, e.urn, e.kind, e.reason]), [["vpce-policy-conditions", policyUrn, "tag", "reviewed"]]);
    });
});
