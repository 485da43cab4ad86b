// A policy pack process driven the way the Pulumi CLI (3.221.0 and later) drives it: spawned as the
// Node language host's RunPlugin spawns an analyzer (sdk/nodejs/cmd/pulumi-language-nodejs/main.go)
// behind its policy proxy (sdk/policy_proxy.go: Handshake answered by the proxy, ConfigureStack
// forwarded), then GetPluginInfo, GetAnalyzerInfo, Configure, Analyze per resource, AnalyzeStack
// (pkg/resource/plugin/analyzer_plugin.go, pkg/engine/update.go loadPolicyPlugins).

import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { reconcileConfig } from "./config";
import * as marshal from "./marshal";
import { AnalyzerClient, AnalyzerService, analyzer as pb, CallOptions, Empty, grpc, maxMessageBytes, ServiceError } from "./proto";
import { AnalyzerDescription, PolicyPackConfigFile, ReconciledPolicyConfig, Remediation, RunResult, StackResource } from "./types";
import { callError, UnaryBytesChannel } from "./unary-bytes";

export interface StartOptions {
    /**
     * What ConfigureStack and the pack's environment say about the stack, as `pulumi preview` and
     * `pulumi up` send them. Omitted: no ConfigureStack and none of the stack variables, as
     * `pulumi policy analyze` loads a pack (LoadLocalPolicyPackAnalyzers with nil options).
     */
    stack?: {
        name?: string;
        project?: string;
        organization?: string;
        tags?: Record<string, string>;
        /** Stack config (`project:key` → value), as `PULUMI_CONFIG` and in ConfigureStack. */
        config?: Record<string, string>;
        /** Preview (true) or update (false). Default false. */
        dryRun?: boolean;
    };
    /** The child's base environment; default `process.env`. The stack variables are added to it. */
    env?: NodeJS.ProcessEnv;
    /** Spawn to port line; default none, as the CLI waits for the port without a deadline. */
    startTimeoutMs?: number;
    /** Deadline of each RPC; default none. */
    rpcTimeoutMs?: number;
    /**
     * Each non-blank line the pack prints: stderr from the start, stdout after its port line (what
     * the CLI turns into info and info#err diagnostics, pkg/resource/plugin/plugin.go runtrace).
     */
    onOutput?: (line: OutputLine) => void;
}

/** One line of the pack's own output, without its line break. */
export interface OutputLine {
    stream: "stdout" | "stderr";
    text: string;
}

/** The pack did not come up: exited, printed something other than a port, or timed out. */
export class PolicyPackStartError extends Error {
    readonly packDir: string;
    readonly pid?: number;
    readonly stderr: string;

    constructor(packDir: string, what: string, stderr: string, pid?: number) {
        super(`policy pack at ${packDir} ${what}${stderr.trim() ? `\n--- stderr (tail) ---\n${stderr.trimEnd()}` : ""}`);
        this.name = "PolicyPackStartError";
        this.packDir = packDir;
        this.stderr = stderr;
        if (pid !== undefined) this.pid = pid;
    }
}

/** An RPC failed; the message names the RPC and carries the pack's own message. */
export class PolicyPackRpcError extends Error {
    readonly rpc: string;
    readonly code: number;
    readonly details: string;

    constructor(rpc: string, pack: string, err: ServiceError, context: string) {
        super(`${rpc} failed in policy pack "${pack}"${context}: ${err.details || err.message}`);
        this.name = "PolicyPackRpcError";
        this.rpc = rpc;
        this.code = err.code;
        this.details = err.details;
    }
}

// run-policy-pack drops the engine address and the Node server never dials it (nor is
// PULUMI_NODEJS_ENGINE set for analyzers), so nothing has to listen here.
const engineAddress = "127.0.0.1:0";
const killGraceMs = 2_000;
const stderrTailBytes = 16 * 1024;

// Children still alive when this process exits are killed, so a failed run never leaves one behind.
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
    if (!exitHookInstalled) {
        process.once("exit", () => {
            for (const c of liveChildren) c.kill("SIGKILL");
        });
        exitHookInstalled = true;
    }
    liveChildren.add(child);
    child.once("exit", () => liveChildren.delete(child));
}

function hasExited(child: ChildProcess): boolean {
    return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves once the child is gone and reaped (its pid no longer exists); SIGKILL after the grace. */
function terminate(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
    return new Promise((resolve) => {
        if (child.pid === undefined || hasExited(child)) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        child.once("exit", () => {
            clearTimeout(timer);
            resolve();
        });
        child.kill(signal);
    });
}

/** Waits for the child's pipes to drain after it ended, so its last stderr lines are collected. */
function drained(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
        const streams = [child.stdout, child.stderr].filter((s) => s !== null && !s.readableEnded);
        if (streams.length === 0) return resolve();
        const timer = setTimeout(resolve, 1_000);
        let open = streams.length;
        for (const s of streams) {
            s!.once("close", () => {
                if (--open === 0) {
                    clearTimeout(timer);
                    resolve();
                }
            });
        }
    });
}

class Tail {
    private text = "";
    push(chunk: string): void {
        this.text = (this.text + chunk).slice(-stderrTailBytes);
    }
    toString(): string {
        return this.text;
    }
}

/**
 * The pack's environment as the Node language host builds it (sdk/nodejs/cmd/pulumi-language-nodejs
 * main.go RunPlugin): the caller's environment, `PULUMI_NODEJS_TYPESCRIPT` unless the runtime option
 * `typescript` is false, `PULUMI_NODEJS_TSCONFIG_PATH` for `tsconfig`, and, only once the engine sent
 * ConfigureStack, `PULUMI_NODEJS_{ORGANIZATION,PROJECT,STACK}` when non-empty, `PULUMI_NODEJS_DRY_RUN`
 * always and `PULUMI_CONFIG` when the stack has config. Nothing else (no `PULUMI_PROJECT` & co.: those
 * were the retired `pulumi-analyzer-policy` shim's).
 */
export function packEnvironment(opts: StartOptions, runtime: marshal.RuntimeOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
    if (runtime.typescript) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (runtime.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = runtime.tsconfig;
    const stack = opts.stack;
    if (stack === undefined) return env;
    for (const [suffix, value] of [
        ["ORGANIZATION", stack.organization],
        ["PROJECT", stack.project],
        ["STACK", stack.name],
        ["DRY_RUN", String(stack.dryRun ?? false)],
    ] as const) {
        if (value) env[`PULUMI_NODEJS_${suffix}`] = value;
    }
    if (stack.config && Object.keys(stack.config).length > 0) env.PULUMI_CONFIG = JSON.stringify(stack.config);
    return env;
}

/** `exec.LookPath("node")` over the child's PATH; this process's own node when PATH has none. */
function nodeBinary(env: NodeJS.ProcessEnv): string {
    for (const dir of (env.PATH ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const candidate = path.join(dir, process.platform === "win32" ? "node.exe" : "node");
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) return candidate;
        } catch {
            // not here
        }
    }
    return process.execPath;
}

/** Splits each line into lines, buffering a partial last line until the stream ends. */
class LineSplitter {
    private partial = "";
    constructor(private readonly emit: (line: string) => void) {}
    push(chunk: string): void {
        const text = this.partial + chunk;
        const lines = text.split("\n");
        this.partial = lines.pop() ?? "";
        for (const line of lines) this.emitLine(line);
    }
    end(): void {
        if (this.partial) this.emitLine(this.partial);
        this.partial = "";
    }
    private emitLine(line: string): void {
        // runtrace skips lines that are blank once trimmed.
        const text = line.replace(/\r$/, "");
        if (text.trim() !== "") this.emit(text);
    }
}

export class PolicyPackProcess {
    readonly packDir: string;
    readonly pid: number;
    /** Milliseconds from spawn to the port line on stdout. */
    readonly startupMs: number;
    readonly port: number;
    private description?: AnalyzerDescription;
    private plugin = "";
    private readonly child: ChildProcess;
    private readonly client: AnalyzerClient;
    /** Analyze and AnalyzeStack, whose requests are serialized ahead (see unary-bytes.ts). */
    private readonly bytes: UnaryBytesChannel;
    private readonly stderr: Tail;
    private readonly rpcTimeoutMs?: number;
    private closing?: Promise<void>;

    private constructor(packDir: string, child: ChildProcess, port: number, startupMs: number, stderr: Tail, opts: StartOptions) {
        this.packDir = packDir;
        this.child = child;
        this.pid = child.pid!;
        this.port = port;
        this.startupMs = startupMs;
        this.stderr = stderr;
        if (opts.rpcTimeoutMs !== undefined) this.rpcTimeoutMs = opts.rpcTimeoutMs;
        this.client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": maxMessageBytes,
            "grpc.max_send_message_length": maxMessageBytes,
        });
        this.bytes = new UnaryBytesChannel(`127.0.0.1:${port}`, maxMessageBytes);
    }

    /** The pack's GetAnalyzerInfo, as the CLI reads it. */
    get info(): AnalyzerDescription {
        return this.description!;
    }

    /** True once `close` was called (after a failed call, too): further calls are refused. */
    get closed(): boolean {
        return this.closing !== undefined;
    }

    /** GetPluginInfo's version: the @pulumi/policy runtime the pack runs on. */
    get pluginVersion(): string {
        return this.plugin;
    }

    /**
     * Spawns the pack as the Node language host does and reads its port; then, as the CLI does
     * through the policy proxy, ConfigureStack (only when `opts.stack` is given), GetPluginInfo and
     * GetAnalyzerInfo. Handshake is answered by the proxy in the CLI and never reaches the pack.
     */
    static async start(packDir: string, opts: StartOptions = {}): Promise<PolicyPackProcess> {
        // The CLI runs the pack by its absolute directory (LoadLocalPolicyPackAnalyzers: filepath.Abs).
        const dir = path.resolve(packDir);
        const project = marshal.readPolicyProject(dir);
        if (project.runtime.name !== "nodejs") {
            throw new Error(`policy pack at ${dir} has runtime "${project.runtime.name}"; only nodejs packs can be run`);
        }
        let runPolicyPack: string;
        try {
            runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
        } catch {
            // locateModule's message (pulumi-language-nodejs main.go).
            throw new Error(`It looks like the Pulumi SDK has not been installed. Have you run npm install in ${dir}?`);
        }

        const env = packEnvironment(opts, project.runtime);
        const stderr = new Tail();
        const emit = (stream: OutputLine["stream"]) => (text: string) => opts.onOutput?.({ stream, text });
        const stderrLines = new LineSplitter(emit("stderr"));
        const stdoutLines = new LineSplitter(emit("stdout"));
        const started = performance.now();
        // RunPlugin for an analyzer: `node <run-policy-pack> <nodeargs…> <engine address> <absolute pack
        // dir>` in the pack directory. The nodeargs come after the script (unlike for programs), so
        // run-policy-pack's minimist reads them, not node; we keep that order.
        const child = spawn(nodeBinary(env), [runPolicyPack, ...project.runtime.nodeargs, engineAddress, dir], {
            cwd: dir,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        track(child);
        child.stderr!.setEncoding("utf8");
        child.stderr!.on("data", (chunk: string) => {
            stderr.push(chunk);
            stderrLines.push(chunk);
        });
        child.stderr!.once("end", () => stderrLines.end());
        child.stdout!.once("end", () => stdoutLines.end());

        let port: number;
        try {
            port = await readPort(child, opts.startTimeoutMs, (chunk) => stdoutLines.push(chunk));
        } catch (e) {
            await terminate(child, "SIGKILL", killGraceMs);
            await drained(child);
            const what = (e as Error).message;
            throw new PolicyPackStartError(dir, what, stderr.toString(), child.pid);
        }
        const startupMs = performance.now() - started;

        const pack = new PolicyPackProcess(dir, child, port, startupMs, stderr, opts);
        try {
            if (opts.stack !== undefined) await pack.configureStack(opts.stack);
            pack.plugin = (await pack.unary<{ getVersion(): string }>("GetPluginInfo", (o, cb) => pack.client.getPluginInfo(new Empty(), new grpc.Metadata(), o, cb))).getVersion();
            const ai = await pack.unary<pb.AnalyzerInfo>("GetAnalyzerInfo", (o, cb) => pack.client.getAnalyzerInfo(new Empty(), new grpc.Metadata(), o, cb));
            pack.description = marshal.describeAnalyzer(ai, project);
        } catch (e) {
            await pack.close();
            throw e;
        }
        return pack;
    }

    /**
     * Reconciles `config` with the pack's policies (see `reconcileConfig`) and sends Configure with
     * every policy. Returns what was sent.
     */
    configure(config?: PolicyPackConfigFile, opts: { strictKeys?: boolean } = {}): Promise<Record<string, ReconciledPolicyConfig>> {
        return this.guard(async () => {
            const reconciled = reconcileConfig(this.info, config, opts);
            // The CLI skips Configure when there is nothing to send (a pack without policies).
            if (Object.keys(reconciled).length === 0) return reconciled;
            const req = new pb.ConfigureAnalyzerRequest();
            const map = req.getPolicyconfigMap();
            for (const [policy, c] of Object.entries(reconciled)) {
                const pc = new pb.PolicyConfig();
                pc.setEnforcementlevel(marshal.wireEnforcementLevel(c.enforcementLevel));
                // Always a Struct, even empty: the Node server crashes on a PolicyConfig without one.
                pc.setProperties(marshal.propertiesStruct(c.properties, policy));
                map.set(policy, pc);
            }
            await this.unary("Configure", (o, cb) => this.client.configure(req, new grpc.Metadata(), o, cb));
            return reconciled;
        });
    }

    /** Remediate on the resource's inputs: what each policy at level `remediate` would change. */
    remediate(resource: StackResource): Promise<{ remediations: Remediation[]; notApplicable: RunResult["notApplicable"] }> {
        return this.guard(async () => {
            const req = marshal.analyzeRequest(resource);
            const res = await this.unary<pb.RemediateResponse>("Remediate", (o, cb) => this.client.remediate(req, new grpc.Metadata(), o, cb), ` on ${resource.urn}`);
            return {
                remediations: marshal.remediations(res.getRemediationsList(), resource),
                notApplicable: marshal.notApplicable(res.getNotApplicableList(), "analyze", resource.urn),
            };
        });
    }

    /** Analyze on the resource's inputs. */
    analyze(resource: StackResource): Promise<RunResult> {
        return this.guard(async () => {
            const req = marshal.analyzeRequestBytes(resource);
            const res = await this.unary<pb.AnalyzeResponse>("Analyze", (o, cb) => this.sendBytes(AnalyzerService.analyze, req, o, cb), ` on ${resource.urn}`);
            return {
                diagnostics: marshal.diagnostics(res.getDiagnosticsList(), "analyze", this.info, () => resource.urn),
                notApplicable: marshal.notApplicable(res.getNotApplicableList(), "analyze", resource.urn),
            };
        });
    }

    /**
     * AnalyzeStack on every resource's outputs (inputs when none), with parent and dependencies. A
     * violation that names no resource of the stack is attributed to the root stack.
     */
    analyzeStack(resources: StackResource[]): Promise<RunResult> {
        return this.guard(async () => {
            let req: Buffer | undefined = marshal.analyzeStackRequestBytes(resources);
            const res = await this.unary<pb.AnalyzeResponse>("AnalyzeStack", (o, cb) => {
                // gRPC copies the request into its frame at once; ours need not stay for the whole call.
                const bytes = req!;
                req = undefined;
                this.sendBytes(AnalyzerService.analyzeStack, bytes, o, cb);
            });
            return {
                diagnostics: marshal.diagnostics(res.getDiagnosticsList(), "analyzeStack", this.info, marshal.stackViolationAttribution(resources)),
                notApplicable: marshal.notApplicable(res.getNotApplicableList(), "analyzeStack"),
            };
        });
    }

    /** Ends the child: SIGTERM, SIGKILL after a grace period. Resolves once it is gone. Idempotent. */
    close(): Promise<void> {
        this.closing ??= (async () => {
            this.client.close();
            this.bytes.close();
            await terminate(this.child, "SIGTERM", killGraceMs);
            // So that every line the pack wrote reaches onStdout/onStderr before close resolves.
            await drained(this.child);
        })();
        return this.closing;
    }

    private async configureStack(stack: NonNullable<StartOptions["stack"]>): Promise<void> {
        const req = new pb.AnalyzerStackConfigureRequest();
        req.setStack(stack.name ?? "");
        req.setProject(stack.project ?? "");
        req.setOrganization(stack.organization ?? "");
        req.setDryRun(stack.dryRun ?? false);
        for (const [k, v] of Object.entries(stack.tags ?? {})) req.getTagsMap().set(k, v);
        for (const [k, v] of Object.entries(stack.config ?? {})) req.getConfigMap().set(k, v);
        await this.tolerateUnimplemented(this.unary("ConfigureStack", (o, cb) => this.client.configureStack(req, new grpc.Metadata(), o, cb)));
    }

    /** A request already serialized (engine/marshal.ts `…Bytes`), on the method's path. */
    private sendBytes<Res>(
        method: { path: string; responseDeserialize: (bytes: Buffer) => Res },
        request: Buffer,
        options: Partial<CallOptions>,
        cb: (err: ServiceError | null, res: Res) => void,
    ): void {
        const deadline = options.deadline === undefined ? undefined : Number(options.deadline);
        this.bytes.call(method.path, request, deadline, (err, body) => {
            if (err !== null) return cb(err, undefined as Res);
            let res: Res;
            try {
                res = method.responseDeserialize(body!);
            } catch (e) {
                return cb(callError(grpc.status.INTERNAL, `the response cannot be decoded: ${(e as Error).message}`), undefined as Res);
            }
            cb(null, res);
        });
    }

    /** The proxy accepts UNIMPLEMENTED for ConfigureStack (older servers); nothing else. */
    private async tolerateUnimplemented(call: Promise<unknown>): Promise<void> {
        try {
            await call;
        } catch (e) {
            if (!(e instanceof PolicyPackRpcError && e.code === grpc.status.UNIMPLEMENTED)) throw e;
        }
    }

    private unary<Res>(
        rpc: string,
        invoke: (options: Partial<CallOptions>, cb: (err: ServiceError | null, res: Res) => void) => unknown,
        context = "",
    ): Promise<Res> {
        const options = this.rpcTimeoutMs !== undefined ? { deadline: Date.now() + this.rpcTimeoutMs } : {};
        return new Promise((resolve, reject) => {
            invoke(options, (err, res) => {
                if (!err) return resolve(res);
                let where = context;
                if (hasExited(this.child)) {
                    const tail = this.stderr.toString().trimEnd();
                    where += ` (the pack process exited with ${this.child.exitCode ?? this.child.signalCode})${tail ? `\n--- stderr (tail) ---\n${tail}` : ""}`;
                }
                reject(new PolicyPackRpcError(rpc, this.description?.name ?? this.packDir, err, where));
            });
        });
    }

    /** Any failure ends the child before it is reported; a closed process refuses further work. */
    private async guard<T>(work: () => Promise<T>): Promise<T> {
        if (this.closing) throw new Error(`policy pack "${this.info.name}" (pid ${this.pid}) has been closed`);
        try {
            return await work();
        } catch (e) {
            await this.close();
            throw e;
        }
    }
}

/**
 * Resolves with the port from the child's first stdout line (the proxy's `Fscanf("%d\n")`, with no
 * deadline unless `timeoutMs` is given); rejects when anything else comes first. Everything after
 * the port line goes to `onStdout`.
 */
function readPort(child: ChildProcess, timeoutMs: number | undefined, onStdout: (chunk: string) => void): Promise<number> {
    return new Promise((resolve, reject) => {
        let buffered = "";
        let settled = false;
        const timer = timeoutMs !== undefined ? setTimeout(() => fail(`did not print its port within ${timeoutMs} ms`), timeoutMs) : undefined;
        const settle = () => {
            settled = true;
            if (timer) clearTimeout(timer);
            child.off("exit", onExit);
            child.off("error", onError);
        };
        const fail = (what: string) => {
            if (settled) return;
            settle();
            reject(new Error(what));
        };
        const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
            fail(`exited (${code !== null ? `code ${code}` : `signal ${signal}`}) before printing its port`);
        const onError = (err: Error) => fail(`could not be started: ${err.message}`);
        child.once("exit", onExit);
        child.once("error", onError);
        child.stdout!.setEncoding("utf8");
        child.stdout!.on("data", (chunk: string) => {
            if (settled) {
                onStdout(chunk);
                return;
            }
            buffered += chunk;
            const newline = buffered.indexOf("\n");
            if (newline < 0) return;
            const line = buffered.slice(0, newline).trim();
            const rest = buffered.slice(newline + 1);
            if (!/^\d+$/.test(line)) {
                fail(`wrote a non-numeric port to stdout (${JSON.stringify(line.slice(0, 200))})`);
                return;
            }
            settle();
            if (rest) onStdout(rest);
            resolve(Number(line));
        });
    });
}
