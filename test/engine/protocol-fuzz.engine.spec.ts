// The built pack driven through the Analyzer protocol with generated requests, as the Pulumi CLI
// sends them: Analyze with resources of every pack-relevant type (nearly valid, hostile, unknowns of
// every kind, secrets, odd URNs), and AnalyzeStack with generated stacks (dangling, self and
// duplicate dependencies, odd URNs, big stacks) after Analyze on each resource, in one process.
// Every RPC must answer, and no diagnostic may be the framework's "can't run policy" note or the
// pack's internal-error note. Build first: npx tsc -p tsconfig.json.

import * as assert from "assert";
import * as fc from "fast-check";
import { PolicyPackProcess, secret, type Diagnostic, type NotApplicable, type StackResource } from "../../engine";
import {
    hostileJson, hostileMutation, mutateStack, networkProgram, packTypes, printable, program, render, resourceSpec, sentinel, summarize,
    type Program, type RenderedResource,
} from "../support/arbitraries";
import { urnOf, type LooseResource } from "../support/stacks";
import { check, fuzzMode } from "../fuzz/budget";
import { checkMessages, ruleMessage, inputBlob, inputTexts } from "../properties/harness";
import { repoRoot } from "../support/paths";

const engineJson = { hugeTimes: fuzzMode === "full" ? 200_000 : 20_000, deepDepth: 80, nonJson: false };

const oddUrn = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 8 },
    { arbitrary: fc.constantFrom("", "urn", "::", "urn:pulumi:dev::fuzz::", "urn:pulumi:dev::fuzz::x::a::b::c", "not a urn", "\u0000", "urn:pulumi:dev::fuzz::aws:ec2/vpcEndpoint:VpcEndpoint::"), weight: 2 },
    { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
);

/** Wraps some values as the engine's secrets (the pack receives them unwrapped). */
function withSecrets(value: unknown, every: number): unknown {
    let n = 0;
    const walk = (v: unknown, depth: number): unknown => {
        if (depth > 60) return v;
        if (Array.isArray(v)) return v.map((e) => walk(e, depth + 1));
        if (v !== null && typeof v === "object") {
            const out: Record<string, unknown> = {};
            for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: walk((v as Record<string, unknown>)[k], depth + 1), enumerable: true, writable: true, configurable: true });
            return out;
        }
        return every > 0 && ++n % every === 0 ? secret(v) : v;
    };
    return walk(value, 0);
}

/** A resource for Analyze: a nearly valid one of the program generators, or hostile props; odd URNs, secrets. */
const analyzeCase = fc.record({
    kind: fc.constantFrom("near-valid", "near-valid", "hostile"),
    spec: resourceSpec,
    hostile: fc.array(fc.tuple(fc.constantFrom("policy", "policyDocument", "vpcId", "serviceName", "vpcEndpointType", "securityGroupIds", "ingress", "egress", "securityGroupIngress", "cidrBlock", "fromPort", "protocol", "type", "vpcEndpointId", "securityGroupId", "groupId", "__proto__", "constructor"), fc.oneof(hostileJson(engineJson), sentinel)), { maxLength: 6 }),
    type: fc.oneof({ arbitrary: fc.constantFrom(...packTypes), weight: 8 }, { arbitrary: fc.constantFrom("aws:s3/bucket:Bucket", "", "aws:ec2/vpcEndpoint:vpcendpoint", "pulumi:providers:aws"), weight: 1 }),
    urn: oddUrn,
    secrets: fc.constantFrom(0, 0, 0, 1, 3),
}).map((c) => {
    const inputs = c.kind === "hostile"
        ? Object.fromEntries(c.hostile)
        : render({ resources: [{ ...c.spec, name: "r" }] }, "preview")[0].inputs;
    const type = c.kind === "hostile" ? c.type : c.spec.type;
    const resource: StackResource = {
        urn: c.urn ?? urnOf(type, "r"), type,
        inputs: withSecrets(inputs, c.secrets) as Record<string, unknown>,
    };
    return printable({ resource }, (v) => `${v.resource.type} urn=${JSON.stringify(v.resource.urn)} ${summarize(v.resource.inputs, 2000)}`);
});

/** A stack for AnalyzeStack, in a shape the engine can express. */
const stackCase = fc.record({
    p: fc.oneof(program(12), networkProgram(10), program(fuzzMode === "full" ? 200 : 60, 40)),
    shape: fc.constantFrom<"preview" | "deployed">("preview", "deployed"),
    mutations: fc.array(hostileMutation.filter((m) => ["dangling-dep", "self-dep", "duplicate-urn", "odd-urn", "junk-props"].includes(m.kind)), { maxLength: 4 }),
}).map((c) => printable(c, (v) => `${v.shape} ${v.p.resources.length} resources, mutations ${summarize(v.mutations, 1500)}\n${String((v.p as unknown as Record<symbol, () => string>)[fc.toStringMethod]())}`));

function toEngine(resources: LooseResource[], rendered: RenderedResource[]): StackResource[] {
    return resources.map((r, i) => {
        const deps = r.propertyDependencies !== null && typeof r.propertyDependencies === "object" ? r.propertyDependencies as Record<string, unknown> : {};
        const propertyDependencies: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(deps)) if (Array.isArray(v)) propertyDependencies[k] = v.filter((u): u is string => typeof u === "string");
        return {
            urn: typeof r.urn === "string" ? r.urn : urnOf("x", `odd${i}`),
            type: typeof r.type === "string" ? r.type : "x",
            inputs: rendered[i]?.inputs ?? {},
            outputs: r.props !== null && typeof r.props === "object" && !Array.isArray(r.props) ? r.props as Record<string, unknown> : {},
            propertyDependencies,
            dependencies: [...new Set(Object.values(propertyDependencies).flat())],
        };
    });
}

describe("the Analyzer protocol, fuzzed", function () {
    // Unbounded only in the long run: under `npm test` a hang fails instead of holding CI.
    this.timeout(fuzzMode === "full" ? 0 : 600_000);
    let pack: PolicyPackProcess | undefined;
    let analyzeCalls = 0;
    let stackCalls = 0;

    const start = async () => {
        pack = await PolicyPackProcess.start(repoRoot, { rpcTimeoutMs: 60_000, stack: { dryRun: true } });
        await pack.configure({
            "vpce-data-perimeter": { organizationIds: ["o-a1b2c3d4e5"], accountIds: ["111122223333"], requireResourcePerimeter: true },
            "vpce-endpoint-ingress": { ports: { cassandra: [9142], "vpce-svc-0123456789abcdef0": [8443] } },
            "vpce-gateway-egress": { prefixListIds: { "com.amazonaws.us-east-1.s3": "pl-6da54004" } },
        });
    };
    before(start);
    after(async () => {
        await pack?.close();
        if (process.env.FUZZ_VERBOSE || fuzzMode === "full") console.log(`      [fuzz] protocol: ${analyzeCalls} Analyze, ${stackCalls} AnalyzeStack`);
    });

    /** A failed RPC ends the process (the engine module's rule): report it, and start another for what follows. */
    async function call<T>(rpc: () => Promise<T>): Promise<T> {
        if (pack === undefined) await start();
        try {
            return await rpc();
        } catch (e) {
            await pack?.close();
            pack = undefined;
            throw e;
        }
    }

    function checkResult(diagnostics: Diagnostic[], notApplicable: NotApplicable[], inputs: unknown): void {
        for (const d of diagnostics) {
            assert.ok(!/can't run policy/.test(d.message), `${d.policyName}: ${d.message}`);
            assert.ok(!/could not evaluate/.test(d.message), `${d.policyName}: ${d.message}`);
        }
        for (const n of notApplicable) assert.ok(!/could not evaluate/.test(n.reason), `${n.policyName}: ${n.reason}`);
        const texts = inputTexts(inputs);
        const blob = inputBlob(inputs);
        for (const policy of new Set(diagnostics.map((d) => d.policyName))) {
            checkMessages(policy, diagnostics.filter((d) => d.policyName === policy).map(ruleMessage), texts, blob);
        }
    }

    it("answers every Analyze, on every kind of resource", async () => {
        await check("protocol: Analyze", fc.asyncProperty(analyzeCase, async ({ resource }) => {
            const result = await call(() => pack!.analyze(resource));
            analyzeCalls++;
            checkResult(result.diagnostics, result.notApplicable, resource.inputs);
        }), { quick: 300, full: 6_000 });
    });

    it("answers every AnalyzeStack, after Analyze on each resource, on generated stacks", async () => {
        await check("protocol: AnalyzeStack", fc.asyncProperty(stackCase, async ({ p, shape, mutations }) => {
            const rendered = render(p as Program, shape);
            const sent = toEngine(mutateStack(rendered, mutations), rendered);
            for (const r of sent) {
                const result = await call(() => pack!.analyze(r));
                analyzeCalls++;
                checkResult(result.diagnostics, result.notApplicable, r.inputs);
            }
            const stack = await call(() => pack!.analyzeStack(sent));
            stackCalls++;
            checkResult(stack.diagnostics, stack.notApplicable, sent.map((r) => [r.inputs, r.outputs, r.urn]));
        }), { quick: 25, full: 500 });
    });
});
