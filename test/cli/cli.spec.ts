// `vpce-guard check` as users run it: the built CLI (bin/cli/main.js) as a child process, over the
// bundled examples and the fixtures in test/fixtures/cli, with its exit codes and report formats.

import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPolicyPack } from "../../engine";
import { exampleStack } from "../../examples/stack";
import { repoRoot, fixturesDir } from "../support/paths";

const cli = path.join(repoRoot, "bin", "cli", "main.js");
const fixtures = path.join(fixturesDir, "cli");
const exampleExport = "examples/network-dev.export.json";
const examplePreview = "examples/network-dev.preview.json";

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Runs the built CLI with `args`. */
function run(args: string[], opts: { cwd?: string; input?: string } = {}): Promise<Run> {
    return runNode([cli, ...args], opts);
}

/** Runs node with `args`, `input` on its stdin; collects its output. */
function runNode(args: string[], opts: { cwd?: string; input?: string } = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: opts.cwd ?? repoRoot, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
        child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(opts.input ?? "");
    });
}

function json(r: Run): any {
    try {
        return JSON.parse(r.stdout);
    } catch {
        assert.fail(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
    }
}

/** What the echo pack reported, per policy, by resource name. */
function echoes(report: any, stack = 0): Record<string, Record<string, any>> {
    const out: Record<string, Record<string, any>> = {};
    for (const v of report.stacks[stack].violations) {
        (out[v.policy] ??= {})[v.resourceName] = JSON.parse(v.message);
    }
    return out;
}

/** A user error: exit 2, one message on stderr, no stack trace, nothing on stdout. */
function assertUserError(r: Run, message: RegExp): void {
    assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.equal(r.stdout, "");
}

const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("vpce-guard check (the CLI)", function () {
    this.timeout(120_000);

    before(function () {
        assert.ok(fs.existsSync(cli), `${cli} is missing: build first (npx tsc -p tsconfig.json)`);
    });

    describe("usage", function () {
        it("prints its usage with --help and exits 0", async function () {
            const r = await run(["check", "--help"]);
            assert.equal(r.code, 0);
            assert.match(r.stdout, /^Usage: vpce-guard check \[options\] <file>\.\.\./);
            assert.match(r.stdout, /--policy-pack-config <file>/);
        });

        it("refuses a bad command line with exit 2 and a pointer to --help", async function () {
            for (const [args, message] of [
                [[], /no command given/],
                [["check"], /no file given/],
                [["scan", "x.json"], /unknown command "scan"/],
                [["check", "x.json", "--bogus"], /Unknown option '--bogus'/],
                [["check", "x.json", "--format", "xml"], /--format must be one of text, json, sarif \(got "xml"\)/],
                [["check", "x.json", "--policy-pack-config", "a.json", "--policy-pack-config", "b.json"], /must match the number of policy packs \(1: the bundled one\)/],
            ] as const) {
                const r = await run([...args]);
                assertUserError(r, message);
                assert.match(r.stderr, /Run `vpce-guard check --help` for usage/);
            }
        });
    });

    describe("the bundled example", function () {
        it("audits the stack export with the bundled pack: exit 1 on a mandatory violation, text by resource", async function () {
            const r = await run(["check", exampleExport]);
            assert.equal(r.code, 1, r.stderr);
            assert.equal(r.stderr, "", "no progress when stderr is not a terminal");
            assert.match(r.stdout, /^vpce-guard: vpce-guard v0\.1\.0 on network\/dev \(examples\/network-dev\.export\.json, stack export\) \(9 resources\)\n/);
            assert.match(r.stdout, /aws:ec2\/vpcEndpoint:VpcEndpoint: s3 {2}\(line \d+\)\n {8}- \[mandatory\] {2}vpce-gateway-principal\n/);
            assert.match(r.stdout, /- \[advisory\] {2}vpce-policy-explicit/);
            assert.match(r.stdout, /Notes:\n {4}- 1 encrypted secret value could not be decrypted/);
            assert.match(r.stdout, /\nSummary: 1 mandatory, 2 advisory violation\(s\) on 3 resource\(s\)\.\n$/);
        });

        it("npm start runs the same audit and exits 0 whatever it finds", async function () {
            const start: string = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).scripts.start;
            const [node, script, ...args] = start.split(" ");
            assert.equal(node, "node");
            assert.equal(script, "bin/cli/main.js");
            const r = await run(args);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /Summary: 1 mandatory, 2 advisory violation\(s\)/);
        });

        it("finds in the preview of examples/stack.ts what the engine finds in the stack itself", async function () {
            const r = await run(["check", examplePreview, "--format", "json"]);
            assert.equal(r.code, 1, r.stderr);
            const report = json(r);
            assert.equal(report.stacks[0].kind, "preview");
            const fromCli = report.stacks[0].violations.map((v: any) => `${v.urn} ${v.policy} ${v.enforcementLevel}`).sort();
            const direct = await runPolicyPack(repoRoot, exampleStack, { stack: { name: "dev", project: "network", dryRun: true } });
            const fromEngine = direct.diagnostics.map((d) => `${d.urn} ${d.policyName} ${d.enforcementLevel}`).sort();
            assert.deepEqual(fromCli, fromEngine);
            assert.ok(fromCli.length > 0);
        });
    });

    describe("modes", function () {
        it("config/advisory.json makes every policy advisory: the same findings, exit 0", async function () {
            const r = await run(["check", exampleExport, "--policy-pack-config", "config/advisory.json", "--format", "json"]);
            assert.equal(r.code, 0, r.stderr);
            const report = json(r);
            assert.equal(report.policyPacks[0].configFile, "config/advisory.json");
            assert.deepEqual([...new Set(report.policyPacks[0].policies.map((p: any) => p.enforcementLevel))], ["advisory"]);
            assert.deepEqual(report.summary.mandatory, 0);
            assert.deepEqual(report.summary.advisory, 3);
        });

        it("config/mandatory.json makes every policy mandatory: exit 1", async function () {
            const r = await run(["check", exampleExport, "--policy-pack-config", "config/mandatory.json", "--format", "json"]);
            assert.equal(r.code, 1, r.stderr);
            const report = json(r);
            assert.deepEqual([...new Set(report.policyPacks[0].policies.map((p: any) => p.enforcementLevel))], ["mandatory"]);
            assert.deepEqual([report.summary.mandatory, report.summary.advisory], [3, 0]);
        });
    });

    describe("what the engine delivers (a pack that echoes it)", function () {
        const pack = ["--policy-pack", "echo-pack"];

        it("a stack export: decrypted secrets decoded, encrypted ones unknown, providers, outputs; deleted resources left out", async function () {
            const r = await run(["check", "things-dev.export.json", ...pack, "--format", "json"], { cwd: fixtures });
            assert.equal(r.code, 1, `outputs-echo is mandatory (stderr: ${r.stderr})`);
            const report = json(r);
            const { "inputs-echo": inputs, "outputs-echo": outputs } = echoes(report);
            assert.deepEqual(Object.keys(inputs).sort(), ["a", "b"], "the resource pending deletion is not analysed");
            assert.deepEqual(inputs.a.inputs, { name: "a", nested: { list: [1, { k: [1, 2] }], token: "tok" }, password: unknown });
            assert.deepEqual(inputs.a.provider, { urn: "urn:pulumi:dev::things::pulumi:providers:test::default", type: "pulumi:providers:test", props: { region: "mars-1" } });
            assert.deepEqual(outputs.a.outputs, { arn: "arn:test:a-1", id: "a-1", name: "a", password: unknown });
            assert.deepEqual(outputs.b.propertyDependencies, { peer: ["urn:pulumi:dev::things::test:index:Thing::a"] });
            assert.deepEqual(outputs.a.types, ["pulumi:pulumi:Stack", "pulumi:providers:test", "test:index:Thing", "test:index:Thing"]);
            assert.deepEqual([outputs.a.stack, outputs.a.project, outputs.a.dryRun], ["dev", "things", "false"]);
            assert.deepEqual(report.stacks[0].secrets, { encrypted: 2, redacted: 0, decrypted: 2 });
            assert.equal(report.stacks[0].notes.filter((n: string) => /encrypted secret/.test(n)).length, 1);
        });

        it("a preview: a preview run, with the preview's config, \"[secret]\" and computed values unknown", async function () {
            const r = await run(["check", "things-dev.preview.json", ...pack, "--format", "json"], { cwd: fixtures });
            assert.equal(r.code, 1, r.stderr);
            const { "inputs-echo": inputs, "outputs-echo": outputs } = echoes(json(r));
            assert.deepEqual(inputs.a.inputs, { name: "a", password: unknown, size: 2 });
            assert.deepEqual(inputs.c.inputs, { peer: unknown, tags: [unknown, "fixed"] });
            assert.deepEqual(outputs.c.outputs, { id: unknown, peer: unknown, tags: [unknown, "fixed"] });
            assert.deepEqual([outputs.a.dryRun, outputs.a.config], ["true", { "test:region": "mars-1" }]);
        });

        it("several stacks in one run: one pack process per stack, each told its own stack", async function () {
            const r = await run(["check", "things-dev.export.json", "things-prod.export.json", ...pack, "--policy-pack-config", "echo-label.config.json", "--format", "json"], { cwd: fixtures });
            assert.equal(r.code, 0, `the config makes outputs-echo advisory (stderr: ${r.stderr})`);
            const report = json(r);
            assert.deepEqual(report.stacks.map((s: any) => s.name), ["things/dev", "things/prod"]);
            assert.equal(echoes(report, 0)["outputs-echo"].a.stack, "dev");
            assert.equal(echoes(report, 1)["outputs-echo"].a.stack, "prod");
            assert.equal(echoes(report, 1)["outputs-echo"].a.label, "from-config");
            assert.equal(report.summary.stacks, 2);
        });

        it("several packs: each with its own config, in order", async function () {
            const r = await run(["check", "things-dev.export.json", ...pack, "--policy-pack", repoRoot,
                "--policy-pack-config", "echo-label.config.json", "--policy-pack-config", path.join(repoRoot, "config", "mandatory.json"), "--format", "sarif"], { cwd: fixtures });
            assert.equal(r.code, 0, r.stderr);
            const log = json(r);
            assert.deepEqual(log.runs.map((run: any) => run.tool.driver.name), ["echo-pack", "vpce-guard"]);
            assert.deepEqual(log.runs[1].results, []);
            assert.ok(log.runs[0].results.length > 0);
        });

        it("reads stdin for -", async function () {
            const input = fs.readFileSync(path.join(fixtures, "things-dev.export.json"), "utf8");
            const r = await run(["check", "-", ...pack, "--format", "json"], { cwd: fixtures, input });
            assert.equal(r.code, 1, r.stderr);
            assert.equal(json(r).stacks[0].file, "(stdin)");
        });
    });

    describe("report formats", function () {
        it("JSON: the documented shape on stdout", async function () {
            const r = await run(["check", exampleExport, "--format", "json"]);
            assert.equal(r.code, 1);
            const report = json(r);
            assert.equal(report.reportVersion, 1);
            assert.deepEqual(report.tool, { name: "vpce-guard", version: "0.1.0" });
            assert.deepEqual(report.summary, { stacks: 1, mandatory: 1, advisory: 2, resources: 3, analysedResources: 9, violations: 3, passed: false });
            const v = report.stacks[0].violations[0];
            assert.equal(v.policy, "vpce-gateway-principal");
            assert.equal(v.resourceName, "s3");
            assert.equal(typeof v.line, "number");
        });

        it("SARIF 2.1.0 to a file with --output, nothing on stdout", async function () {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpce-guard-cli-"));
            try {
                const out = path.join(dir, "report.sarif");
                const r = await run(["check", exampleExport, "--format", "sarif", "--output", out]);
                assert.equal(r.code, 1, r.stderr);
                assert.equal(r.stdout, "");
                const log = JSON.parse(fs.readFileSync(out, "utf8"));
                assert.equal(log.version, "2.1.0");
                assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
                const run0 = log.runs[0];
                assert.equal(run0.tool.driver.name, "vpce-guard");
                assert.ok(run0.tool.driver.rules.length >= 14);
                for (const rule of run0.tool.driver.rules) {
                    assert.equal(typeof rule.fullDescription.text, "string");
                    assert.equal(typeof rule.help.text, "string");
                }
                assert.deepEqual(run0.results.map((x: any) => `${x.ruleId} ${x.level}`), [
                    "vpce-gateway-principal error", "vpce-policy-explicit warning", "vpce-policy-service-actions warning",
                ]);
                for (const result of run0.results) {
                    assert.equal(typeof result.message.text, "string");
                    assert.match(result.locations[0].logicalLocations[0].fullyQualifiedName, /^urn:pulumi:dev::network::/);
                    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, exampleExport);
                }
                assert.equal(run0.invocations[0].toolExecutionNotifications.length, 1);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("exit code 2: unreadable or malformed input, invalid config", function () {
        it("a truncated file, with file:line:column", async function () {
            const lines = fs.readFileSync(path.join(fixtures, "truncated.export.json"), "utf8").split("\n").length;
            assertUserError(await run(["check", "truncated.export.json"], { cwd: fixtures }),
                new RegExp(`^vpce-guard: truncated\\.export\\.json:${lines}:\\d+: invalid JSON: .*is the file truncated\\?`));
        });

        it("a file that is not a Pulumi document, and every bad file at once", async function () {
            const r = await run(["check", "not-pulumi.json", "missing.json", "things-dev.export.json"], { cwd: fixtures });
            assertUserError(r, /^vpce-guard: not-pulumi\.json:1:1: this is not a Pulumi document/);
            assert.match(r.stderr, /\n {2}missing\.json: no such file\n/);
        });

        it("a config with an unknown policy", async function () {
            const r = await run(["check", exampleExport, "--policy-pack-config", path.join(fixtures, "unknown-key.config.json")]);
            assertUserError(r, /invalid policy pack config .*unknown-key\.config\.json:\n {2}vpce-policy-jsn: policy pack "vpce-guard" has no policy of that name; did you mean "vpce-policy-json"\?/);
        });

        it("a config value of the wrong type", async function () {
            const r = await run(["check", exampleExport, "--policy-pack-config", path.join(fixtures, "wrong-type.config.json")]);
            assertUserError(r, /vpce-data-perimeter: property "organizationIds" must be array \(got string\)/);
        });

        it("a config that is not JSON, or missing", async function () {
            assertUserError(await run(["check", exampleExport, "--policy-pack-config", "truncated.export.json"], { cwd: path.join(fixtures) }),
                /^vpce-guard: truncated\.export\.json:\d+:\d+: invalid JSON/);
            assertUserError(await run(["check", exampleExport, "--policy-pack-config", "nope.json"]), /nope\.json: cannot read policy pack config/);
        });

        it("a policy pack directory that is not one", async function () {
            assertUserError(await run(["check", exampleExport, "--policy-pack", "examples"]), /cannot run policy pack examples: .*PulumiPolicy\.yaml does not exist/);
        });
    });

    describe("reuse as a package", function () {
        it("exports the policies as vpce-guard/policies and keeps the pack directory loadable through main", async function () {
            const probe = [
                "const path = require('path');",
                "const { policies } = require('vpce-guard/policies');",
                "const names = policies.map((p) => p.name);",
                "console.log(JSON.stringify({",
                "  names,",
                "  root: path.relative(process.cwd(), require.resolve('vpce-guard')),",
                "  dir: path.relative(process.cwd(), require.resolve(process.cwd())),",
                "  policiesFile: path.relative(process.cwd(), require.resolve('vpce-guard/policies')),",
                "}));",
            ].join("\n");
            const r = await runNode(["-e", probe]);
            assert.equal(r.code, 0, r.stderr);
            const seen = JSON.parse(r.stdout);
            assert.equal(seen.names[0], "vpce-policy-json");
            assert.equal(seen.names.length, 16);
            assert.equal(seen.root, path.join("bin", "index.js"));
            assert.equal(seen.dir, path.join("bin", "index.js"), "require(<pack dir>), as run-policy-pack does, still uses main");
            assert.equal(seen.policiesFile, path.join("bin", "policies", "index.js"));
            const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
            for (const target of [pkg.exports["."].types, pkg.exports["./policies"].types, pkg.bin["vpce-guard"]]) {
                assert.ok(fs.existsSync(path.join(repoRoot, target)), `${target} exists`);
            }
            assert.match(fs.readFileSync(path.join(repoRoot, pkg.bin["vpce-guard"]), "utf8"), /^#!\/usr\/bin\/env node\n/);
        });
    });
});
