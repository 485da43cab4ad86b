// The whole engine order over one stack, in one pack process, as `pulumi preview` and
// `pulumi policy analyze` run it: Configure, then per resource Remediate and Analyze on its inputs,
// then AnalyzeStack. `pulumi preview`/`up` apply remediations to the inputs before Analyze (and the
// planned state); `pulumi policy analyze` reports them without applying.

import { PolicyPackProcess, StartOptions } from "./process";
import { AnalyzerDescription, PolicyPackConfigFile, ReconciledPolicyConfig, Remediation, RunResult, StackResource } from "./types";

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
        /** `apply` (default): as preview/up, remediated inputs go to Analyze and AnalyzeStack; `report`: as `pulumi policy analyze`. */
        remediations?: "apply" | "report";
        onProgress?: (progress: RunProgress) => void;
    } = {},
): Promise<RunResult & { info: AnalyzerDescription; configured: Record<string, ReconciledPolicyConfig>; startupMs: number; output: string[]; remediations: Remediation[] }> {
    opts.onProgress?.({ step: "start" });
    // The pack's stdout lines after its port (the CLI shows them as info diagnostics).
    const output: string[] = [];
    const onOutput: NonNullable<StartOptions["onOutput"]> = (line) => {
        if (line.stream === "stdout") output.push(line.text);
        opts.onOutput?.(line);
    };
    const pack = await PolicyPackProcess.start(packDir, { ...opts, onOutput });
    let closed = false;
    try {
        opts.onProgress?.({ step: "configure", info: pack.info });
        const configured = await pack.configure(opts.config, { strictKeys: opts.strictConfigKeys ?? false });
        const result: RunResult = { diagnostics: [], notApplicable: [] };
        const remediations: Remediation[] = [];
        const apply = (opts.remediations ?? "apply") === "apply";
        // The Node server's Remediate runs only policies at level `remediate`: without one, its
        // answer is empty for every resource, and the call is skipped.
        const remediating = Object.values(configured).some((c) => c.enforcementLevel === "remediate");
        const analysed: StackResource[] = [];
        for (const [index, resource] of resources.entries()) {
            opts.onProgress?.({ step: "analyze", index, total: resources.length });
            let inputs = resource;
            if (remediating) {
                const r = await pack.remediate(resource);
                remediations.push(...r.remediations);
                result.notApplicable.push(...r.notApplicable);
                const last = [...r.remediations].reverse().find((x) => x.properties !== undefined);
                if (apply && last?.properties !== undefined) inputs = remediated(resource, last.properties);
            }
            analysed.push(inputs);
            const r = await pack.analyze(inputs);
            result.diagnostics.push(...r.diagnostics);
            result.notApplicable.push(...r.notApplicable);
        }
        opts.onProgress?.({ step: "analyzeStack", total: resources.length });
        const stack = await pack.analyzeStack(analysed);
        result.diagnostics.push(...stack.diagnostics);
        result.notApplicable.push(...stack.notApplicable);
        await pack.close();
        closed = true;
        return { ...result, info: pack.info, configured, startupMs: pack.startupMs, output, remediations };
    } finally {
        if (!closed) await pack.close();
    }
}

/** The resource with remediated inputs; given outputs take the changed properties too (the planned state). */
function remediated(resource: StackResource, inputs: Record<string, unknown>): StackResource {
    if (resource.outputs === undefined) return { ...resource, inputs };
    const outputs = { ...resource.outputs };
    for (const [k, v] of Object.entries(inputs)) if (JSON.stringify(resource.inputs[k]) !== JSON.stringify(v)) outputs[k] = v;
    return { ...resource, inputs, outputs };
}
