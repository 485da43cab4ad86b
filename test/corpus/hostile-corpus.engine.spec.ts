// Every item of the hostile corpus (items/*.json, and the big ones hostile.ts builds) through every
// policy directly, and through the built pack in one process as the Pulumi CLI drives it: no
// exception, no RPC error, no "can't run policy" note, bounded time, and short messages.
// Build first: npx tsc -p tsconfig.json.

import * as assert from "assert";
import { PolicyPackProcess, type Diagnostic, type StackResource } from "../../engine";
import { forgetInputs } from "../../stack/inputs-memory";
import { characterCount } from "../../iam/compact-policy";
import {
    checkDocumentRun, checkMessages, ruleMessage, checkStackRun, documentPolicies, evictParseCache, inputBlob, inputTexts, runDocumentPolicy, runStackPolicy,
    stackPolicies, withinTime,
} from "../properties/harness";
import { urnOf, type LooseResource } from "../support/stacks";
import { endpointPolicyMaxLength } from "../../policies/vpce-policy-size";
import { bigItems, smallItems, type CorpusItem, type CorpusResource } from "./hostile";
import { fuzzMode } from "../fuzz/budget";
import { repoRoot } from "../support/paths";

/** The corpus's project (hostile.ts names its resources' dependencies by URN in it). */
const inCorpus = { project: "corpus" };
const perimeter = { organizationIds: ["o-a1b2c3d4e5"], accountIds: ["111122223333"], requireResourcePerimeter: true };

/** The bounds: 50 ms per evaluation of a document within AWS's limit, 1 s for megabytes. */
const boundFor = (size: number) => (size <= endpointPolicyMaxLength ? 50 : 1000);

/**
 * The resources an item stands for: its own, or its document on every carrier next to the endpoints
 * it would guard. Under `npm test` a big document goes on one carrier of each provider; `npm run fuzz`
 * puts it on all of them.
 */
function resourcesOf(item: CorpusItem, big: boolean): CorpusResource[] {
    if (item.resources !== undefined) return item.resources;
    const every = !big || fuzzMode === "full";
    const text = item.policy ?? safeStringify(item.document);
    const object = item.document ?? safeParse(item.policy);
    const vpc = { type: "aws:ec2/vpc:Vpc", name: "vpc", inputs: { cidrBlock: "10.0.0.0/16" }, outputs: { id: "vpc-1", cidrBlock: "10.0.0.0/16" } };
    const out: CorpusResource[] = [vpc];
    if (text !== undefined) {
        out.push({ type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "gateway", inputs: { vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway", policy: text }, outputs: { id: "vpce-1", prefixListId: "pl-1" } });
        out.push({ type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "interface", inputs: { vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.sts", vpcEndpointType: "Interface", securityGroupIds: ["sg-1"] }, outputs: { id: "vpce-2" } });
        if (every) {
            out.push({ type: "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", name: "standalone", inputs: { vpcEndpointId: "vpce-2", policy: text } });
            out.push({ type: "aws-native:ec2:VpcEndpoint", name: "native-text", inputs: { vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.dynamodb", policyDocument: text } });
        }
    }
    if (object !== null && typeof object === "object" && !Array.isArray(object) && (every || item.policy === undefined)) {
        out.push({ type: "aws-native:ec2:VpcEndpoint", name: "native", inputs: { vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Interface", policyDocument: object } });
    }
    return out;
}

function safeParse(text: string | undefined): unknown {
    if (text === undefined) return undefined;
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}

function safeStringify(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    try {
        return JSON.stringify(value);
    } catch {
        return undefined;
    }
}

function sizeOf(inputs: Record<string, unknown>): number {
    let size = 0;
    for (const key of ["policy", "policyDocument"]) {
        const v = inputs[key];
        if (typeof v === "string") size = Math.max(size, characterCount(v));
        else if (v !== undefined) size = Math.max(size, safeStringify(v)?.length ?? Infinity);
    }
    return size;
}

function loose(resources: CorpusResource[]): LooseResource[] {
    return resources.map((r) => ({
        type: r.type, urn: urnOf(r.type, r.name, inCorpus), name: r.name, props: { ...r.inputs, ...(r.outputs ?? {}) }, inputs: r.inputs,
        propertyDependencies: r.propertyDependencies ?? {},
    }));
}

function engineResources(resources: CorpusResource[]): StackResource[] {
    return resources.map((r) => ({
        urn: urnOf(r.type, r.name, inCorpus), type: r.type, name: r.name, inputs: r.inputs, outputs: { ...r.inputs, ...(r.outputs ?? {}) },
        propertyDependencies: r.propertyDependencies ?? {}, dependencies: [...new Set(Object.values(r.propertyDependencies ?? {}).flat())],
    }));
}

const small = smallItems();
const items: CorpusItem[] = [...small, ...bigItems(fuzzMode === "full")];
const isBig = (item: CorpusItem) => !small.includes(item);

describe("the hostile corpus", function () {
    this.timeout(600_000);
    afterEach(() => forgetInputs());

    it("has the items the issue lists", () => {
        const names = items.map((i) => i.name).join("\n");
        for (const expected of [/10,000 levels/, /100,000 statements/, /duplicate keys/, /byte-order mark/, /NUL/, /lone surrogates/, /where strings belong/, /__proto__ and constructor/, /invalid and IPv6 CIDRs/, /negative and >65535 ports/, /JSON string containing JSON/]) {
            assert.match(names, expected);
        }
    });

    describe("through every policy, directly", () => {
        for (const item of items) {
            it(item.name, async () => {
                const resources = resourcesOf(item, isBig(item));
                for (const r of resources) {
                    const urn = urnOf(r.type, r.name, inCorpus);
                    const bound = boundFor(sizeOf(r.inputs));
                    const texts = inputTexts(r.inputs);
                    const blob = inputBlob(r.inputs);
                    // As in one Analyze call: the first rule pays for reading the document, the others share it.
                    evictParseCache();
                    const props = { ...r.inputs };
                    for (const policy of documentPolicies) {
                        const run = await runDocumentPolicy(policy, r.type, urn, props, perimeter);
                        checkDocumentRun(policy, run);
                        checkMessages(policy.name, run.violations.map((v) => v.message), texts, blob);
                        if (run.elapsed > bound) {
                            await withinTime(`${policy.name} on ${item.name} (${r.name})`, bound, async () => (await runDocumentPolicy(policy, r.type, urn, { ...r.inputs }, perimeter)).elapsed);
                        }
                    }
                    // vpce-data-perimeter again with its default config (no perimeter: not applicable, never a throw).
                    const perimeterPolicy = documentPolicies.find((p) => p.name === "vpce-data-perimeter")!;
                    const defaults = await runDocumentPolicy(perimeterPolicy, r.type, urn, props, undefined);
                    checkDocumentRun(perimeterPolicy, defaults);
                }
                const stack = loose(resources);
                const bound = boundFor(Math.max(0, ...resources.map((r) => sizeOf(r.inputs))));
                const texts = inputTexts(stack.map((r) => [r.props, r.name]));
                const blob = inputBlob(stack.map((r) => [r.props, r.name, r.urn]));
                for (const policy of stackPolicies) {
                    const run = await runStackPolicy(policy, stack);
                    checkStackRun(policy, run, true);
                    checkMessages(policy.name, run.violations.map((v) => v.message), texts, blob);
                    // The bound is per document (a 5 MB one in ≤ 1 s): a stack rule reads every
                    // carrier's, so a stack holding the document on n carriers gets n seconds. Stacks
                    // of many resources are held to the one-second bound.
                    const bigDocuments = resources.filter((r) => sizeOf(r.inputs) > endpointPolicyMaxLength).length;
                    const stackBound = isBig(item) ? 1000 * Math.max(1, bigDocuments) : resources.length > 50 ? 1000 : bound;
                    if (run.elapsed > stackBound) {
                        await withinTime(`${policy.name} on ${item.name}`, stackBound, async () => (await runStackPolicy(policy, [...stack])).elapsed, () => undefined);
                    }
                }
            });
        }
    });

    describe("through the built pack, in one process", () => {
        let pack: PolicyPackProcess;
        const rpcTimeoutMs = 30_000;

        let closed = true;
        // One process for the corpus; a failed RPC ends it (the engine module's rule), so the next item starts another.
        const ensurePack = async () => {
            if (!closed) return;
            pack = await PolicyPackProcess.start(repoRoot, { rpcTimeoutMs, stack: { dryRun: true } });
            closed = false;
            await pack.configure({ "vpce-data-perimeter": perimeter });
        };
        before(ensurePack);
        afterEach(function () {
            if (this.currentTest?.state === "failed") closed = true;
        });
        after(async () => {
            await pack?.close();
        });

        const checkDiagnostics = (diagnostics: Diagnostic[], resources: CorpusResource[]) => {
            const texts = inputTexts(resources.map((r) => r.inputs));
            const blob = inputBlob(resources.map((r) => [r.inputs, r.name]));
            for (const d of diagnostics) {
                assert.ok(!/can't run policy/.test(d.message), `${d.policyName}: ${d.message}`);
                assert.ok(!/could not evaluate/.test(d.message), `${d.policyName}: ${d.message}`);
            }
            for (const policy of new Set(diagnostics.map((d) => d.policyName))) {
                checkMessages(policy, diagnostics.filter((d) => d.policyName === policy).map(ruleMessage), texts, blob);
            }
        };

        for (const item of items) {
            it(item.name, async () => {
                await ensurePack();
                const resources = resourcesOf(item, isBig(item)).filter((r) => engineSendable(r.inputs));
                const sent = engineResources(resources);
                for (const r of sent) {
                    const result = await pack.analyze(r);
                    checkDiagnostics(result.diagnostics, resources);
                    for (const n of result.notApplicable) assert.ok(!/could not evaluate/.test(n.reason), `${n.policyName}: ${n.reason}`);
                }
                const stack = await pack.analyzeStack(sent);
                checkDiagnostics(stack.diagnostics, resources);
                for (const n of stack.notApplicable) assert.ok(!/could not evaluate/.test(n.reason), `${n.policyName}: ${n.reason}`);
            });
        }
    });
});

/**
 * What a Pulumi engine can send: protobuf Structs (no NaN or ±Infinity, and nesting far below
 * protobuf's own recursion limit — a 10,000-level object never leaves the CLI).
 */
function engineSendable(inputs: unknown): boolean {
    let ok = true;
    const pending: [unknown, number][] = [[inputs, 0]];
    while (pending.length > 0 && ok) {
        const [v, depth] = pending.pop()!;
        if (depth > 90) ok = false;
        else if (typeof v === "number") ok = Number.isFinite(v);
        else if (Array.isArray(v)) for (const e of v) pending.push([e, depth + 1]);
        else if (v !== null && typeof v === "object") for (const k of Object.keys(v)) pending.push([(v as Record<string, unknown>)[k], depth + 1]);
    }
    return ok;
}
