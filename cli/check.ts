// `vpce-guard check`: reads every stack file, then runs each policy pack over each stack through
// the engine module, in the engine's order (one pack process per stack: Configure, Analyze on every
// resource's inputs, AnalyzeStack on the outputs; see engine/run.ts), and writes one report.

import * as fs from "fs";
import * as path from "path";
import {
    PolicyConfigError, readPolicyPackConfigFile, runPolicyPack, type AnalyzerDescription, type PolicyPackConfigFile, type RunProgress, type StartOptions,
} from "../engine";
import { buildAuditReport, stackName, type PackRun, type StackRun } from "../report/audit";
import { formatJsonReport } from "../report/json";
import { formatSarifReport } from "../report/sarif";
import { formatTextReport } from "../report/text";
import { parseCommandLine, usage, UsageError, type CheckOptions } from "./options";
import { parseExemptionRecord } from "../values/exemption-record";
import { decodeStackFile, readStackDocument, stdinFile, type StackDocument, type StackFileError } from "../state/stack-files";

export interface CliEnvironment {
    cwd: string;
    stdout: { write(text: string): unknown };
    stderr: { write(text: string): unknown; isTTY?: boolean };
    readStdin(): Uint8Array;
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
        if (e instanceof CheckError || e instanceof PolicyConfigError) {
            env.stderr.write(`vpce-guard: ${e.message.replace(/\n/g, "\n  ")}\n`);
            return exitCodes.error;
        }
        throw e;
    }
}

async function check(options: CheckOptions, env: CliEnvironment): Promise<number> {
    const packs = packSpecs(options, env.cwd);
    const documents = readDocuments(options.files, env);
    const progress = new Progress(env.stderr);
    const runs: StackRun[] = [];
    try {
        for (const [i, document] of documents.entries()) {
            const label = `${stackName(document)}${documents.length > 1 ? ` (${i + 1}/${documents.length})` : ""}`;
            runs.push({ document, packs: await auditStack(document, packs, (what) => progress.update(`vpce-guard: ${label}: ${what}`)) });
        }
    } finally {
        progress.clear();
    }
    const report = buildAuditReport(toolInfo(), runs);
    const text =
        options.format === "json" ? formatJsonReport(report)
        : options.format === "sarif" ? formatSarifReport(report, { baseDir: env.cwd })
        : formatTextReport(report);
    if (options.output !== undefined) {
        try {
            fs.writeFileSync(path.resolve(env.cwd, options.output), text);
        } catch (e) {
            throw new CheckError(`cannot write the report to ${options.output}: ${(e as Error).message}`);
        }
    } else {
        env.stdout.write(text);
    }
    return report.summary.passed || options.exitZero ? exitCodes.passed : exitCodes.mandatoryViolations;
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
    for (const file of files) {
        let bytes: Uint8Array;
        try {
            bytes = file === "-" ? env.readStdin() : fs.readFileSync(path.resolve(env.cwd, file));
        } catch (e) {
            const err = e as NodeJS.ErrnoException;
            errors.push({ file, message: err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "is a directory, not a file" : `cannot read it (${err.message})` });
            continue;
        }
        const result = readStackDocument(decodeStackFile(bytes), file === "-" ? stdinFile : file);
        if (result.ok) documents.push(result.document);
        else errors.push(result.error);
    }
    if (errors.length > 0) {
        throw new CheckError(errors.map((e) => `${e.file}${e.line !== undefined ? `:${e.line}:${e.column}` : ""}: ${e.message}`).join("\n"));
    }
    return documents;
}

async function auditStack(document: StackDocument, packs: readonly PackSpec[], progress: (what: string) => void): Promise<PackRun[]> {
    const runs: PackRun[] = [];
    for (const spec of packs) {
        const stack: NonNullable<StartOptions["stack"]> = { dryRun: document.dryRun, config: document.config };
        if (document.stack !== undefined) stack.name = document.stack;
        if (document.project !== undefined) stack.project = document.project;
        // The pack's description once it started, so that a failure is told as the user's problem it is.
        let info: AnalyzerDescription | undefined;
        const onProgress = (p: RunProgress) => {
            if (p.step === "start") progress(`starting policy pack ${path.basename(spec.directory)}`);
            else if (p.step === "configure") info = p.info;
            else if (p.step === "analyze") progress(`Analyze ${p.index + 1}/${p.total}`);
            else progress(`AnalyzeStack on ${p.total} resources`);
        };
        try {
            const result = await runPolicyPack(spec.directory, document.resources, { stack, config: spec.config, strictConfigKeys: true, remediations: "report", onProgress });
            const exemptions = result.output.map(parseExemptionRecord).filter((e) => e !== undefined);
            const run: PackRun = { info: result.info, directory: spec.label, configured: result.configured, diagnostics: result.diagnostics, notApplicable: result.notApplicable, exemptions, remediations: result.remediations };
            if (spec.configFile !== undefined) run.configFile = spec.configFile;
            runs.push(run);
        } catch (e) {
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

/** One status line on stderr, only when it is a terminal and the run has taken more than a second. */
class Progress {
    private readonly started = Date.now();
    private lastWrite = 0;
    private shown = false;

    constructor(private readonly stream: CliEnvironment["stderr"]) {}

    update(text: string): void {
        if (!this.stream.isTTY) return;
        const now = Date.now();
        if (now - this.started < 1000 || now - this.lastWrite < 100) return;
        this.lastWrite = now;
        this.shown = true;
        this.stream.write(`\r\x1b[2K${text}`);
    }

    clear(): void {
        if (this.shown) this.stream.write("\r\x1b[2K");
        this.shown = false;
    }
}
