// Analyze latency: the same requests to several packs, one request to each in turn (order rotated),
// after a warm-up; latency is measured at the client from bytes sent to bytes received.

import { PolicyPackProcess } from "../engine";
import type { StackResource } from "../engine/types";
import { analyzeBytes, RawAnalyzer } from "./rpc";
import { percentile } from "./stats";
import { startOptions, type PackUnderTest } from "./startup";

/** What kind of request, for the breakdown: carriers by document size, the rest by type. */
export function requestClass(r: StackResource): string {
    const policy = r.inputs.policy;
    const type = r.type.slice(r.type.lastIndexOf(":") + 1);
    if (typeof policy !== "string") return type === "VpcEndpoint" ? "endpoint without a policy" : "other (VPC, subnet, group, rule, …)";
    return policy.length >= 8192 ? "carrier, document 8–20 KB" : "carrier, document 1–8 KB";
}

export interface LatencyResult {
    label: string;
    p50: number;
    p90: number;
    p99: number;
    mean: number;
    byClass: Record<string, { count: number; p50: number; p99: number }>;
}

export async function measureAnalyze(
    packs: readonly PackUnderTest[], resources: readonly StackResource[], warmup: number,
): Promise<LatencyResult[]> {
    const requests = resources.map(analyzeBytes);
    const classes = resources.map(requestClass);
    const started: RawAnalyzer[] = [];
    try {
        for (const p of packs) {
            const pack = await PolicyPackProcess.start(p.dir, startOptions(p));
            await pack.configure();
            started.push(new RawAnalyzer(pack));
        }
        for (let i = 0; i < warmup; i++) for (const a of started) await a.analyze(requests[i % requests.length]);
        const samples = packs.map(() => [] as number[]);
        for (let i = 0; i < requests.length; i++) {
            for (let k = 0; k < started.length; k++) {
                const j = (i + k) % started.length;
                samples[j].push((await started[j].analyze(requests[i])).ms);
            }
        }
        return packs.map((p, j) => {
            const byClass: LatencyResult["byClass"] = {};
            for (const c of [...new Set(classes)].sort()) {
                const of = samples[j].filter((_, i) => classes[i] === c);
                byClass[c] = { count: of.length, p50: percentile(of, 0.5), p99: percentile(of, 0.99) };
            }
            const all = samples[j];
            return {
                label: p.label, p50: percentile(all, 0.5), p90: percentile(all, 0.9), p99: percentile(all, 0.99),
                mean: all.reduce((a, b) => a + b, 0) / all.length, byClass,
            };
        });
    } finally {
        for (const a of started) {
            a.close();
            await a.pack.close();
        }
    }
}
