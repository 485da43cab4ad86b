// The command line of `vpce-guard`: what `check` accepts, parsed with node:util's parseArgs. Pure.

import { parseArgs } from "util";

export const reportFormats = ["text", "json", "sarif"] as const;
export type ReportFormat = (typeof reportFormats)[number];

export interface CheckOptions {
    files: string[];
    /** `--policy-pack` directories in order; empty means the bundled pack. */
    policyPacks: string[];
    /** `--policy-pack-config` files, one per pack in the same order (or none). */
    policyPackConfigs: string[];
    format: ReportFormat;
    output?: string;
    exitZero: boolean;
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
state) or \`pulumi preview --json\` (planned state), told apart by content; "-" reads stdin.
Each file is one stack, analysed by its own policy pack process.

Options:
  --policy-pack <dir>          Policy pack directory to run (repeatable). Default: the bundled
                               vpce-guard pack.
  --policy-pack-config <file>  Config for the corresponding --policy-pack, as for
                               \`pulumi preview --policy-pack-config\` (repeatable: none, or one
                               per pack in the same order), e.g. config/advisory.json.
  --format <text|json|sarif>   Report format. Default: text.
  --output <file>              Write the report to <file> instead of stdout.
  --exit-zero                  Exit 0 even when a mandatory policy is violated.
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
    if (!(reportFormats as readonly string[]).includes(format)) {
        throw new UsageError(`--format must be one of ${reportFormats.join(", ")} (got "${format}")`);
    }
    const policyPacks = values["policy-pack"] ?? [];
    const policyPackConfigs = values["policy-pack-config"] ?? [];
    const packCount = Math.max(policyPacks.length, 1);
    if (policyPackConfigs.length > 0 && policyPackConfigs.length !== packCount) {
        throw new UsageError(
            `the number of --policy-pack-config files (${policyPackConfigs.length}) must match the number of policy packs (${packCount}${policyPacks.length === 0 ? ": the bundled one" : ""})`,
        );
    }
    const options: CheckOptions = {
        files,
        policyPacks,
        policyPackConfigs,
        format: format as ReportFormat,
        exitZero: values["exit-zero"] ?? false,
    };
    if (values.output !== undefined) options.output = values.output;
    return { command: "check", options };
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
            output: { type: "string" },
            "exit-zero": { type: "boolean" },
            help: { type: "boolean", short: "h" },
            version: { type: "boolean", short: "v" },
        },
    });
}
