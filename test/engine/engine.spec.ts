// The engine module against real pack processes: fixture packs in test/fixtures, started through
// @pulumi/pulumi/cmd/run-policy-pack exactly as the Pulumi CLI starts them.

import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    AnalyzerDescription,
    Diagnostic,
    PolicyConfigError,
    PolicyPackConfigFile,
    PolicyPackProcess,
    PolicyPackRpcError,
    PolicyPackStartError,
    readPolicyPackConfigFile,
    reconcileConfig,
    runPolicyPack,
    secret,
    StackResource,
    UnknownSentinel,
} from "../../engine";
import { repoRoot, fixturesDir } from "../support/paths";
import { urnOf } from "../support/stacks";

const fixtures = fixturesDir;
const emptyPack = path.join(fixtures, "empty-pack");
const configPack = path.join(fixtures, "config-pack");

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch {
        return false;
    }
}

/** The state letter of /proc/<pid>/stat ("R", "S", "Z", ...), or "" when it cannot be read. */
function procState(pid: number): string {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    } catch {
        return "";
    }
}

/** Pids of this process's children that are still running (Linux /proc). */
function liveChildPids(): number[] {
    if (!fs.existsSync("/proc/self/stat")) return [];
    const pids: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            // "pid (comm) state ppid ..." — comm may hold spaces, so read after the last ')'.
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            if (Number(ppid) === process.pid && state !== "Z") pids.push(Number(entry));
        } catch {
            // the process ended while we looked
        }
    }
    return pids;
}

/** The stack these tests describe to the pack: project `proj`. */
const inProj = { project: "proj" };

/** What a fixture policy echoed: the JSON after the description line of its message. */
function echoed(d: Diagnostic): any {
    return JSON.parse(d.message.slice(d.message.indexOf("\n") + 1));
}

function only<T>(items: T[], what: string): T {
    assert.equal(items.length, 1, `expected exactly one ${what}, got ${JSON.stringify(items, null, 2)}`);
    return items[0];
}

const echo = (name: string, inputs: Record<string, unknown> = {}): StackResource => ({
    urn: urnOf("test:index:Echo", name, inProj),
    type: "test:index:Echo",
    inputs,
});

const probe = (value: unknown): StackResource => ({
    urn: urnOf("test:index:Probe", "probe", inProj),
    type: "test:index:Probe",
    inputs: { probe: value },
});

describe("engine", function () {
    this.timeout(60_000);

    after(function () {
        assert.deepEqual(liveChildPids(), [], "a pack process outlived the engine tests");
    });

    describe("starting a pack through run-policy-pack", function () {
        it("reads the port, measures startup, and close() leaves no live child", async function () {
            const pack = await PolicyPackProcess.start(emptyPack);
            assert.ok(pack.port > 0 && pack.port < 65536, `port ${pack.port}`);
            assert.ok(pack.startupMs > 0, `startupMs ${pack.startupMs}`);
            assert.ok(isAlive(pack.pid), "the pack is running after start()");
            assert.equal(pack.info.name, "empty-pack");
            await pack.close();
            assert.equal(isAlive(pack.pid), false, "the pack is gone after close()");
            await pack.close(); // idempotent
            await assert.rejects(pack.analyze(echo("late")), /has been closed/);
        });

        it("rejects a pack whose program throws, with its stderr, and leaves no child", async function () {
            const err = await PolicyPackProcess.start(path.join(fixtures, "broken-pack")).then(
                () => assert.fail("start() resolved"),
                (e: unknown) => e,
            );
            assert.ok(err instanceof PolicyPackStartError, String(err));
            assert.match(err.message, /broken-pack.* exited \(code \d+\) before printing its port/);
            assert.match(err.message, /broken-pack fails on purpose while loading/);
            assert.ok(err.pid !== undefined);
            assert.equal(isAlive(err.pid), false);
        });

        it("kills a pack that never prints its port when the start timeout passes", async function () {
            const err = await PolicyPackProcess.start(path.join(fixtures, "silent-pack"), { startTimeoutMs: 2_000 }).then(
                () => assert.fail("start() resolved"),
                (e: unknown) => e,
            );
            assert.ok(err instanceof PolicyPackStartError, String(err));
            assert.match(err.message, /did not print its port within 2000 ms/);
            assert.equal(isAlive(err.pid!), false);
        });

        it("kills a pack its parent left running when the parent process exits", async function () {
            // A separate Node process starts a pack and exits without close().
            const script = `require("./engine").PolicyPackProcess.start(${JSON.stringify(emptyPack)})
                .then((p) => { console.log(p.pid); process.exit(0); }, (e) => { console.error(e); process.exit(1); });`;
            const parent = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: repoRoot });
            let out = "";
            parent.stdout.on("data", (c: Buffer) => (out += c.toString()));
            const code = await new Promise((resolve) => parent.once("exit", resolve));
            assert.equal(code, 0);
            const pid = Number(out.trim());
            assert.ok(pid > 0, `pid printed: ${JSON.stringify(out)}`);
            // The orphan is reaped by init (or lingers as a zombie where init does not reap): either way, not running.
            const running = () => isAlive(pid) && !/^Z/.test(procState(pid));
            for (let i = 0; i < 50 && running(); i++) await new Promise((r) => setTimeout(r, 20));
            assert.equal(running(), false);
        });

        it("refuses a directory without PulumiPolicy.yaml, as the CLI does", async function () {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-pack-"));
            try {
                await assert.rejects(PolicyPackProcess.start(dir), /failed to load Pulumi policy project.*PulumiPolicy\.yaml does not exist/);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("a running pack (config-pack)", function () {
        let pack: PolicyPackProcess;
        let info: AnalyzerDescription;
        const stack = { name: "dev", project: "proj", organization: "acme", tags: { env: "test", team: "net" } };

        before(async function () {
            pack = await PolicyPackProcess.start(configPack, { stack });
            info = pack.info;
        });

        after(async function () {
            await pack?.close();
        });

        describe("GetAnalyzerInfo", function () {
            it("gives the pack's name, its package.json version and description", function () {
                assert.equal(info.name, "config-pack");
                assert.equal(info.version, "0.0.1");
                assert.equal(info.description, "Echoes what the engine sends.");
                assert.equal(info.supportsConfig, true);
                assert.equal(pack.pluginVersion, require("@pulumi/policy/package.json").version.replace(/^v/, ""));
            });

            it("describes every policy: description, level, severity, remediation, type, config schema", function () {
                assert.deepEqual(
                    info.policies.map((p) => p.name),
                    ["resource-echo", "stack-echo", "unknown-probe", "resource-thrower"],
                );
                const [resourceEcho, stackEcho, unknownProbe] = info.policies;
                assert.deepEqual(resourceEcho, {
                    name: "resource-echo",
                    displayName: "Resource echo",
                    description: "Reports a test:index:Echo resource's inputs and its own config.",
                    enforcementLevel: "advisory",
                    severity: "high",
                    remediationSteps: "Nothing to fix: this policy only echoes.",
                    policyType: "resource",
                    configSchema: {
                        properties: {
                            mode: { type: "string", enum: ["strict", "lenient"], default: "lenient" },
                            limit: { type: "integer", minimum: 1, default: 3 },
                            tags: { type: "array", items: { type: "string" } },
                        },
                    },
                });
                assert.equal(stackEcho.policyType, "stack");
                assert.equal(stackEcho.enforcementLevel, "mandatory");
                assert.equal(stackEcho.severity, "low");
                assert.deepEqual(stackEcho.configSchema?.required, ["label"]);
                assert.equal(unknownProbe.configSchema, undefined);
                assert.equal(unknownProbe.severity, undefined);
            });

            it("gives the pack's initial config; without a level it arrives as advisory (proto3 default)", function () {
                assert.deepEqual(info.initialConfig, {
                    "stack-echo": { enforcementLevel: "advisory", properties: { label: "from-initial-config" } },
                });
            });
        });

        describe("reconcileConfig (pure)", function () {
            it("gives every policy its declared level, schema defaults and the pack's initial config", function () {
                assert.deepEqual(reconcileConfig(info), {
                    "resource-echo": { enforcementLevel: "advisory", properties: { mode: "lenient", limit: 3 } },
                    // The initial config's implicit ADVISORY replaces the declared mandatory, as in the CLI.
                    "stack-echo": { enforcementLevel: "advisory", properties: { label: "from-initial-config" } },
                    "unknown-probe": { enforcementLevel: "mandatory", properties: {} },
                    "resource-thrower": { enforcementLevel: "advisory", properties: {} },
                });
            });

            it("applies `all` to every level, then per-policy strings and objects, whatever the key order", function () {
                const result = reconcileConfig(info, {
                    "resource-echo": { enforcementLevel: "disabled", mode: "strict", tags: ["a"] },
                    "unknown-probe": "advisory",
                    all: "mandatory",
                    "stack-echo": { accountIds: ["123456789012"] },
                });
                assert.deepEqual(result, {
                    "resource-echo": { enforcementLevel: "disabled", properties: { mode: "strict", limit: 3, tags: ["a"] } },
                    "stack-echo": { enforcementLevel: "mandatory", properties: { label: "from-initial-config", accountIds: ["123456789012"] } },
                    "unknown-probe": { enforcementLevel: "advisory", properties: {} },
                    "resource-thrower": { enforcementLevel: "mandatory", properties: {} },
                    // applyConfig merges `all` itself into the map too; the Node server ignores it.
                    all: { enforcementLevel: "mandatory", properties: {} },
                });
            });

            it("forwards a property the schema does not declare (the CLI's schema has no additionalProperties)", function () {
                assert.deepEqual(reconcileConfig(info, { "unknown-probe": { note: "x" } })["unknown-probe"].properties, { note: "x" });
            });

            it("drops an empty object, even under a name the pack lacks, as the CLI's parser does", function () {
                assert.deepEqual(reconcileConfig(info, { "no-such-policy": {} }), reconcileConfig(info));
            });

            it("changes neither its inputs nor returns objects shared with them", function () {
                const file: PolicyPackConfigFile = { "resource-echo": { tags: ["a"] } };
                const before = JSON.stringify({ info, file });
                const result = reconcileConfig(info, file);
                (result["resource-echo"].properties.tags as string[]).push("b");
                result["stack-echo"].properties.label = "changed";
                assert.equal(JSON.stringify({ info, file }), before);
            });

            const invalid: { what: string; file?: PolicyPackConfigFile; info?: Partial<AnalyzerDescription>; policy?: string; key?: string; message: RegExp }[] = [
                {
                    what: "a value of the wrong type",
                    file: { "resource-echo": { limit: "3" } },
                    policy: "resource-echo",
                    key: "limit",
                    message: /^resource-echo: property "limit" must be integer \(got string\)$/,
                },
                {
                    what: "a value outside the enum",
                    file: { "resource-echo": { mode: "loose" } },
                    policy: "resource-echo",
                    key: "mode",
                    message: /^resource-echo: property "mode" must be one of "strict", "lenient" \(got "loose"\)$/,
                },
                {
                    what: "a nested value failing its pattern",
                    file: { "stack-echo": { accountIds: ["123456789012", "1234"] } },
                    policy: "stack-echo",
                    key: "accountIds",
                    message: /^stack-echo: property "accountIds\[1\]" must match pattern "\^\[0-9\]\{12\}\$" \(got "1234"\)$/,
                },
                {
                    what: "a missing required property",
                    info: { initialConfig: {} },
                    policy: "stack-echo",
                    key: "label",
                    message: /^stack-echo: property "label" is required$/,
                },
                {
                    what: "a bad level string",
                    file: { "resource-echo": "warn" as never },
                    policy: "resource-echo",
                    key: "enforcementLevel",
                    message: /^resource-echo: enforcement level "warn" is not one of advisory, mandatory, remediate, disabled$/,
                },
                {
                    what: "a bad enforcementLevel in an object",
                    file: { "stack-echo": { enforcementLevel: "strict" as never } },
                    policy: "stack-echo",
                    key: "enforcementLevel",
                    message: /^stack-echo: property "enforcementLevel" must be one of .* \(got "strict"\)$/,
                },
                {
                    what: "a bad level for all",
                    file: { all: "loud" as never },
                    policy: "all",
                    key: "enforcementLevel",
                    message: /^all: enforcement level "loud"/,
                },
                {
                    what: "properties under all without a level (analyzer.Configure: invalid enforcement level \"\")",
                    file: { all: { mode: "strict" } },
                    policy: "all",
                    key: "mode",
                    message: /^all: invalid enforcement level "" /,
                },
                {
                    what: "properties for a policy name the pack lacks, without a level (analyzer.Configure)",
                    file: { "resource-ecco": { mode: "strict" } },
                    policy: "resource-ecco",
                    key: "mode",
                    message: /^resource-ecco: invalid enforcement level "" /,
                },
                {
                    what: "an environments key that is not a list of strings (parsePolicyPackConfig)",
                    file: { environments: ["ok", 3] as never },
                    key: "environments",
                    message: /^"environments\[1\]" must be a string \(got number\)$/,
                },
                {
                    what: "a value that is neither a level nor an object",
                    file: { "resource-echo": 5 as never },
                    policy: "resource-echo",
                    message: /^resource-echo: must be an enforcement level or an object of settings \(got number\)$/,
                },
            ];
            for (const c of invalid) {
                it(`refuses ${c.what}, naming the policy and the key`, function () {
                    assert.throws(
                        () => reconcileConfig({ ...info, ...c.info }, c.file),
                        (e: unknown) => {
                            assert.ok(e instanceof PolicyConfigError, String(e));
                            assert.match(e.message, c.message);
                            assert.equal(e.policy, c.policy);
                            assert.equal(e.key, c.key);
                            return true;
                        },
                    );
                });
            }

            it("reports every schema problem at once, sorted", function () {
                assert.throws(
                    () => reconcileConfig(info, { "resource-echo": { limit: 0, mode: 1 } }),
                    (e: unknown) => {
                        assert.ok(e instanceof PolicyConfigError);
                        assert.deepEqual(e.problems, [
                            'resource-echo: property "limit" must be >= 1 (got 0)',
                            'resource-echo: property "mode" must be one of "strict", "lenient" (got 1)',
                            'resource-echo: property "mode" must be string (got number)',
                        ]);
                        return true;
                    },
                );
            });
        });

        describe("Configure", function () {
            const stackOf = (...resources: StackResource[]) => pack.analyzeStack(resources);

            it("without a config file: schema defaults and the initial config reach getConfig()", async function () {
                const sent = await pack.configure();
                assert.deepEqual(sent, reconcileConfig(info));
                const d = only((await pack.analyze(echo("e1"))).diagnostics, "diagnostic");
                assert.deepEqual(echoed(d).config, { mode: "lenient", limit: 3 });
                assert.equal(d.enforcementLevel, "advisory");
                const s = only((await stackOf(echo("e1"))).diagnostics, "stack diagnostic");
                assert.deepEqual(echoed(s).config, { label: "from-initial-config" });
                assert.equal(s.enforcementLevel, "advisory", "the initial config's implicit advisory level applies");
            });

            it("`all` sets every policy's level", async function () {
                await pack.configure({ all: "mandatory" });
                assert.equal(only((await pack.analyze(echo("e1"))).diagnostics, "diagnostic").enforcementLevel, "mandatory");
                assert.equal(only((await stackOf(echo("e1"))).diagnostics, "stack diagnostic").enforcementLevel, "mandatory");
            });

            it("a per-policy string sets that policy's level only", async function () {
                await pack.configure({ "resource-echo": "mandatory" });
                assert.equal(only((await pack.analyze(echo("e1"))).diagnostics, "diagnostic").enforcementLevel, "mandatory");
                assert.equal(only((await stackOf(echo("e1"))).diagnostics, "stack diagnostic").enforcementLevel, "advisory");
            });

            it("an object sets the level and merges its properties over the defaults", async function () {
                await pack.configure({
                    "resource-echo": { enforcementLevel: "mandatory", mode: "strict", tags: ["a", "b"] },
                    "stack-echo": { label: "from-file", accountIds: ["123456789012"] },
                });
                const d = only((await pack.analyze(echo("e1"))).diagnostics, "diagnostic");
                assert.equal(d.enforcementLevel, "mandatory");
                assert.deepEqual(echoed(d).config, { mode: "strict", limit: 3, tags: ["a", "b"] });
                const s = only((await stackOf(echo("e1"))).diagnostics, "stack diagnostic");
                assert.deepEqual(echoed(s).config, { label: "from-file", accountIds: ["123456789012"] });
            });

            it("remediate is reported as mandatory by the framework", async function () {
                await pack.configure({ "resource-echo": "remediate" });
                assert.equal(only((await pack.analyze(echo("e1"))).diagnostics, "diagnostic").enforcementLevel, "mandatory");
            });

            it("disabled silences a policy", async function () {
                await pack.configure({ "resource-echo": "disabled", "stack-echo": "disabled" });
                const r = await pack.analyze(echo("e1"));
                assert.deepEqual(r.diagnostics, []);
                assert.ok(!r.notApplicable.some((n) => n.policyName === "resource-echo"));
                assert.deepEqual((await stackOf(echo("e1"))).diagnostics, []);
            });
        });

        describe("Analyze and AnalyzeStack", function () {
            before(async function () {
                await pack.configure();
            });

            it("Analyze sends the inputs as the CLI marshals them, with name, parent and provider", async function () {
                const resource: StackResource = {
                    ...echo("web", {
                        cidr: "10.0.0.0/16",
                        nested: { dropped: undefined, list: [1, undefined, "x"], __kept: true },
                        password: secret("hunter2"),
                        dropped: undefined,
                        __defaults: ["cidr"],
                    }),
                    outputs: { cidr: "10.9.0.0/16" },
                    parent: urnOf("pulumi:pulumi:Stack", "proj-dev", inProj),
                    provider: { urn: urnOf("pulumi:providers:aws", "default_7_48_0", inProj), type: "pulumi:providers:aws", properties: { region: "eu-west-1" } },
                };
                const r = await pack.analyze(resource);
                const d = only(r.diagnostics, "diagnostic");
                assert.equal(d.urn, resource.urn, "a diagnostic without URN is about the analysed resource");
                assert.equal(d.phase, "analyze");
                assert.equal(d.policyPackName, "config-pack");
                assert.equal(d.severity, "high");
                assert.deepEqual(echoed(d), {
                    config: { mode: "lenient", limit: 3 },
                    name: "web",
                    urn: resource.urn,
                    inputs: { cidr: "10.0.0.0/16", nested: { list: [1, null, "x"], __kept: true }, password: "hunter2" },
                    parent: resource.parent,
                    provider: { urn: resource.provider!.urn, name: "default_7_48_0", type: "pulumi:providers:aws" },
                });
            });

            it("maps the framework's not-applicable results, with the analysed URN", async function () {
                const r = await pack.analyze(echo("e1"));
                assert.deepEqual(
                    r.notApplicable.find((n) => n.policyName === "unknown-probe"),
                    { policyName: "unknown-probe", reason: "Policy only applies to resources of type 'test:index:Probe'", urn: echo("e1").urn, phase: "analyze" },
                );
                const own = await pack.analyze({ ...probe(undefined), inputs: {} });
                assert.deepEqual(
                    own.notApplicable.find((n) => n.policyName === "unknown-probe"),
                    { policyName: "unknown-probe", reason: "no probe property", urn: probe(undefined).urn, phase: "analyze" },
                );
            });

            it("AnalyzeStack sends outputs (inputs when none) with parent, dependencies and propertyDependencies", async function () {
                const app: StackResource = { urn: urnOf("test:index:Component", "app", inProj), type: "test:index:Component", inputs: {} };
                const vpc: StackResource = { urn: urnOf("test:index:Vpc", "vpc", inProj), type: "test:index:Vpc", inputs: { cidrBlock: "10.0.0.0/16" }, parent: app.urn };
                const sg: StackResource = {
                    urn: urnOf("test:index:Sg", "sg", inProj),
                    type: "test:index:Sg",
                    inputs: { vpcId: UnknownSentinel.string },
                    outputs: { vpcId: "vpc-0123", egress: UnknownSentinel.array },
                    parent: app.urn,
                    dependencies: [vpc.urn],
                    propertyDependencies: { vpcId: [vpc.urn], description: [] },
                };
                const r = await pack.analyzeStack([app, vpc, sg]);
                const byUrn = new Map(r.diagnostics.map((d) => [d.urn, d]));
                assert.deepEqual([...byUrn.keys()], [app.urn, vpc.urn, sg.urn]);
                for (const d of r.diagnostics) assert.equal(d.phase, "analyzeStack");
                assert.deepEqual(echoed(byUrn.get(sg.urn)!), {
                    config: { label: "from-initial-config" },
                    stackTags: stack.tags,
                    stack: "dev",
                    project: "proj",
                    organization: "acme",
                    type: "test:index:Sg",
                    name: "sg",
                    props: { vpcId: "vpc-0123", egress: UnknownSentinel.array },
                    parent: app.urn,
                    dependencies: [vpc.urn],
                    propertyDependencies: { vpcId: [vpc.urn] },
                });
                const v = echoed(byUrn.get(vpc.urn)!);
                assert.deepEqual(v.props, { cidrBlock: "10.0.0.0/16" });
                assert.equal(v.parent, app.urn);
                assert.deepEqual(v.dependencies, []);
            });
        });

        describe("unknown sentinels through the framework's proxy", function () {
            before(async function () {
                await pack.configure();
            });

            const kindWords: Record<keyof typeof UnknownSentinel, string> = {
                string: "string",
                bool: "boolean",
                number: "number",
                array: "Array",
                object: "Object",
                asset: "asset",
                archive: "archive",
            };
            for (const [kind, sentinel] of Object.entries(UnknownSentinel) as [keyof typeof UnknownSentinel, string][]) {
                it(`an unknown ${kind} gives the "can't run policy" advisory note`, async function () {
                    const d = only((await pack.analyze(probe(sentinel))).diagnostics, "diagnostic");
                    assert.equal(d.policyName, "unknown-probe");
                    assert.equal(d.enforcementLevel, "advisory", "the framework forces advisory on the mandatory policy");
                    assert.equal(
                        d.message,
                        `can't run policy 'unknown-probe' from policy pack 'config-pack@v0.0.1' during preview: ${kindWords[kind]} value at .probe can't be known during preview`,
                    );
                });
            }

            it("a sentinel nested in an object is sent unchanged and found by the proxy", async function () {
                const d = only((await pack.analyze(probe({ inner: UnknownSentinel.string }))).diagnostics, "diagnostic");
                assert.match(d.message, /during preview: string value at \.probe\.inner can't be known during preview$/);
            });

            const known: [string, unknown][] = [
                ["string", "04da6b54"],
                ["bool", true],
                ["number", 42],
                ["array", ["a"]],
                ["object", { a: 1 }],
            ];
            for (const [kind, value] of known) {
                it(`a known ${kind} is read normally (negative control)`, async function () {
                    const d = only((await pack.analyze(probe(value))).diagnostics, "diagnostic");
                    assert.equal(d.enforcementLevel, "mandatory");
                    assert.equal(d.message, `Reads \`probe\` through the framework's proxy.\nprobe is known: ${JSON.stringify(value)}`);
                });
            }
        });
    });

    describe("failures end the pack process", function () {
        it("configure() with an invalid config rejects with PolicyConfigError and ends the child", async function () {
            const pack = await PolicyPackProcess.start(configPack);
            await assert.rejects(pack.configure({ "resource-echo": { limit: "3" } }), (e: unknown) => {
                assert.ok(e instanceof PolicyConfigError);
                assert.equal(e.policy, "resource-echo");
                assert.equal(e.key, "limit");
                return true;
            });
            assert.equal(isAlive(pack.pid), false);
        });

        it("a policy that throws fails the RPC with the pack's message, and the child ends", async function () {
            const pack = await PolicyPackProcess.start(configPack);
            await pack.configure();
            const resource: StackResource = { urn: urnOf("test:index:Throw", "t", inProj), type: "test:index:Throw", inputs: {} };
            await assert.rejects(pack.analyze(resource), (e: unknown) => {
                assert.ok(e instanceof PolicyPackRpcError, String(e));
                assert.equal(e.rpc, "Analyze");
                assert.ok(e.message.startsWith(`Analyze failed in policy pack "config-pack" on ${resource.urn}: `), e.message);
                assert.match(e.message, /Error validating resource with policy 'resource-thrower'/);
                assert.match(e.message, /resource-thrower fails on purpose/);
                return true;
            });
            assert.equal(isAlive(pack.pid), false);
        });
    });

    describe("runPolicyPack", function () {
        it("runs Configure, Analyze on every resource in order, then one AnalyzeStack, and closes the child", async function () {
            const resources = [echo("first", { n: 1 }), { ...echo("second", { n: 2 }), outputs: { n: 20 } }];
            const result = await runPolicyPack(configPack, resources, { config: { all: "mandatory", "resource-echo": { mode: "strict" } } });
            assert.equal(result.info.name, "config-pack");
            assert.ok(result.startupMs > 0);
            assert.deepEqual(
                result.diagnostics.map((d) => [d.phase, d.policyName, d.urn, d.enforcementLevel]),
                [
                    ["analyze", "resource-echo", resources[0].urn, "mandatory"],
                    ["analyze", "resource-echo", resources[1].urn, "mandatory"],
                    ["analyzeStack", "stack-echo", resources[0].urn, "mandatory"],
                    ["analyzeStack", "stack-echo", resources[1].urn, "mandatory"],
                ],
            );
            assert.deepEqual(echoed(result.diagnostics[1]).inputs, { n: 2 });
            assert.deepEqual(echoed(result.diagnostics[1]).config, { mode: "strict", limit: 3 });
            assert.deepEqual(echoed(result.diagnostics[3]).props, { n: 20 });
            assert.deepEqual(liveChildPids(), []);
        });

        it("tells its progress before each step, and returns the config Configure sent", async function () {
            const resources = [echo("first", { n: 1 }), echo("second", { n: 2 })];
            const steps: string[] = [];
            const result = await runPolicyPack(configPack, resources, {
                config: { "resource-echo": { mode: "strict" } },
                onProgress: (p) => steps.push(p.step === "analyze" ? `analyze ${p.index + 1}/${p.total}` : p.step === "analyzeStack" ? `analyzeStack ${p.total}` : p.step === "configure" ? `configure ${p.info.name}` : p.step),
            });
            assert.deepEqual(steps, ["start", "configure config-pack", "analyze 1/2", "analyze 2/2", "analyzeStack 2"]);
            assert.deepEqual(result.configured["resource-echo"], { enforcementLevel: "advisory", properties: { mode: "strict", limit: 3 } });
        });

        it("with many Analyze calls in flight, takes the results in resource order, as one call at a time does", async function () {
            const resources = Array.from({ length: 60 }, (_, i) => echo(`r${i}`, { n: i, pad: "x".repeat((i * 7919) % 3000) }));
            const windowed = await runPolicyPack(configPack, resources);
            const serial = await runPolicyPack(configPack, resources, { analyzeWindow: 1 });
            const analyzed = (r: typeof windowed) => r.diagnostics.filter((d) => d.phase === "analyze").map((d) => d.urn);
            assert.deepEqual(analyzed(windowed), resources.map((r) => r.urn));
            assert.deepEqual(windowed.diagnostics, serial.diagnostics);
            assert.deepEqual(windowed.notApplicable, serial.notApplicable);
        });

        it("with Analyze calls in flight, a policy that throws is the error reported, and the child ends", async function () {
            const thrower: StackResource = { urn: urnOf("test:index:Throw", "t"), type: "test:index:Throw", inputs: {} };
            const resources = [...Array.from({ length: 20 }, (_, i) => echo(`a${i}`, { n: i })), thrower, ...Array.from({ length: 20 }, (_, i) => echo(`b${i}`, { n: i }))];
            await assert.rejects(runPolicyPack(configPack, resources), (e: unknown) => {
                assert.ok(e instanceof PolicyPackRpcError, String(e));
                assert.match(e.message, /^Analyze failed in policy pack "config-pack" on urn:pulumi:dev::[^:]+::test:index:Throw::t: /);
                assert.match(e.message, /resource-thrower fails on purpose/);
                return true;
            });
            assert.deepEqual(liveChildPids(), []);
        });
    });

    describe("readPolicyPackConfigFile", function () {
        let dir: string;
        before(function () {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
        });
        after(function () {
            fs.rmSync(dir, { recursive: true, force: true });
        });
        const write = (name: string, text: string) => {
            const file = path.join(dir, name);
            fs.writeFileSync(file, text);
            return file;
        };

        it("reads a config file", function () {
            const file = write("ok.json", '{ "all": "advisory", "resource-echo": { "mode": "strict" } }');
            assert.deepEqual(readPolicyPackConfigFile(file), { all: "advisory", "resource-echo": { mode: "strict" } });
        });

        it("names the file, line and column of a parse error", function () {
            const file = write("broken.json", '{\n  "all": "advisory",\n  "resource-echo": { "mode": "strict", }\n}\n');
            assert.throws(() => readPolicyPackConfigFile(file), (e: unknown) => {
                assert.ok(e instanceof PolicyConfigError);
                assert.equal(e.message, `${file}:3:40: invalid JSON: property name expected`);
                assert.equal(e.file, file);
                return true;
            });
        });

        it("rejects comments, which JSON does not have", function () {
            const file = write("comment.json", '{\n  // advisory everywhere\n  "all": "advisory"\n}');
            assert.throws(() => readPolicyPackConfigFile(file), new RegExp(`^PolicyConfigError: ${file.replace(/[.]/g, "\\.")}:2:3: invalid JSON: comments are not allowed$`));
        });

        it("rejects a file that is not a JSON object", function () {
            const file = write("array.json", '["all"]');
            assert.throws(() => readPolicyPackConfigFile(file), /array\.json: a policy pack config must be a JSON object \(got array\)/);
        });

        it("treats a blank file as no config, as the CLI does", function () {
            assert.deepEqual(readPolicyPackConfigFile(write("blank.json", " \n")), {});
        });

        it("names a file it cannot read", function () {
            assert.throws(() => readPolicyPackConfigFile(path.join(dir, "missing.json")), /missing\.json: cannot read policy pack config/);
        });
    });

    describe("the real pack (repo root), when built", function () {
        it("starts, describes itself and accepts its default configuration", async function () {
            if (!fs.existsSync(path.join(repoRoot, "bin", "index.js"))) this.skip();
            const pack = await PolicyPackProcess.start(repoRoot);
            try {
                assert.equal(pack.info.name, "vpce-guard");
                assert.ok(pack.info.policies.length > 0);
                const sent = await pack.configure();
                assert.deepEqual(Object.keys(sent).sort(), pack.info.policies.map((p) => p.name).sort());
            } finally {
                await pack.close();
            }
            assert.equal(isAlive(pack.pid), false);
        });
    });
});

// Found by the protocol fuzz (test/protocol-fuzz.engine.spec.ts): a key named `__proto__` was
// assigned, which set the wire object's prototype; an array-shaped one made protobuf refuse the whole
// request ("Unexpected struct type."). google-protobuf's own maps cannot hold such a key, so it does
// not reach the pack; everything around it must.
describe("engine: marshalling keys named __proto__", () => {
    const cases: [string, string][] = [
        ["an object under __proto__", "{\"a\":{\"__proto__\":{\"x\":1},\"b\":2}}"],
        // Assigned, this key made the object an array to protobuf, which then refused it.
        ["an array-shaped object under __proto__", "{\"securityGroupIds\":{\"__proto__\":{\"length\":1,\"__proto__\":[]}}}"],
        ["__proto__ inside a list", "{\"a\":[{\"__proto__\":\"sg-1\"}]}"],
    ];
    // The wire form read back key by key (protobuf's own toJavaScript assigns, and so loses the key too).
    type WireValue = { getKindCase(): number; getStructValue(): WireStruct | undefined; getListValue(): { getValuesList(): WireValue[] } | undefined; getStringValue(): string; getNumberValue(): number; getBoolValue(): boolean };
    type WireStruct = { getFieldsMap(): { forEach(f: (v: WireValue, k: string) => void): void } };
    const read = (v: WireValue): unknown => {
        const list = v.getListValue();
        const struct = v.getStructValue();
        if (struct !== undefined) return readStruct(struct);
        if (list !== undefined) return list.getValuesList().map(read);
        return [null, null, v.getNumberValue(), v.getStringValue(), v.getBoolValue()][v.getKindCase()];
    };
    const readStruct = (s: WireStruct) => {
        const out: Record<string, unknown> = {};
        s.getFieldsMap().forEach((v, k) => Object.defineProperty(out, k, { value: read(v), enumerable: true }));
        return out;
    };
    for (const [name, json] of cases) {
        it(name, () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const { propertiesStruct } = require("../../engine/marshal") as typeof import("../../engine/marshal");
            const value = JSON.parse(json) as Record<string, unknown>;
            const withoutProto = JSON.parse(json.replace(/"__proto__":(\{"x":1\},|\{"length":1,"__proto__":\[\]\}|"sg-1")/g, "")) as unknown;
            assert.strictEqual(JSON.stringify(readStruct(propertiesStruct(value, "test") as unknown as WireStruct)), JSON.stringify(withoutProto));
        });
    }
});
