// Policy configuration as the Pulumi CLI reconciles it before `Configure`
// (pkg/resource/analyzer/config.go: parsePolicyPackConfig, ReconcilePolicyPackConfig, applyConfig,
// validatePolicyPackConfig). Pure: no process, no protocol.

import * as fs from "fs";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { parse, ParseError, printParseErrorCode } from "jsonc-parser";
import { AnalyzerDescription, EnforcementLevel, PolicyPackConfigFile, ReconciledPolicyConfig } from "./types";
import { nearestName, unknownConfigKeys } from "../values/config-keys";

export const enforcementLevels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A configuration the CLI would refuse. `policy`/`key` name the first problem; `problems` lists all. */
export class PolicyConfigError extends Error {
    readonly policy?: string;
    readonly key?: string;
    readonly file?: string;
    readonly problems: readonly string[];

    constructor(problems: readonly Problem[], file?: string) {
        super(problems.map((p) => p.text).join("\n"));
        this.name = "PolicyConfigError";
        this.problems = problems.map((p) => p.text);
        if (problems[0]?.policy !== undefined) this.policy = problems[0].policy;
        if (problems[0]?.key !== undefined) this.key = problems[0].key;
        if (file !== undefined) this.file = file;
    }
}

interface Problem {
    policy?: string;
    key?: string;
    text: string;
}

/** One entry of a config source after parsing: a level, properties, or both. */
interface Entry {
    enforcementLevel?: EnforcementLevel;
    properties?: Record<string, unknown>;
}

function isLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (enforcementLevels as readonly string[]).includes(value);
}

function kindOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    return typeof value;
}

function preview(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const levelList = enforcementLevels.join(", ");

/** Pulumi ESC environments for the pack (parsePolicyPackConfig); not a policy. */
const environmentsKey = "environments";

function environmentsProblem(value: unknown): Problem | undefined {
    if (!Array.isArray(value)) return { key: environmentsKey, text: `"environments" must be an array of strings (got ${kindOf(value)})` };
    const i = value.findIndex((e) => typeof e !== "string");
    return i >= 0 ? { key: environmentsKey, text: `"environments[${i}]" must be a string (got ${kindOf(value[i])})` } : undefined;
}

/**
 * parsePolicyPackConfig: `environments` (a list of ESC environment names) is taken out; a string is a level; an object may carry `enforcementLevel` and properties;
 * an empty object is dropped; anything else is an error.
 */
function parseEntries(file: PolicyPackConfigFile | undefined): Map<string, Entry> {
    const entries = new Map<string, Entry>();
    const problems: Problem[] = [];
    for (const [name, value] of Object.entries(file ?? {})) {
        if (name === environmentsKey) {
            const problem = environmentsProblem(value);
            if (problem) problems.push(problem);
            continue;
        }
        if (typeof value === "string") {
            if (isLevel(value)) entries.set(name, { enforcementLevel: value });
            else problems.push({ policy: name, key: "enforcementLevel", text: `${name}: enforcement level ${preview(value)} is not one of ${levelList}` });
            continue;
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            problems.push({ policy: name, text: `${name}: must be an enforcement level or an object of settings (got ${kindOf(value)})` });
            continue;
        }
        const { enforcementLevel, ...properties } = value as Record<string, unknown>;
        const entry: Entry = {};
        if ("enforcementLevel" in value) {
            if (isLevel(enforcementLevel)) entry.enforcementLevel = enforcementLevel;
            else {
                problems.push({ policy: name, key: "enforcementLevel", text: `${name}: property "enforcementLevel" must be one of ${levelList} (got ${preview(enforcementLevel)})` });
                continue;
            }
        }
        if (Object.keys(properties).length > 0) entry.properties = structuredClone(properties);
        if (entry.enforcementLevel !== undefined || entry.properties !== undefined) entries.set(name, entry);
    }
    if (problems.length > 0) throw new PolicyConfigError(problems);
    return entries;
}

function unknownPolicy(name: string, info: AnalyzerDescription): Problem {
    const names = info.policies.map((p) => p.name);
    const closest = nearestName(name, names);
    const hint =
        closest !== undefined
            ? `; did you mean "${closest}"?`
            : names.length > 0
              ? `; its policies are: ${names.join(", ")}`
              : "";
    return { policy: name, text: `${name}: policy pack "${info.name}" has no policy of that name${hint}` };
}

type Working = Map<string, { enforcementLevel: EnforcementLevel | undefined; properties: Record<string, unknown> }>;

/**
 * applyConfig: `all` sets every level first, then each entry, `all` itself and names the pack lacks
 * included, sets its level and merges its properties over what is there (top-level keys replaced).
 * So `all`'s properties reach no policy, and every name of the file ends up in Configure's map.
 */
function apply(result: Working, entries: Map<string, Entry>): void {
    const all = entries.get("all")?.enforcementLevel;
    if (all !== undefined) for (const c of result.values()) c.enforcementLevel = all;
    for (const [name, entry] of entries) {
        const current = result.get(name) ?? { enforcementLevel: undefined, properties: {} };
        if (entry.enforcementLevel !== undefined) current.enforcementLevel = entry.enforcementLevel;
        Object.assign(current.properties, structuredClone(entry.properties ?? {}));
        result.set(name, current);
    }
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** The schema the CLI validates with: the pack's, as an object, plus the `enforcementLevel` it injects. */
function validatorFor(policy: AnalyzerDescription["policies"][number]): ValidateFunction {
    const schema: Record<string, unknown> = {
        type: "object",
        properties: {
            ...(policy.configSchema?.properties ?? {}),
            enforcementLevel: { type: "string", enum: [...enforcementLevels] },
        },
    };
    if (policy.configSchema?.required?.length) schema.required = policy.configSchema.required;
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
        // gojsonschema is lenient about unknown keywords; so is ajv with `strict: false`.
        ajv ??= new Ajv({ allErrors: true, strict: false, logger: false });
        try {
            validate = ajv.compile(schema);
        } catch (e) {
            throw new PolicyConfigError([{ policy: policy.name, text: `${policy.name}: the pack's config schema is invalid: ${(e as Error).message}` }]);
        }
        validators.set(key, validate);
    }
    return validate;
}

function pointerSegments(pointer: string): string[] {
    return pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function propertyPath(segments: string[]): string {
    return segments.map((s, i) => (i === 0 ? s : /^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join("");
}

function valueAt(data: unknown, segments: string[]): unknown {
    let v = data;
    for (const s of segments) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[s] : undefined;
    return v;
}

function describeSchemaError(policy: string, err: ErrorObject, data: Record<string, unknown>): Problem {
    const segments = pointerSegments(err.instancePath);
    const value = valueAt(data, segments);
    const params = err.params as Record<string, unknown>;
    let detail: string;
    if (err.keyword === "required") {
        segments.push(String(params.missingProperty));
        detail = "is required";
    } else if (err.keyword === "additionalProperties") {
        segments.push(String(params.additionalProperty));
        detail = "is not allowed";
    } else if (err.keyword === "type") {
        detail = `must be ${String(params.type)} (got ${kindOf(value)})`;
    } else if (err.keyword === "enum") {
        detail = `must be one of ${(params.allowedValues as unknown[]).map(preview).join(", ")} (got ${preview(value)})`;
    } else {
        detail = `${err.message ?? `fails "${err.keyword}"`} (got ${preview(value)})`;
    }
    const where = segments.length > 0 ? `property "${propertyPath(segments)}"` : "its settings";
    const problem: Problem = { policy, text: `${policy}: ${where} ${detail}` };
    if (segments.length > 0) problem.key = segments[0];
    return problem;
}

/**
 * The per-policy configuration the CLI sends in `Configure`: the policy's declared level and its
 * schema defaults, then the pack's initial config, then `file`; validated against each policy's
 * schema (ReconcilePolicyPackConfig, then analyzer.Configure's level check). As in the CLI, `all` and
 * names the pack lacks are forwarded (the Node server ignores them; `configWarnings` says so), and one
 * of them that carries properties but no level is refused (`invalid enforcement level ""`).
 * `environments` is not a policy and is left out. Throws `PolicyConfigError` where the CLI refuses.
 *
 * Stricter than the CLI in one respect, with `strictKeys` (what `vpce-guard check` asks for): a key of
 * `file` that a known policy's schema does not declare (`enforcmentLevel`, `acountIds`) is an error;
 * the CLI validates without `additionalProperties` at the top level (config.go convertSchema) and
 * passes such a key on.
 */
export function reconcileConfig(info: AnalyzerDescription, file?: PolicyPackConfigFile, opts: { strictKeys?: boolean } = {}): Record<string, ReconciledPolicyConfig> {
    const entries = parseEntries(file);
    if (!info.supportsConfig) {
        if (file !== undefined && Object.keys(file).length > 0) throw new PolicyConfigError([{ text: `policy pack "${info.name}" does not support config` }]);
        return {};
    }

    if (opts.strictKeys) {
        const problems: Problem[] = [];
        for (const [name, entry] of entries) {
            const policy = info.policies.find((p) => p.name === name);
            if (policy === undefined || entry.properties === undefined) continue;
            const valid = ["enforcementLevel", ...Object.keys(policy.configSchema?.properties ?? {})];
            for (const u of unknownConfigKeys(name, valid, entry.properties)) problems.push({ policy: name, key: u.key, text: u.text });
        }
        if (problems.length > 0) throw new PolicyConfigError(problems);
    }

    // createConfigWithDefaults: the declared level, and each schema property's `default`.
    const result: Working = new Map();
    for (const p of info.policies) {
        const properties: Record<string, unknown> = {};
        for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (schema !== null && typeof schema === "object" && "default" in schema) {
                properties[key] = structuredClone((schema as { default: unknown }).default);
            }
        }
        result.set(p.name, { enforcementLevel: p.enforcementLevel, properties });
    }

    const initial = new Map<string, Entry>(
        Object.entries(info.initialConfig).map(([name, c]): [string, Entry] => {
            const entry: Entry = { properties: c.properties };
            if (c.enforcementLevel !== undefined) entry.enforcementLevel = c.enforcementLevel;
            return [name, entry];
        }),
    );
    apply(result, initial);
    apply(result, entries);

    const problems: Problem[] = [];
    for (const p of info.policies) {
        const properties = result.get(p.name)!.properties;
        const validate = validatorFor(p);
        if (!validate(properties)) {
            for (const err of validate.errors ?? []) problems.push(describeSchemaError(p.name, err, properties));
        }
    }
    if (problems.length > 0) {
        problems.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
        throw new PolicyConfigError(problems);
    }
    // analyzer.Configure: every entry needs a level; only a name the pack lacks can miss one.
    for (const [name, c] of result) {
        if (c.enforcementLevel === undefined) {
            const key = Object.keys(c.properties)[0];
            const problem: Problem = {
                policy: name,
                text: `${name}: invalid enforcement level "" (the CLI refuses properties for ${name === "all" ? "`all`" : "a policy the pack lacks"} without an "enforcementLevel")`,
            };
            if (key !== undefined) problem.key = key;
            throw new PolicyConfigError([problem]);
        }
    }
    return Object.fromEntries(result) as Record<string, ReconciledPolicyConfig>;
}

/**
 * What the CLI accepts in a config but a user should hear about: names the pack lacks (forwarded,
 * ignored by the Node server), properties under `all` (reach no policy), and `environments`, whose
 * ESC environments are not opened here. Assumes `reconcileConfig` accepted the file.
 */
export function configWarnings(info: AnalyzerDescription, file?: PolicyPackConfigFile): string[] {
    const warnings: string[] = [];
    const names = new Set(info.policies.map((p) => p.name));
    for (const [name, value] of Object.entries(file ?? {})) {
        if (name === environmentsKey) {
            const list = (value as unknown as string[]).join(", ");
            warnings.push(`"environments" (${list || "none"}): ESC environments are not opened offline (nor by \`pulumi policy analyze\`); the pack runs without what they would set`);
        } else if (name === "all") {
            const keys = value !== null && typeof value === "object" ? Object.keys(value).filter((k) => k !== "enforcementLevel") : [];
            if (keys.length > 0) warnings.push(`all: properties (${keys.join(", ")}) under "all" reach no policy; only its "enforcementLevel" applies to every policy`);
        } else if (!names.has(name)) {
            warnings.push(unknownPolicy(name, info).text + " (ignored)");
        }
    }
    return warnings;
}

function jsonProblem(e: ParseError): string {
    const code = printParseErrorCode(e.error);
    if (code === "InvalidCommentToken") return "comments are not allowed";
    // "PropertyNameExpected" → "property name expected"
    return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    return { line, column: offset - before.lastIndexOf("\n") };
}

/**
 * A `--policy-pack-config` file: strict JSON holding an object (blank content means no config, as
 * for the CLI). Parse errors name the file, line and column.
 */
export function readPolicyPackConfigFile(file: string): PolicyPackConfigFile {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new PolicyConfigError([{ text: `${file}: cannot read policy pack config: ${(e as Error).message}` }], file);
    }
    if (text.trim() === "") return {};
    const errors: ParseError[] = [];
    const value: unknown = parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    if (errors.length > 0) {
        const e = errors[0];
        const { line, column } = lineAndColumn(text, e.offset);
        throw new PolicyConfigError([{ text: `${file}:${line}:${column}: invalid JSON: ${jsonProblem(e)}` }], file);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new PolicyConfigError([{ text: `${file}: a policy pack config must be a JSON object (got ${kindOf(value)})` }], file);
    }
    return value as PolicyPackConfigFile;
}
