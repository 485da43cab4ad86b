// The engine module's public types: what a caller hands in (resources, config) and what comes
// back (diagnostics, not-applicable results). No protocol types leak through here.

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** A resource as the engine knows it: its inputs (for Analyze) and outputs (for AnalyzeStack). */
export interface StackResource {
    urn: string;
    type: string;
    /** Logical name; derived from the URN when omitted. */
    name?: string;
    /** Inputs, sent to `Analyze`. Unknown values are the sentinels of `UnknownSentinel`. */
    inputs: Record<string, unknown>;
    /** Outputs, sent to `AnalyzeStack`; defaults to `inputs`. */
    outputs?: Record<string, unknown>;
    parent?: string;
    /** Resource options, sent with Analyze and AnalyzeStack as `AnalyzerResourceOptions`. */
    options?: ResourceOptions;
    dependencies?: string[];
    /** Property name → URNs of the resources that property's value came from. */
    propertyDependencies?: Record<string, string[]>;
    /** The provider resource, when the caller wants one sent. */
    provider?: { urn: string; type: string; name?: string; properties?: Record<string, unknown> };
}

/**
 * The options the CLI sends about a resource (pkg/resource/plugin/analyzer_plugin.go
 * marshalResourceOptions). `parent` is `StackResource.parent`.
 */
export interface ResourceOptions {
    protect?: boolean;
    ignoreChanges?: string[];
    /**
     * Known only to a deployment (from the registration); state has none, so `pulumi policy analyze`
     * leaves it undefined and the pack sees no `deleteBeforeReplace` (`deleteBeforeReplaceDefined` false).
     */
    deleteBeforeReplace?: boolean;
    /** Alias URNs. */
    aliases?: string[];
    additionalSecretOutputs?: string[];
    /** Seconds, as state keeps them. */
    customTimeouts?: { create?: number; update?: number; delete?: number; read?: number };
}

/** A `--policy-pack-config` file's content. */
export type PolicyPackConfigFile = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    enforcementLevel: EnforcementLevel;
    /**
     * The URN the CLI attributes the violation to: for Analyze the analysed resource; for AnalyzeStack
     * the URN the pack named when it is a resource of the stack, else the root `pulumi:pulumi:Stack`.
     */
    urn: string;
    message: string;
    description: string;
    severity?: string;
    /** Which call produced it: `analyze` (a resource's inputs) or `analyzeStack` (the whole stack's outputs). */
    phase: "analyze" | "analyzeStack";
}

export interface NotApplicable {
    policyName: string;
    reason: string;
    /** The resource the Analyze call was about; undefined for AnalyzeStack. */
    urn?: string;
    phase: "analyze" | "analyzeStack";
}

export interface PolicyDescription {
    name: string;
    displayName?: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity?: string;
    remediationSteps?: string;
    /** Where the policy is documented. */
    url?: string;
    /** JSON schema: `{ type: "object", properties, required }`, as the pack declared it. */
    configSchema?: { properties: Record<string, unknown>; required?: string[] };
    policyType: "resource" | "stack" | "unknown";
}

export interface AnalyzerDescription {
    name: string;
    version: string;
    supportsConfig: boolean;
    description?: string;
    /** What Pulumi Cloud shows for the pack: its pretty name, README text, provider, tags and repository. */
    displayName?: string;
    readme?: string;
    provider?: string;
    tags?: string[];
    repository?: string;
    policies: PolicyDescription[];
    /** The pack's own initial config, per policy. */
    initialConfig: Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }>;
}

/** One policy's configuration after reconciliation, as Configure sends it. */
export interface ReconciledPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export interface RunResult {
    diagnostics: Diagnostic[];
    notApplicable: NotApplicable[];
}

/** What a policy's remediation did to a resource's inputs (Remediate), before Analyze. */
export interface Remediation {
    policyName: string;
    policyPackName: string;
    urn: string;
    /** The whole inputs after this remediation (and the ones before it in the same call). */
    properties?: Record<string, unknown>;
    /** The top-level inputs it changed. */
    changed: string[];
    /** Set when the remediation could not run (an unknown value in preview). */
    diagnostic?: string;
}
