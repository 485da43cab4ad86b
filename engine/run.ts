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
        /** Analyze calls in flight at once (default 16; 1 sends them one after another). */
        analyzeWindow?: number;
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
        const take = (r: RunResult) => {
            result.diagnostics.push(...r.diagnostics);
            result.notApplicable.push(...r.notApplicable);
        };
        let analysed: readonly StackResource[] = resources;
        if (remediating) {
            // Remediate, then Analyze on what it left, one resource at a time, as the engine's step generator does.
            const remediatedResources: StackResource[] = [];
            for (const [index, resource] of resources.entries()) {
                opts.onProgress?.({ step: "analyze", index, total: resources.length });
                let inputs = resource;
                const r = await pack.remediate(resource);
                remediations.push(...r.remediations);
                result.notApplicable.push(...r.notApplicable);
                const last = [...r.remediations].reverse().find((x) => x.properties !== undefined);
                if (apply && last?.properties !== undefined) inputs = remediated(resource, last.properties);
                remediatedResources.push(inputs);
                take(await pack.analyze(inputs));
            }
            analysed = remediatedResources;
        } else {
            await analyzeEach(pack, resources, take, opts.onProgress, opts.analyzeWindow ?? defaultAnalyzeWindow);
        }
        opts.onProgress?.({ step: "analyzeStack", total: resources.length });
        const stack = await pack.analyzeStack([...analysed]);
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
