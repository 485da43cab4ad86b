// An earlier commit of this repository, built into .bench/ for a same-run comparison: a figure
// "before" an issue is only comparable with one measured beside it (this machine's speed moves by
// a third between runs an hour apart; the ratios to the empty pack move too). `git archive` of the
// commit, this checkout's node_modules linked in (the earlier package.json's dependencies are a
// subset), `tsc`. Skipped, with the reason, when git, the commit or the build is not available.

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The commit before issue #13 (effect model, vpce-policy-no-access, vpce-policy-dead-grants) was merged: its first parent. */
export const before13 = { ref: "073cd18", label: "vpce-guard before #13 (073cd18)" };

export function prepareEarlierBuild(repoRoot: string, ref: string, log: (line: string) => void): { dir: string } | { skipped: string } {
    const dir = path.join(repoRoot, ".bench", `vpce-guard-${ref}`);
    if (fs.existsSync(path.join(dir, "bin", "index.js"))) return { dir };
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const tar = path.join(repoRoot, ".bench", `vpce-guard-${ref}.tar`);
    const archive = spawnSync("git", ["archive", "--format=tar", "-o", tar, ref], { cwd: repoRoot, encoding: "utf8" });
    if (archive.error || archive.status !== 0) return { skipped: `git archive ${ref} failed: ${archive.error?.message ?? archive.stderr.trim()}` };
    const untar = spawnSync("tar", ["-xf", tar, "-C", dir], { encoding: "utf8" });
    fs.rmSync(tar, { force: true });
    if (untar.error || untar.status !== 0) return { skipped: `extracting ${ref} failed: ${untar.error?.message ?? untar.stderr.trim()}` };
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    log(`building ${ref} into ${path.relative(repoRoot, dir)}`);
    const tsc = require.resolve("typescript/bin/tsc", { paths: [repoRoot] });
    const build = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8" });
    if (build.error || build.status !== 0 || !fs.existsSync(path.join(dir, "bin", "index.js"))) {
        fs.rmSync(dir, { recursive: true, force: true });
        return { skipped: `building ${ref} failed: ${build.error?.message ?? (build.stdout + build.stderr).trim().slice(-500)}` };
    }
    return { dir };
}
