// Shared deserialization (framework/framework-cache.ts): the built pack, which installs it, reports
// exactly what the same policies report without it, over the example stacks and a generated one;
// and the memo itself keeps to its contract.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { generateStack } from "../../bench/stacks";
import { decodeStackFile, readStackDocument } from "../../state/stack-files";
import { runPolicyPack, type StackResource } from "../../engine";
import { Struct } from "../../engine/proto";
import { shareDeserializedProperties } from "../../framework/framework-cache";
import { comparableRun } from "../properties/harness";
import { repoRoot, fixturesDir } from "../support/paths";

const unsharedPack = path.join(fixturesDir, "unshared-pack");

function exampleStack(file: string): { resources: StackResource[]; dryRun: boolean } {
    const result = readStackDocument(decodeStackFile(fs.readFileSync(path.join(repoRoot, "examples", file))), file);
    if (!result.ok) throw new Error(result.error.message);
    return { resources: result.document.resources, dryRun: result.document.dryRun };
}

describe("shared deserialization (framework-cache)", function () {
    this.timeout(120_000);

    const stacks: [string, () => { resources: StackResource[]; dryRun: boolean }][] = [
        ["the example export", () => exampleStack("network-dev.export.json")],
        ["the example preview (unknowns, secrets)", () => exampleStack("network-dev.preview.json")],
        ["a generated 400-resource stack", () => ({ resources: generateStack(400, { seed: 11 }).resources, dryRun: false })],
    ];
    for (const [name, load] of stacks) {
        it(`changes nothing the pack reports: ${name}`, async function () {
            const { resources, dryRun } = load();
            const opts = { stack: { dryRun } };
            const shared = await runPolicyPack(repoRoot, resources, opts);
            const unshared = await runPolicyPack(unsharedPack, resources, opts);
            assert.strictEqual(shared.info.name, unshared.info.name);
            assert.ok(shared.diagnostics.length > 0, "the stack should give the policies something to report");
            assert.deepStrictEqual(comparableRun(shared), comparableRun(unshared));
        });
    }

    describe("the memo", function () {
        const mod = require("@pulumi/policy/deserialize") as { deserializeProperties: (s: unknown, proxySecrets: boolean) => unknown };
        let original: typeof mod.deserializeProperties;
        before(() => {
            original = mod.deserializeProperties;
        });
        after(() => {
            mod.deserializeProperties = original;
        });

        it("is installed once, and answers each Struct with one object", function () {
            assert.strictEqual(shareDeserializedProperties(), true);
            const installed = mod.deserializeProperties;
            assert.notStrictEqual(installed, original);
            assert.strictEqual(shareDeserializedProperties(), true);
            assert.strictEqual(mod.deserializeProperties, installed, "a second call wraps nothing again");

            const struct = Struct.fromJavaScript({ policy: "{}", tags: { a: "b" } });
            const first = mod.deserializeProperties(struct, false);
            assert.deepStrictEqual(first, { policy: "{}", tags: { a: "b" } });
            assert.strictEqual(mod.deserializeProperties(struct, false), first);
            assert.notStrictEqual(mod.deserializeProperties(Struct.fromJavaScript({ policy: "{}", tags: { a: "b" } }), false), first);
        });

        it("leaves the secret-proxying calls (Remediate) alone", function () {
            shareDeserializedProperties();
            const struct = Struct.fromJavaScript({ a: 1 });
            assert.notStrictEqual(mod.deserializeProperties(struct, true), mod.deserializeProperties(struct, true));
        });

        it("keeps nothing a reader of the Struct or the props can see", function () {
            shareDeserializedProperties();
            const struct = Struct.fromJavaScript({ policy: "{}" });
            const props = mod.deserializeProperties(struct, false) as Record<string, unknown>;
            assert.deepStrictEqual(Object.keys(props), ["policy"]);
            assert.deepStrictEqual(JSON.parse(JSON.stringify(props)), { policy: "{}" });
            assert.deepStrictEqual(Reflect.ownKeys({ ...props }), ["policy"], "a spread copies no memo");
            assert.deepStrictEqual(struct.toJavaScript(), { policy: "{}" });
            assert.deepStrictEqual(Struct.deserializeBinary(struct.serializeBinary()).toJavaScript(), { policy: "{}" });
        });
    });

    describe("the proxy memo", function () {
        const proxyModule = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (o: unknown) => unknown; UnknownValueError: new (...a: never[]) => Error; unknownStringValue: unknown };
        const unknownString = proxyModule.unknownStringValue;
        let original: typeof proxyModule.unknownCheckingProxy;
        before(() => {
            original = proxyModule.unknownCheckingProxy;
        });
        after(() => {
            proxyModule.unknownCheckingProxy = original;
        });

        it("gives every policy the same proxy for the same props object, and a new one for other props", function () {
            shareDeserializedProperties();
            const props = { vpcId: "vpc-1", policy: unknownString };
            const proxy = proxyModule.unknownCheckingProxy(props) as Record<string, unknown>;
            assert.strictEqual(proxyModule.unknownCheckingProxy(props), proxy);
            assert.notStrictEqual(proxyModule.unknownCheckingProxy({ ...props }), proxy);
            assert.strictEqual(proxy.vpcId, "vpc-1");
            assert.throws(() => proxy.policy, (e: unknown) => e instanceof proxyModule.UnknownValueError, "it still checks for unknowns");
            assert.deepStrictEqual(Object.keys(props), ["vpcId", "policy"]);
        });

        it("frozen props (which cannot carry the memo) get one proxy too", function () {
            shareDeserializedProperties();
            const props = Object.freeze({ a: 1 });
            assert.strictEqual(proxyModule.unknownCheckingProxy(props), proxyModule.unknownCheckingProxy(props));
            assert.ok(Object.isFrozen(props));
        });

        it("passes values that are not objects through", function () {
            shareDeserializedProperties();
            assert.strictEqual(proxyModule.unknownCheckingProxy("x"), "x");
            assert.strictEqual(proxyModule.unknownCheckingProxy(null), null);
        });
    });
});
