// `vpce-guard check` as users run it: the built CLI (bin/cli/main.js) as a child process, over the
// bundled examples and the fixtures in test/fixtures/cli, with its exit codes and report formats.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPolicyPack } from "../../engine";
import { exampleStack } from "../../examples/stack";
import { cli, json, run, runNode, assertUserError } from "../support/cli";
import { repoRoot, fixturesDir } from "../support/paths";

const fixtures = path.join(fixturesDir, "cli");
const exampleExport = "examples/network-dev.export.json";
const examplePreview = "examples/network-dev.preview.json";

/** What the echo pack reported, per policy, by resource name. */
function echoes(report: any, stack = 0): Record<string, Record<string, any>> {
    const out: Record<string, Record<string, any>> = {};
    for (const v of report.stacks[stack].violations) {
        (out[v.policy] ??= {})[v.resourceName] = JSON.parse(v.message);
    }
    return out;
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

        it("a bare `vpce-guard` prints its usage; -v and --version print the package version", async function () {
            const bare = await run([]);
            assert.equal(bare.code, 0, bare.stderr);
            assert.match(bare.stdout, /^Usage: vpce-guard check \[options\] <file>\.\.\./);
            const version: string = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")).version;
            for (const flag of ["-v", "--version"]) {
                const r = await run([flag]);
                assert.equal(r.code, 0, r.stderr);
                assert.equal(r.stdout, `${version}\n`);
            }
        });

        it("the package: an Apache-2.0 LICENSE file, and a package-lock.json whose root entry is package.json's (so npm install leaves it unchanged)", function () {
            const license = fs.readFileSync(path.join(repoRoot, "LICENSE"), "utf8");
            assert.match(license, /^\s*Apache License\s+Version 2\.0, January 2004/);
            assert.match(license, /END OF TERMS AND CONDITIONS/);
            const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
            assert.equal(pkg.license, "Apache-2.0");
            const root = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")).packages[""];
            for (const key of ["name", "version", "license", "bin", "dependencies", "devDependencies", "engines"]) {
                assert.deepEqual(root[key], pkg[key], `package-lock.json packages[""].${key}`);
            }
        });

        it("refuses a bad command line with exit 2 and a pointer to --help", async function () {
            for (const [args, message] of [
                [["check"], /no file given/],
                [["scan", "x.json"], /unknown command "scan"/],
                [["check", "x.json", "--bogus"], /Unknown option '--bogus'/],
                [["check", "x.json", "--format", "xml"], /--format must be one of text, json, sarif, junit, github \(got "xml"\)/],
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
            assert.match(r.stdout, /aws:ec2\/vpcEndpoint:VpcEndpoint: s3 {2}\(index\.ts:28\)\n {8}- \[mandatory\] {2}vpce-gateway-principal\n/);
            assert.match(r.stdout, /- \[advisory\] {2}vpce-policy-explicit/);
            assert.match(r.stdout, /Notes:\n {4}- 1 encrypted secret value could not be decrypted/);
            assert.match(r.stdout, /\nSummary: 1 mandatory, 2 advisory violation\(s\) on 3 resource\(s\)\.\nChecked: 9 resources, 6 passed\.\n$/);
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

        it("a stack export, as `pulumi policy analyze --file`: plaintext secrets decoded, encrypted ones \"[secret]\", providers, outputs, no stack told; deleted resources left out", async function () {
            const r = await run(["check", "things-dev.export.json", ...pack, "--format", "json"], { cwd: fixtures });
            assert.equal(r.code, 1, `outputs-echo is mandatory (stderr: ${r.stderr})`);
            const report = json(r);
            const { "inputs-echo": inputs, "outputs-echo": outputs } = echoes(report);
            assert.deepEqual(Object.keys(inputs).sort(), ["a", "b"], "the resource pending deletion is not analysed");
            assert.deepEqual(inputs.a.inputs, { name: "a", nested: { list: [1, { k: [1, 2] }], token: "tok" }, password: "[secret]" });
            assert.deepEqual(inputs.a.provider, { urn: "urn:pulumi:dev::things::pulumi:providers:test::default", type: "pulumi:providers:test", props: { region: "mars-1" } });
            assert.deepEqual(outputs.a.outputs, { arn: "arn:test:a-1", id: "a-1", name: "a", password: "[secret]" });
            assert.deepEqual(outputs.b.propertyDependencies, { peer: ["urn:pulumi:dev::things::test:index:Thing::a"] });
            assert.deepEqual(outputs.a.types, ["pulumi:pulumi:Stack", "pulumi:providers:test", "test:index:Thing", "test:index:Thing"]);
            // policy analyze loads packs without options: no ConfigureStack, so none of the stack variables.
            assert.deepEqual([outputs.a.stack, outputs.a.project, outputs.a.dryRun], [undefined, undefined, "false"]);
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

        it("an export's passphrase secrets are decrypted with PULUMI_CONFIG_PASSPHRASE, and never printed by the tool", async function () {
            const env = { ...process.env, PULUMI_CONFIG_PASSPHRASE: "correct horse battery staple" };
            const r = await run(["check", "passphrase.export.json", "--policy-pack", path.join(fixturesDir, "launch-pack"), "--format", "json"], { cwd: fixtures, env });
            assert.equal(r.code, 0, r.stderr);
            const report = json(r);
            assert.deepEqual(report.stacks[0].secrets, { encrypted: 0, redacted: 0, decrypted: 3 });
            const seen = JSON.parse(report.stacks[0].violations.find((v: any) => v.policy === "launch").message);
            assert.equal(seen.props.password, "hunter2-plain", "the pack judged the plaintext");
            assert.doesNotMatch(r.stderr + JSON.stringify(report.stacks[0].notes), /hunter2|inner-plain/);
        });

        it("--verbose shows the pack's own lines as info lines", async function () {
            const r = await run(["check", "passphrase.export.json", "--policy-pack", path.join(fixturesDir, "launch-pack"), "--verbose"], { cwd: fixtures });
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stderr, /^vpce-guard: launch-pack: info: stdout line from db$/m);
            assert.match(r.stderr, /^vpce-guard: launch-pack: info#err: stderr line from db$/m);
            const quiet = await run(["check", "passphrase.export.json", "--policy-pack", path.join(fixturesDir, "launch-pack")], { cwd: fixtures });
            assert.doesNotMatch(quiet.stderr, /stdout line from db/);
        });

        it("a pack that fails shows its own lines without --verbose", async function () {
            const r = await run(["check", "passphrase.export.json", "--policy-pack", path.join(fixturesDir, "conformance", "invalid")], { cwd: fixtures });
            assertUserError(r, /^vpce-guard: invalid: info#err: Invalid policy name "all". "all" is a reserved name\.$/m);
        });

        it("several stacks in one run: one pack process per stack, each with its own results", async function () {
            const r = await run(["check", "things-dev.export.json", "things-prod.export.json", ...pack, "--policy-pack-config", "echo-label.config.json", "--format", "json"], { cwd: fixtures });
            assert.equal(r.code, 0, `the config makes outputs-echo advisory (stderr: ${r.stderr})`);
            const report = json(r);
            assert.deepEqual(report.stacks.map((s: any) => s.name), ["things/dev", "things/prod"]);
            assert.deepEqual(Object.keys(echoes(report, 0)["outputs-echo"]), ["a", "b"]);
            assert.equal(echoes(report, 0)["outputs-echo"].a.pid === echoes(report, 1)["outputs-echo"].a.pid, false, "one process per stack");
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

    describe("a secret endpoint policy the audit cannot decrypt", function () {
        it("is \"[secret]\" to the pack, as with pulumi policy analyze --file, and no document policy reports it", async function () {
            const exported = JSON.parse(fs.readFileSync(path.join(repoRoot, exampleExport), "utf8"));
            const s3 = exported.deployment.resources.find((r: any) => r.urn.endsWith("::s3"));
            const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAA" };
            s3.inputs.policy = secret;
            s3.outputs.policy = secret;
            const r = await run(["check", "-", "--format", "json"], { input: JSON.stringify(exported), env: { ...process.env, PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "" } });
            const report = json(r);
            const onS3 = report.stacks[0].violations.filter((v: any) => v.resourceName === "s3");
            assert.deepEqual(onS3.map((v: any) => v.policy), [], r.stderr);
            assert.ok(report.stacks[0].notApplicable.some((n: any) => n.policy === "vpce-policy-json" && /policy is a secret that was not decrypted/.test(n.reason)),
                JSON.stringify(report.stacks[0].notApplicable));
        });
    });

    describe("report formats", function () {
        it("JSON: the documented shape on stdout", async function () {
            const r = await run(["check", exampleExport, "--format", "json"]);
            assert.equal(r.code, 1);
            const report = json(r);
            assert.equal(report.reportVersion, 1);
            assert.deepEqual(report.tool, { name: "vpce-guard", version: "0.1.0" });
            assert.deepEqual(report.summary, { stacks: 1, mandatory: 1, advisory: 2, resources: 3, passedResources: 6, baselined: 0, analysedResources: 9, violations: 3, passed: false });
            const v = report.stacks[0].violations[0];
            assert.equal(v.policy, "vpce-gateway-principal");
            assert.equal(v.resourceName, "s3");
            assert.equal(typeof v.line, "number");
        });

        it("SARIF 2.1.0 to a file with --output, the text report still on stdout for the CI log", async function () {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpce-guard-cli-"));
            try {
                const out = path.join(dir, "report.sarif");
                const r = await run(["check", exampleExport, "--format", "sarif", "--output", out]);
                assert.equal(r.code, 1, r.stderr);
                assert.match(r.stdout, /^vpce-guard: vpce-guard v0\.1\.0 on network\/dev/);
                assert.match(r.stdout, /Summary: 1 mandatory, 2 advisory violation\(s\)/);
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
                    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, "index.ts", "the program's file");
                    assert.equal(result.relatedLocations[0].physicalLocation.artifactLocation.uri, exampleExport, "the export's line as related location");
                }
                assert.deepEqual(run0.invocations[0].toolExecutionNotifications.map((n: any) => n.message.text.replace(/:.*/s, "")), ["network/dev", "network/dev"]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("exemptions", function () {
        // The example export with a tag on ecr-api, and a config exempting sts by name.
        let dir: string;
        before(function () {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpce-guard-exempt-"));
            const state = JSON.parse(fs.readFileSync(path.join(repoRoot, exampleExport), "utf8"));
            const ecr = state.deployment.resources.find((r: any) => r.urn.endsWith("::ecr-api"));
            ecr.inputs.tags = { "vpce-guard:exempt": "vpce-policy-service-actions: the image pull role is fixed in ECR-7" };
            fs.writeFileSync(path.join(dir, "dev.json"), JSON.stringify(state, null, 4));
            fs.writeFileSync(path.join(dir, "exempt.json"), JSON.stringify({
                "vpce-policy-explicit": { exemptions: [{ resources: ["sts"], reason: "STS keeps the default policy until TICKET-42", expires: "2999-06-30" }] },
            }));
        });
        after(function () {
            fs.rmSync(dir, { recursive: true, force: true });
        });
        const args = ["check", "dev.json", "--policy-pack-config", "exempt.json"];

        it("text: the exempted violations are gone and listed under \"Exemptions applied\" with kind, reason and expiry", async function () {
            const r = await run(args, { cwd: dir });
            assert.equal(r.code, 1, r.stderr);
            assert.doesNotMatch(r.stdout, /- \[advisory\] {2}vpce-policy-(explicit|service-actions)/);
            assert.match(r.stdout, /Exemptions applied:\n {4}aws:ec2\/vpcEndpoint:VpcEndpoint: sts {2}\(index\.ts:\d+\)\n {8}- vpce-policy-explicit: config exemption until 2999-06-30, 1 violation\(s\) suppressed\n {10}STS keeps the default policy until TICKET-42\n/);
            assert.match(r.stdout, / {4}aws:ec2\/vpcEndpoint:VpcEndpoint: ecr-api {2}\(index\.ts:\d+\)\n {8}- vpce-policy-service-actions: tag vpce-guard:exempt, 1 violation\(s\) suppressed\n {10}the image pull role is fixed in ECR-7\n/);
            assert.match(r.stdout, /Summary: 1 mandatory violation\(s\) on 1 resource\(s\)\.\nChecked: 9 resources, 6 passed, 2 exemptions applied\.\n$/);
        });

        it("JSON: `exemptions` per stack, in file order", async function () {
            const report = json(await run([...args, "--format", "json"], { cwd: dir }));
            assert.deepEqual(report.stacks[0].exemptions.map((e: any) => [e.resourceName, e.policy, e.kind, e.reason, e.expires, e.suppressed]), [
                ["sts", "vpce-policy-explicit", "config", "STS keeps the default policy until TICKET-42", "2999-06-30", 1],
                ["ecr-api", "vpce-policy-service-actions", "tag", "the image pull role is fixed in ECR-7", undefined, 1],
            ]);
            assert.equal(report.summary.advisory, 0);
        });

        it("SARIF: a suppressed result per exemption, with its justification", async function () {
            const sarif = json(await run([...args, "--format", "sarif"], { cwd: dir }));
            const suppressed = sarif.runs[0].results.filter((r: any) => r.suppressions);
            assert.deepEqual(suppressed.map((r: any) => [r.ruleId, r.locations[0].logicalLocations[0].name, r.suppressions]), [
                ["vpce-policy-explicit", "sts", [{ kind: "external", status: "accepted", justification: "STS keeps the default policy until TICKET-42" }]],
                ["vpce-policy-service-actions", "ecr-api", [{ kind: "inSource", status: "accepted", justification: "the image pull role is fixed in ECR-7" }]],
            ]);
            assert.equal(sarif.runs[0].results.filter((r: any) => !r.suppressions).length, 1);
            for (const r of suppressed) {
                assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, "index.ts", "the program's file, as for violations");
                assert.equal(r.relatedLocations[0].physicalLocation.artifactLocation.uri, "dev.json", "the export's line as related location");
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

        it("a config with an unknown policy name is run, as the CLI runs it, with a warning (analyzer/config.go applyConfig)", async function () {
            const r = await run(["check", exampleExport, "--exit-zero", "--policy-pack-config", path.join(fixtures, "unknown-key.config.json")]);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stderr, /vpce-guard: warning: .*unknown-key\.config\.json: vpce-policy-jsn: policy pack "vpce-guard" has no policy of that name; did you mean "vpce-policy-json"\? \(ignored\)/);
        });

        it("an export with resource references is judged, not refused (rpc.go renders them as IDs and URNs)", async function () {
            const r = await run(["check", path.join(fixtures, "references.export.json")]);
            assert.equal(r.code, 1, r.stderr);
            assert.match(r.stdout, /1 mandatory, 2 advisory violation\(s\) on 3 resource\(s\)/);
        });

        it("a config key the policy does not have (misspelt), naming the nearest key", async function () {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpce-guard-typo-"));
            try {
                fs.writeFileSync(path.join(dir, "typo.json"), JSON.stringify({ "vpce-policy-size": { enforcmentLevel: "disabled" }, "vpce-data-perimeter": { acountIds: ["111122223333"] } }));
                const r = await run(["check", path.join(repoRoot, exampleExport), "--policy-pack-config", "typo.json"], { cwd: dir });
                assertUserError(r, /invalid policy pack config typo\.json:\n/);
                assert.match(r.stderr, /\n {2}vpce-data-perimeter: unknown config key "acountIds" \(did you mean "accountIds"\?\)\n/);
                assert.match(r.stderr, /\n {2}vpce-policy-size: unknown config key "enforcmentLevel" \(did you mean "enforcementLevel"\?\)/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
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
