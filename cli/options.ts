// The command line of `vpce-guard`: what `check` accepts, parsed with node:util's parseArgs. Pure.

import * as os from "os";
import { parseArgs } from "util";

export const reportFormats = ["text", "json", "sarif", "junit", "github"] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** One report a run writes: to a file, or to stdout when `file` is absent. */
export interface ReportTarget {
    format: ReportFormat;
    file?: string;
}

export interface CheckOptions {
    files: string[];
    /** `--policy-pack` directories in order; empty means the bundled pack. */
    policyPacks: string[];
    /** `--policy-pack-config` files, one per pack in the same order (or none). */
    policyPackConfigs: string[];
    /** Every report the run writes; exactly one of them goes to stdout unless `--quiet` with files only. */
    reports: ReportTarget[];
    exitZero: boolean;
    /** Only findings and the summary; no progress, no notes. */
    quiet: boolean;
    /** Colour in the text report (on a terminal unless NO_COLOR or --no-color). */
    color: "auto" | "never" | "always";
    /** `--policy` patterns (`*` wildcards): only these policies are reported; empty = all. */
    policies: string[];
    /** `--skip-policy` patterns: these policies are not reported. */
    skipPolicies: string[];
    baseline?: string;
    writeBaseline?: string;
    /** Where the Pulumi project directory is, relative to the repository (for program locations). */
    sourceRoot?: string;
    /** Stack files analysed at once (one pack process each). */
    jobs: number;
    /** Show the packs' own output (what the CLI shows as info diagnostics). */
    verbose: boolean;
}

export type Command = { command: "help" } | { command: "version" } | { command: "check"; options: CheckOptions };

/** A command line the tool cannot run; the message says what to change. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export const usage = `Usage: vpce-guard check [options] <file>...

Audits Pulumi stacks offline with a CrossGuard policy pack, as the Pulumi engine runs it
(Analyze on every resource's inputs, then AnalyzeStack on the outputs), without the Pulumi CLI,
the program or cloud credentials. Each <file> is the output of \`pulumi stack export\` (deployed
state, judged as \`pulumi policy analyze --file\` judges it) or \`pulumi preview --json\`
(planned state, judged as \`pulumi preview\` runs the pack), told apart by content; "-" reads
stdin. Each file is one stack, analysed by its own policy pack process. An export's secrets are
decrypted with PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) when its stack uses
the passphrase secrets provider; otherwise they are judged as the string "[secret]".

Options:
  --policy-pack <dir>          Policy pack directory to run (repeatable). Default: the bundled
                               vpce-guard pack.
  --policy-pack-config <file>  Config for the corresponding --policy-pack, as for
                               \`pulumi preview --policy-pack-config\` (repeatable: none, or one
                               per pack in the same order), e.g. config/advisory.json.
  --format <format>            Report format on stdout: text, json, sarif, junit or github
                               (GitHub Actions workflow commands). Default: text.
  --output <format>=<file>     Also write a report in <format> to <file> (repeatable), e.g.
                               --output sarif=out.sarif --output junit=out.xml. The text report
                               still goes to stdout. A bare --output <file> writes the --format
                               report there instead of stdout (stdout then gets the text report).
  --policy <pattern>           Report only policies matching <pattern> (\`*\` wildcards; repeatable).
  --skip-policy <pattern>      Do not report policies matching <pattern> (repeatable).
  --baseline <file>            Report only findings that are not in <file> (written by
                               --write-baseline); matched by policy, resource URN and fingerprint.
  --write-baseline <file>      Write every finding of this run to <file> as a baseline.
  --source-root <dir>          Where the Pulumi project directory is, relative to the repository
                               root (program locations in reports are prefixed with it). Default: .
  --jobs <n>                   Stack files analysed in parallel. Default: the number of cores.
  -q, --quiet                  Only findings and the summary: no progress, no notes.
  --no-color                   No colour (also with the NO_COLOR environment variable).
  --color                      Colour even when stdout is not a terminal.
  --exit-zero                  Exit 0 even when a mandatory policy is violated.
  --verbose                    Show what the packs print (stdout and stderr), as the Pulumi CLI
                               shows it; always shown when a pack fails.
  -h, --help                   Show this help.
  -v, --version                Show the version.

Exit status:
  0  no mandatory violation
  1  at least one mandatory violation
  2  unreadable or malformed input, invalid config, or a policy pack that failed
`;

export function parseCommandLine(argv: readonly string[]): Command {
    let parsed: ReturnType<typeof parse>;
    try {
        parsed = parse(argv);
    } catch (e) {
        throw new UsageError(`${(e as Error).message.split(". To specify a positional")[0]}`);
    }
    const { values, positionals } = parsed;
    if (values.help) return { command: "help" };
    if (values.version) return { command: "version" };
    const [command, ...files] = positionals;
    if (command === undefined) return { command: "help" };
    if (command === "help") return { command: "help" };
    if (command !== "check") throw new UsageError(`unknown command "${command}"; the command is \`check\``);
    if (files.length === 0) throw new UsageError("no file given: name at least one `pulumi stack export` or `pulumi preview --json` file");
    if (files.filter((f) => f === "-").length > 1) throw new UsageError("stdin (-) can be read only once");

    const format = values.format ?? "text";
    if (!isFormat(format)) {
        throw new UsageError(`--format must be one of ${reportFormats.join(", ")} (got "${format}")`);
    }
    const reports = reportTargets(format, values.output ?? [], values.format !== undefined);
    const policyPacks = values["policy-pack"] ?? [];
    const policyPackConfigs = values["policy-pack-config"] ?? [];
    const packCount = Math.max(policyPacks.length, 1);
    if (policyPackConfigs.length > 0 && policyPackConfigs.length !== packCount) {
        throw new UsageError(
            `the number of --policy-pack-config files (${policyPackConfigs.length}) must match the number of policy packs (${packCount}${policyPacks.length === 0 ? ": the bundled one" : ""})`,
        );
    }
    const jobs = values.jobs === undefined ? os.availableParallelism() : Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a whole number of at least 1 (got "${values.jobs}")`);
    const options: CheckOptions = {
        files,
        policyPacks,
        policyPackConfigs,
        reports,
        exitZero: values["exit-zero"] ?? false,
        quiet: values.quiet ?? false,
        color: values["no-color"] ? "never" : values.color ? "always" : "auto",
        policies: values.policy ?? [],
        skipPolicies: values["skip-policy"] ?? [],
        jobs,
        verbose: values.verbose ?? false,
    };
    if (values.baseline !== undefined) options.baseline = values.baseline;
    if (values["write-baseline"] !== undefined) options.writeBaseline = values["write-baseline"];
    if (values["source-root"] !== undefined) options.sourceRoot = values["source-root"];
    return { command: "check", options };
}

function isFormat(f: string): f is ReportFormat {
    return (reportFormats as readonly string[]).includes(f);
}

/**
 * The reports to write. `--output fmt=file` adds a file; a bare `--output file` (the older form)
 * sends the `--format` report to that file. Stdout gets the `--format` report unless a bare
 * `--output` took it, and then the text report, so that a CI log is never empty.
 */
function reportTargets(format: ReportFormat, outputs: readonly string[], formatGiven: boolean): ReportTarget[] {
    const files: ReportTarget[] = [];
    let stdoutFormat: ReportFormat = format;
    for (const output of outputs) {
        const eq = output.indexOf("=");
        const prefix = eq > 0 ? output.slice(0, eq) : undefined;
        if (prefix !== undefined && isFormat(prefix)) {
            const file = output.slice(eq + 1);
            if (file === "") throw new UsageError(`--output ${output}: no file after "="`);
            files.push({ format: prefix, file });
        } else if (prefix !== undefined && /^[a-z]+$/.test(prefix) && !output.includes("/") && !output.includes("\\")) {
            throw new UsageError(`--output ${output}: unknown format "${prefix}"; one of ${reportFormats.join(", ")}`);
        } else {
            files.push({ format, file: output });
            if (stdoutFormat === format && formatGiven) stdoutFormat = "text";
            else if (!formatGiven) stdoutFormat = "text";
        }
    }
    const seen = new Set<string>();
    for (const t of files) {
        if (seen.has(t.file!)) throw new UsageError(`--output names ${t.file} twice`);
        seen.add(t.file!);
    }
    return [{ format: stdoutFormat }, ...files];
}

function parse(argv: readonly string[]) {
    return parseArgs({
        args: [...argv],
        allowPositionals: true,
        strict: true,
        options: {
            "policy-pack": { type: "string", multiple: true },
            "policy-pack-config": { type: "string", multiple: true },
            format: { type: "string" },
            output: { type: "string", multiple: true },
            policy: { type: "string", multiple: true },
            "skip-policy": { type: "string", multiple: true },
            baseline: { type: "string" },
            "write-baseline": { type: "string" },
            "source-root": { type: "string" },
            jobs: { type: "string" },
            quiet: { type: "boolean", short: "q" },
            "no-color": { type: "boolean" },
            color: { type: "boolean" },
            "exit-zero": { type: "boolean" },
            verbose: { type: "boolean" },
            help: { type: "boolean", short: "h" },
            version: { type: "boolean", short: "v" },
        },
    });
}
