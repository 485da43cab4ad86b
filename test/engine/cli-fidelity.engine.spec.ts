// The engine module against the Pulumi CLI of today (3.221 and later) and `pulumi policy analyze`,
// one describe per point, each naming the pulumi/pulumi source it follows.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    configWarnings,
    PolicyPackProcess,
    reconcileConfig,
    rootStackUrn,
    runPolicyPack,
    secret,
    UnknownSentinel,
    type Diagnostic,
    type OutputLine,
    type StackResource,
} from "../../engine";
import { shlexSplit } from "../../engine/marshal";
import { packEnvironment } from "../../engine/process";
import { readStackDocument } from "../../state/stack-files";
import { fixturesDir } from "../support/paths";

const launchPack = path.join(fixturesDir, "launch-pack");
const configPack = path.join(fixturesDir, "config-pack");
const urn = (type: string, name: string) => `urn:pulumi:dev::proj::${type}::${name}`;
const launch = (name: string, extra: Partial<StackResource> = {}): StackResource => ({ urn: urn("test:index:Launch", name), type: "test:index:Launch", inputs: { n: 1 }, ...extra });

function echoed(d: Diagnostic | undefined): any {
    assert.ok(d, "the launch policy reported");
    return JSON.parse(d.message.slice(d.message.indexOf("\n") + 1));
}

describe("engine: as the Pulumi CLI 3.221+ and `pulumi policy analyze` run a pack", function () {
    this.timeout(60_000);

    describe("launch as the Node language host (sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin, sdk/policy_proxy.go)", function () {
        let seen: any;
        const output: OutputLine[] = [];
        before(async function () {
            // A relative directory: the CLI runs the pack by its absolute path.
            const relative = path.relative(process.cwd(), launchPack);
            const r = await runPolicyPack(relative, [launch("one")], {
                stack: { name: "dev", project: "proj", organization: "acme", dryRun: true, config: { "proj:region": "mars-1" } },
                env: { ...process.env, LAUNCH_PACK_INHERITED: "yes", PULUMI_CONFIG: "from-parent" },
                onOutput: (line) => output.push(line),
            });
            seen = echoed(r.diagnostics[0]);
        });

        it("runs `node <run-policy-pack> <nodeargs> <engine address> <absolute pack dir>` in the pack directory", function () {
            if (seen.cmdline === undefined) this.skip(); // no /proc
            const runPath = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [launchPack] });
            assert.deepEqual(seen.cmdline.slice(1), [runPath, "--max-old-space-size=512", "--title=two words", "127.0.0.1:0", launchPack]);
            assert.equal(path.basename(seen.cmdline[0]), "node");
            assert.equal(seen.cwd, launchPack);
        });

        it("nodeargs are script arguments, as the language host passes them for policy packs: node does not get them", function () {
            assert.ok(!seen.execArgv.some((a: string) => a.startsWith("--max-old-space-size")), JSON.stringify(seen.execArgv));
        });

        it("sets PULUMI_NODEJS_{ORGANIZATION,PROJECT,STACK,DRY_RUN}, PULUMI_CONFIG and PULUMI_NODEJS_TYPESCRIPT, none of the shim's PULUMI_* and keeps the rest", function () {
            assert.deepEqual(seen.env, {
                PULUMI_NODEJS_ORGANIZATION: "acme",
                PULUMI_NODEJS_PROJECT: "proj",
                PULUMI_NODEJS_STACK: "dev",
                PULUMI_NODEJS_DRY_RUN: "true",
                PULUMI_CONFIG: JSON.stringify({ "proj:region": "mars-1" }),
                PULUMI_NODEJS_TYPESCRIPT: "true",
                LAUNCH_PACK_INHERITED: "yes",
            });
        });

        it("answers Handshake on the engine side: it never reaches the pack", function () {
            assert.equal(seen.handshakes, 0);
        });

        it("surfaces the pack's later stdout and stderr lines, one by one", function () {
            assert.ok(output.some((l) => l.stream === "stdout" && l.text === "stdout line from one"), JSON.stringify(output));
            assert.ok(output.some((l) => l.stream === "stderr" && l.text === "stderr line from one"), JSON.stringify(output));
        });

        it("without stack options (`pulumi policy analyze`): no ConfigureStack, none of the stack variables; inherited ones pass", async function () {
            const r = await runPolicyPack(launchPack, [launch("two")], { env: { ...process.env, PULUMI_CONFIG: "{\"inherited\":\"x\"}" } });
            const env = echoed(r.diagnostics[0]).env;
            assert.deepEqual(env, { PULUMI_NODEJS_TYPESCRIPT: "true", PULUMI_CONFIG: "{\"inherited\":\"x\"}" });
        });

        it("a stack without config gets no PULUMI_CONFIG; DRY_RUN is always set once configured", function () {
            const base = { PATH: "/bin" };
            const runtime = { name: "nodejs", typescript: false, nodeargs: [], tsconfig: "tsconfig.prod.json" };
            assert.deepEqual(packEnvironment({ env: base, stack: { name: "dev", config: {} } }, runtime), {
                PATH: "/bin", PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.prod.json", PULUMI_NODEJS_STACK: "dev", PULUMI_NODEJS_DRY_RUN: "false",
            });
        });

        it("splits nodeargs as google/shlex does", function () {
            assert.deepEqual(shlexSplit(`--a=1  'b c' "d \\"e\\"" f\\ g # comment`), ["--a=1", "b c", 'd "e"', "f g"]);
            assert.throws(() => shlexSplit("'open"), /closing quote/);
        });

        it("names the missing SDK as the language host does", async function () {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-sdk-"));
            try {
                fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
                await assert.rejects(PolicyPackProcess.start(dir), /It looks like the Pulumi SDK has not been installed\. Have you run npm install in /);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("resource options and references from state (pkg/resource/deploy/analyze_snapshot.go stateToAnalyzerResource, pkg/resource/plugin/rpc.go)", function () {
        const sig = "4dabf18193072939515e22adb298388d";
        const ref = "5cf8f73096256a8f31e491e813e4eb8e";
        const exportText = JSON.stringify({
            version: 3,
            deployment: {
                resources: [
                    { urn: urn("pulumi:pulumi:Stack", "proj-dev"), custom: false, type: "pulumi:pulumi:Stack" },
                    {
                        urn: urn("test:index:Launch", "opts"), custom: true, id: "o-1", type: "test:index:Launch",
                        parent: urn("pulumi:pulumi:Stack", "proj-dev"),
                        protect: true, ignoreChanges: ["n"], additionalSecretOutputs: ["n"],
                        aliases: [urn("test:index:Launch", "old")], customTimeouts: { create: 300, update: 60, delete: 30 },
                        inputs: {
                            vpcId: { [sig]: ref, urn: urn("aws:ec2/vpc:Vpc", "main"), id: "vpc-1", packageVersion: "7.48.0" },
                            pending: { [sig]: ref, urn: urn("aws:ec2/vpc:Vpc", "next"), id: "", packageVersion: "7.48.0" },
                            owner: { [sig]: ref, urn: urn("my:index:Component", "platform"), packageVersion: "" },
                        },
                    },
                ],
            },
        });

        it("sends protect, ignoreChanges, aliases, additionalSecretOutputs, customTimeouts and parent; no deleteBeforeReplace", async function () {
            const read = readStackDocument(exportText, "opts.json");
            assert.ok(read.ok);
            const r = await runPolicyPack(launchPack, read.document.resources);
            const seen = echoed(r.diagnostics.find((d) => d.urn.endsWith("::opts")));
            assert.deepEqual(seen.options, {
                protect: true,
                ignoreChanges: ["n"],
                aliases: [urn("test:index:Launch", "old")],
                customTimeouts: { createSeconds: 300, updateSeconds: 60, deleteSeconds: 30 },
                additionalSecretOutputs: ["n"],
                parent: urn("pulumi:pulumi:Stack", "proj-dev"),
            });
        });

        it("renders a custom reference as its ID (unknown when empty) and a component reference as its URN", async function () {
            const read = readStackDocument(exportText, "opts.json");
            assert.ok(read.ok);
            const r = await runPolicyPack(launchPack, read.document.resources);
            assert.deepEqual(echoed(r.diagnostics[0]).props, { vpcId: "vpc-1", pending: UnknownSentinel.string, owner: urn("my:index:Component", "platform") });
        });

        it("a deployment's deleteBeforeReplace (from the registration) is sent as defined", async function () {
            const r = await runPolicyPack(launchPack, [launch("dbr", { options: { deleteBeforeReplace: false } })]);
            assert.equal(echoed(r.diagnostics[0]).options.deleteBeforeReplace, false);
        });
    });

    describe("config as the CLI accepts it (pkg/resource/analyzer/config.go parsePolicyPackConfig, applyConfig; analyzer_plugin.go Configure)", function () {
        it("runs with `environments`, a name the pack lacks and `all` with properties, and says so in warnings", async function () {
            const config = { environments: ["org/policies"], all: { enforcementLevel: "mandatory", mode: "strict" }, "resource-ecco": "advisory" } as never;
            const r = await runPolicyPack(configPack, [{ urn: urn("test:index:Echo", "e"), type: "test:index:Echo", inputs: {} }], { config });
            const d = r.diagnostics.find((x) => x.policyName === "resource-echo")!;
            assert.equal(d.enforcementLevel, "mandatory");
            // `all`'s properties reach no policy.
            assert.deepEqual(JSON.parse(d.message.slice(d.message.indexOf("\n") + 1)).config, { mode: "lenient", limit: 3 });
            assert.deepEqual(Object.keys(r.configured).sort(), ["all", "resource-ecco", "resource-echo", "resource-thrower", "stack-echo", "unknown-probe"]);
            const warnings = configWarnings(r.info, config);
            assert.equal(warnings.length, 3, JSON.stringify(warnings));
            assert.match(warnings[0], /^"environments" \(org\/policies\): ESC environments are not opened offline/);
            assert.match(warnings[1], /^all: properties \(mode\) under "all" reach no policy/);
            assert.match(warnings[2], /^resource-ecco: policy pack "config-pack" has no policy of that name; did you mean "resource-echo"\? \(ignored\)$/);
        });

        it("per-policy levels beat `all` whatever the order (applyConfig)", function () {
            const info = { name: "p", version: "1", supportsConfig: true, initialConfig: {}, policies: [{ name: "a", description: "", enforcementLevel: "advisory" as const, policyType: "resource" as const }] };
            assert.equal(reconcileConfig(info, { a: "disabled", all: "mandatory" }).a.enforcementLevel, "disabled");
            assert.equal(reconcileConfig(info, { all: "mandatory", a: "disabled" }).a.enforcementLevel, "disabled");
        });
    });

    describe("stack violations without a stack URN go to the root stack (analyze_snapshot.go snapshotRootStackURN, resolveStackPolicyViolationURN)", function () {
        it("the parentless pulumi:pulumi:Stack, else the default root URN of the first valid URN", function () {
            const root = { urn: urn("pulumi:pulumi:Stack", "proj-dev"), type: "pulumi:pulumi:Stack", inputs: {} };
            const other = { urn: urn("test:index:X", "x"), type: "test:index:X", inputs: {} };
            assert.equal(rootStackUrn([other, root]), root.urn);
            assert.equal(rootStackUrn([{ urn: "not-a-urn", type: "t", inputs: {} }, other]), urn("pulumi:pulumi:Stack", "proj-dev"));
            assert.equal(rootStackUrn([]), "");
        });

        it("a stack diagnostic naming a URN outside the stack, or none, is reported on the root stack", async function () {
            const root: StackResource = { urn: urn("pulumi:pulumi:Stack", "proj-dev"), type: "pulumi:pulumi:Stack", inputs: {} };
            const r = await runPolicyPack(launchPack, [root, { urn: urn("test:index:ReportGone", "g"), type: "test:index:ReportGone", inputs: {} }]);
            const gone = r.diagnostics.filter((d) => d.policyName === "gone");
            assert.deepEqual(gone.map((d) => [d.message.split("\n")[1], d.urn]), [
                ["about a resource that is gone", root.urn],
                ["about no resource", root.urn],
            ]);
        });
    });

    describe("secrets of an export (pkg/cmd/pulumi/policy/policy_analyze.go, pkg/secrets/passphrase/manager.go)", function () {
        const text = fs.readFileSync(path.join(fixturesDir, "cli", "passphrase.export.json"), "utf8");
        const db = (doc: ReturnType<typeof readStackDocument>) => {
            assert.ok(doc.ok);
            return doc.document.resources.find((r) => r.urn.endsWith("::db"))!;
        };

        it("with the stack's passphrase, the pack judges the plaintext, as `pulumi preview` does", async function () {
            const read = readStackDocument(text, "passphrase.export.json", { passphrase: "correct horse battery staple" });
            const resource = db(read);
            assert.deepEqual(resource.inputs.password, secret("hunter2-plain"));
            assert.deepEqual(resource.inputs.settings, secret({ port: 5432, nested: secret("inner-plain") }));
            assert.ok(read.ok && read.document.notes.every((n) => !n.includes("hunter2")));
            const r = await runPolicyPack(launchPack, [resource]);
            assert.deepEqual(echoed(r.diagnostics[0]).props, { password: "hunter2-plain", settings: { port: 5432, nested: "inner-plain" }, name: "db" });
        });

        it("without it, every secret is the string \"[secret]\" and the note says how many", async function () {
            const read = readStackDocument(text, "passphrase.export.json");
            assert.ok(read.ok);
            assert.deepEqual(read.document.secrets, { encrypted: 3, redacted: 0, decrypted: 0 });
            assert.match(read.document.notes.join("\n"), /3 encrypted secret values could not be decrypted and were judged as the string "\[secret\]"/);
            const r = await runPolicyPack(launchPack, [db(read)]);
            assert.deepEqual(echoed(r.diagnostics[0]).props, { password: "[secret]", settings: "[secret]", name: "db" });
        });

        it("a wrong passphrase redacts every secret too, and says the passphrase did not open them", function () {
            const read = readStackDocument(text, "passphrase.export.json", { passphrase: "wrong" });
            assert.deepEqual(db(read).inputs.password, secret("[secret]"));
            assert.ok(read.ok);
            assert.match(read.document.notes.join("\n"), /The passphrase did not open this stack's secrets \(incorrect passphrase\)/);
        });
    });
});
