// `vpce-guard check`: reads every stack file, then runs each policy pack over each stack through
// the engine module, in the engine's order (one pack process per stack: Configure, Analyze on every
// resource's inputs, AnalyzeStack on the outputs; see engine/run.ts), and writes one report.

import * as fs from "fs";
import * as path from "path";
import * as v8 from "v8";
import * as vm from "vm";
import {
    configWarnings, PolicyConfigError, readPolicyPackConfigFile, runPolicyPack, type AnalyzerDescription, type OutputLine, type PolicyPackConfigFile, type RunProgress, type StartOptions,
} from "../engine";
import { buildAuditReport, stackName, type AuditReport, type PackRun, type StackRun } from "../report/audit";
import { BaselineError, formatBaseline, readBaselineFile } from "../report/baseline";
import { formatGithubReport } from "../report/github";
import { formatJsonReport } from "../report/json";
import { formatJunitReport } from "../report/junit";
import { formatSarifReport } from "../report/sarif";
import { formatTextReport } from "../report/text";
import { parseCommandLine, usage, UsageError, type CheckOptions, type ReportFormat } from "./options";
import { PassphraseError, passphraseFromEnvironment } from "../state/passphrase";
import { parseExemptionRecord } from "../values/exemption-record";
import { decodeStackFile, readStackDocument, stdinFile, type ReadOptions, type StackDocument, type StackFileError } from "../state/stack-files";

export interface CliEnvironment {
    cwd: string;
    stdout: { write(text: string): unknown; isTTY?: boolean };
    stderr: { write(text: string): unknown; isTTY?: boolean };
    readStdin(): Uint8Array;
    /** Environment variables the CLI reads (NO_COLOR, GITHUB_ACTIONS, PULUMI_CONFIG_PASSPHRASE(_FILE)); default `process.env` for the passphrase. */
    env?: NodeJS.ProcessEnv;
}

export const exitCodes = { passed: 0, mandatoryViolations: 1, error: 2 } as const;

/** A problem the user can fix (a file, a config, a pack); reported as its message alone. */
export class CheckError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CheckError";
    }
}

interface PackSpec {
    directory: string;
    /** As given on the command line, for messages and the report. */
    label: string;
    configFile?: string;
    config?: PolicyPackConfigFile;
}

/** Runs the command line; resolves with the exit code. Throws only on a bug. */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
    try {
        const command = parseCommandLine(argv);
        if (command.command === "help") {
            env.stdout.write(usage);
            return exitCodes.passed;
        }
        if (command.command === "version") {
            env.stdout.write(`${toolInfo().version}\n`);
            return exitCodes.passed;
        }
        return await check(command.options, env);
    } catch (e) {
        if (e instanceof UsageError) {
            env.stderr.write(`vpce-guard: ${e.message}\nRun \`vpce-guard check --help\` for usage.\n`);
            return exitCodes.error;
        }
        if (e instanceof CheckError || e instanceof PolicyConfigError || e instanceof BaselineError) {
            env.stderr.write(`vpce-guard: ${e.message.replace(/\n/g, "\n  ")}\n`);
            return exitCodes.error;
        }
        throw e;
    }
}

async function check(options: CheckOptions, env: CliEnvironment): Promise<number> {
    const packs = packSpecs(options, env.cwd);
    const baseline = options.baseline !== undefined ? readBaselineFile(path.resolve(env.cwd, options.baseline), options.baseline) : undefined;
    const documents = readDocuments(options.files, env);
    collectGarbageAfterReading(documents);
    const progress = options.quiet ? undefined : new Progress(env.stderr);
    let runs: StackRun[];
    try {
        runs = await inPool(documents, options.jobs, async (document, i) => {
            const label = `${stackName(document)}${documents.length > 1 ? ` (${i + 1}/${documents.length})` : ""}`;
            return { document, packs: await auditStack(document, packs, (what, phase) => progress?.update(`vpce-guard: ${label}: ${what}`, phase), options, env) };
        });
    } finally {
        progress?.clear();
    }
    const report = buildAuditReport(toolInfo(), runs, {
        ...(options.sourceRoot !== undefined ? { sourceRoot: options.sourceRoot } : {}),
        selectPolicy: policySelection(options.policies, options.skipPolicies),
        ...(baseline !== undefined ? { baseline } : {}),
    });
    if (options.writeBaseline !== undefined) {
        writeFile(env.cwd, options.writeBaseline, formatBaseline(report), "the baseline");
    }
    const environment = env.env ?? {};
    const color = options.color === "always" || (options.color === "auto" && env.stdout.isTTY === true && !environment.NO_COLOR);
    for (const target of options.reports) {
        const text = render(report, target.format, { baseDir: env.cwd, quiet: options.quiet, color: target.file === undefined && color });
        if (target.file !== undefined) writeFile(env.cwd, target.file, text, `the ${target.format} report`);
        else env.stdout.write(text);
    }
    // In GitHub Actions the findings also become annotations on the program's lines.
    if (environment.GITHUB_ACTIONS === "true" && !options.reports.some((t) => t.format === "github")) {
        env.stdout.write(formatGithubReport(report));
    }
    return report.summary.passed || options.exitZero ? exitCodes.passed : exitCodes.mandatoryViolations;
}

function render(report: AuditReport, format: ReportFormat, opts: { baseDir: string; quiet: boolean; color: boolean }): string {
    switch (format) {
        case "json": return formatJsonReport(report);
        case "sarif": return formatSarifReport(report, { baseDir: opts.baseDir });
        case "junit": return formatJunitReport(report);
        case "github": return formatGithubReport(report);
        default: return formatTextReport(report, { quiet: opts.quiet, color: opts.color });
    }
}

function writeFile(cwd: string, file: string, text: string, what: string): void {
    try {
        fs.writeFileSync(path.resolve(cwd, file), text);
    } catch (e) {
        throw new CheckError(`cannot write ${what} to ${file}: ${(e as Error).message}`);
    }
}

/** `--policy` / `--skip-policy` patterns as one predicate over policy names (`*` matches any run). */
function policySelection(include: readonly string[], exclude: readonly string[]): ((policy: string) => boolean) | undefined {
    if (include.length === 0 && exclude.length === 0) return undefined;
    const toRegExp = (p: string) => new RegExp(`^${p.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    const inc = include.map(toRegExp);
    const exc = exclude.map(toRegExp);
    return (policy) => (inc.length === 0 || inc.some((r) => r.test(policy))) && !exc.some((r) => r.test(policy));
}

/** Runs `work` over `items` with at most `limit` at once; results in the items' order. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
        while (!failed && next < items.length) {
            const i = next++;
            try {
                results[i] = await work(items[i], i);
            } catch (e) {
                failed = true;
                throw e;
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

/** The packs in command-line order with their config files read; the bundled pack when none given. */
function packSpecs(options: CheckOptions, cwd: string): PackSpec[] {
    const given = options.policyPacks.length > 0
        ? options.policyPacks.map((p) => ({ directory: path.resolve(cwd, p), label: p }))
        : [{ directory: packageRoot(), label: packageRoot() }];
    return given.map((spec, i) => {
        const configFile = options.policyPackConfigs[i];
        if (configFile === undefined) return spec;
        // readPolicyPackConfigFile names the file it is given, and the line and column of a JSON error.
        const readable = cwd === process.cwd() ? configFile : path.resolve(cwd, configFile);
        return { ...spec, configFile, config: readPolicyPackConfigFile(readable) };
    });
}

/** Every file read and checked before any pack starts: one bad file fails the run with all problems listed. */
function readDocuments(files: readonly string[], env: CliEnvironment): StackDocument[] {
    const documents: StackDocument[] = [];
    const errors: StackFileError[] = [];
    const readOptions: ReadOptions = {};
    try {
        const passphrase = passphraseFromEnvironment(env.env ?? process.env, env.cwd);
        if (passphrase !== undefined) readOptions.passphrase = passphrase;
    } catch (e) {
        if (e instanceof PassphraseError) throw new CheckError(e.message);
        throw e;
    }
    for (const file of files) {
        let text: string;
        try {
            text = file === "-" ? decodeStackFile(env.readStdin()) : readText(path.resolve(env.cwd, file));
        } catch (e) {
            const err = e as NodeJS.ErrnoException;
            errors.push({ file, message: err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "is a directory, not a file" : `cannot read it (${err.message})` });
            continue;
        }
        const result = readStackDocument(text, file === "-" ? stdinFile : file, readOptions);
        if (result.ok) documents.push(result.document);
        else errors.push(result.error);
    }
    if (errors.length > 0) {
        throw new CheckError(errors.map((e) => `${e.file}${e.line !== undefined ? `:${e.line}:${e.column}` : ""}: ${e.message}`).join("\n"));
    }
    return documents;
}

/** Stacks of more resources than this are followed by one full garbage collection once read. */
const largeStackResources = 10_000;

/**
 * The text of a large export (300 MB for 50,000 resources) is garbage once its document is read,
 * but V8 keeps it until its next full collection, which comes only after the Analyze calls have
 * piled more on top: the CLI's peak memory. One collection here ends it (~0.3 s at 50,000
 * resources). V8's own `gc`, reached as jest-leak-detector reaches it; skipped if unavailable.
 */
function collectGarbageAfterReading(documents: readonly StackDocument[]): void {
    if (documents.reduce((n, d) => n + d.resources.length, 0) <= largeStackResources) return;
    try {
        v8.setFlagsFromString("--expose-gc");
        (vm.runInNewContext("gc") as () => void)();
    } catch {
        // Only memory is at stake.
    }
}

/**
 * A file's text as `decodeStackFile` reads it. UTF-8 (nearly every file) is read straight into a
 * string: a 300 MB buffer of the file's bytes would stay in memory until a full garbage collection.
 */
function readText(file: string): string {
    const head = Buffer.alloc(2);
    const fd = fs.openSync(file, "r");
    try {
        fs.readSync(fd, head, 0, 2, 0);
    } finally {
        fs.closeSync(fd);
    }
    // UTF-16 byte-order marks.
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return decodeStackFile(fs.readFileSync(file));
    const text = fs.readFileSync(file, "utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * How the CLI would run a pack over this document: a preview as \`pulumi preview\` does (ConfigureStack
 * with the stack, its config and dryRun, so the pack's environment has them); an export as
 * \`pulumi policy analyze --file\` does (no ConfigureStack: the pack is told nothing of the stack).
 */
function stackOptions(document: StackDocument): StartOptions["stack"] {
    if (document.kind !== "preview") return undefined;
    const stack: NonNullable<StartOptions["stack"]> = { dryRun: true, config: document.config };
    if (document.stack !== undefined) stack.name = document.stack;
    if (document.project !== undefined) stack.project = document.project;
    return stack;
}

async function auditStack(
    document: StackDocument, packs: readonly PackSpec[], progress: (what: string, phase: string) => void, options: CheckOptions, env: CliEnvironment,
): Promise<PackRun[]> {
    const runs: PackRun[] = [];
    for (const spec of packs) {
        const stack = stackOptions(document);
        // The pack's description once it started, so that a failure is told as the user's problem it is.
        let info: AnalyzerDescription | undefined;
        const onProgress = (p: RunProgress) => {
            if (p.step === "start") progress(`starting policy pack ${path.basename(spec.directory)}`, "start");
            else if (p.step === "configure") info = p.info;
            else if (p.step === "analyze") progress(`Analyze ${p.index + 1}/${p.total}`, "analyze");
            else progress(`AnalyzeStack on ${p.total} resources`, "analyzeStack");
        };
        // The pack's own lines, as the CLI shows them (info; stderr as info#err): with --verbose as they
        // come, and always when the pack fails.
        const output: OutputLine[] = [];
        const onOutput = (line: OutputLine) => {
            output.push(line);
            if (output.length > outputLinesKept) output.shift();
            if (options.verbose) env.stderr.write(`${outputLine(spec, line)}\n`);
        };
        try {
            const result = await runPolicyPack(spec.directory, document.resources, {
                ...(stack ? { stack } : {}), config: spec.config, strictConfigKeys: true, remediations: "report", onProgress, onOutput,
            });
            for (const warning of configWarnings(result.info, spec.config)) {
                env.stderr.write(`vpce-guard: warning: ${spec.configFile ?? spec.label}: ${warning}\n`);
            }
            const exemptions = result.output.map(parseExemptionRecord).filter((e) => e !== undefined);
            const run: PackRun = { info: result.info, directory: spec.label, configured: result.configured, diagnostics: result.diagnostics, notApplicable: result.notApplicable, exemptions, remediations: result.remediations };
            if (spec.configFile !== undefined) run.configFile = spec.configFile;
            runs.push(run);
        } catch (e) {
            if (!options.verbose) for (const line of output) env.stderr.write(`${outputLine(spec, line)}\n`);
            if (info === undefined) throw new CheckError(`cannot run policy pack ${spec.label}: ${(e as Error).message}`);
            // Only Configure refuses a config.
            if (e instanceof PolicyConfigError) {
                const source = spec.configFile !== undefined ? `invalid policy pack config ${spec.configFile}` : `policy pack ${info.name} has an invalid config`;
                throw new CheckError(`${source}:\n${e.problems.join("\n")}`);
            }
            throw new CheckError(`policy pack ${info.name} failed on ${stackName(document)} (${document.file}): ${(e as Error).message}`);
        }
    }
    return runs;
}

/** The last lines of a pack's output kept to show when it fails. */
const outputLinesKept = 200;

function outputLine(spec: PackSpec, line: OutputLine): string {
    return `vpce-guard: ${path.basename(spec.directory)}: ${line.stream === "stderr" ? "info#err" : "info"}: ${line.text}`;
}

/** The vpce-guard package directory (the bundled pack): where its package.json is, above this file. */
function packageRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "PulumiPolicy.yaml")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`the vpce-guard package directory was not found above ${__dirname}`);
    }
}

let tool: { name: string; version: string } | undefined;

function toolInfo(): { name: string; version: string } {
    if (!tool) {
        const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { name: string; version: string };
        tool = { name: pkg.name, version: pkg.version };
    }
    return tool;
}

/**
 * Progress on stderr. On a terminal: one live line, redrawn at most every 100 ms, and at once when
 * the phase changes (so AnalyzeStack always shows). Elsewhere (CI logs): a line when a phase has
 * run for 10 s since the last line, so a long run is never silent.
 */
export class Progress {
    private readonly started: number;
    private lastWrite = 0;
    private shown = false;
    private phase = "";
    private text = "";
    private timer?: NodeJS.Timeout;

    constructor(
        private readonly stream: CliEnvironment["stderr"],
        private readonly now: () => number = Date.now,
        private readonly intervalMs = 10_000,
    ) {
        this.started = now();
    }

    update(text: string, phase: string): void {
        const now = this.now();
        const newPhase = phase !== this.phase;
        this.phase = phase;
        this.text = text;
        if (!this.stream.isTTY) {
            this.timer ??= setInterval(() => this.stream.write(`${this.text} (${Math.round((this.now() - this.started) / 1000)} s)\n`), this.intervalMs).unref();
            return;
        }
        if (now - this.started < 1000 && !this.shown) {
            // Shown once the run has taken a second, even if no further update comes.
            this.timer ??= setTimeout(() => this.draw(this.text), 1000 - (now - this.started)).unref();
            return;
        }
        if (!newPhase && now - this.lastWrite < 100) return;
        this.draw(text);
    }

    private draw(text: string): void {
        this.lastWrite = this.now();
        this.shown = true;
        this.stream.write(`\r\x1b[2K${text}`);
    }

    clear(): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        if (this.shown) this.stream.write("\r\x1b[2K");
        this.shown = false;
    }
}
