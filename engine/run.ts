// The whole engine order over one stack, in one pack process, as `pulumi preview` and
// `pulumi policy analyze` run it: Configure, Analyze on every resource's inputs, then AnalyzeStack.

import { PolicyPackProcess, StartOptions } from "./process";
import { AnalyzerDescription, PolicyPackConfigFile, RunResult, StackResource } from "./types";

export async function runPolicyPack(
    packDir: string,
    resources: StackResource[],
    opts: StartOptions & { config?: PolicyPackConfigFile } = {},
): Promise<RunResult & { info: AnalyzerDescription; startupMs: number }> {
    const pack = await PolicyPackProcess.start(packDir, opts);
    try {
        await pack.configure(opts.config);
        const result: RunResult = { diagnostics: [], notApplicable: [] };
        for (const resource of resources) {
            const r = await pack.analyze(resource);
            result.diagnostics.push(...r.diagnostics);
            result.notApplicable.push(...r.notApplicable);
        }
        const stack = await pack.analyzeStack(resources);
        result.diagnostics.push(...stack.diagnostics);
        result.notApplicable.push(...stack.notApplicable);
        return { ...result, info: pack.info, startupMs: pack.startupMs };
    } finally {
        await pack.close();
    }
}
