// The policy pages (docs/policies/<name>.md) as data for their tests: the page's fenced blocks by
// role, its tables, and its example programs run for real — each TypeScript fragment is compiled
// and executed against stand-ins for @pulumi/aws and @pulumi/pulumi that record every resource it
// creates into the one stack builder (stacks.ts), so what the test sends the engine is exactly
// what the page shows. Type-checking the same fragments against the real packages is
// `typeCheckFragments`.
//
// A page (any existing one is the template) is plain Markdown that the test reads through:
// - the title line "# `<policy>`" and the table rows "| Default enforcement level | `<level>` |"
//   and "| Severity | `<severity>` |";
// - one ```ts example=non-compliant and one ```ts example=compliant block: whole programs that
//   import only @pulumi/aws, @pulumi/aws-native and @pulumi/pulumi and create resources with
//   `new aws.<module>.<Resource>(name, args)`; outputs (`vpc.id`, `s3.prefixListId`) are followed
//   as the engine follows them; objects holding outputs go through pulumi.jsonStringify;
// - one ```text violations block: per line "<resource name>: <message>", the policy's messages
//   on the non-compliant program previewed as a new stack, in order;
// - ```json policy-pack-config blocks (at least one): config examples the engine must accept; the
//   one also tagged run-examples is the config both examples run with;
// - config rows "| `<property>` | `<JSON default>` | <description> |" for every property of the
//   policy's config schema (the exemption properties included).

import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ref, Stack, type Res } from "./stacks";
import { repoRoot } from "./paths";

export const pagesDir = path.join(repoRoot, "docs", "policies");

/** A fenced code block: its info string split into words (`ts example=compliant` → ["ts", "example=compliant"]). */
export interface Block {
    words: string[];
    code: string;
    /** 1-based line of the opening fence. */
    line: number;
}

export interface Page {
    name: string;
    file: string;
    text: string;
    blocks: Block[];
    /** Every row of every table, as trimmed cells (code spans kept as written). */
    rows: string[][];
}

export function pageNames(): string[] {
    return fs.readdirSync(pagesDir).filter((f) => f.endsWith(".md")).map((f) => f.slice(0, -3)).sort();
}

export function readPage(name: string): Page {
    const file = path.join(pagesDir, `${name}.md`);
    const text = fs.readFileSync(file, "utf8");
    const lines = text.split("\n");
    const blocks: Block[] = [];
    const rows: string[][] = [];
    for (let i = 0; i < lines.length; i++) {
        const open = /^(`{3,})(.*)$/.exec(lines[i]);
        if (open) {
            const fence = open[1];
            const start = i;
            const body: string[] = [];
            for (i++; i < lines.length && !lines[i].startsWith(fence); i++) body.push(lines[i]);
            if (i === lines.length) throw new Error(`${file}:${start + 1}: unclosed code block`);
            blocks.push({ words: open[2].trim().split(/\s+/).filter(Boolean), code: body.join("\n"), line: start + 1 });
            continue;
        }
        if (/^\|.*\|\s*$/.test(lines[i]) && !/^\|[\s:|-]+\|\s*$/.test(lines[i])) {
            rows.push(splitRow(lines[i]));
        }
    }
    return { name, file, text, blocks, rows };
}

// Splits a table row on `|` outside code spans (a `|` inside backticks is part of the cell).
function splitRow(line: string): string[] {
    const cells: string[] = [];
    let cell = "";
    let inCode = false;
    for (const ch of line.trim().slice(1, -1)) {
        if (ch === "`") inCode = !inCode;
        if (ch === "|" && !inCode) {
            cells.push(cell.trim());
            cell = "";
        } else {
            cell += ch;
        }
    }
    cells.push(cell.trim());
    return cells;
}

/** The blocks whose info string has all of `words`. */
export function blocksWith(page: Page, ...words: string[]): Block[] {
    return page.blocks.filter((b) => words.every((w) => b.words.includes(w)));
}

/** The one block with all of `words`; throws naming the page when there is not exactly one. */
export function oneBlock(page: Page, ...words: string[]): Block {
    const found = blocksWith(page, ...words);
    if (found.length !== 1) throw new Error(`${page.file}: expected one \`\`\`${words.join(" ")} block, found ${found.length}`);
    return found[0];
}

/** The cells after the row label `label` in the page's tables (first column compared without backticks). */
export function rowOf(page: Page, label: string): string[] | undefined {
    return page.rows.find((r) => r[0].replace(/`/g, "") === label)?.slice(1);
}

// ---- Running an example fragment ----

const outputError = (what: string) => new Error(
    `${what}: an Output cannot be turned into JSON with JSON.stringify; use pulumi.jsonStringify, as a real Pulumi program must`,
);

/** A resource's output as the stand-in SDK hands it out: a stack-builder ref that refuses JSON.stringify. */
function output(res: Res, name: string) {
    const r = name === "id" ? ref(res) : ref(res, name);
    Object.defineProperty(r, "toJSON", { value: () => { throw outputError(`${res.name}.${name}`); } });
    return r;
}

/** `aws.ec2.VpcEndpoint` → `aws:ec2/vpcEndpoint:VpcEndpoint`; `awsnative.ec2.VpcEndpoint` → `aws-native:ec2:VpcEndpoint`. */
function typeToken(provider: "aws" | "aws-native", module: string, kind: string): string {
    return provider === "aws" ? `aws:${module}/${kind[0].toLowerCase()}${kind.slice(1)}:${kind}` : `aws-native:${module}:${kind}`;
}

function providerModule(stack: Stack, provider: "aws" | "aws-native"): unknown {
    return new Proxy({}, {
        get: (_, module) => new Proxy({}, {
            get: (__, kind) => {
                if (typeof module !== "string" || typeof kind !== "string" || !/^[A-Z]/.test(kind)) {
                    throw new Error(`docs examples may only create resources (new ${provider}.<module>.<Resource>); ${String(module)}.${String(kind)} is not supported by the test's stand-in SDK`);
                }
                return function Resource(this: unknown, name: string, args: Record<string, unknown> = {}) {
                    if (!new.target) throw new Error(`${kind} must be created with new`);
                    const res = stack.add(typeToken(provider, module, kind), name, args);
                    return new Proxy({}, { get: (___, prop) => (typeof prop === "string" ? output(res, prop) : undefined) });
                };
            },
        }),
    });
}

const pulumiStandIn = {
    // The stack builder sends an object given as `policy` as its JSON text, wholly unknown in preview
    // when it holds an output of a resource not yet created — what pulumi.jsonStringify produces.
    jsonStringify: (value: unknown) => value,
};

/** Runs a fragment (TypeScript) and returns the stack of the resources it created, in order. */
export function runFragment(code: string, where: string): Stack {
    const stack = new Stack();
    const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 }, fileName: where }).outputText;
    const modules: Record<string, unknown> = {
        "@pulumi/aws": providerModule(stack, "aws"),
        "@pulumi/aws-native": providerModule(stack, "aws-native"),
        "@pulumi/pulumi": pulumiStandIn,
    };
    const requireStandIn = (id: string) => {
        if (!Object.hasOwn(modules, id)) throw new Error(`${where}: docs examples may import only ${Object.keys(modules).join(", ")}; not ${id}`);
        return modules[id];
    };
    const module = { exports: {} };
    try {
        new Function("require", "module", "exports", js)(requireStandIn, module, module.exports);
    } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
    }
    return stack;
}

/**
 * Type-checks fragments as programs against the real @pulumi/aws and @pulumi/pulumi typings (one
 * compilation for all); returns the errors, each as `page.md:line: message` (`line` is the block's fence).
 */
export function typeCheckFragments(fragments: { file: string; line: number; code: string }[]): string[] {
    const options: ts.CompilerOptions = {
        strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10, skipLibCheck: true, types: [], lib: ["lib.es2022.d.ts"],
    };
    const virtual = new Map(fragments.map((f, i) => [path.join(pagesDir, `__example_${i}.ts`), f]));
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
    host.readFile = (f) => virtual.get(f)?.code ?? readFile.call(host, f);
    host.getSourceFile = (f, language, onError, create) => {
        const v = virtual.get(f);
        return v !== undefined ? ts.createSourceFile(f, v.code, language, true) : getSourceFile.call(host, f, language, onError, create);
    };
    const program = ts.createProgram([...virtual.keys()], options, host);
    return ts.getPreEmitDiagnostics(program).map((d) => {
        const fragment = d.file !== undefined ? virtual.get(d.file.fileName) : undefined;
        const where = fragment === undefined ? d.file?.fileName ?? "(program)"
            : `${path.relative(repoRoot, fragment.file)}:${fragment.line + 1 + (d.start !== undefined ? d.file!.getLineAndCharacterOfPosition(d.start).line : 0)}`;
        return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
}
