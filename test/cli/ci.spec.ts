// `vpce-guard check` in CI (issue #15): program locations, several formats in one run (SARIF checked
// against the 2.1.0 schema, JUnit by an XML parser), GitHub annotations, quiet mode, colour, policy
// selection, baselines, notes when nothing was checked, progress, and clean shutdown on signals.

import { strict as assert } from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv04 from "ajv-draft-04";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { Progress, runCli } from "../../cli/check";
import { parseCommandLine } from "../../cli/options";
import { parseSourcePosition } from "../../state/stack-files";
import { cli, json, run } from "../support/cli";
import { fixturesDir, repoRoot } from "../support/paths";

const exampleExport = "examples/network-dev.export.json";
const fixtures = path.join(fixturesDir, "cli");

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "vpce-guard-ci-"));
}

/** The SARIF 2.1.0 JSON schema (draft-04), as Microsoft's SARIF tooling ships it. */
function sarifValidator() {
    const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
    // The schema has one pattern that is not valid with the "u" flag ("[a-zA-Z]{2}]?").
    const ajv = new Ajv04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    return ajv.compile(schema);
}

describe("vpce-guard check in CI", function () {
    this.timeout(120_000);

    describe("program locations (sourcePosition)", function () {
        it("reads project-relative and absolute positions, and none inside node_modules", function () {
            assert.deepEqual(parseSourcePosition("project:///index.ts#21,23"), { file: "index.ts", absolute: false, line: 21, column: 23 });
            assert.deepEqual(parseSourcePosition("project:///src/net%20work.ts#4"), { file: "src/net work.ts", absolute: false, line: 4 });
            assert.deepEqual(parseSourcePosition("file:///home/u/p/index.ts#9,1"), { file: "/home/u/p/index.ts", absolute: true, line: 9, column: 1 });
            assert.equal(parseSourcePosition("project:///node_modules/@pulumi/runtime/stack.ts#38,23"), undefined);
            assert.equal(parseSourcePosition("project:///../.venv/lib/python3.11/site-packages/pulumi_aws/x.py#245"), undefined);
            assert.equal(parseSourcePosition("index.ts:21"), undefined);
            assert.equal(parseSourcePosition("project:///index.ts#0"), undefined);
        });

        it("text names the program's file and line; --source-root maps it into the repository", async function () {
            const r = await run(["check", exampleExport, "--source-root", "infra/network"]);
            assert.match(r.stdout, /aws:ec2\/vpcEndpoint:VpcEndpoint: s3 {2}\(infra\/network\/index\.ts:28\)\n/);
            const j = json(await run(["check", exampleExport, "--format", "json"]));
            assert.deepEqual(j.stacks[0].violations[0].source, { file: "index.ts", line: 28, column: 14 });
        });

        it("SARIF from stdin points at the program only", async function () {
            const input = fs.readFileSync(path.join(repoRoot, exampleExport), "utf8");
            const log = json(await run(["check", "-", "--format", "sarif"], { input }));
            for (const result of log.runs[0].results) {
                assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, "index.ts");
                assert.equal(result.relatedLocations, undefined, "no export to point at");
            }
        });
    });

    describe("several reports in one run", function () {
        it("text to the log, SARIF (valid against the 2.1.0 schema) and JUnit (well-formed XML) to files", async function () {
            const dir = tempDir();
            try {
                const sarif = path.join(dir, "out.sarif");
                const junit = path.join(dir, "out.xml");
                const r = await run(["check", exampleExport, "--output", `sarif=${sarif}`, "--output", `junit=${junit}`]);
                assert.equal(r.code, 1, r.stderr);
                assert.match(r.stdout, /^vpce-guard: vpce-guard v0\.1\.0 on network\/dev/);

                const validate = sarifValidator();
                const log: any = JSON.parse(fs.readFileSync(sarif, "utf8"));
                const valid: boolean = validate(JSON.parse(fs.readFileSync(sarif, "utf8")));
                assert.ok(valid, JSON.stringify(validate.errors, null, 1));
                assert.equal(log.runs[0].results.length, 3);
                for (const rule of log.runs[0].tool.driver.rules) {
                    assert.match(rule.helpUri, new RegExp(`/docs/policies/${rule.id}\\.md$`), "each rule links its page");
                }

                const xml = fs.readFileSync(junit, "utf8");
                assert.equal(XMLValidator.validate(xml), true);
                const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
                assert.equal(doc.testsuites.failures, "3");
                const suite = doc.testsuites.testsuite;
                assert.equal(suite.name, "network/dev");
                const cases = ([] as any[]).concat(suite.testcase);
                assert.equal(Number(suite.tests), cases.length);
                const failed = cases.filter((c) => c.failure !== undefined);
                assert.deepEqual(failed.map((c) => `${c.classname} ${c.failure.type} ${c.file}:${c.line}`), [
                    "vpce-guard.vpce-policy-explicit advisory index.ts:47",
                    "vpce-guard.vpce-gateway-principal mandatory index.ts:28",
                    "vpce-guard.vpce-policy-service-actions advisory index.ts:56",
                ]);
                assert.ok(cases.some((c) => c.classname === "vpce-guard.vpce-policy-json" && c.failure === undefined), "a policy that found nothing passes");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("refuses an unknown format and a file named twice", function () {
            assert.throws(() => parseCommandLine(["check", "a.json", "--output", "xml=out.xml"]), /unknown format "xml"/);
            assert.throws(() => parseCommandLine(["check", "a.json", "--output", "sarif=o", "--output", "junit=o"]), /names o twice/);
        });
    });

    describe("GitHub Actions", function () {
        it("--format github: one workflow command per finding on the program's line", async function () {
            const r = await run(["check", exampleExport, "--format", "github"]);
            const lines = r.stdout.trimEnd().split("\n");
            assert.equal(lines.length, 3);
            assert.match(lines[0], /^::error file=index\.ts,line=28,col=14,title=vpce-gateway-principal%3A s3::Statement\[0\] /);
            assert.match(lines[1], /^::warning file=index\.ts,line=47,/);
            assert.ok(lines.every((l) => !l.slice(2).includes("\n")));
        });

        it("adds the annotations after the text report when GITHUB_ACTIONS is true", async function () {
            const r = await run(["check", exampleExport], { env: { ...process.env, GITHUB_ACTIONS: "true" } });
            assert.match(r.stdout, /Summary: 1 mandatory/);
            assert.match(r.stdout, /\n::error file=index\.ts,line=28,/);
        });
    });

    describe("quiet, colour, selection", function () {
        it("--quiet prints only the findings and the summary", async function () {
            const r = await run(["check", exampleExport, "--quiet"]);
            assert.doesNotMatch(r.stdout, /^vpce-guard: /);
            assert.doesNotMatch(r.stdout, /Notes:/);
            assert.match(r.stdout, /^ {4}aws:ec2\/vpcEndpoint:VpcEndpoint: s3/);
            assert.match(r.stdout, /Summary: 1 mandatory, 2 advisory/);
            assert.equal(r.stderr, "");
        });

        it("colour on a terminal; not with NO_COLOR or --no-color; forced with --color", async function () {
            const capture = async (argv: string[], env: Record<string, string | undefined>) => {
                let out = "";
                await runCli(argv, { cwd: repoRoot, stdout: { write: (t: string) => (out += t), isTTY: true }, stderr: { write: () => undefined }, readStdin: () => new Uint8Array(), env });
                return out;
            };
            assert.match(await capture(["check", exampleExport], {}), /\x1b\[31m\[mandatory\]\x1b\[0m/);
            assert.doesNotMatch(await capture(["check", exampleExport], { NO_COLOR: "1" }), /\x1b\[/);
            assert.doesNotMatch(await capture(["check", exampleExport, "--no-color"], {}), /\x1b\[/);
            const forced = await run(["check", exampleExport, "--color"]);
            assert.match(forced.stdout, /\x1b\[33m\[advisory\]/);
        });

        it("--policy and --skip-policy select policies by wildcard", async function () {
            const only = json(await run(["check", exampleExport, "--format", "json", "--policy", "vpce-policy-*"]));
            assert.deepEqual(only.stacks[0].violations.map((v: any) => v.policy), ["vpce-policy-explicit", "vpce-policy-service-actions"]);
            assert.equal(only.summary.passed, true, "the mandatory finding was not selected");
            const skipped = json(await run(["check", exampleExport, "--format", "json", "--skip-policy", "*-explicit", "--skip-policy", "vpce-gateway-*"]));
            assert.deepEqual(skipped.stacks[0].violations.map((v: any) => v.policy), ["vpce-policy-service-actions"]);
        });
    });

    describe("baselines", function () {
        it("--write-baseline, then --baseline reports only new findings (matched by fingerprint, not line)", async function () {
            const dir = tempDir();
            try {
                const baseline = path.join(dir, "baseline.json");
                const first = await run(["check", exampleExport, "--write-baseline", baseline]);
                assert.equal(first.code, 1);
                assert.equal(JSON.parse(fs.readFileSync(baseline, "utf8")).findings.length, 3);

                // The same stack with every line moved: still all in the baseline.
                const moved = path.join(dir, "moved.json");
                fs.writeFileSync(moved, "\n\n\n" + fs.readFileSync(path.join(repoRoot, exampleExport), "utf8").replace(/#(\d+),/g, (_, l) => `#${Number(l) + 5},`));
                const again = await run(["check", moved, "--baseline", baseline]);
                assert.equal(again.code, 0, again.stdout);
                assert.match(again.stdout, /No policy violations\./);
                assert.match(again.stdout, /3 in the baseline/);

                // A finding the baseline lacks is reported.
                const partial = JSON.parse(fs.readFileSync(baseline, "utf8"));
                partial.findings = partial.findings.filter((f: any) => f.policy !== "vpce-gateway-principal");
                fs.writeFileSync(baseline, JSON.stringify(partial));
                const r = json(await run(["check", exampleExport, "--baseline", baseline, "--format", "json"]));
                assert.deepEqual(r.stacks[0].violations.map((v: any) => v.policy), ["vpce-gateway-principal"]);
                assert.equal(r.summary.baselined, 2);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("refuses a file that is not a baseline, with exit 2", async function () {
            const r = await run(["check", exampleExport, "--baseline", "package.json"]);
            assert.equal(r.code, 2);
            assert.match(r.stderr, /package\.json is not a vpce-guard baseline/);
        });
    });

    describe("honest about nothing", function () {
        it("says when the stack has no endpoint, when every policy is disabled, when the perimeter is unconfigured", async function () {
            const things = await run(["check", "things-dev.export.json"], { cwd: fixtures });
            assert.equal(things.code, 0);
            assert.match(things.stdout, /The stack has no VPC endpoint .*vpce-guard had nothing to check\./);
            assert.match(things.stdout, /vpce-data-perimeter is not configured/);
            const dir = tempDir();
            try {
                const off = path.join(dir, "off.json");
                fs.writeFileSync(off, JSON.stringify({ all: "disabled" }));
                const disabled = await run(["check", exampleExport, "--policy-pack-config", off]);
                assert.equal(disabled.code, 0);
                assert.match(disabled.stdout, /Every policy of vpce-guard is disabled by the config: nothing was checked\./);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
            const configured = await run(["check", exampleExport, "--policy-pack-config", path.join(fixturesDir, "..", "..", "config", "advisory.json")]);
            assert.match(configured.stdout, /vpce-data-perimeter is not configured/, "advisory.json sets no organisation");
        });
    });

    describe("progress", function () {
        it("on a terminal: a new phase is drawn at once, repeats within 100 ms are dropped", function () {
            let t = 5_000;
            const out: string[] = [];
            const p = new Progress({ write: (s: string) => out.push(s), isTTY: true }, () => t);
            t += 1500;
            p.update("Analyze 1/9", "analyze");
            t += 10;
            p.update("Analyze 2/9", "analyze");
            t += 10;
            p.update("AnalyzeStack on 9 resources", "analyzeStack");
            p.clear();
            assert.deepEqual(out, ["\r\x1b[2KAnalyze 1/9", "\r\x1b[2KAnalyzeStack on 9 resources", "\r\x1b[2K"]);
        });

        it("off a terminal: a line at every interval while a phase runs, none after clear", async function () {
            const out: string[] = [];
            const p = new Progress({ write: (s: string) => out.push(s) }, Date.now, 20);
            p.update("AnalyzeStack on 50000 resources", "analyzeStack");
            await new Promise((r) => setTimeout(r, 75));
            p.clear();
            const n = out.length;
            assert.ok(n >= 2, `lines: ${JSON.stringify(out)}`);
            assert.ok(out.every((l) => /^AnalyzeStack on 50000 resources \(\d+ s\)\n$/.test(l)));
            await new Promise((r) => setTimeout(r, 50));
            assert.equal(out.length, n);
        });

        it("--quiet: no progress at all", async function () {
            let err = "";
            await runCli(["check", exampleExport, "--quiet"], { cwd: repoRoot, stdout: { write: () => undefined }, stderr: { write: (t: string) => (err += t), isTTY: true }, readStdin: () => new Uint8Array() });
            assert.equal(err, "");
        });
    });

    describe("clean shutdown", function () {
        /** Node processes whose parent is `pid` and that run run-policy-pack. */
        function packChildren(pid: number): number[] {
            let out = "";
            try {
                out = execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" });
            } catch {
                return [];
            }
            return out.split("\n").filter(Boolean).map(Number).filter((child) => {
                try {
                    return fs.readFileSync(`/proc/${child}/cmdline`, "utf8").includes("run-policy-pack");
                } catch {
                    return false;
                }
            });
        }

        function alive(pid: number): boolean {
            try {
                const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
                return !/^\d+ \(.*\) [ZX] /.test(stat);
            } catch {
                return false;
            }
        }

        async function waitFor<T>(probe: () => T | undefined, what: string, ms = 60_000): Promise<T> {
            const end = Date.now() + ms;
            for (;;) {
                const v = probe();
                if (v !== undefined) return v;
                if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
                await new Promise((r) => setTimeout(r, 50));
            }
        }

        for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
            it(`${signal} ends the pack process and exits ${code}`, async function () {
                const child = spawn(process.execPath, [cli, "check", "things-dev.export.json", "--policy-pack", "hanging-pack"], { cwd: fixtures, stdio: ["ignore", "pipe", "pipe"] });
                let stderr = "";
                child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
                const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
                const packs = await waitFor(() => { const p = packChildren(child.pid!); return p.length > 0 ? p : undefined; }, "the pack process");
                await new Promise((r) => setTimeout(r, 300));
                child.kill(signal);
                assert.equal(await exited, code, stderr);
                await waitFor(() => (packs.some(alive) ? undefined : true), "the pack process to end", 5_000);
                assert.match(stderr, new RegExp(`stopped by ${signal}`));
            });
        }

        it("a crash of the CLI process ends the pack process too", async function () {
            const script = [
                `const { runCli } = require(${JSON.stringify(path.join(repoRoot, "bin", "cli", "check.js"))});`,
                "const sink = { write: () => undefined };",
                `runCli(["check", "things-dev.export.json", "--policy-pack", "hanging-pack"], { cwd: ${JSON.stringify(fixtures)}, stdout: sink, stderr: sink, readStdin: () => new Uint8Array() });`,
                "process.stdin.once('data', () => { throw new Error('boom'); });",
            ].join("\n");
            const child = spawn(process.execPath, ["-e", script], { cwd: fixtures, stdio: ["pipe", "pipe", "pipe"] });
            const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
            const packs = await waitFor(() => { const p = packChildren(child.pid!); return p.length > 0 ? p : undefined; }, "the pack process");
            child.stdin.write("crash\n");
            assert.equal(await exited, 1, "an uncaught error");
            await waitFor(() => (packs.some(alive) ? undefined : true), "the pack process to end", 5_000);
        });
    });
});
