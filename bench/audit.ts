// The offline audit as a user runs it: `vpce-guard check <export.json>` in a child process on a
// stack export written to .bench/, under /usr/bin/time -v when it exists, with /proc polled for the
// resident memory of the CLI and of the pack process it starts.

import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { generateStack, stackExport } from "./stacks";
import { childPids, processMemory } from "./stats";

export interface AuditResult {
    resources: number;
    exportBytes: number;
    wallMs: number;
    exitCode: number | null;
    /** GNU time's "Maximum resident set size": the largest single process of the tree. */
    timeMaxRss?: number;
    /** Peak RSS of the CLI process and of the pack process (VmHWM), and of both at once (sampled). */
    cliPeakRss?: number;
    packPeakRss?: number;
    combinedPeakRss?: number;
    diagnostics?: number;
    mandatory?: number;
}

const gnuTime = "/usr/bin/time";

export async function measureAudit(repoRoot: string, size: number): Promise<AuditResult> {
    const dir = path.join(repoRoot, ".bench");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `stack-${size}.export.json`);
    const report = path.join(dir, `audit-${size}.report.json`);
    fs.writeFileSync(file, JSON.stringify(stackExport(generateStack(size, { seed: 50 })), null, 4));
    const exportBytes = fs.statSync(file).size;
    fs.rmSync(report, { force: true });

    const cli = path.join(repoRoot, "bin", "cli", "main.js");
    const args = [cli, "check", file, "--format", "json", "--output", report, "--exit-zero"];
    const useTime = fs.existsSync(gnuTime);
    const started = performance.now();
    const child = useTime
        ? spawn(gnuTime, ["-v", process.execPath, ...args], { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] })
        : spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (c: string) => (stderr += c));

    const peaks = new Map<number, number>();
    let combined = 0;
    let cliPid: number | undefined;
    const poll = setInterval(() => {
        if (child.pid === undefined) return;
        cliPid ??= useTime ? childPids(child.pid)[0] : child.pid;
        if (cliPid === undefined) return;
        let sum = 0;
        for (const pid of [cliPid, ...childPids(cliPid)]) {
            const m = processMemory(pid);
            // A process that is exiting has no memory lines left.
            if (m === undefined || !Number.isFinite(m.peak) || !Number.isFinite(m.rss)) continue;
            peaks.set(pid, Math.max(peaks.get(pid) ?? 0, m.peak));
            sum += m.rss;
        }
        combined = Math.max(combined, sum);
    }, 100);
    let exitCode: number | null;
    try {
        // A child that cannot be spawned emits "error" and may never emit "exit".
        exitCode = await new Promise<number | null>((resolve, reject) => {
            child.once("exit", (code) => resolve(code));
            child.once("error", reject);
        });
    } finally {
        clearInterval(poll);
    }
    const wallMs = performance.now() - started;

    const result: AuditResult = { resources: size, exportBytes, wallMs, exitCode };
    const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    if (maxRss) result.timeMaxRss = Number(maxRss[1]) * 1024;
    if (cliPid !== undefined && peaks.has(cliPid)) result.cliPeakRss = peaks.get(cliPid);
    const packPeaks = [...peaks].filter(([pid]) => pid !== cliPid).map(([, v]) => v);
    if (packPeaks.length > 0) result.packPeakRss = Math.max(...packPeaks);
    if (combined > 0) result.combinedPeakRss = combined;
    if (exitCode !== 0) throw new Error(`vpce-guard check exited ${exitCode}:\n${stderr.slice(-2000)}`);
    try {
        const json = JSON.parse(fs.readFileSync(report, "utf8")) as { summary?: Record<string, unknown> };
        const s = json.summary ?? {};
        if (typeof s.violations === "number") result.diagnostics = s.violations;
        if (typeof s.mandatory === "number") result.mandatory = s.mandatory;
    } catch {
        // The report's shape is the report module's business; the timing stands without it.
    }
    return result;
}
