// Small statistics and the description of the machine a benchmark ran on.

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";

export function median(values: readonly number[]): number {
    return percentile(values, 0.5);
}

/** Linear interpolation between closest ranks (the spreadsheet PERCENTILE.INC); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = p * (sorted.length - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export function times(value: number): string {
    return Number.isFinite(value) ? `${value.toFixed(2)}×` : "–";
}

export function megabytes(bytes: number): string {
    return `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;
}

export interface Machine {
    date: string;
    cpus: number;
    cpuModel: string;
    memory: string;
    node: string;
    os: string;
}

export function machine(): Machine {
    let cpus = os.cpus().length;
    try {
        cpus = Number(execFileSync("nproc", { encoding: "utf8" }).trim()) || cpus;
    } catch {
        // nproc is not everywhere; os.cpus() counts the same on Linux.
    }
    return {
        date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        cpus,
        cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
        memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
        node: process.version,
        os: `${os.type()} ${os.release()}`,
    };
}

/** The 1-, 5- and 15-minute load averages. */
export function load(): [number, number, number] {
    const [a, b, c] = os.loadavg();
    return [a, b, c];
}

export function formatLoad(l: readonly number[]): string {
    return l.map((x) => x.toFixed(2)).join(" / ");
}

/** Resident set size (current and peak) of a live process, from /proc; undefined elsewhere. */
export function processMemory(pid: number): { rss: number; peak: number } | undefined {
    try {
        const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
        const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
        return { rss: field("VmRSS"), peak: field("VmHWM") };
    } catch {
        return undefined;
    }
}

/** CPU time (user + system) a live process has used so far, in ms, from /proc; undefined elsewhere. */
export function processCpuMs(pid: number): number | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // The fields after the command (which may hold spaces), from its closing parenthesis: utime is the 14th field, stime the 15th.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
    } catch {
        return undefined;
    }
}

/** USER_HZ, the unit of /proc's CPU times: 100 on every Linux architecture Node runs on. */
const clockTicks = 100;

/** Pids of the live children of `pid` (Linux /proc). */
export function childPids(pid: number): number[] {
    try {
        return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
        return [];
    }
}
