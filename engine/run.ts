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
    opts: StartOptions & { config?: PolicyPackConfigFile; onProgress?: (progress: RunProgress) => void } = {},
): Promise<RunResult & { info: AnalyzerDescription; configured: Record<string, ReconciledPolicyConfig>; startupMs: number }> {
    opts.onProgress?.({ step: "start" });
    const pack = await PolicyPackProcess.start(packDir, opts);
    try {
        opts.onProgress?.({ step: "configure", info: pack.info });
        const configured = await pack.configure(opts.config);
        const result: RunResult = { diagnostics: [], notApplicable: [] };
        for (const [index, resource] of resources.entries()) {
            opts.onProgress?.({ step: "analyze", index, total: resources.length });
            const r = await pack.analyze(resource);
            result.diagnostics.push(...r.diagnostics);
            result.notApplicable.push(...r.notApplicable);
        }
        opts.onProgress?.({ step: "analyzeStack", total: resources.length });
        const stack = await pack.analyzeStack(resources);
        result.diagnostics.push(...stack.diagnostics);
        result.notApplicable.push(...stack.notApplicable);
        return { ...result, info: pack.info, configured, startupMs: pack.startupMs };
    } finally {
        await pack.close();
    }
}
