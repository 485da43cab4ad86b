#!/usr/bin/env node
// The `vpce-guard` command (package.json `bin`): `vpce-guard check <file>…`. See ./options for usage.

import * as fs from "fs";
import { runCli } from "./check";

// A signal ends the run at once with the shell's code for it (128 + its number). `process.exit`
// runs the engine's exit hook, which kills every policy pack process still running, so none is
// left behind; an uncaught error (a crash) goes through the same hook.
const signalExitCodes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
for (const [signal, code] of Object.entries(signalExitCodes)) {
    process.once(signal, () => {
        if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
        process.stderr.write(`vpce-guard: stopped by ${signal}\n`);
        process.exit(code);
    });
}

runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: () => fs.readFileSync(0),
    env: process.env,
}).then(
    (code) => {
        process.exitCode = code;
    },
    (e: unknown) => {
        // Not a user error: a bug, so the stack trace helps whoever reports it.
        process.stderr.write(`vpce-guard: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = 2;
    },
);
