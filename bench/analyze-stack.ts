// AnalyzeStack at scale: one stack, fresh pack processes, each first given Analyze on every
// resource's inputs when it is vpce-guard (as the engine does before AnalyzeStack, so the inputs
// memory is full), then the same serialized AnalyzeStack request in turn (order rotated); medians.

import { PolicyPackProcess } from "../engine";
import type { StackResource } from "../engine/types";
import { analyzeBytes, analyzeStackBytes, RawAnalyzer, responseCounts } from "./rpc";
import { median } from "./stats";
import { startOptions, type PackUnderTest } from "./startup";

export interface StackTiming {
    label: string;
    samples: number[];
    median: number;
    diagnostics: number;
    /** Peak resident memory of the pack process (VmHWM), when /proc has it. */
    peakRss?: number;
}

export interface StackRun {
    resources: number;
    requestBytes: number;
    timings: StackTiming[];
}

export async function measureAnalyzeStack(
    packs: readonly (PackUnderTest & { analyzeFirst: boolean })[], resources: readonly StackResource[], reps: number,
    peakRss: (pid: number) => number | undefined,
): Promise<StackRun> {
    const request = analyzeStackBytes(resources);
    const started: RawAnalyzer[] = [];
    try {
        for (const p of packs) {
            const pack = await PolicyPackProcess.start(p.dir, startOptions(p));
            await pack.configure();
            const raw = new RawAnalyzer(pack);
            started.push(raw);
            if (p.analyzeFirst) {
                // Several in flight, as the engine's step executor sends them; order does not matter to the memory.
                const queue = [...resources];
                await Promise.all(Array.from({ length: 8 }, async () => {
                    for (let r = queue.shift(); r !== undefined; r = queue.shift()) await raw.analyze(analyzeBytes(r));
                }));
            }
        }
        const samples = packs.map(() => [] as number[]);
        const diagnostics = packs.map(() => 0);
        for (let rep = 0; rep < reps; rep++) {
            for (let k = 0; k < started.length; k++) {
                const j = (rep + k) % started.length;
                const t = await started[j].analyzeStack(request);
                samples[j].push(t.ms);
                diagnostics[j] = responseCounts(t.response).diagnostics;
            }
        }
        return {
            resources: resources.length,
            requestBytes: request.length,
            timings: packs.map((p, j) => {
                const timing: StackTiming = { label: p.label, samples: samples[j], median: median(samples[j]), diagnostics: diagnostics[j] };
                const peak = peakRss(started[j].pack.pid);
                if (peak !== undefined) timing.peakRss = peak;
                return timing;
            }),
        };
    } finally {
        for (const a of started) {
            a.close();
            await a.pack.close();
        }
    }
}
