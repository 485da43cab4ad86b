// Running the built CLI (bin/cli/main.js) as users do, for the CLI specs.

import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as path from "path";
import { repoRoot } from "./paths";

export const cli = path.join(repoRoot, "bin", "cli", "main.js");

export interface Run {
    code: number | null;
    signal?: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

/** Runs the built CLI with `args`. */
export function run(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
    return runNode([cli, ...args], opts);
}

/** Runs node with `args`, `input` on its stdin; collects its output. */
export function runNode(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: opts.cwd ?? repoRoot, stdio: ["pipe", "pipe", "pipe"], env: opts.env ?? process.env });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
        child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
        child.stdin.end(opts.input ?? "");
    });
}

export function json(r: Run): any {
    try {
        return JSON.parse(r.stdout);
    } catch {
        assert.fail(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
    }
}

/** A user error: exit 2, one message on stderr, no stack trace, nothing on stdout. */
export function assertUserError(r: Run, message: RegExp): void {
    assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.equal(r.stdout, "");
}
