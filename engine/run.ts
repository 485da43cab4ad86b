// The whole engine order over one stack, in one pack process, as `pulumi preview` and
// `pulumi policy analyze` run it: Configure, Analyze on every resource's inputs, then AnalyzeStack.

import { PolicyPackProcess, StartOptions } from "./process";
import { AnalyzerDescription, PolicyPackConfigFile, ReconciledPolicyConfig, RunResult, StackResource } from "./types";

/** The step a run is about to take, for a caller that shows progress (or names the step that failed). */
export type RunProgress =
    | { step: "start" }
    | { step: "configure"; info: AnalyzerDescription }
    | { step: "analyze"; index: number; total: number }
    | { step: "analyzeStack"; total: number };

export async function runPolicyPack(
    packDir: string,
    resources: StackResource[],
    opts: StartOptions & {
        config?: PolicyPackConfigFile;
        onProgress?: (progress: RunProgress) => void;
        /** Analyze calls in flight at once (default 16; 1 sends them one after another). */
        analyzeWindow?: number;
    } = {},
): Promise<RunResult & { info: AnalyzerDescription; configured: Record<string, ReconciledPolicyConfig>; startupMs: number }> {
    opts.onProgress?.({ step: "start" });
    const pack = await PolicyPackProcess.start(packDir, opts);
    try {
        opts.onProgress?.({ step: "configure", info: pack.info });
        const configured = await pack.configure(opts.config);
        const result: RunResult = { diagnostics: [], notApplicable: [] };
        await analyzeEach(pack, resources, (r) => {
            result.diagnostics.push(...r.diagnostics);
            result.notApplicable.push(...r.notApplicable);
        }, opts.onProgress, opts.analyzeWindow ?? defaultAnalyzeWindow);
        opts.onProgress?.({ step: "analyzeStack", total: resources.length });
        const stack = await pack.analyzeStack(resources);
        result.diagnostics.push(...stack.diagnostics);
        result.notApplicable.push(...stack.notApplicable);
        return { ...result, info: pack.info, configured, startupMs: pack.startupMs };
    } finally {
        await pack.close();
    }
}

/**
 * Analyze calls in flight at once. The Pulumi engine issues them from parallel resource steps too;
 * with several in flight this process marshals the next requests while the pack works on earlier
 * ones. Results are still taken in resource order.
 */
const defaultAnalyzeWindow = 16;

/** Analyze on each resource, at most `window` at once; `take` sees the results in resource order. */
async function analyzeEach(
    pack: PolicyPackProcess,
    resources: readonly StackResource[],
    take: (result: RunResult) => void,
    onProgress: ((progress: RunProgress) => void) | undefined,
    window: number,
): Promise<void> {
    const inFlight: Promise<RunResult>[] = [];
    // The first call to fail is the cause; the calls in flight with it fail after it, when the pack is closed.
    let failure: { error: unknown } | undefined;
    const settle = async (call: Promise<RunResult>) => {
        try {
            return await call;
        } catch {
            await Promise.allSettled(inFlight);
            throw failure!.error;
        }
    };
    for (let index = 0; index < resources.length; index++) {
        if (inFlight.length >= Math.max(1, window)) take(await settle(inFlight.shift()!));
        if (pack.closed) {
            // A call in flight failed (and closed the pack): report it, not the refusals that would follow.
            await Promise.allSettled(inFlight);
            if (failure) throw failure.error;
        }
        onProgress?.({ step: "analyze", index, total: resources.length });
        const call = pack.analyze(resources[index]);
        call.catch((error: unknown) => {
            failure ??= { error };
        });
        inFlight.push(call);
    }
    while (inFlight.length > 0) take(await settle(inFlight.shift()!));
}
