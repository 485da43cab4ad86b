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
        /** Refuse config keys a policy does not declare (see `reconcileConfig`). */
        strictConfigKeys?: boolean;
        onProgress?: (progress: RunProgress) => void;
    } = {},
): Promise<RunResult & { info: AnalyzerDescription; configured: Record<string, ReconciledPolicyConfig>; startupMs: number; output: string[] }> {
    opts.onProgress?.({ step: "start" });
    // The pack's stdout lines after its port (the CLI shows them as info diagnostics).
    const output: string[] = [];
    let partial = "";
    const onStdout = (chunk: string) => {
        opts.onStdout?.(chunk);
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        output.push(...lines);
    };
    const pack = await PolicyPackProcess.start(packDir, { ...opts, onStdout });
    let closed = false;
    try {
        opts.onProgress?.({ step: "configure", info: pack.info });
        const configured = await pack.configure(opts.config, { strictKeys: opts.strictConfigKeys ?? false });
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
        await pack.close();
        closed = true;
        if (partial !== "") output.push(partial);
        return { ...result, info: pack.info, configured, startupMs: pack.startupMs, output };
    } finally {
        if (!closed) await pack.close();
    }
}
