// @pulumi/awsguard 0.3.1, Pulumi's own AWS policy pack, as the startup benchmark's heavyweight
// reference. Installed on demand into .bench/awsguard (git-ignored), never a dependency of the pack:
// `npm install --no-save --prefix .bench/awsguard @pulumi/awsguard@0.3.1`, with @pulumi/pulumi and
// @pulumi/policy pinned to the versions vpce-guard runs on (AWSGuard asks for ^3 and ^1.3, and
// @pulumi/pulumi ≥ 3.249 needs Node 22), so the two differ only in the pack's own code.

import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const awsGuardVersion = "0.3.1";

/**
 * `dir`: AWSGuard precompiled (`main: index.js`). `templateDir`: as its template
 * (`pulumi/templates-policy` `awsguard-typescript`) sets it up: an `index.ts`, no `main`, so
 * run-policy-pack's ts-node compiles it at every start; it shares `dir`'s node_modules.
 */
export type AwsGuardPack = { dir: string; templateDir: string; installed: "now" | "already" } | { skipped: string };

function installedVersion(dir: string): string | undefined {
    try {
        return (JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "@pulumi", "awsguard", "package.json"), "utf8")) as { version?: string }).version?.replace(/^v/, "");
    } catch {
        return undefined;
    }
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
        execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
            const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : null) : 0;
            resolve({ code, output: `${stdout}${stderr}` });
        });
    });
}

/** The AWSGuard pack directory, installing it first when needed; or why it could not be. */
export async function prepareAwsGuard(repoRoot: string, log: (line: string) => void): Promise<AwsGuardPack> {
    const dir = path.join(repoRoot, ".bench", "awsguard");
    fs.mkdirSync(dir, { recursive: true });
    // The pack itself: what AWSGuard's README shows, in a directory of its own.
    fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "awsguard-bench", version: "0.0.1", private: true, main: "index.js" }, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: AWSGuard, for the startup benchmark.\n");
    fs.writeFileSync(path.join(dir, "index.js"), [
        "// AWSGuard with every policy at its default level (README: `new AwsGuard({ all: \"advisory\" })`).",
        "const { AwsGuard } = require(\"@pulumi/awsguard\");",
        "",
        "new AwsGuard({ all: \"advisory\" });",
        "",
    ].join("\n"));
    const templateDir = prepareTemplate(repoRoot, dir);
    if (installedVersion(dir) === awsGuardVersion) return { dir, templateDir, installed: "already" };

    const packages = [`@pulumi/awsguard@${awsGuardVersion}`, "@pulumi/pulumi@3.248.0", "@pulumi/policy@1.21.0"];
    log(`installing ${packages.join(" ")} into ${path.relative(repoRoot, dir)} …`);
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const result = await run(npm, ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir, ...packages], repoRoot, 300_000);
    if (result.code !== 0 || installedVersion(dir) !== awsGuardVersion) {
        const tail = result.output.trim().split("\n").slice(-3).join(" / ");
        return { skipped: `npm install failed (exit ${result.code ?? "killed"}): ${tail.slice(0, 300)}` };
    }
    return { dir, templateDir, installed: "now" };
}

/** The template's layout beside the precompiled pack: index.ts, tsconfig.json, no `main`. */
function prepareTemplate(repoRoot: string, installed: string): string {
    const dir = path.join(repoRoot, ".bench", "awsguard-template");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({
        name: "awsguard-template-bench", version: "0.0.1", private: true,
        dependencies: { "@pulumi/awsguard": awsGuardVersion, "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.248.0" },
    }, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\ndescription: AWSGuard as its template sets it up, for the startup benchmark.\n");
    fs.writeFileSync(path.join(dir, "index.ts"), [
        "import { AwsGuard } from \"@pulumi/awsguard\";",
        "",
        "new AwsGuard({ all: \"advisory\" });",
        "",
    ].join("\n"));
    fs.writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify({
        compilerOptions: {
            strict: true, outDir: "bin", target: "es2016", module: "commonjs", moduleResolution: "node", sourceMap: true,
            experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true,
        },
        files: ["index.ts"],
    }, null, 4)}\n`);
    const modules = path.join(dir, "node_modules");
    try {
        fs.lstatSync(modules);
    } catch {
        fs.symlinkSync(path.join(installed, "node_modules"), modules, "dir");
    }
    return dir;
}
