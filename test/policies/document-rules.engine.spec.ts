// vpce-policy-size, vpce-policy-principal, vpce-policy-conditions and vpce-data-perimeter through
// the path the Pulumi CLI uses: the built pack (npx tsc -p tsconfig.json) started once by
// run-policy-pack, configured as the engine configures it, Analyze on inputs, with the engine's
// real unknown sentinels in preview.

import * as assert from "assert";
import { PolicyPackProcess, UnknownSentinel, type Diagnostic, type StackResource } from "../../engine";
import { ResourceType } from "../../stack/endpoint-policy";
import { fullAccessPolicy } from "../support/cases";
import { exampleOrgId, perimeterDefaultPolicy } from "../support/document-policies";
import { assertPackBuilt, repoRoot } from "../support/paths";
import { urnOf } from "../support/stacks";

const resource = (type: string, name: string, inputs: Record<string, unknown>): StackResource => ({ urn: urnOf(type, name), type, inputs });
const endpoint = (name: string, policy: unknown) =>
    resource(ResourceType.vpcEndpoint, name, { serviceName: "com.amazonaws.us-east-1.s3", vpcId: UnknownSentinel.string, policy: typeof policy === "string" ? policy : JSON.stringify(policy) });
const standalone = (name: string, policy: unknown) =>
    resource(ResourceType.vpcEndpointPolicy, name, { vpcEndpointId: UnknownSentinel.string, policy: typeof policy === "string" ? policy : JSON.stringify(policy) });
const native = (name: string, policyDocument: unknown) =>
    resource(ResourceType.nativeVpcEndpoint, name, { serviceName: "com.amazonaws.us-east-1.s3", vpcId: UnknownSentinel.string, policyDocument });

const oversized = { Statement: [{ Sid: "A".repeat(20500), Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] };
const bareArnPrincipal = { Statement: [{ Sid: "Bare", Effect: "Allow", Principal: "arn:aws:iam::111122223333:role/app", Action: "*", Resource: "*" }] };
const wildcardAccount = { Statement: [{ Sid: "Wild", Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringLike: { "aws:PrincipalAccount": "1111*" } } }] };

interface EngineCase {
    policy: string;
    level: "advisory" | "mandatory";
    config?: Record<string, unknown>;
    violating: StackResource;
    says: RegExp;
}

const cases: EngineCase[] = [
    { policy: "vpce-policy-size", level: "mandatory", violating: standalone("too-big", oversized), says: /20,5\d\d characters as AWS receives it.*the limit is 20,480/ },
    { policy: "vpce-policy-principal", level: "mandatory", violating: endpoint("bare-principal", bareArnPrincipal), says: /Statement\[0\] \("Bare"\): "Principal" is "arn:aws:iam::111122223333:role\/app".*\{"AWS": /s },
    { policy: "vpce-policy-conditions", level: "advisory", violating: native("wildcard-account", wildcardAccount), says: /"aws:PrincipalAccount" has "1111\*".*no wildcard/ },
    { policy: "vpce-data-perimeter", level: "advisory", config: { organizationIds: [exampleOrgId] }, violating: endpoint("full-access", fullAccessPolicy), says: /Statement\[0\] allows requests from any principal.*"aws:PrincipalOrgID": "o-a1b2c3d4e5"/ },
];

/** Resources in preview: the policy, or values inside it, not known yet. */
const previews: StackResource[] = [
    resource(ResourceType.vpcEndpoint, "unknown-policy", { serviceName: UnknownSentinel.string, vpcId: UnknownSentinel.string, policy: UnknownSentinel.string, securityGroupIds: UnknownSentinel.array }),
    resource(ResourceType.vpcEndpointPolicy, "unknown-standalone", { vpcEndpointId: UnknownSentinel.string, policy: UnknownSentinel.string }),
    resource(ResourceType.nativeVpcEndpoint, "unknown-document", { vpcId: UnknownSentinel.string, policyDocument: UnknownSentinel.object }),
    native("unknown-inside", { Statement: [{ Effect: "Allow", Principal: { AWS: UnknownSentinel.array }, Action: "*", Resource: UnknownSentinel.string, Condition: { StringLike: { "aws:PrincipalAccount": UnknownSentinel.string }, NumericLessThan: { "s3:max-keys": UnknownSentinel.number } } }] }),
];

/** The policies of SPEC rules 1–5, the ones that read the document. */
const documentRules = ["vpce-policy-json", "vpce-policy-size", "vpce-policy-principal", "vpce-policy-conditions", "vpce-data-perimeter"];

function mine(diagnostics: Diagnostic[], policy: string): Diagnostic[] {
    return diagnostics.filter((d) => d.policyName === policy);
}

describe("document rules through the engine", function () {
    let pack: PolicyPackProcess;

    before(async function () {
        assertPackBuilt("vpce-data-perimeter");
        pack = await PolicyPackProcess.start(repoRoot);
    });
    after(async function () {
        await pack?.close();
    });

    it("registers the four policies, in SPEC order, with their levels and config schemas", function () {
        const names = pack.info.policies.map((p) => p.name);
        assert.deepStrictEqual(names.filter((n) => documentRules.includes(n)), documentRules);
        for (const c of cases) {
            const info = pack.info.policies.find((p) => p.name === c.policy)!;
            assert.strictEqual(info.enforcementLevel, c.level, c.policy);
            assert.strictEqual(info.policyType, "resource");
            assert.ok(info.remediationSteps && info.description, c.policy);
        }
        const perimeter = pack.info.policies.find((p) => p.name === "vpce-data-perimeter")!;
        assert.deepStrictEqual(Object.keys(perimeter.configSchema?.properties ?? {}).sort(), ["accountIds", "allowServicePrincipals", "allowTagExemptions", "exemptions", "organizationIds", "requireResourcePerimeter"]);
    });

    for (const c of cases) {
        it(`${c.policy}: reports on the carrier, at its default level`, async function () {
            await pack.configure(c.config ? { [c.policy]: c.config } : undefined);
            const result = await pack.analyze(c.violating);
            const found = mine(result.diagnostics, c.policy);
            assert.strictEqual(found.length, 1, JSON.stringify(result.diagnostics, null, 1));
            assert.strictEqual(found[0].urn, c.violating.urn);
            assert.strictEqual(found[0].enforcementLevel, c.level);
            assert.match(found[0].message, c.says);
            assert.ok(found[0].message.length < 1000);
            assert.deepStrictEqual(result.diagnostics.filter((d) => d.message.includes("can't run policy")), []);
        });

        it(`${c.policy}: has no verdict and no framework note in preview`, async function () {
            await pack.configure({ all: "mandatory", ...(c.config ? { [c.policy]: c.config } : {}) });
            for (const r of previews) {
                const result = await pack.analyze(r);
                assert.deepStrictEqual(result.diagnostics.filter((d) => d.message.includes("can't run policy")), [], r.urn);
                assert.deepStrictEqual(mine(result.diagnostics, c.policy), [], r.urn);
                const na = result.notApplicable.find((n) => n.policyName === c.policy);
                assert.match(na?.reason ?? "", /not known until the update/, r.urn);
            }
        });
    }

    it("vpce-data-perimeter: not applicable until configured; AWS's default example passes once it is", async function () {
        const example = endpoint("perimeter-example", perimeterDefaultPolicy);
        await pack.configure();
        let result = await pack.analyze(example);
        assert.deepStrictEqual(mine(result.diagnostics, "vpce-data-perimeter"), []);
        assert.match(result.notApplicable.find((n) => n.policyName === "vpce-data-perimeter")?.reason ?? "", /no perimeter configured/);
        await pack.configure({ "vpce-data-perimeter": { organizationIds: [exampleOrgId] } });
        result = await pack.analyze(example);
        assert.deepStrictEqual(result.diagnostics.filter((d) => documentRules.includes(d.policyName)), []);
    });

    it("content rules step aside for text that is not JSON; the size rule measures it", async function () {
        await pack.configure({ "vpce-data-perimeter": { organizationIds: [exampleOrgId] } });
        const result = await pack.analyze(endpoint("not-json", "{" + "x".repeat(25000)));
        assert.deepStrictEqual(result.diagnostics.map((d) => d.policyName).filter((n) => documentRules.includes(n)).sort(), ["vpce-policy-json", "vpce-policy-size"]);
        assert.match(mine(result.diagnostics, "vpce-policy-size")[0].message, /25,001 characters.*not valid JSON/);
        for (const policy of ["vpce-policy-principal", "vpce-policy-conditions", "vpce-data-perimeter"]) {
            assert.match(result.notApplicable.find((n) => n.policyName === policy)?.reason ?? "", /not valid JSON; see vpce-policy-json/, policy);
        }
    });
});
