// The stack rules (vpce-policy-explicit, vpce-policy-supported, vpce-single-policy,
// vpce-gateway-principal, vpce-policy-service-actions) through the path the Pulumi CLI uses: the
// built pack (npx tsc -p tsconfig.json) started once by run-policy-pack, configured as the engine
// configures it, Analyze on every resource's inputs, then AnalyzeStack on the outputs with
// dependencies and propertyDependencies — preview-shaped and deployed-shaped stacks.

import * as assert from "assert";
import { PolicyPackProcess, type Diagnostic, type PolicyPackConfigFile, type RunResult } from "../../engine";
import { fullAccessPolicy, s3BucketPolicy } from "../support/cases";
import { svc, ref, Stack, T, urnOf, type Shape } from "../support/stacks";
import { assertPackBuilt, repoRoot } from "../support/paths";

const customer = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
const restrictive = JSON.stringify(s3BucketPolicy);
const stackPolicies = ["vpce-policy-explicit", "vpce-policy-supported", "vpce-single-policy", "vpce-gateway-principal", "vpce-policy-service-actions"];

interface EngineCase {
    policy: string;
    level: "advisory" | "mandatory";
    /** Builds the stack; resource names get the case's prefix so URNs never repeat across cases. */
    stack: (s: Stack, name: (n: string) => string) => void;
    /** The resource reported on (type and unprefixed name). */
    on: [string, string];
    says: RegExp;
    config?: PolicyPackConfigFile;
}

const cases: EngineCase[] = [
    {
        policy: "vpce-policy-explicit", level: "advisory",
        stack: (s, n) => s.endpoint(n("s3"), s.vpc(n("vpc")), svc("s3")),
        on: [T.endpoint, "s3"], says: /Gateway endpoint to "com\.amazonaws\.us-east-1\.s3" has no endpoint policy.*Set `policy`/,
    },
    {
        policy: "vpce-policy-explicit", level: "advisory",
        stack: (s, n) => s.standalone(n("open"), s.endpoint(n("ddb"), s.vpc(n("vpc")), svc("dynamodb")), fullAccessPolicy),
        on: [T.endpointPolicy, "open"], says: /Statement\[0\] allows every action \("\*"\).*same as AWS's default full-access policy/,
    },
    {
        policy: "vpce-policy-supported", level: "mandatory",
        stack: (s, n) => s.endpoint(n("gwlb"), s.vpc(n("vpc")), customer, { vpcEndpointType: "GatewayLoadBalancer", policy: restrictive }),
        on: [T.endpoint, "gwlb"], says: /type GatewayLoadBalancer do not take an endpoint policy/,
    },
    {
        policy: "vpce-policy-supported", level: "mandatory",
        stack: (s, n) => s.standalone(n("smtp-policy"), s.endpoint(n("smtp"), s.vpc(n("vpc")), svc("email-smtp"), { vpcEndpointType: "Interface" }), restrictive),
        on: [T.endpointPolicy, "smtp-policy"], says: /"com\.amazonaws\.us-east-1\.email-smtp" does not support VPC endpoint policies/,
    },
    {
        policy: "vpce-single-policy", level: "mandatory",
        stack: (s, n) => {
            const e = s.endpoint(n("s3"), s.vpc(n("vpc")), svc("s3"), { policy: restrictive });
            s.standalone(n("other"), e, { Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::other/*" }] });
        },
        on: [T.endpoint, "s3"], says: /sets `policy` and is also the target of VpcEndpointPolicy ".*other", with a different document/,
    },
    {
        policy: "vpce-gateway-principal", level: "mandatory",
        stack: (s, n) => s.endpoint(n("s3"), s.vpc(n("vpc")), svc("s3"), { policy: JSON.stringify({ Statement: [{ Sid: "Acct", Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "s3:GetObject", Resource: "*" }] }) }),
        on: [T.endpoint, "s3"], says: /Statement\[0\] \("Acct"\): Principal \{"AWS": "111122223333"\}.*root user.*aws:PrincipalArn/,
    },
    {
        policy: "vpce-policy-service-actions", level: "advisory",
        stack: (s, n) => s.standalone(n("ecr-policy"), s.endpoint(n("ecr"), s.vpc(n("vpc")), svc("ecr.dkr"), { vpcEndpointType: "Interface" }), { Statement: [{ Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage", "s3:GetObject"], Resource: "*" }] }),
        on: [T.endpointPolicy, "ecr-policy"], says: /Action entry "s3:GetObject" names service prefix "s3", but this endpoint to "com\.amazonaws\.us-east-1\.ecr\.dkr" only carries requests for "ecr:\*"/,
    },
    {
        policy: "vpce-policy-service-actions", level: "mandatory", config: { "vpce-policy-service-actions": { enforcementLevel: "mandatory", extraPrefixes: {} } },
        stack: (s, n) => s.endpoint(n("s3"), s.vpc(n("vpc")), svc("s3"), { policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:DeleteObjekt", Resource: "*" }, { Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }] }) }),
        on: [T.endpoint, "s3"], says: /"s3:DeleteObjekt" matches no action of "s3".*Deny never applies/,
    },
];

async function runStack(pack: PolicyPackProcess, stack: Stack, shape: Shape, config?: PolicyPackConfigFile): Promise<RunResult> {
    await pack.configure(config);
    const resources = stack.engineResources(shape);
    const result: RunResult = { diagnostics: [], notApplicable: [] };
    for (const r of resources) {
        const a = await pack.analyze(r);
        result.diagnostics.push(...a.diagnostics);
    }
    const s = await pack.analyzeStack(resources);
    result.diagnostics.push(...s.diagnostics);
    result.notApplicable.push(...s.notApplicable);
    return result;
}

function cannotRun(diagnostics: Diagnostic[]): Diagnostic[] {
    return diagnostics.filter((d) => /can't run policy|could not evaluate/.test(d.message));
}

describe("stack rules through the engine", function () {
    let pack: PolicyPackProcess;

    before(async function () {
        assertPackBuilt("vpce-policy-explicit");
        pack = await PolicyPackProcess.start(repoRoot);
    });
    after(async function () {
        await pack?.close();
    });

    it("registers the five stack policies in SPEC order, with their levels and config schemas", function () {
        const names = pack.info.policies.map((p) => p.name);
        assert.deepStrictEqual(names.filter((n) => stackPolicies.includes(n)), stackPolicies);
        const levels = Object.fromEntries(pack.info.policies.filter((p) => stackPolicies.includes(p.name)).map((p) => [p.name, [p.policyType, p.enforcementLevel, Object.keys(p.configSchema?.properties ?? {}).filter((k) => k !== "exemptions" && k !== "allowTagExemptions").sort()]]));
        assert.deepStrictEqual(levels, {
            "vpce-policy-explicit": ["stack", "advisory", ["exemptServices"]],
            "vpce-policy-supported": ["stack", "mandatory", ["supportedServices", "unsupportedServices"]],
            "vpce-single-policy": ["stack", "mandatory", []],
            "vpce-gateway-principal": ["stack", "mandatory", []],
            "vpce-policy-service-actions": ["stack", "advisory", ["checkActionsExist", "extraPrefixes"]],
        });
    });

    let counter = 0;
    for (const c of cases) {
        for (const shape of ["preview", "deployed"] as Shape[]) {
            it(`${c.policy}: ${c.on[1]} [${shape}]`, async function () {
                const prefix = `c${counter++}-`;
                const stack = new Stack();
                c.stack(stack, (n) => prefix + n);
                const result = await runStack(pack, stack, shape, c.config);
                assert.deepStrictEqual(cannotRun(result.diagnostics), []);
                const mine = result.diagnostics.filter((d) => d.policyName === c.policy && d.phase === "analyzeStack");
                assert.strictEqual(mine.length, 1, JSON.stringify(result.diagnostics, null, 2));
                const d = mine[0];
                assert.strictEqual(d.urn, urnOf(c.on[0], prefix + c.on[1]));
                assert.strictEqual(d.enforcementLevel, c.level);
                assert.strictEqual(d.policyPackName, "vpce-guard");
                assert.match(d.message, c.says);
                // Every stack rule reports with a URN, never on the stack as a whole.
                for (const other of result.diagnostics.filter((x) => stackPolicies.includes(x.policyName))) assert.ok(other.urn.startsWith("urn:pulumi:"), other.message);
            });
        }
    }

    it("config reaches the rules: an exempt service needs no policy", async function () {
        const stack = new Stack();
        stack.endpoint("cfg-s3", stack.vpc("cfg-vpc"), svc("s3"));
        const result = await runStack(pack, stack, "preview", { "vpce-policy-explicit": { exemptServices: ["s3"] } });
        assert.deepStrictEqual(result.diagnostics.filter((d) => d.policyName === "vpce-policy-explicit"), []);
    });

    for (const shape of ["preview", "deployed"] as Shape[]) {
        it(`a well-built stack gets nothing from the stack rules, and no "can't run" note [${shape}]`, async function () {
            const s = new Stack();
            const vpc = s.vpc(`ok-${shape}-vpc`);
            const bucket = s.add(T.bucket, `ok-${shape}-bucket`, {});
            s.endpoint(`ok-${shape}-s3`, vpc, svc("s3"), {
                routeTableIds: ["rtb-0123456789abcdef0"],
                policy: { Statement: [{ Sid: "OrgOnly", Effect: "Allow", Principal: "*", Action: ["s3:GetObject", "s3:PutObject"], Resource: [ref(bucket, "arn")], Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }] },
            });
            const sg = s.securityGroup(`ok-${shape}-sg`, vpc);
            const sts = s.endpoint(`ok-${shape}-sts`, vpc, svc("sts"), { vpcEndpointType: "Interface", securityGroupIds: [ref(sg)], privateDnsEnabled: true });
            s.standalone(`ok-${shape}-sts-policy`, sts, { Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }] });
            s.endpoint(`ok-${shape}-partner`, vpc, customer, { vpcEndpointType: "Interface", securityGroupIds: [ref(sg)] });
            const result = await runStack(pack, s, shape);
            assert.deepStrictEqual(cannotRun(result.diagnostics), []);
            assert.deepStrictEqual(result.diagnostics.filter((d) => stackPolicies.includes(d.policyName)).map((d) => `${d.policyName}: ${d.message}`), []);
        });
    }
});
