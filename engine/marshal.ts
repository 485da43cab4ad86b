// Between the engine's public types and the Analyzer protocol: resources out as the CLI marshals
// them (sdk/go/common/resource/plugin/analyzer_plugin.go, rpc.go), results and metadata back.

import * as fs from "fs";
import * as path from "path";
import { analyzer as pb, Struct } from "./proto";
import { encodeStruct, encodeStructInto, lengthDelimited, lengthDelimitedSize, structSize, writeFieldHeader } from "./struct-encoding";
import {
    AnalyzerDescription,
    Diagnostic,
    EnforcementLevel,
    NotApplicable,
    PolicyDescription,
    StackResource,
} from "./types";

/** `specialSigKey` and `specialSecretSig` of @pulumi/pulumi runtime/rpc: how a secret travels. */
const specialSigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

/** The engine's wire form of a secret value (`KeepSecrets: true`); the pack receives it unwrapped. */
export function secret(value: unknown): Record<string, unknown> {
    return { [specialSigKey]: secretSig, value };
}

type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };

function toWire(value: unknown, where: string): Wire {
    if (value === null) return null;
    switch (typeof value) {
        case "string":
        case "boolean":
        case "number":
            return value;
        case "object": {
            if (Array.isArray(value)) {
                // JSON's rule: a hole in an array is a null, never a missing element.
                return value.map((e, i) => (e === undefined ? null : toWire(e, `${where}[${i}]`)));
            }
            const out: { [key: string]: Wire } = {};
            for (const [k, v] of Object.entries(value)) {
                // A key named `__proto__` is data like any other: assigning it would set the prototype.
                if (v !== undefined) Object.defineProperty(out, k, { value: toWire(v, `${where}.${k}`), enumerable: true, writable: true, configurable: true });
            }
            return out;
        }
        default:
            throw new TypeError(`${where}: a ${typeof value} cannot be sent to a policy pack`);
    }
}

/**
 * A property bag as `MarshalProperties(..., SkipInternalKeys: true)` sends it: undefined-valued keys
 * dropped (the engine has no undefined) and top-level `__`-prefixed keys skipped.
 */
export function propertiesStruct(props: Record<string, unknown> | undefined, label: string): Struct {
    const fields: { [key: string]: Wire } = {};
    for (const [k, v] of Object.entries(props ?? {})) {
        if (v === undefined || k.startsWith("__")) continue;
        fields[k] = toWire(v, `${label}.${k}`);
    }
    return Struct.fromJavaScript(fields);
}

/** The name part of a URN (`urn:pulumi:stack::project::type::name`): everything after the third `::`. */
export function nameFromUrn(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts.slice(3).join("::") : parts[parts.length - 1];
}

function resourceOptions(parent: string | undefined): pb.AnalyzerResourceOptions {
    // The CLI always sends options with custom timeouts; the Node server throws without options.
    const options = new pb.AnalyzerResourceOptions();
    options.setCustomtimeouts(new pb.AnalyzerResourceOptions.CustomTimeouts());
    if (parent) options.setParent(parent);
    return options;
}

function providerResource(r: StackResource): pb.AnalyzerProviderResource | undefined {
    if (!r.provider) return undefined;
    const provider = new pb.AnalyzerProviderResource();
    provider.setUrn(r.provider.urn);
    provider.setType(r.provider.type);
    provider.setName(r.provider.name ?? nameFromUrn(r.provider.urn));
    provider.setProperties(propertiesStruct(r.provider.properties, `${r.provider.urn} provider`));
    return provider;
}

/** `Analyze` on the resource's inputs (without them when `properties` is false: see `analyzeRequestBytes`). */
export function analyzeRequest(r: StackResource, properties = true): pb.AnalyzeRequest {
    const req = new pb.AnalyzeRequest();
    req.setUrn(r.urn);
    req.setType(r.type);
    req.setName(r.name ?? nameFromUrn(r.urn));
    if (properties) req.setProperties(propertiesStruct(r.inputs, `${r.urn} inputs`));
    req.setOptions(resourceOptions(r.parent));
    const provider = providerResource(r);
    if (provider) req.setProvider(provider);
    return req;
}

/** The `AnalyzeStack` request for a stack. */
export function analyzeStackRequest(resources: readonly StackResource[]): pb.AnalyzeStackRequest {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(resources.map((r) => stackResource(r)));
    return req;
}

/** One resource of `AnalyzeStack`: outputs (inputs when none given), parent and dependencies. */
export function stackResource(r: StackResource, properties = true): pb.AnalyzerResource {
    const res = new pb.AnalyzerResource();
    res.setUrn(r.urn);
    res.setType(r.type);
    res.setName(r.name ?? nameFromUrn(r.urn));
    if (properties) res.setProperties(propertiesStruct(r.outputs ?? r.inputs, `${r.urn} outputs`));
    res.setOptions(resourceOptions(r.parent));
    const provider = providerResource(r);
    if (provider) res.setProvider(provider);
    if (r.parent) res.setParent(r.parent);
    res.setDependenciesList(r.dependencies ?? []);
    const deps = res.getPropertydependenciesMap();
    for (const [property, urns] of Object.entries(r.propertyDependencies ?? {})) {
        if (urns.length === 0) continue; // the CLI skips properties without dependencies
        const d = new pb.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        deps.set(property, d);
    }
    return res;
}

// The requests as bytes, for large stacks: each resource's message is built by google-protobuf
// without its properties, serialized at once, and its properties (field 2 of AnalyzeRequest and of
// AnalyzerResource) appended by engine/struct-encoding.ts. A message's fields may come in any
// order, so these decode to the messages above (test/engine/struct-encoding.spec.ts); no
// google-protobuf tree of the whole stack is ever built.
const propertiesField = 2;
/** `repeated AnalyzerResource resources = 1` of AnalyzeStackRequest. */
const resourcesField = 1;

/** The bytes of `analyzeRequest(r)`. */
export function analyzeRequestBytes(r: StackResource): Buffer {
    const properties = lengthDelimited(propertiesField, encodeStruct(r.inputs, `${r.urn} inputs`));
    return Buffer.concat([analyzeRequest(r, false).serializeBinary(), properties]);
}

/**
 * The bytes of `analyzeStackRequest(resources)`, written into one buffer of the right size: each
 * resource's properties are measured first and encoded in place (a 50,000-resource request is
 * ~140 MB; built from pieces it needed twice that until the pieces were collected).
 */
export function analyzeStackRequestBytes(resources: readonly StackResource[]): Buffer {
    const envelopes: Uint8Array[] = [];
    const propertySizes: number[] = [];
    let total = 0;
    for (const r of resources) {
        // Measured before the envelope is built, so a value that cannot be sent is named as before.
        const size = structSize(r.outputs ?? r.inputs, `${r.urn} outputs`);
        const envelope = stackResource(r, false).serializeBinary();
        envelopes.push(envelope);
        propertySizes.push(size);
        total += lengthDelimitedSize(resourcesField, envelope.length + lengthDelimitedSize(propertiesField, size));
    }
    const out = Buffer.allocUnsafe(total);
    let pos = 0;
    resources.forEach((r, i) => {
        const envelope = envelopes[i];
        pos = writeFieldHeader(out, pos, resourcesField, envelope.length + lengthDelimitedSize(propertiesField, propertySizes[i]));
        out.set(envelope, pos);
        pos = writeFieldHeader(out, pos + envelope.length, propertiesField, propertySizes[i]);
        pos = encodeStructInto(r.outputs ?? r.inputs, `${r.urn} outputs`, out, pos);
    });
    return out;
}

const levelFromWire: Record<number, EnforcementLevel> = {
    [pb.EnforcementLevel.ADVISORY]: "advisory",
    [pb.EnforcementLevel.MANDATORY]: "mandatory",
    [pb.EnforcementLevel.REMEDIATE]: "remediate",
    [pb.EnforcementLevel.DISABLED]: "disabled",
};

const levelToWire: Record<EnforcementLevel, pb.EnforcementLevel> = {
    advisory: pb.EnforcementLevel.ADVISORY,
    mandatory: pb.EnforcementLevel.MANDATORY,
    remediate: pb.EnforcementLevel.REMEDIATE,
    disabled: pb.EnforcementLevel.DISABLED,
};

export function enforcementLevel(level: pb.EnforcementLevel): EnforcementLevel {
    const name = levelFromWire[level];
    if (name === undefined) throw new Error(`invalid enforcement level ${level}`);
    return name;
}

export function wireEnforcementLevel(level: EnforcementLevel): pb.EnforcementLevel {
    return levelToWire[level];
}

const severityFromWire: Record<number, string | undefined> = {
    [pb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
    [pb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
    [pb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
    [pb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

const policyTypeFromWire: Record<number, PolicyDescription["policyType"]> = {
    [pb.PolicyType.POLICY_TYPE_RESOURCE]: "resource",
    [pb.PolicyType.POLICY_TYPE_STACK]: "stack",
};

/**
 * Diagnostics as the CLI reads them; a diagnostic without severity takes its policy's severity
 * (analyzer.convertDiagnostics), and for `Analyze` one without a URN is about the analysed resource.
 */
export function diagnostics(
    list: pb.AnalyzeDiagnostic[],
    phase: Diagnostic["phase"],
    info: AnalyzerDescription,
    analysedUrn?: string,
): Diagnostic[] {
    return list.map((d) => {
        const severity =
            severityFromWire[d.getSeverity()] ?? info.policies.find((p) => p.name === d.getPolicyname())?.severity;
        const diagnostic: Diagnostic = {
            policyName: d.getPolicyname(),
            policyPackName: d.getPolicypackname(),
            enforcementLevel: enforcementLevel(d.getEnforcementlevel()),
            urn: d.getUrn() || analysedUrn || "",
            message: d.getMessage(),
            description: d.getDescription(),
            phase,
        };
        if (severity !== undefined) diagnostic.severity = severity;
        return diagnostic;
    });
}

export function notApplicable(list: pb.PolicyNotApplicable[], phase: NotApplicable["phase"], urn?: string): NotApplicable[] {
    return list.map((n) => {
        const result: NotApplicable = { policyName: n.getPolicyName(), reason: n.getReason(), phase };
        if (urn !== undefined) result.urn = urn;
        return result;
    });
}

/** The few top-level scalars of PulumiPolicy.yaml the CLI uses (`version`, `description`, `runtime`). */
export interface PolicyProject {
    runtime?: string;
    version?: string;
    description?: string;
}

function topLevelScalar(yaml: string, key: string): string | undefined {
    const m = new RegExp(`^${key}:[ \\t]*(.*)$`, "m").exec(yaml);
    if (!m) return undefined;
    let value = m[1].replace(/\s+#.*$/, "").trim();
    if (value === "" || value.startsWith("|") || value.startsWith(">")) return undefined;
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
        value = value.slice(1, -1);
    }
    return value;
}

/** Reads `<packDir>/PulumiPolicy.yaml`, which the CLI requires before it starts a pack. */
export function readPolicyProject(packDir: string): PolicyProject {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    if (!fs.existsSync(file)) {
        throw new Error(`failed to load Pulumi policy project located at "${packDir}": ${file} does not exist`);
    }
    const yaml = fs.readFileSync(file, "utf8");
    // `runtime: nodejs` or `runtime:\n  name: nodejs`.
    const runtime = topLevelScalar(yaml, "runtime") ?? /^runtime:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+name:[ \t]*(\S+)/m.exec(yaml)?.[1];
    return { runtime, version: topLevelScalar(yaml, "version"), description: topLevelScalar(yaml, "description") };
}

/**
 * The pack's GetAnalyzerInfo as the CLI sees it: PulumiPolicy.yaml's `version` wins over the pack's,
 * its `description` fills in a missing one.
 */
export function describeAnalyzer(ai: pb.AnalyzerInfo, project: PolicyProject): AnalyzerDescription {
    const policies = ai.getPoliciesList().map((p): PolicyDescription => {
        const policy: PolicyDescription = {
            name: p.getName(),
            description: p.getDescription(),
            enforcementLevel: enforcementLevel(p.getEnforcementlevel()),
            policyType: policyTypeFromWire[p.getPolicyType()] ?? "unknown",
        };
        if (p.getDisplayname()) policy.displayName = p.getDisplayname();
        const severity = severityFromWire[p.getSeverity()];
        if (severity) policy.severity = severity;
        if (p.getRemediationSteps()) policy.remediationSteps = p.getRemediationSteps();
        const schema = p.getConfigschema();
        if (schema) {
            policy.configSchema = { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown> };
            if (schema.getRequiredList().length > 0) policy.configSchema.required = schema.getRequiredList();
        }
        return policy;
    });
    const initialConfig: AnalyzerDescription["initialConfig"] = {};
    ai.getInitialconfigMap().forEach((c, policy) => {
        // proto3 has no "unset" enum: an entry the pack gave only properties arrives as ADVISORY, and
        // the CLI applies it as such (convertPolicyConfig, then applyConfig); so do we.
        initialConfig[policy] = {
            enforcementLevel: enforcementLevel(c.getEnforcementlevel()),
            properties: (c.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
        };
    });
    const description: AnalyzerDescription = {
        name: ai.getName(),
        version: project.version || ai.getVersion(),
        supportsConfig: ai.getSupportsconfig(),
        policies,
        initialConfig,
    };
    const text = ai.getDescription() || project.description;
    if (text) description.description = text;
    return description;
}
