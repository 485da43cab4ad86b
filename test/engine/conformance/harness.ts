// A port of Pulumi's policy conformance harness (pulumi/pulumi pkg/testing/pulumi-test-language/runner/
// runner.go, the policy part) onto the engine module. Each run of a test does a preview and an update
// of the program's resources with the run's stack config, stack tags and policy-pack config, and
// collects the engine events the Go tests assert on. The engine module does not run programs or
// deployments, so the step generator's part is played here, as the CLI plays it
// (pkg/resource/deploy/step_generator.go, deployment_executor.go, pkg/engine/events.go, update.go):
// per registration Remediate (when the engine module has it, see `remediateOf`) then Analyze on
// the inputs; in an update, a mandatory violation makes the resource invalid and stops the
// operation before AnalyzeStack; in a preview it only fails the operation at the end; AnalyzeStack on
// the outputs (the test provider's outputs are its inputs).

import * as path from "path";
import {
    PolicyConfigError,
    PolicyPackProcess,
    type Diagnostic,
    type OutputLine,
    type PolicyPackConfigFile,
    type StackResource,
} from "../../../engine";
import { fixturesDir } from "../../support/paths";

export const packsDir = path.join(fixturesDir, "conformance");
export const stackName = "test";

/** pkg/engine/events.go PolicyViolationEventPayload, as the Go tests compare it. */
export interface PolicyViolationEvent {
    ResourceURN: string;
    Message: string;
    Color: "raw";
    PolicyName: string;
    PolicyPackName: string;
    PolicyPackVersion: string;
    EnforcementLevel: string;
    Prefix: string;
    Severity: string;
}

/** pkg/engine/events.go PolicyRemediationEventPayload. */
export interface PolicyRemediationEvent {
    ResourceURN: string;
    Color: "raw";
    PolicyName: string;
    PolicyPackName: string;
    PolicyPackVersion: string;
    Before: Record<string, unknown>;
    After: Record<string, unknown>;
}

/** An engine.DiagEvent of severity error (eventsink.go). */
export interface DiagEvent {
    Message: string;
    Prefix: string;
    Severity: "error";
}

export interface OperationResult {
    violations: PolicyViolationEvent[];
    remediations: PolicyRemediationEvent[];
    diags: DiagEvent[];
    /** `res.Err`'s text, or undefined when the operation succeeded. */
    err?: string;
    /** The pack's own output lines (the CLI's info / info#err diagnostics). */
    output: OutputLine[];
}

export interface Run {
    /** The program's resources, in registration order (see `program`). */
    resources: StackResource[];
    /** The `<pack>.json` the runner writes (only when non-empty). */
    config?: PolicyPackConfigFile;
    /** Stack config, `project:key` → value. */
    stackConfig?: Record<string, string>;
    stackTags?: Record<string, string>;
}

const reset = "<{%reset%}>";
const prefixes: Record<string, string> = {
    mandatory: "<{%fg 1%}>mandatory: <{%reset%}>",
    advisory: "<{%fg 3%}>advisory: <{%reset%}>",
};

function violation(d: Diagnostic, urn: string, version: string): PolicyViolationEvent {
    return {
        ResourceURN: urn,
        Message: `${reset}${d.message}${reset}\n`,
        Color: "raw",
        PolicyName: d.policyName,
        PolicyPackName: d.policyPackName,
        PolicyPackVersion: version,
        EnforcementLevel: d.enforcementLevel,
        Prefix: prefixes[d.enforcementLevel] ?? "",
        Severity: d.severity ?? "",
    };
}

function errorDiag(text: string): DiagEvent {
    return { Message: `${reset}${text}${reset}\n`, Prefix: "<{%fg 1%}>error: <{%reset%}>", Severity: "error" };
}

/** One remediation as the engine reports it (plugin.Remediation). */
export interface Remediation {
    policyName: string;
    policyPackName: string;
    policyPackVersion?: string;
    properties?: Record<string, unknown>;
    diagnostic?: string;
}

type RemediateFn = (resource: StackResource) => Promise<Remediation[]>;

/**
 * The engine module's Remediate, when it has one (issue #16 adds it). Accepts a result that is the
 * list of remediations or an object holding it as `remediations`.
 */
export function remediateOf(pack: PolicyPackProcess): RemediateFn | undefined {
    const fn = (pack as unknown as { remediate?: (r: StackResource) => Promise<unknown> }).remediate;
    if (typeof fn !== "function") return undefined;
    return async (resource) => {
        const result = await fn.call(pack, resource);
        const list = Array.isArray(result) ? result : ((result as { remediations?: unknown[] }).remediations ?? []);
        return list as Remediation[];
    };
}

/** Whether the engine module can run Remediate yet. */
export const engineHasRemediate = typeof (PolicyPackProcess.prototype as unknown as { remediate?: unknown }).remediate === "function";

/** One preview (dryRun) or update of `run` with the pack `packName` of test `project`. */
export async function operation(project: string, packName: string, run: Run, dryRun: boolean): Promise<OperationResult> {
    const result: OperationResult = { violations: [], remediations: [], diags: [], output: [] };
    let pack: PolicyPackProcess;
    try {
        pack = await PolicyPackProcess.start(path.join(packsDir, packName), {
            stack: { name: stackName, project, tags: run.stackTags ?? {}, config: run.stackConfig ?? {}, dryRun },
            onOutput: (line) => result.output.push(line),
        });
    } catch (e) {
        result.err = (e as Error).message;
        return result;
    }
    try {
        const version = pack.info.version;
        try {
            await pack.configure(run.config);
        } catch (e) {
            if (!(e instanceof PolicyConfigError)) throw e;
            // update.go: one error diagnostic per problem, then "validating policy config".
            for (const problem of e.problems) result.diags.push(errorDiag(`validating policy config: ${pack.info.name} ${version}  ${problem}`));
            result.err = "validating policy config";
            return result;
        }
        const remediate = remediateOf(pack);
        let sawError = false;
        const analysed: StackResource[] = [];
        for (const registered of run.resources) {
            let resource = registered;
            if (remediate) {
                for (const r of await remediate(resource)) {
                    if (r.diagnostic) {
                        result.violations.push(violation({ policyName: r.policyName, policyPackName: r.policyPackName, enforcementLevel: "advisory", urn: resource.urn, message: r.diagnostic, description: "", phase: "analyze" }, resource.urn, version));
                    } else if (r.properties) {
                        result.remediations.push({
                            ResourceURN: resource.urn, Color: "raw", PolicyName: r.policyName, PolicyPackName: r.policyPackName,
                            PolicyPackVersion: r.policyPackVersion || version, Before: resource.inputs, After: r.properties,
                        });
                        // step_generator.go: the remediated properties replace the inputs.
                        resource = { ...resource, inputs: r.properties, outputs: r.properties };
                    }
                }
            }
            const analysis = await pack.analyze(resource);
            let invalid = false;
            for (const d of analysis.diagnostics) {
                result.violations.push(violation(d, d.urn, version));
                if (d.enforcementLevel === "mandatory") {
                    sawError = true;
                    if (!dryRun) invalid = true;
                }
            }
            if (invalid) {
                result.err = `BAIL: resource ${resource.urn} is invalid`;
                return result;
            }
            analysed.push(resource);
        }
        const stack = await pack.analyzeStack(analysed);
        for (const d of stack.diagnostics) {
            result.violations.push(violation(d, d.urn, version));
            if (d.enforcementLevel === "mandatory") sawError = true;
        }
        if (sawError) result.err = "BAIL: step generator errored";
        return result;
    } finally {
        await pack.close();
    }
}

/** A run's preview and update, each in its own pack process (the CLI caches analyzers per options). */
export async function previewAndUpdate(project: string, packName: string, run: Run): Promise<{ preview: OperationResult; update: OperationResult }> {
    const [preview, update] = await Promise.all([operation(project, packName, run, true), operation(project, packName, run, false)]);
    return { preview, update };
}

// ---------------------------------------------------------------------------------------------
// Programs: what the test programs (tests/testdata/policy-*/main.pp) register, with the test
// provider's behaviour (providers/simple_provider.go: outputs = inputs).

export const simpleType = "simple:index:Resource";

export interface SimpleResource {
    name: string;
    value: boolean;
    parent?: string;
    provider?: string;
    options?: StackResource["options"];
    dependsOn?: string[];
    /** Property → the names of the resources its value came from. */
    propertyDependencies?: Record<string, string[]>;
}

export function rootUrn(project: string): string {
    return `urn:pulumi:${stackName}::${project}::pulumi:pulumi:Stack::${project}-${stackName}`;
}

export function urnOf(project: string, type: string, name: string, parentType?: string): string {
    return `urn:pulumi:${stackName}::${project}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
}

/**
 * The root stack, the default provider `default_2_0_0` (unless every resource names its own), any
 * explicit providers, then the resources, each parented to the root stack unless it names a parent.
 */
export function program(project: string, resources: SimpleResource[], explicitProviders: string[] = []): StackResource[] {
    const root: StackResource = { urn: rootUrn(project), type: "pulumi:pulumi:Stack", inputs: {} };
    const providerOf = (name: string): StackResource => ({
        urn: urnOf(project, "pulumi:providers:simple", name),
        type: "pulumi:providers:simple",
        inputs: { version: "2.0.0" },
        parent: root.urn,
    });
    const defaultProvider = providerOf("default_2_0_0");
    const explicit = explicitProviders.map(providerOf);
    const urns = new Map<string, string>();
    const out: StackResource[] = [root, ...explicit];
    if (resources.some((r) => r.provider === undefined)) out.push(defaultProvider);
    for (const r of resources) {
        const parentUrn = r.parent ? urns.get(r.parent)! : root.urn;
        const urn = r.parent ? urnOf(project, simpleType, r.name, simpleType) : urnOf(project, simpleType, r.name);
        urns.set(r.name, urn);
        const provider = r.provider ? explicit.find((p) => p.urn.endsWith(`::${r.provider}`))! : defaultProvider;
        const propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, names]) => [k, names.map((n) => urns.get(n)!)]));
        const dependencies = [...new Set([...(r.dependsOn ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()])].map((n) => urns.get(n)!);
        const resource: StackResource = {
            urn,
            type: simpleType,
            inputs: { value: r.value },
            parent: parentUrn,
            provider: { urn: provider.urn, type: provider.type, properties: provider.inputs },
            dependencies,
            propertyDependencies,
        };
        if (r.options) resource.options = r.options;
        out.push(resource);
    }
    return out;
}
