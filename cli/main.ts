#!/usr/bin/env node
// The `vpce-guard` command (package.json `bin`): `vpce-guard check <file>…`. See ./options for usage.

import * as fs from "fs";
import { runCli } from "./check";

runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: () => fs.readFileSync(0),
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
