// The bench's "hoisted framework" lane (bench/hoisted-framework.ts) stands for an upstream change to
// @pulumi/policy: building the stack's resource objects once per AnalyzeStack call instead of once
// per stack policy. Its figures only mean something if the rewrite applies to the installed
// framework and changes nothing the pack reports.

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vm from "vm";
import { generateStack } from "../../bench/stacks";
import { hoistEnvironmentKey, hoistMarkerKey, hoistResourceBuild, serverPath } from "../../bench/hoisted-framework";
import { runPolicyPack } from "../../engine";
import { comparableRun } from "../properties/harness";
import { repoRoot } from "../support/paths";

const preload = path.join(repoRoot, "bin", "bench", "hoisted-framework.js");

describe("bench: @pulumi/policy with the resource build hoisted", function () {
    this.timeout(120_000);

    it("rewrites the installed server.js into valid code that builds the resources in one place", function () {
        const original = fs.readFileSync(serverPath(repoRoot), "utf8");
        const rewritten = hoistResourceBuild(original);
        assert.ok("source" in rewritten, "skipped" in rewritten ? rewritten.skipped : "");
        const source = rewritten.source;
        assert.doesNotThrow(() => new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`));
        const loops = (text: string) => text.split("for (const r of resources) {").length - 1;
        assert.strictEqual(loops(original), 1);
        assert.strictEqual(loops(source), 1);
        assert.ok(source.includes("const intermediates = buildResources();"));
    });

    it("says why when server.js does not have the expected shape", function () {
        assert.deepStrictEqual(Object.keys(hoistResourceBuild("module.exports = {};")), ["skipped"]);
    });

    it("changes nothing vpce-guard reports on a generated stack", async function () {
        assert.ok(fs.existsSync(preload), "build first: npm run build");
        const resources = generateStack(300, { seed: 23 }).resources;
        const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vpce-guard-hoist-")), "marker");
        try {
            const stock = await runPolicyPack(repoRoot, resources);
            const hoisted = await runPolicyPack(repoRoot, resources, {
                env: {
                    ...process.env,
                    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${preload}`.trim(),
                    [hoistEnvironmentKey]: "1",
                    [hoistMarkerKey]: marker,
                },
            });
            assert.strictEqual(fs.readFileSync(marker, "utf8"), "hoisted", "the preload did not install the rewritten server.js");
            assert.ok(stock.diagnostics.some((d) => d.phase === "analyzeStack"), "the stack should give the stack policies something to report");
            assert.deepStrictEqual(comparableRun(hoisted), comparableRun(stock));
        } finally {
            fs.rmSync(path.dirname(marker), { recursive: true, force: true });
        }
    });
});
