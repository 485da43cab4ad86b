// The offline audit as a user runs it: `vpce-guard check <export.json>` in a child process on a
// stack export written to .bench/, under /usr/bin/time -v when it exists, with /proc polled for the
// resident memory and CPU time of the CLI and of the pack process it starts.
//
//   node bin/bench/audit.js [--baseline <dir>] [--rounds N] [size …]   (default 20000 50000)
//
// With --baseline, the CLI of another built checkout (`<dir>/bin/cli/main.js`, e.g. the previous
// commit built in a temporary directory) runs on the same exports, in turn with this one, and the
// ratios are printed: the machine's load then weighs on both alike.

import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { generateStack, stackExport } from "./stacks";
import { childPids, formatLoad, load, median, processCpuMs, processMemory } from "./stats";

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
    /** CPU time (user + system) of the CLI process and of the pack process, sampled every 100 ms. */
    cliCpuMs?: number;
    packCpuMs?: number;
    /**
     * Wall time during which the CLI worked and no pack did (sampled: a 100 ms interval counts when
     * the CLI used at least half of it and the packs less than a tenth): reading, building the
     * AnalyzeStack request, the report — the part of the wall time that is the CLI's alone.
     */
    cliAloneMs?: number;
    diagnostics?: number;
    mandatory?: number;
    /** 1-minute load average when the run started. */
    load?: number;
}

const gnuTime = "/usr/bin/time";

/** Sizes whose export this process has written (generation is deterministic: once per process). */
const written = new Set<number>();

/** The export of a generated stack of `size` resources in .bench/. */
export function auditExport(repoRoot: string, size: number): string {
    const dir = path.join(repoRoot, ".bench");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `stack-${size}.export.json`);
    if (!written.has(size)) {
        fs.writeFileSync(file, JSON.stringify(stackExport(generateStack(size, { seed: 50 })), null, 4));
        written.add(size);
    }
    return file;
}

/** `cliRoot`: the checkout whose built CLI runs (default: this one). */
export async function measureAudit(repoRoot: string, size: number, cliRoot = repoRoot): Promise<AuditResult> {
    const file = auditExport(repoRoot, size);
    const report = path.join(repoRoot, ".bench", `audit-${size}.report.json`);
    const exportBytes = fs.statSync(file).size;
    fs.rmSync(report, { force: true });

    const cli = path.join(cliRoot, "bin", "cli", "main.js");
    const loadAtStart = load()[0];
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
    const cpu = new Map<number, number>();
    let combined = 0;
    let cliPid: number | undefined;
    let cliAlone = 0;
    let last: { at: number; cli: number; packs: number } | undefined;
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
            const used = processCpuMs(pid);
            if (used !== undefined && Number.isFinite(used)) cpu.set(pid, used);
        }
        combined = Math.max(combined, sum);
        // Packs that exited keep their last reading: their CPU no longer moves.
        const now = { at: performance.now(), cli: cpu.get(cliPid) ?? 0, packs: [...cpu].filter(([pid]) => pid !== cliPid).reduce((a, [, v]) => a + v, 0) };
        if (last !== undefined) {
            const interval = now.at - last.at;
            if (now.cli - last.cli >= 0.5 * interval && now.packs - last.packs < 0.1 * interval) cliAlone += interval;
        }
        last = now;
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

    const result: AuditResult = { resources: size, exportBytes, wallMs, exitCode, load: loadAtStart };
    const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    if (maxRss) result.timeMaxRss = Number(maxRss[1]) * 1024;
    if (cliPid !== undefined && peaks.has(cliPid)) result.cliPeakRss = peaks.get(cliPid);
    const packPeaks = [...peaks].filter(([pid]) => pid !== cliPid).map(([, v]) => v);
    if (packPeaks.length > 0) result.packPeakRss = Math.max(...packPeaks);
    if (combined > 0) result.combinedPeakRss = combined;
    if (cliPid !== undefined && cpu.has(cliPid)) result.cliCpuMs = cpu.get(cliPid);
    if (last !== undefined) result.cliAloneMs = cliAlone;
    const packCpu = [...cpu].filter(([pid]) => pid !== cliPid).map(([, v]) => v);
    if (packCpu.length > 0) result.packCpuMs = packCpu.reduce((a, b) => a + b, 0);
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

// ---------------------------------------------------------------------------------------------

const mib = (bytes: number | undefined) => (bytes === undefined ? "–" : `${(bytes / 2 ** 20).toFixed(0)} MiB`);
const secs = (ms: number | undefined) => (ms === undefined ? "–" : `${(ms / 1000).toFixed(1)} s`);

/** One markdown row of an audit run. */
export function auditRow(label: string, a: AuditResult): string {
    const share = (ms: number | undefined) => (ms === undefined ? "–" : `${((100 * ms) / a.wallMs).toFixed(0)} %`);
    return `| ${a.resources.toLocaleString("en-US")} | ${label} | ${secs(a.wallMs)} | ${secs(a.cliCpuMs)} (${share(a.cliCpuMs)}) | ${secs(a.cliAloneMs)} (${share(a.cliAloneMs)}) | ${secs(a.packCpuMs)} | ${mib(a.cliPeakRss)} | ${mib(a.packPeakRss)} | ${mib(a.combinedPeakRss)} | ${a.diagnostics ?? "–"} (${a.mandatory ?? "–"}) | ${a.load?.toFixed(1) ?? "–"} |`;
}

export const auditHeader = [
    "| resources | CLI | wall time | CPU, CLI (share of wall) | CLI alone (share of wall) | CPU, pack | peak RSS, CLI | peak RSS, pack | both at once | violations (mandatory) | load at start |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
];

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    let baseline: string | undefined;
    let rounds = 1;
    const sizes: number[] = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--baseline") baseline = path.resolve(args[++i]);
        else if (args[i] === "--rounds") rounds = Number(args[++i]);
        else sizes.push(Number(args[i]));
    }
    const repoRoot = path.resolve(__dirname, "..", "..");
    const lanes: [string, string][] = [["this checkout", repoRoot], ...(baseline ? [["baseline", baseline] as [string, string]] : [])];
    console.log(`load ${formatLoad(load())}`);
    console.log(auditHeader.join("\n"));
    for (const size of sizes.length > 0 ? sizes : [20_000, 50_000]) {
        const runs = new Map<string, AuditResult[]>(lanes.map(([label]) => [label, []]));
        for (let round = 0; round < rounds; round++) {
            // In turn, the order swapped each round.
            for (const [label, root] of round % 2 === 0 ? lanes : [...lanes].reverse()) {
                const r = await measureAudit(repoRoot, size, root);
                runs.get(label)!.push(r);
                // Kept per lane, to compare the reports.
                fs.copyFileSync(path.join(repoRoot, ".bench", `audit-${size}.report.json`), path.join(repoRoot, ".bench", `audit-${size}.${label.replace(/\W+/g, "-")}.report.json`));
                console.log(auditRow(label, r));
            }
        }
        if (baseline) {
            const wall = (label: string) => median(runs.get(label)!.map((r) => r.wallMs));
            const peak = (label: string) => median(runs.get(label)!.map((r) => r.cliPeakRss ?? NaN));
            console.log(`${size}: wall time ${(wall("this checkout") / wall("baseline")).toFixed(2)}× the baseline's, CLI peak RSS ${(peak("this checkout") / peak("baseline")).toFixed(2)}×`);
        }
    }
    console.log(`load ${formatLoad(load())}`);
}

if (require.main === module) {
    main().catch((e: unknown) => {
        console.error(e instanceof Error ? (e.stack ?? e.message) : e);
        process.exit(1);
    });
}
