// What the pack shares between policies and calls to stay fast on big stacks (bench/RESULTS.md):
// props are read, never written, so one deserialized object can serve every policy; readings and
// measures computed once give what computing them again gives.

import * as assert from "assert";
import { generateStack } from "../../bench/stacks";
import { nameFromUrn } from "../../engine";
import type { StackResource } from "../../engine/types";
import { characterCount, compactPolicyJson, compactPolicyLength } from "../../iam/compact-policy";
import { readEndpointPolicy, ResourceType } from "../../stack/endpoint-policy";
import { forgetInputs, rememberedInputs, rememberInputs } from "../../stack/inputs-memory";
import { parseJsonDocument } from "../../iam/json-document";
import { stackGraph, type GraphResource } from "../../stack/stack-graph";
import { judgedDocuments } from "../../stack/endpoint-effect";
import { acceptedByVpcePolicyJson } from "../../policies/vpce-policy-json";
import { documentPolicies, stackPolicies } from "../properties/harness";

function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const k of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[k]);
    }
    return value;
}


const withoutEngineKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith("__")));

async function verdicts(resources: readonly StackResource[], freeze: boolean): Promise<unknown[]> {
    const copy = <T>(v: T): T => (freeze ? deepFreeze(structuredClone(v)) : structuredClone(v));
    forgetInputs();
    const out: unknown[] = [];
    for (const r of resources) {
        const inputs = copy(withoutEngineKeys(r.inputs));
        rememberInputs(r.urn, inputs);
        for (const p of documentPolicies) out.push([p.name, r.urn, p.evaluate(r.type, inputs)]);
    }
    const stack: GraphResource[] = resources.map((r) => ({ type: r.type, urn: r.urn, props: copy(r.outputs ?? r.inputs), propertyDependencies: r.propertyDependencies }));
    for (const p of stackPolicies) out.push([p.name, await p.evaluate(stack.map((r) => ({ ...r })))]);
    forgetInputs();
    return out;
}

describe("work shared between policies", function () {
    this.timeout(60_000);

    it("no rule writes to the props it reads: frozen props give the same verdicts, and no internal error", async function () {
        const resources = generateStack(600, { seed: 5 }).resources;
        const plain = await verdicts(resources, false);
        const frozen = await verdicts(resources, true);
        assert.deepStrictEqual(frozen, plain);
        assert.ok(!JSON.stringify(frozen).includes("could not evaluate"), "a rule failed on frozen props");
        assert.ok(JSON.stringify(plain).includes("\"violations\":[{"), "the stack should give the rules something to report");
    });

    it("rules 15 and 16 judge a stack's documents once: one list per graph", async function () {
        const resources = generateStack(60, { seed: 3 }).resources;
        const stack: GraphResource[] = resources.map((r) => ({ type: r.type, urn: r.urn, props: r.outputs ?? r.inputs, propertyDependencies: r.propertyDependencies }));
        forgetInputs();
        const graph = stackGraph(stack);
        const first = judgedDocuments(graph, acceptedByVpcePolicyJson);
        assert.strictEqual(judgedDocuments(stackGraph(stack.map((r) => ({ ...r }))), acceptedByVpcePolicyJson), first, "the next policy's copy of the stack");
        const judged = await first;
        assert.ok(judged !== undefined && judged.length > 0, "the stack should have documents to judge");
        const rejectAll = judgedDocuments(graph, () => false);
        assert.notStrictEqual(rejectAll, first, "another filter is another list");
        assert.deepStrictEqual(await rejectAll, []);
        assert.notStrictEqual(judgedDocuments(stackGraph(stack.map((r) => ({ ...r, props: { ...(r.props as object) } }))), acceptedByVpcePolicyJson), first, "another stack");
    });

    it("an endpoint policy is read once per props object, and again when its text changes", function () {
        const props = { policy: "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}" };
        const first = readEndpointPolicy(ResourceType.vpcEndpoint, props);
        assert.strictEqual(readEndpointPolicy(ResourceType.vpcEndpoint, props), first);
        assert.notStrictEqual(readEndpointPolicy(ResourceType.vpcEndpointPolicy, props), first, "another carrier type reads it afresh");
        props.policy = "{\"Statement\":[]}";
        const second = readEndpointPolicy(ResourceType.vpcEndpoint, props);
        assert.notStrictEqual(second, first);
        assert.strictEqual(second.status, "parsed");
        assert.deepStrictEqual(second.status === "parsed" && second.document, { Statement: [] });
    });

    describe("compactPolicyLength is the length of compactPolicyJson, without building it", function () {
        const cases: [string, unknown][] = [
            ["a plain document", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: "*" }] }],
            ["HTML characters and line separators", { a: "<b>&</b>\u2028\u2029", "<": ">" }],
            ["control characters and escapes", { s: "\u0000\b\f\n\r\t\u001f\"\\/" }],
            ["surrogate pairs and lone surrogates", { e: "\ud83d\ude00", lone: "\ud800x\udc00", "\ud800": 1 }],
            ["keys that collapse once Go decodes them", { "\ud800": 1, "\udbff": 2 }],
            ["numbers as Go prints them", [0, -0, 1e20, 1e21, 1e-6, 1e-7, 123.456, -1e300]],
            ["empty containers and literals", [{}, [], null, true, false, ""]],
            ["a number the provider refuses", { n: Infinity }],
            ["something Go could not have decoded", { u: undefined }],
        ];
        for (const [name, value] of cases) {
            it(name, function () {
                const text = compactPolicyJson(value);
                assert.strictEqual(compactPolicyLength(value), text === undefined ? undefined : characterCount(text));
            });
        }
        it("generated endpoint policies", function () {
            for (const r of generateStack(300, { seed: 9 }).resources) {
                if (typeof r.inputs.policy !== "string") continue;
                const doc = JSON.parse(r.inputs.policy) as unknown;
                assert.strictEqual(compactPolicyLength(doc), characterCount(compactPolicyJson(doc)!));
            }
        });
    });

    describe("parseJsonDocument, native fast path and full parse alike", function () {
        const parsed = (text: string) => {
            const r = parseJsonDocument(text);
            assert.ok(r.ok, text);
            return r;
        };
        it("keeps key order, `__proto__` as an own key, and numbers as JSON reads them", function () {
            const r = parsed("{\"b\":1,\"a\":{\"__proto__\":{\"x\":1}},\"2\":1e400,\"1\":-0}");
            assert.deepStrictEqual(Object.keys(r.value as object), ["1", "2", "b", "a"]);
            const a = (r.value as Record<string, Record<string, unknown>>).a;
            assert.ok(Object.hasOwn(a, "__proto__"));
            assert.strictEqual(Object.getPrototypeOf(a), Object.prototype);
            assert.strictEqual((r.value as Record<string, number>)["2"], Infinity);
            assert.ok(Object.is((r.value as Record<string, number>)["1"], -0));
            assert.deepStrictEqual(r.duplicateKeys, []);
        });
        it("still finds every duplicate key, with its place, however deep", function () {
            const r = parsed("{\"a\":1,\"b\":{\"c\":[{\"d\":1,\"d\":2}]},\"a\":3}");
            assert.deepStrictEqual(r.value, { a: 3, b: { c: [{ d: 2 }] } });
            assert.deepStrictEqual(r.duplicateKeys.map((d) => [d.key, d.path, d.line, d.column]), [["d", "b.c[0]", 1, 25], ["a", "(top level)", 1, 34]]);
        });
        it("colons inside strings are not members", function () {
            const r = parsed("{\"k:1\":\"a:b\",\"x\":\"\\\":\"}");
            assert.deepStrictEqual(r.value, { "k:1": "a:b", x: "\":" });
            assert.deepStrictEqual(r.duplicateKeys, []);
        });
        it("reports syntax errors as before", function () {
            for (const text of ["{\"a\":1,}", "[1,2", "{'a':1}", "{\"a\":1} x", "", "\ufeff{}", "{\"a\":\"\u0001\"}"]) {
                const r = parseJsonDocument(text);
                assert.ok(!r.ok, text);
                assert.match(r.error.message, /^line \d+, column \d+: /);
            }
        });
    });
    it("Analyze keeps the inputs of the resources stack rules read, and only those", function () {
        const analyze = (type: string, urn: string, props: Record<string, unknown>) => {
            const args = {
                type, urn, name: nameFromUrn(urn), props, opts: {}, stackTags: new Map(),
                getConfig: () => ({}),
                isType: () => false,
                asType: () => undefined,
                notApplicable: (reason?: string): never => { throw new Error(`not applicable: ${reason}`); },
            };
            for (const p of documentPolicies) {
                const validate = p.validateResource as (a: never, report: () => void) => void;
                try {
                    validate(args as never, () => undefined);
                } catch (e) {
                    assert.match(String(e), /not applicable/);
                }
            }
        };
        forgetInputs();
        const group = "urn:pulumi:dev::net::aws:ec2/securityGroup:SecurityGroup::endpoints";
        const subnet = "urn:pulumi:dev::net::aws:ec2/subnet:Subnet::private-a";
        const bucket = "urn:pulumi:dev::net::aws:s3/bucketV2:BucketV2::logs";
        analyze("aws:ec2/securityGroup:SecurityGroup", group, { vpcId: "vpc-1", ingress: [] });
        analyze("aws:ec2/subnet:Subnet", subnet, { vpcId: "vpc-1", cidrBlock: "10.0.1.0/24" });
        analyze("aws:s3/bucketV2:BucketV2", bucket, { bucket: "logs" });
        assert.deepStrictEqual(rememberedInputs(group), { vpcId: "vpc-1", ingress: [] });
        assert.strictEqual(rememberedInputs(subnet), undefined);
        assert.strictEqual(rememberedInputs(bucket), undefined);
        forgetInputs();
    });
});
