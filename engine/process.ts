// A policy pack process driven the way the Pulumi CLI drives it: spawned through
// @pulumi/pulumi/cmd/run-policy-pack, then Handshake, ConfigureStack, GetPluginInfo, GetAnalyzerInfo,
// Configure, Analyze per resource, AnalyzeStack (sdk/go/common/resource/plugin/analyzer_plugin.go,
// pkg/engine/update.go installAndLoadPolicyPlugins).

import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";
import { reconcileConfig } from "./config";
import * as marshal from "./marshal";
import { AnalyzerClient, AnalyzerService, analyzer as pb, CallOptions, Empty, grpc, maxMessageBytes, ServiceError } from "./proto";
import { AnalyzerDescription, PolicyPackConfigFile, ReconciledPolicyConfig, RunResult, StackResource } from "./types";

export interface StartOptions {
    /** What ConfigureStack and the pack's environment say about the stack. */
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
    /** Spawn to port line; default 60 s. */
    startTimeoutMs?: number;
    /** Deadline of each RPC; default none. */
    rpcTimeoutMs?: number;
    onStderr?: (chunk: string) => void;
    /** What the pack prints to stdout after its port line. */
    onStdout?: (chunk: string) => void;
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
const defaultStartTimeoutMs = 60_000;
const killGraceMs = 2_000;
const stderrTailBytes = 16 * 1024;
const asBytes = (b: Buffer) => b;

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

function stackEnv(opts: StartOptions): NodeJS.ProcessEnv {
    const stack = opts.stack ?? {};
    const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
    // constructEnv: PULUMI_CONFIG, then PULUMI_NODEJS_* and PULUMI_* for non-empty values.
    env.PULUMI_CONFIG = JSON.stringify(stack.config ?? {});
    const dryRun = String(stack.dryRun ?? false);
    for (const [suffix, value] of [
        ["ORGANIZATION", stack.organization],
        ["PROJECT", stack.project],
        ["STACK", stack.name],
        ["DRY_RUN", dryRun],
    ] as const) {
        if (value) {
            env[`PULUMI_NODEJS_${suffix}`] = value;
            env[`PULUMI_${suffix}`] = value;
        }
    }
    return env;
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

    /** Spawns the pack, reads its port, then Handshake, ConfigureStack, GetPluginInfo, GetAnalyzerInfo. */
    static async start(packDir: string, opts: StartOptions = {}): Promise<PolicyPackProcess> {
        const dir = path.resolve(packDir);
        const project = marshal.readPolicyProject(dir);
        if (project.runtime !== undefined && project.runtime !== "nodejs") {
            throw new Error(`policy pack at ${dir} has runtime "${project.runtime}"; only nodejs packs can be run`);
        }
        let runPolicyPack: string;
        try {
            runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
        } catch {
            throw new Error(`it looks like the policy pack's dependencies are not installed; try running npm install in "${dir}"`);
        }

        const stderr = new Tail();
        const started = performance.now();
        // The CLI's `pulumi-analyzer-policy` runs `node <run-policy-pack> <engine> .` in the pack directory.
        const child = spawn(process.execPath, [runPolicyPack, engineAddress, "."], {
            cwd: dir,
            env: stackEnv(opts),
            stdio: ["ignore", "pipe", "pipe"],
        });
        track(child);
        child.stderr!.setEncoding("utf8");
        child.stderr!.on("data", (chunk: string) => {
            stderr.push(chunk);
            opts.onStderr?.(chunk);
        });

        let port: number;
        try {
            port = await readPort(child, opts.startTimeoutMs ?? defaultStartTimeoutMs, opts.onStdout);
        } catch (e) {
            await terminate(child, "SIGKILL", killGraceMs);
            await drained(child);
            const what = (e as Error).message;
            throw new PolicyPackStartError(dir, what, stderr.toString(), child.pid);
        }
        const startupMs = performance.now() - started;

        const pack = new PolicyPackProcess(dir, child, port, startupMs, stderr, opts);
        try {
            await pack.handshake();
            await pack.configureStack(opts);
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
    configure(config?: PolicyPackConfigFile): Promise<Record<string, ReconciledPolicyConfig>> {
        return this.guard(async () => {
            const reconciled = reconcileConfig(this.info, config);
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

    /** Analyze on the resource's inputs. */
    analyze(resource: StackResource): Promise<RunResult> {
        return this.guard(async () => {
            const req = marshal.analyzeRequestBytes(resource);
            const res = await this.unary<pb.AnalyzeResponse>("Analyze", (o, cb) => this.sendBytes(AnalyzerService.analyze, req, o, cb), ` on ${resource.urn}`);
            return {
                diagnostics: marshal.diagnostics(res.getDiagnosticsList(), "analyze", this.info, resource.urn),
                notApplicable: marshal.notApplicable(res.getNotApplicableList(), "analyze", resource.urn),
            };
        });
    }

    /** AnalyzeStack on every resource's outputs (inputs when none), with parent and dependencies. */
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
                diagnostics: marshal.diagnostics(res.getDiagnosticsList(), "analyzeStack", this.info),
                notApplicable: marshal.notApplicable(res.getNotApplicableList(), "analyzeStack"),
            };
        });
    }

    /** Ends the child: SIGTERM, SIGKILL after a grace period. Resolves once it is gone. Idempotent. */
    close(): Promise<void> {
        this.closing ??= (async () => {
            this.client.close();
            await terminate(this.child, "SIGTERM", killGraceMs);
        })();
        return this.closing;
    }

    private async handshake(): Promise<void> {
        const req = new pb.AnalyzerHandshakeRequest();
        req.setEngineAddress(engineAddress);
        req.setRootDirectory(this.packDir);
        req.setProgramDirectory(this.packDir);
        await this.tolerateUnimplemented(this.unary("Handshake", (o, cb) => this.client.handshake(req, new grpc.Metadata(), o, cb)));
    }

    private async configureStack(opts: StartOptions): Promise<void> {
        const stack = opts.stack ?? {};
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
        this.client.makeUnaryRequest(method.path, asBytes, method.responseDeserialize, request, new grpc.Metadata(), options, (err, res) => cb(err, res as Res));
    }

    /** The CLI accepts UNIMPLEMENTED for Handshake and ConfigureStack (older servers); nothing else. */
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

/** Resolves with the port from the child's first stdout line; rejects when anything else comes first. */
function readPort(child: ChildProcess, timeoutMs: number, onStdout: ((chunk: string) => void) | undefined): Promise<number> {
    return new Promise((resolve, reject) => {
        let buffered = "";
        let settled = false;
        const timer = setTimeout(() => fail(`did not print its port within ${timeoutMs} ms`), timeoutMs);
        const settle = () => {
            settled = true;
            clearTimeout(timer);
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
                onStdout?.(chunk);
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
            if (rest) onStdout?.(rest);
            resolve(Number(line));
        });
    });
}
