// Between the engine's public types and the Analyzer protocol: resources out as the CLI marshals
// them (sdk/go/common/resource/plugin/analyzer_plugin.go, rpc.go), results and metadata back.

import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { analyzer as pb, Struct } from "./proto";
import { encodeStruct, encodeStructInto, lengthDelimited, lengthDelimitedSize, noBytes, stringEntry, stringField, structSize, writeFieldHeader } from "./struct-encoding";
import {
    AnalyzerDescription,
    Diagnostic,
    EnforcementLevel,
    NotApplicable,
    PolicyDescription,
    Remediation,
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

/** marshalResourceOptions: every option, custom timeouts always present (the Node server reads them). */
function resourceOptions(r: StackResource): pb.AnalyzerResourceOptions {
    const o = r.options ?? {};
    const options = new pb.AnalyzerResourceOptions();
    options.setProtect(o.protect ?? false);
    options.setIgnorechangesList(o.ignoreChanges ?? []);
    options.setDeletebeforereplace(o.deleteBeforeReplace ?? false);
    options.setDeletebeforereplacedefined(o.deleteBeforeReplace !== undefined);
    options.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
    options.setAliasesList(o.aliases ?? []);
    const timeouts = new pb.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(o.customTimeouts?.create ?? 0);
    timeouts.setUpdate(o.customTimeouts?.update ?? 0);
    timeouts.setDelete(o.customTimeouts?.delete ?? 0);
    timeouts.setRead(o.customTimeouts?.read ?? 0);
    options.setCustomtimeouts(timeouts);
    if (r.parent) options.setParent(r.parent);
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

/** `Analyze` on the resource's inputs (the message `analyzeRequestBytes` writes as bytes). */
export function analyzeRequest(r: StackResource): pb.AnalyzeRequest {
    const req = new pb.AnalyzeRequest();
    req.setUrn(r.urn);
    req.setType(r.type);
    req.setName(r.name ?? nameFromUrn(r.urn));
    req.setProperties(propertiesStruct(r.inputs, `${r.urn} inputs`));
    req.setOptions(resourceOptions(r));
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
export function stackResource(r: StackResource): pb.AnalyzerResource {
    const res = new pb.AnalyzerResource();
    res.setUrn(r.urn);
    res.setType(r.type);
    res.setName(r.name ?? nameFromUrn(r.urn));
    res.setProperties(propertiesStruct(r.outputs ?? r.inputs, `${r.urn} outputs`));
    res.setOptions(resourceOptions(r));
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

// The requests as bytes, for large stacks: each resource's fields are written one by one (strings,
// repeated strings and the dependency map as google-protobuf writes them; the options message by
// google-protobuf, once per parent when a resource gives none; the provider once per provider),
// and its properties (field 2 of AnalyzeRequest and of AnalyzerResource) encoded by
// engine/struct-encoding.ts. A message's fields may come in any order, so these decode to the
// messages above (test/engine/struct-encoding.spec.ts); no google-protobuf message per resource,
// nor a tree of the whole stack, is built.
const propertiesField = 2;
/** `AnalyzerProviderResource provider = 6`, in both messages. */
const providerField = 6;
/** `repeated AnalyzerResource resources = 1` of AnalyzeStackRequest. */
const resourcesField = 1;

// Every resource of a stack names one of a few providers, and each request carries its provider
// whole: its field is serialized once per provider object (the stack reader shares one per provider).
const providerFields = new WeakMap<object, Buffer>();

function providerFieldBytes(r: StackResource): Buffer {
    const provider = r.provider;
    if (!provider) return noBytes;
    let bytes = providerFields.get(provider);
    if (bytes === undefined) {
        bytes = lengthDelimited(providerField, providerResource(r)!.serializeBinary());
        providerFields.set(provider, bytes);
    }
    return bytes;
}

// The other fields both messages share: `type = 1`, `urn = 3`, `name = 4`, `options = 5`.
const typeField = 1;
const urnField = 3;
const nameField = 4;
const optionsField = 5;

// Most resources give no options: theirs differ only by parent, and a stack has few parents.
const defaultOptionsByParent = new Map<string, Buffer>();
const defaultOptionsKept = 256;

function optionsFieldBytes(r: StackResource): Buffer {
    if (r.options !== undefined) return lengthDelimited(optionsField, resourceOptions(r).serializeBinary());
    const parent = r.parent ?? "";
    let bytes = defaultOptionsByParent.get(parent);
    if (bytes === undefined) {
        bytes = lengthDelimited(optionsField, resourceOptions(r).serializeBinary());
        if (defaultOptionsByParent.size < defaultOptionsKept) defaultOptionsByParent.set(parent, bytes);
    }
    return bytes;
}

/**
 * The bytes of `analyzeRequest(r)`, written field by field (tens of thousands per stack: building
 * a google-protobuf message for each cost more than its properties).
 */
export function analyzeRequestBytes(r: StackResource): Buffer {
    return Buffer.concat([...sharedFields(r), lengthDelimited(propertiesField, encodeStruct(r.inputs, `${r.urn} inputs`))]);
}

/** The fields AnalyzeRequest and AnalyzerResource share (same numbers in both), but the properties. */
function sharedFields(r: StackResource): Buffer[] {
    return [
        stringField(typeField, r.type), stringField(urnField, r.urn), stringField(nameField, r.name ?? nameFromUrn(r.urn)),
        optionsFieldBytes(r), providerFieldBytes(r),
    ];
}

// AnalyzerResource's fields beyond AnalyzeRequest's: `parent = 7`, `repeated string dependencies = 8`,
// `map<string, AnalyzerPropertyDependencies> propertyDependencies = 9` (an entry: key = 1, value = 2;
// the value's `repeated string urns = 1`).
const parentField = 7;
const dependenciesField = 8;
const propertyDependenciesField = 9;

/** `stackResource(r)`'s bytes without its properties, written field by field. */
function stackEnvelopeBytes(r: StackResource): Buffer {
    const parts = sharedFields(r);
    if (r.parent) parts.push(stringField(parentField, r.parent));
    for (const d of r.dependencies ?? []) parts.push(stringEntry(dependenciesField, d));
    for (const [property, urns] of Object.entries(r.propertyDependencies ?? {})) {
        if (urns.length === 0) continue; // the CLI skips properties without dependencies
        const value = Buffer.concat(urns.map((u) => stringEntry(1, u)));
        parts.push(lengthDelimited(propertyDependenciesField, stringEntry(1, property), lengthDelimited(2, value)));
    }
    return Buffer.concat(parts);
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
        const envelope = stackEnvelopeBytes(r);
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

const rootStackType = "pulumi:pulumi:Stack";

/** `resource.URN.IsValid`'s shape: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
function urnParts(urn: string): { stack: string; project: string } | undefined {
    if (!urn.startsWith("urn:pulumi:")) return undefined;
    const parts = urn.slice("urn:pulumi:".length).split("::");
    return parts.length >= 4 && parts[2] !== "" ? { stack: parts[0], project: parts[1] } : undefined;
}

/**
 * snapshotRootStackURN (pkg/resource/deploy/analyze_snapshot.go): the stack's `pulumi:pulumi:Stack`
 * resource without a parent, else the default root URN of the first valid URN's stack and project
 * (`resource.DefaultRootStackURN`), else "".
 */
export function rootStackUrn(resources: readonly StackResource[]): string {
    let fallback = "";
    for (const r of resources) {
        const parts = urnParts(r.urn);
        if (!parts) continue;
        if (r.type === rootStackType && !r.parent) return r.urn;
        fallback ||= `urn:pulumi:${parts.stack}::${parts.project}::${rootStackType}::${parts.project}-${parts.stack}`;
    }
    return fallback;
}

/**
 * resolveStackPolicyViolationURN: a stack diagnostic keeps its URN when that names a resource of the
 * stack; otherwise (none, or one not in the stack) it is about the root stack.
 */
export function stackViolationAttribution(resources: readonly StackResource[]): (urn: string) => string {
    const urns = new Set(resources.map((r) => r.urn));
    let root: string | undefined;
    return (urn) => (urns.has(urn) ? urn : (root ??= rootStackUrn(resources)));
}

/**
 * Diagnostics as the CLI reads them; a diagnostic without severity takes its policy's severity
 * (analyzer.convertDiagnostics); `remediate` is reported as `mandatory` (analyzeResource,
 * AnalyzeStack in step_generator.go and analyze_snapshot.go); `urnFor` gives the URN the CLI
 * attributes it to: for Analyze always the analysed resource, for AnalyzeStack see
 * `stackViolationAttribution`.
 */
export function diagnostics(
    list: pb.AnalyzeDiagnostic[],
    phase: Diagnostic["phase"],
    info: AnalyzerDescription,
    urnFor: (diagnosticUrn: string) => string,
): Diagnostic[] {
    return list.map((d) => {
        const severity =
            severityFromWire[d.getSeverity()] ?? info.policies.find((p) => p.name === d.getPolicyname())?.severity;
        const level = enforcementLevel(d.getEnforcementlevel());
        const diagnostic: Diagnostic = {
            policyName: d.getPolicyname(),
            policyPackName: d.getPolicypackname(),
            enforcementLevel: level === "remediate" ? "mandatory" : level,
            urn: urnFor(d.getUrn()),
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

/** The runtime options the Node language host reads (main.go parseOptions). */
export interface RuntimeOptions {
    name: string;
    /** `typescript` (default true): sets `PULUMI_NODEJS_TYPESCRIPT`. */
    typescript: boolean;
    /** `tsconfig`: sets `PULUMI_NODEJS_TSCONFIG_PATH`. */
    tsconfig?: string;
    /** `nodeargs`, split as google/shlex splits it. */
    nodeargs: string[];
}

/** What of PulumiPolicy.yaml the CLI uses (`version`, `description`, `runtime` and its options). */
export interface PolicyProject {
    runtime: RuntimeOptions;
    version?: string;
    description?: string;
}

/**
 * `shlex.Split` (github.com/google/shlex), as the language host splits `nodeargs`: words split on
 * blanks; single quotes literal; double quotes with backslash escapes of `"`, `\\`, `$`, `` ` `` and
 * newline; a backslash outside quotes escapes the next character; `#` at a word's start begins a comment.
 */
export function shlexSplit(text: string): string[] {
    const words: string[] = [];
    let word: string | undefined;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (/\s/.test(c)) {
            if (word !== undefined) words.push(word);
            word = undefined;
        } else if (c === "#" && word === undefined) {
            while (i < text.length && text[i] !== "\n") i++;
        } else if (c === "\\") {
            i++;
            if (i >= text.length) throw new Error("EOF found after escape character");
            word = (word ?? "") + text[i];
        } else if (c === "'") {
            const end = text.indexOf("'", i + 1);
            if (end < 0) throw new Error("EOF found when expecting closing quote");
            word = (word ?? "") + text.slice(i + 1, end);
            i = end;
        } else if (c === '"') {
            word ??= "";
            for (i++; ; i++) {
                if (i >= text.length) throw new Error("EOF found when expecting closing quote");
                if (text[i] === '"') break;
                if (text[i] === "\\" && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1])) i++;
                word += text[i];
            }
        } else {
            word = (word ?? "") + c;
        }
    }
    if (word !== undefined) words.push(word);
    return words;
}

function runtimeOptions(runtime: unknown, file: string): RuntimeOptions {
    const fail = (what: string): never => {
        throw new Error(`failed to load Pulumi policy project located at "${path.dirname(file)}": ${what}`);
    };
    if (runtime === undefined || runtime === null) fail("runtime is required");
    let name: unknown = runtime;
    let options: Record<string, unknown> = {};
    if (typeof runtime === "object") {
        const r = runtime as Record<string, unknown>;
        name = r.name;
        if (r.options !== undefined && r.options !== null) {
            if (typeof r.options !== "object" || Array.isArray(r.options)) fail("runtime.options must be a map");
            options = r.options as Record<string, unknown>;
        }
    }
    if (typeof name !== "string" || name === "") fail("runtime must be a string or an object with a name");
    // parseOptions' type checks and messages.
    const result: RuntimeOptions = { name: name as string, typescript: true, nodeargs: [] };
    if (options.typescript !== undefined) {
        if (typeof options.typescript !== "boolean") fail("typescript option must be a boolean");
        result.typescript = options.typescript as boolean;
    }
    if (options.tsconfig !== undefined) {
        if (typeof options.tsconfig !== "string") fail("tsconfigpath option must be a string");
        result.tsconfig = options.tsconfig as string;
    }
    if (options.nodeargs !== undefined) {
        if (typeof options.nodeargs !== "string") fail("nodeargs option must be a string");
        try {
            result.nodeargs = shlexSplit(options.nodeargs as string);
        } catch (e) {
            fail(`nodeargs: ${(e as Error).message}`);
        }
    }
    return result;
}

/** Reads `<packDir>/PulumiPolicy.yaml`, which the CLI requires before it starts a pack. */
export function readPolicyProject(packDir: string): PolicyProject {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    if (!fs.existsSync(file)) {
        throw new Error(`failed to load Pulumi policy project located at "${packDir}": ${file} does not exist`);
    }
    let doc: unknown;
    try {
        doc = yaml.load(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(`failed to load Pulumi policy project located at "${packDir}": ${(e as Error).message}`);
    }
    const project = (doc !== null && typeof doc === "object" ? doc : {}) as Record<string, unknown>;
    const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
    const result: PolicyProject = { runtime: runtimeOptions(project.runtime, file) };
    const version = text(project.version);
    if (version !== undefined) result.version = version;
    const description = text(project.description);
    if (description !== undefined) result.description = description;
    return result;
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
        if (p.getUrl()) policy.url = p.getUrl();
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
    if (ai.getDisplayname()) description.displayName = ai.getDisplayname();
    if (ai.getReadme()) description.readme = ai.getReadme();
    if (ai.getProvider()) description.provider = ai.getProvider();
    if (ai.getTagsList().length > 0) description.tags = ai.getTagsList();
    if (ai.getRepository()) description.repository = ai.getRepository();
    return description;
}

/** The remediations of one Remediate response, each with the top-level inputs it changed. */
export function remediations(list: pb.Remediation[], resource: StackResource): Remediation[] {
    let before: Record<string, unknown> = resource.inputs;
    return list.map((r) => {
        const result: Remediation = { policyName: r.getPolicyname(), policyPackName: r.getPolicypackname(), urn: resource.urn, changed: [] };
        const props = r.getProperties();
        if (props !== undefined) {
            const after = props.toJavaScript() as Record<string, unknown>;
            result.properties = after;
            const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
            result.changed = [...keys].filter((k) => !k.startsWith("__") && JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
            before = after;
        }
        if (r.getDiagnostic()) result.diagnostic = r.getDiagnostic();
        return result;
    });
}
