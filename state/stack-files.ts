// Reading the stacks `vpce-guard check` audits: a `pulumi stack export` (or a file backend's
// checkpoint) and a `pulumi preview --json` digest, told apart by content. Pure: text in, the
// resources the engine would analyse (as `StackResource`s) and what the reader had to note out.
//
// Sources (pulumi/pulumi): the export is `apitype.UntypedDeployment` around `DeploymentV3`
// (sdk/pkg/resource/stack/deployment.go: versions 3 and 4 share the resource format); the preview is
// `display.PreviewDigest`, whose steps carry `newState` as `apitype.ResourceV3` serialized with
// secrets replaced by "[secret]" and computed values by the unknown-string sentinel
// (pkg/backend/display/json.go ShowPreviewDigest, stateForJSONOutput; stack.SerializePropertyValue).
// `pulumi policy analyze` skips only resources pending deletion (`delete: true`) and attaches each
// resource's provider (pkg/resource/deploy/analyze_snapshot.go); so does this reader.

import { findNodeAtLocation, parseTree, printParseErrorCode, type JSONPath, type ParseError } from "jsonc-parser";
import { secret, type ResourceOptions, type StackResource } from "../engine";
import { positionAt, positionsIn } from "../iam/json-document";
import { UnknownSentinel } from "../values/unknown-values";
import { PassphraseCrypter, PassphraseError } from "./passphrase";

export type StackDocumentKind = "export" | "checkpoint" | "preview";

export const documentKindNames: Readonly<Record<StackDocumentKind, string>> = {
    export: "stack export",
    checkpoint: "state checkpoint",
    preview: "preview",
};

/** The name a document read from stdin (`-`) goes by in reports. */
export const stdinFile = "(stdin)";

export interface SecretCounts {
    /**
     * Encrypted values (`ciphertext`) of an export that could not be decrypted: sent as the secret
     * string "[secret]", as `pulumi policy analyze --file` sends them.
     */
    encrypted: number;
    /** `[secret]` placeholders of a preview: sent as unknown. */
    redacted: number;
    /**
     * Secrets sent with their value: `plaintext` ones of an export made with `--show-secrets`, and
     * `ciphertext` ones decrypted with the stack's passphrase.
     */
    decrypted: number;
}

/** What reading may use besides the text. */
export interface ReadOptions {
    /**
     * The passphrase of a stack whose export names the `passphrase` secrets provider (see
     * `passphraseFromEnvironment`); its secrets are then decrypted, as `pulumi preview` sees them.
     */
    passphrase?: string;
}

export interface StackDocument {
    file: string;
    kind: StackDocumentKind;
    /** From the resources' URNs (`urn:pulumi:<stack>::<project>::…`); undefined for an empty stack. */
    stack?: string;
    project?: string;
    /** What the engine analyses, in file order. */
    resources: StackResource[];
    /** 1-based line of each resource (its `urn`) in the file, for reports that point into it. */
    lines: Record<string, number>;
    /** Where the program registered each resource (its `sourcePosition`), when the file records it. */
    sources: Record<string, SourcePosition>;
    /** A preview plans (ConfigureStack's `dryRun`); an export is deployed state. */
    dryRun: boolean;
    /** Stack config the file carries (a preview's `config`, secrets left out). */
    config: Record<string, string>;
    secrets: SecretCounts;
    /** Resources pending deletion, which the engine does not analyse. */
    pendingDeletes: number;
    /** What the report must say about this file: each a sentence. */
    notes: string[];
}

/**
 * A resource's place in the Pulumi program, from its `sourcePosition`: `project:///index.ts#21,23`
 * is relative to the Pulumi project directory, `file:///…` absolute (pulumi/pulumi#13436).
 */
export interface SourcePosition {
    /** Relative to the project directory (`/`-separated) unless `absolute`. */
    file: string;
    absolute: boolean;
    line: number;
    column?: number;
}

/**
 * Reads a `sourcePosition` URI. Positions inside `node_modules` or a virtualenv (the SDK's own
 * frames, which some SDK versions record) are not the user's program and give none.
 */
export function parseSourcePosition(uri: string): SourcePosition | undefined {
    const m = /^(project|file):\/\/([^#]*)#(\d+)(?:,(\d+))?$/.exec(uri);
    if (!m) return undefined;
    let file: string;
    try {
        file = decodeURIComponent(m[2]);
    } catch {
        return undefined;
    }
    const absolute = m[1] === "file";
    if (!absolute) file = file.replace(/^\/+/, "");
    if (file === "" || /(^|\/)(node_modules|\.venv|site-packages)\//.test(file)) return undefined;
    const line = Number(m[3]);
    if (line < 1) return undefined;
    const position: SourcePosition = { file, absolute, line };
    if (m[4] !== undefined && Number(m[4]) > 0) position.column = Number(m[4]);
    return position;
}

export interface StackFileError {
    file: string;
    /** 1-based, when the problem has a place in the text. */
    line?: number;
    column?: number;
    message: string;
}

export type StackFileResult = { ok: true; document: StackDocument } | { ok: false; error: StackFileError };

/** `resource.SigKey` and `resource.SecretSig` (sdk/go/common/resource/properties.go). */
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
/** How preview JSON writes a secret (display.MassageSecrets with showSecrets false). */
const redactedSecret = "[secret]";
const providerTypePrefix = "pulumi:providers:";
const supportedVersions = [3, 4];

/**
 * File bytes as text: UTF-8, or UTF-16 when the file starts with its byte-order mark (what
 * Windows PowerShell's `>` writes). A UTF-8 byte-order mark is dropped.
 */
export function decodeStackFile(bytes: Uint8Array): string {
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
    const text = new TextDecoder("utf-8").decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads one file's text. Never throws. */
export function readStackDocument(text: string, file: string, options: ReadOptions = {}): StackFileResult {
    try {
        return { ok: true, document: read(text, file, options) };
    } catch (e) {
        if (e instanceof Problem) return { ok: false, error: e.toError(text, file) };
        if (e instanceof RangeError) return { ok: false, error: { file, message: "the document is nested too deeply to be read" } };
        throw e;
    }
}

/** A problem found while reading; `at` is where it is (a JSON path or a text offset). */
class Problem {
    constructor(readonly message: string, readonly at?: JSONPath | number) {}

    toError(text: string, file: string): StackFileError {
        const offset = typeof this.at === "number" ? this.at : this.at !== undefined ? offsetOf(text, this.at) : undefined;
        if (offset === undefined) return { file, message: this.message };
        return { file, ...positionAt(text, offset), message: this.message };
    }
}

/** Where a JSON path starts in the text; only computed when there is something to report. */
function offsetOf(text: string, path: JSONPath): number | undefined {
    try {
        const tree = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
        for (let n = path.length; n >= 0; n--) {
            const node = tree && findNodeAtLocation(tree, path.slice(0, n));
            if (node) return node.parent?.type === "property" ? node.parent.offset : node.offset;
        }
    } catch {
        // Too deep for the recursive parser: the message still names the path.
    }
    return undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: unknown): v is JsonObject {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function kindOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function read(text: string, file: string, options: ReadOptions): StackDocument {
    if (text.trim() === "") throw new Problem("the file is empty; expected the output of `pulumi stack export` or `pulumi preview --json`");
    const value = parseJson(text);
    if (!isObject(value)) {
        throw new Problem(`the document is ${kindOf(value)}; expected the JSON object written by \`pulumi stack export\` or \`pulumi preview --json\``, 0);
    }
    if ("deployment" in value) return readExport(value, text, file, "export", ["deployment"], options);
    if ("checkpoint" in value) {
        const checkpoint = value.checkpoint;
        if (!isObject(checkpoint)) throw new Problem(`"checkpoint" is ${kindOf(checkpoint)}; expected an object`, ["checkpoint"]);
        return readExport({ version: value.version ?? null, deployment: checkpoint.latest ?? {} }, text, file, "checkpoint", ["checkpoint", "latest"], options);
    }
    if ("steps" in value || isObject(value.changeSummary)) return readPreview(value, text, file);
    if ("sequence" in value && "timestamp" in value) {
        throw new Problem("this is one engine event of a stream (PULUMI_ENABLE_STREAMING_JSON_PREVIEW or --event-log); run `pulumi preview --json` without it for a preview document", 0);
    }
    throw new Problem("this is not a Pulumi document: expected `pulumi stack export` output (with \"version\" and \"deployment\") or `pulumi preview --json` output (with \"steps\")", 0);
}

/** Strict JSON (as the Pulumi CLI writes it). JSON.parse for speed; jsonc-parser to say where it fails. */
function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch (e) {
        const errors: ParseError[] = [];
        parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
        const first = errors[0];
        if (first) throw new Problem(`invalid JSON: ${describeParseError(text, first)}`, first.offset);
        const at = /position (\d+)/.exec((e as Error).message);
        throw new Problem(`invalid JSON: ${(e as Error).message}`, at ? Number(at[1]) : undefined);
    }
}

function describeParseError(text: string, e: ParseError): string {
    const code = printParseErrorCode(e.error);
    if (e.offset >= text.trimEnd().length || code.startsWith("UnexpectedEndOf")) {
        return "the text ends in the middle of the document (is the file truncated?)";
    }
    const found = JSON.stringify(text.slice(e.offset, e.offset + Math.max(1, Math.min(e.length, 12))));
    if (e.offset === 0 || (code === "InvalidSymbol" && text.slice(0, e.offset).trim() === "")) {
        return `unexpected ${found} at the start; the file must hold only the JSON document (was stderr redirected into it?)`;
    }
    switch (code) {
        case "InvalidCommentToken": return "comments are not allowed";
        case "PropertyNameExpected": return `expected a property name in double quotes, found ${found}`;
        case "ValueExpected": return `expected a value, found ${found}`;
        case "ColonExpected": return `expected ':', found ${found}`;
        case "CommaExpected": return `expected ',' or a closing bracket, found ${found}`;
        case "CloseBraceExpected": return `expected '}', found ${found}`;
        case "CloseBracketExpected": return `expected ']', found ${found}`;
        case "EndOfFileExpected": return `unexpected ${found} after the end of the document (several documents in one file?)`;
        default: return `unexpected ${found}`;
    }
}

// ---------------------------------------------------------------------------------------------
// Property values: secrets and unknowns as the engine would send them.

/** `resource.ResourceReferenceSig`, `sig.ByteString` (sdk/go/common/resource/sig/sig.go). */
const resourceReferenceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const byteStringSig = "803fd3297a5875dc03ca845dda5d2a98";

/** A ciphertext the passphrase did not open: the CLI then reads the whole file with secrets redacted. */
class DecryptFailure extends Error {}

class Values {
    readonly counts: SecretCounts = { encrypted: 0, redacted: 0, decrypted: 0 };

    /** `crypter`: the stack's passphrase key, when there is one to decrypt `ciphertext` with. */
    constructor(private readonly kind: StackDocumentKind, private readonly crypter?: PassphraseCrypter) {}

    /** A property bag: `__`-prefixed engine keys stay (the engine module drops them on the wire). */
    bag(v: Json | undefined, path: JSONPath): Record<string, unknown> {
        if (v === undefined || v === null) return {};
        if (!isObject(v)) throw new Problem(`${describePath(path)} is ${kindOf(v)}; expected an object of properties`, path);
        return this.members(v, path, false);
    }

    /**
     * A value as the engine would send it. The parsed JSON is used as it is wherever nothing in it
     * changes (copying every object doubled the memory of a large stack); only what holds a secret,
     * a reference or a placeholder is copied. `inSecret`: inside a decrypted secret, whose nested
     * secrets were written with a no-op encrypter.
     */
    private value(v: Json, path: JSONPath, inSecret: boolean): unknown {
        if (typeof v === "string") {
            if (this.kind === "preview" && v === redactedSecret) {
                this.counts.redacted++;
                return UnknownSentinel.string;
            }
            return v;
        }
        if (Array.isArray(v)) {
            let out: unknown[] | undefined;
            for (let i = 0; i < v.length; i++) {
                const e = v[i];
                if (this.unchanged(e)) continue;
                const c = this.value(e, [...path, i], inSecret);
                if (c !== e) (out ??= v.slice())[i] = c;
            }
            return out ?? v;
        }
        if (!isObject(v)) return v;
        if (v[sigKey] === secretSig) return this.secretValue(v, path, inSecret);
        if (v[sigKey] === resourceReferenceSig) return resourceReference(v, path);
        if (v[sigKey] === byteStringSig && typeof v.value === "string") return Buffer.from(v.value, "base64").toString("utf8");
        return this.members(v, path, inSecret);
    }

    /** A scalar `value` returns as it is (told without building its path). */
    private unchanged(e: Json): boolean {
        if (typeof e === "string") return this.kind !== "preview" || e !== redactedSecret;
        return e === null || typeof e !== "object";
    }

    /** An object's members through `value`; the object itself when none changes. */
    private members(v: JsonObject, path: JSONPath, inSecret: boolean): Record<string, unknown> {
        let out: Record<string, unknown> | undefined;
        for (const k of Object.keys(v)) {
            const e = v[k];
            if (this.unchanged(e)) continue;
            const c = this.value(e, [...path, k], inSecret);
            if (c === e) continue;
            if (!out) {
                out = {};
                for (const key of Object.keys(v)) defineOwn(out, key, v[key]);
            }
            defineOwn(out, k, c);
        }
        return out ?? v;
    }

    /**
     * `apitype.SecretV1` (deployment.go deserializeSecret): `plaintext` (JSON of the value) is decoded;
     * `ciphertext` is decrypted with the passphrase when there is one, else it is the string
     * "[secret]" (the CLI's BlindingProvider). Either way the value travels as a secret.
     */
    private secretValue(v: JsonObject, path: JSONPath, inSecret: boolean): unknown {
        let json: string;
        if (typeof v.plaintext === "string" && v.plaintext !== "") {
            json = v.plaintext;
        } else if (typeof v.ciphertext === "string" && v.ciphertext !== "") {
            if (inSecret) {
                json = v.ciphertext; // NopEncrypter: the "ciphertext" is the plaintext
            } else if (this.crypter) {
                try {
                    json = this.crypter.decrypt(v.ciphertext);
                } catch (e) {
                    throw new DecryptFailure(`${describePath(path)}: ${(e as Error).message}`);
                }
            } else {
                this.counts.encrypted++;
                return secret(redactedSecret);
            }
        } else {
            throw new Problem(`${describePath(path)} is a secret with neither "plaintext" nor "ciphertext"`, path);
        }
        let inner: Json;
        try {
            inner = JSON.parse(json) as Json;
        } catch {
            // Never quote the text: it is the secret.
            throw new Problem(`${describePath(path)} is a secret whose value is not JSON`, path);
        }
        if (!inSecret) this.counts.decrypted++;
        return secret(this.value(inner, path, true));
    }
}

/**
 * A resource reference as the CLI sends one (`KeepResources: false`, rpc.go MarshalPropertyValue):
 * a custom resource's ID (unknown when empty), a component's URN (deployment.go
 * DeserializePropertyValue tells them apart by the `id` key).
 */
function resourceReference(v: JsonObject, path: JSONPath): unknown {
    if (typeof v.urn !== "string") throw new Problem(`${describePath(path)} is a resource reference without a "urn"`, path);
    if (!("id" in v)) return v.urn;
    let id = v.id;
    // A bug once wrote the ID as a property value object: {"V": "<id>"}, {"V": null} (component), {"V": {…}} (unknown).
    if (isObject(id)) {
        if (id.V === null || id.V === undefined) return v.urn;
        id = typeof id.V === "string" ? id.V : "";
    }
    if (typeof id !== "string") throw new Problem(`${describePath([...path, "id"])} is ${kindOf(id)}; expected a string`, [...path, "id"]);
    return id === "" ? UnknownSentinel.string : id;
}

/** Assignment that treats `__proto__` as an ordinary key, as JSON.parse does. */
function defineOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function describePath(path: JSONPath): string {
    return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("") || "the document";
}

// ---------------------------------------------------------------------------------------------
// The two documents.

interface RawResource {
    urn: string;
    type: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    parent?: string;
    provider?: string;
    options?: ResourceOptions;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    sourcePosition?: string;
}

function stringField(r: JsonObject, key: string, path: JSONPath, required: true): string;
function stringField(r: JsonObject, key: string, path: JSONPath, required: false): string | undefined;
function stringField(r: JsonObject, key: string, path: JSONPath, required: boolean): string | undefined {
    const v = r[key];
    if (v === undefined || v === null || v === "") {
        if (required) throw new Problem(`${describePath(path)} has no "${key}"`, path);
        return undefined;
    }
    if (typeof v !== "string") throw new Problem(`${describePath([...path, key])} is ${kindOf(v)}; expected a string`, [...path, key]);
    return v;
}

function urnList(v: Json | undefined, path: JSONPath): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) throw new Problem(`${describePath(path)} is ${kindOf(v)}; expected a list of URNs`, path);
    return v.map((e, i) => {
        if (typeof e !== "string") throw new Problem(`${describePath([...path, i])} is ${kindOf(e)}; expected a URN`, [...path, i]);
        return e;
    });
}

/** The fields of an `apitype.ResourceV3` the engine uses, checked; outputs are filled in by the caller. */
function readResource(v: Json, path: JSONPath, values: Values): RawResource {
    if (!isObject(v)) throw new Problem(`${describePath(path)} is ${kindOf(v)}; expected a resource object`, path);
    const urn = stringField(v, "urn", path, true);
    if (!urn.startsWith("urn:pulumi:")) throw new Problem(`${describePath([...path, "urn"])} is not a Pulumi URN: ${JSON.stringify(urn.slice(0, 80))}`, [...path, "urn"]);
    const resource: RawResource = {
        urn,
        type: stringField(v, "type", path, true),
        inputs: values.bag(v.inputs, [...path, "inputs"]),
        outputs: values.bag(v.outputs, [...path, "outputs"]),
    };
    const parent = stringField(v, "parent", path, false);
    if (parent) resource.parent = parent;
    const sourcePosition = v.sourcePosition;
    if (typeof sourcePosition === "string") resource.sourcePosition = sourcePosition;
    const provider = stringField(v, "provider", path, false);
    if (provider) resource.provider = provider;
    const options = resourceOptions(v, path);
    if (options) resource.options = options;
    const dependencies = urnList(v.dependencies, [...path, "dependencies"]);
    if (dependencies) resource.dependencies = dependencies;
    const propertyDependencies = v.propertyDependencies;
    if (propertyDependencies !== undefined && propertyDependencies !== null) {
        const pdPath = [...path, "propertyDependencies"];
        if (!isObject(propertyDependencies)) throw new Problem(`${describePath(pdPath)} is ${kindOf(propertyDependencies)}; expected an object`, pdPath);
        const deps: Record<string, string[]> = {};
        for (const [k, list] of Object.entries(propertyDependencies)) defineOwn(deps, k, urnList(list, [...pdPath, k]) ?? []);
        resource.propertyDependencies = deps;
    }
    return resource;
}

function stringList(v: Json | undefined, path: JSONPath): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((e) => typeof e !== "string")) throw new Problem(`${describePath(path)} is ${kindOf(v)}; expected a list of strings`, path);
    return v as string[];
}

/**
 * The options state keeps and `pulumi policy analyze` sends (analyze_snapshot.go
 * stateToAnalyzerResource): protect, ignoreChanges, additionalSecretOutputs, aliases, customTimeouts
 * (seconds). State has no deleteBeforeReplace.
 */
function resourceOptions(v: JsonObject, path: JSONPath): ResourceOptions | undefined {
    const options: ResourceOptions = {};
    if (v.protect !== undefined && v.protect !== null) {
        if (typeof v.protect !== "boolean") throw new Problem(`${describePath([...path, "protect"])} is ${kindOf(v.protect)}; expected a boolean`, [...path, "protect"]);
        if (v.protect) options.protect = true;
    }
    const ignoreChanges = stringList(v.ignoreChanges, [...path, "ignoreChanges"]);
    if (ignoreChanges?.length) options.ignoreChanges = ignoreChanges;
    const secretOutputs = stringList(v.additionalSecretOutputs, [...path, "additionalSecretOutputs"]);
    if (secretOutputs?.length) options.additionalSecretOutputs = secretOutputs;
    const aliases = urnList(v.aliases, [...path, "aliases"]);
    if (aliases?.length) options.aliases = aliases;
    const timeouts = v.customTimeouts;
    if (timeouts !== undefined && timeouts !== null) {
        const tPath = [...path, "customTimeouts"];
        if (!isObject(timeouts)) throw new Problem(`${describePath(tPath)} is ${kindOf(timeouts)}; expected an object`, tPath);
        const seconds: NonNullable<ResourceOptions["customTimeouts"]> = {};
        for (const key of ["create", "update", "delete", "read"] as const) {
            const t = timeouts[key];
            if (t === undefined || t === null) continue;
            if (typeof t !== "number") throw new Problem(`${describePath([...tPath, key])} is ${kindOf(t)}; expected seconds`, [...tPath, key]);
            seconds[key] = t;
        }
        if (Object.keys(seconds).length > 0) options.customTimeouts = seconds;
    }
    return Object.keys(options).length > 0 ? options : undefined;
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` */
function stackOfUrn(urn: string): { stack: string; project: string } | undefined {
    const parts = urn.slice("urn:pulumi:".length).split("::");
    return parts.length >= 4 ? { stack: parts[0], project: parts[1] } : undefined;
}

/** A provider reference is `<provider URN>::<provider ID>` (sdk/go/common/providers/reference.go). */
function providerUrn(reference: string): string {
    const i = reference.lastIndexOf("::");
    return i > 0 ? reference.slice(0, i) : reference;
}

/** The resources in the engine's shape, each with the provider resource it names (when in the file). */
function toStackResources(raw: RawResource[]): StackResource[] {
    const providers = new Map(raw.filter((r) => r.type.startsWith(providerTypePrefix)).map((r) => [r.urn, r]));
    // One object per provider, shared by its resources (the engine serializes it once per provider).
    const shared = new Map<RawResource, NonNullable<StackResource["provider"]>>();
    const providerOf = (p: RawResource) => {
        let o = shared.get(p);
        if (o === undefined) shared.set(p, (o = { urn: p.urn, type: p.type, properties: p.inputs }));
        return o;
    };
    return raw.map((r) => {
        const resource: StackResource = { urn: r.urn, type: r.type, inputs: r.inputs, outputs: r.outputs };
        if (r.parent) resource.parent = r.parent;
        if (r.options) resource.options = r.options;
        if (r.dependencies) resource.dependencies = r.dependencies;
        if (r.propertyDependencies) resource.propertyDependencies = r.propertyDependencies;
        const provider = r.provider ? providers.get(providerUrn(r.provider)) : undefined;
        if (provider) resource.provider = providerOf(provider);
        return resource;
    });
}

function urnLines(text: string, urns: readonly string[]): Record<string, number> {
    const lines: Record<string, number> = {};
    const wanted = new Set(urns);
    const pattern = /"urn"\s*:\s*("(?:[^"\\]|\\.)*")/g;
    // Matches come in text order: lines are counted on from the previous match, never from the
    // start (which made reading a 50,000-resource export quadratic).
    const at = positionsIn(text);
    for (let m = pattern.exec(text); m !== null && wanted.size > 0; m = pattern.exec(text)) {
        let urn: string;
        try {
            urn = JSON.parse(m[1]) as string;
        } catch {
            continue;
        }
        if (!wanted.delete(urn)) continue;
        lines[urn] = at(m.index).line;
    }
    return lines;
}

function finish(
    text: string, file: string, kind: StackDocumentKind, raw: RawResource[], values: Values,
    extra: { dryRun: boolean; config?: Record<string, string>; pendingDeletes?: number; notes?: string[] },
): StackDocument {
    const resources = toStackResources(raw);
    const sources: Record<string, SourcePosition> = {};
    for (const r of raw) {
        const position = r.sourcePosition !== undefined ? parseSourcePosition(r.sourcePosition) : undefined;
        if (position) sources[r.urn] = position;
    }
    const document: StackDocument = {
        file,
        kind,
        resources,
        lines: urnLines(text, resources.map((r) => r.urn)),
        sources,
        dryRun: extra.dryRun,
        config: extra.config ?? {},
        secrets: values.counts,
        pendingDeletes: extra.pendingDeletes ?? 0,
        notes: extra.notes ?? [],
    };
    const first = resources.map((r) => stackOfUrn(r.urn)).find((s) => s !== undefined);
    if (first) {
        document.stack = first.stack;
        document.project = first.project;
    }
    if (values.counts.redacted > 0) {
        document.notes.push(
            `${plural(values.counts.redacted, "secret value")} ${values.counts.redacted === 1 ? "is" : "are"} written as "[secret]" in preview JSON and ${values.counts.redacted === 1 ? "was" : "were"} treated as unknown: policies that need ${values.counts.redacted === 1 ? "it" : "them"} skip the resource.`,
        );
    }
    return document;
}

/** `deployment.secrets_providers` (apitype.SecretsProvidersV1): its type and, for a passphrase, the salt state. */
function secretsProvider(deployment: JsonObject, at: JSONPath): { type?: string; state?: string } {
    const p = deployment.secrets_providers;
    if (p === undefined || p === null) return {};
    if (!isObject(p)) throw new Problem(`${describePath([...at, "secrets_providers"])} is ${kindOf(p)}; expected an object`, [...at, "secrets_providers"]);
    const type = typeof p.type === "string" ? p.type : undefined;
    const state = isObject(p.state) && typeof p.state.salt === "string" ? p.state.salt : undefined;
    return { ...(type !== undefined ? { type } : {}), ...(state !== undefined ? { state } : {}) };
}

/** Whether any resource holds an encrypted secret: only then is the (slow) key derived. */
function hasCiphertext(list: Json[]): boolean {
    return JSON.stringify(list).includes('"ciphertext"');
}

function redactionNote(n: number, provider: string | undefined, hadPassphrase: boolean): string {
    const what = `${plural(n, "encrypted secret value")} could not be decrypted and ${n === 1 ? "was" : "were"} judged as the string "[secret]", as \`pulumi policy analyze --file\` judges ${n === 1 ? "it" : "them"}`;
    const how =
        provider === "passphrase" && !hadPassphrase
            ? "Set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to judge them as `pulumi preview` does"
            : "Export with `pulumi stack export --show-secrets` to judge them as `pulumi preview` does";
    return `${what}. ${how}.`;
}

export function plural(n: number, noun: string): string {
    return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** `{ version, deployment: { manifest, resources, … } }`; a checkpoint's `latest` has the same shape. */
function readExport(value: JsonObject, text: string, file: string, kind: "export" | "checkpoint", at: JSONPath, options: ReadOptions): StackDocument {
    const version = value.version;
    if (typeof version !== "number") {
        throw new Problem(`"version" is ${version === undefined || version === null ? "missing" : kindOf(version)}; a stack export starts with "version": 3`, ["version"]);
    }
    if (!supportedVersions.includes(version)) {
        throw new Problem(`deployment version ${version} is not supported (this reads versions 3 and 4, what \`pulumi stack export\` writes); export again with a current Pulumi CLI`, ["version"]);
    }
    const deployment = value.deployment;
    if (!isObject(deployment)) throw new Problem(`${describePath(at)} is ${kindOf(deployment)}; expected an object`, at);
    const list = deployment.resources ?? [];
    if (!Array.isArray(list)) throw new Problem(`${describePath([...at, "resources"])} is ${kindOf(list)}; expected a list`, [...at, "resources"]);
    const notes: string[] = [];
    const provider = secretsProvider(deployment, at);
    let crypter: PassphraseCrypter | undefined;
    if (provider.type === "passphrase" && provider.state !== undefined && options.passphrase !== undefined && hasCiphertext(list)) {
        try {
            crypter = PassphraseCrypter.open(options.passphrase, provider.state);
        } catch (e) {
            if (!(e instanceof PassphraseError)) throw e;
            notes.push(`The passphrase did not open this stack's secrets (${e.message}); they were judged redacted, as \`pulumi policy analyze --file\` does.`);
        }
    }
    const readAll = (values: Values) => {
        const raw: RawResource[] = [];
        let pendingDeletes = 0;
        list.forEach((r, i) => {
            const path = [...at, "resources", i];
            const resource = readResource(r, path, values);
            // analyze_snapshot.go: `if res.Delete { continue }`.
            if (isObject(r) && r.delete === true) pendingDeletes++;
            else raw.push(resource);
        });
        return { raw, pendingDeletes };
    };
    let values = new Values(kind, crypter);
    let read: ReturnType<typeof readAll>;
    try {
        read = readAll(values);
    } catch (e) {
        if (!(e instanceof DecryptFailure)) throw e;
        // policy_analyze.go: when any secret cannot be decrypted, the whole file is read again with
        // every secret redacted (BlindingProvider).
        notes.push(`A secret could not be decrypted with the passphrase (${e.message}); all secrets were judged redacted, as \`pulumi policy analyze --file\` does.`);
        values = new Values(kind);
        read = readAll(values);
    }
    const { raw, pendingDeletes } = read;
    if (values.counts.encrypted > 0) notes.push(redactionNote(values.counts.encrypted, provider.type, options.passphrase !== undefined));
    if (pendingDeletes > 0) notes.push(`${plural(pendingDeletes, "resource")} pending deletion ${pendingDeletes === 1 ? "was" : "were"} not analysed (\`pulumi policy analyze\` skips them too).`);
    return finish(text, file, kind, raw, values, { dryRun: false, pendingDeletes, notes });
}

/** The ops whose planned state keeps the deployed outputs (the engine copies them for a `same` step). */
const keepsOutputs = new Set(["same"]);
/** Ops that change a deployed resource in place: its outputs are the old ones with the new inputs. */
const updatesInPlace = new Set(["update", "refresh"]);

/**
 * `{ config, steps: [{ op, urn, provider, oldState, newState, … }], changeSummary, … }`. A step's
 * `newState` is the planned resource: inputs, no outputs (the digest is written before any step
 * runs). AnalyzeStack gets what the engine would have: a `same` resource's deployed outputs, an
 * updated one's deployed outputs with the new inputs over them, a new one's inputs with an unknown ID.
 */
function readPreview(value: JsonObject, text: string, file: string): StackDocument {
    const steps = value.steps ?? [];
    if (!Array.isArray(steps)) throw new Problem(`"steps" is ${kindOf(steps)}; expected a list`, ["steps"]);
    const values = new Values("preview");
    const raw: RawResource[] = [];
    const seen = new Set<string>();
    const ops = new Map<string, number>();
    steps.forEach((step, i) => {
        const path: JSONPath = ["steps", i];
        if (!isObject(step)) throw new Problem(`${describePath(path)} is ${kindOf(step)}; expected a step object`, path);
        const op = stringField(step, "op", path, true);
        const newState = step.newState;
        // Deletions (and the old half of a replacement) have no new state; nothing of theirs remains.
        if (newState === undefined || newState === null) return;
        const resource = readResource(newState, [...path, "newState"], values);
        const state = newState as JsonObject; // readResource checked it is an object
        if (state.delete === true) return;
        if (seen.has(resource.urn)) return; // a replacement shown as several steps
        seen.add(resource.urn);
        ops.set(op, (ops.get(op) ?? 0) + 1);
        const oldState = isObject(step.oldState) ? step.oldState : undefined;
        const plannedInputs = withoutEngineKeys(resource.inputs);
        if (oldState && keepsOutputs.has(op)) {
            resource.outputs = values.bag(oldState.outputs, [...path, "oldState", "outputs"]);
        } else if (oldState && updatesInPlace.has(op)) {
            resource.outputs = { ...values.bag(oldState.outputs, [...path, "oldState", "outputs"]), ...plannedInputs };
        } else {
            // A component has no ID; a new custom resource gets its ID only when it is created.
            const id = typeof state.id === "string" && state.id !== "" ? state.id : UnknownSentinel.string;
            resource.outputs = state.custom === false ? plannedInputs : { ...plannedInputs, id };
        }
        raw.push(resource);
    });

    const config: Record<string, string> = {};
    if (isObject(value.config)) {
        for (const [k, v] of Object.entries(value.config)) if (typeof v === "string" && v !== redactedSecret) defineOwn(config, k, v);
    }
    const notes: string[] = [];
    const summary = isObject(value.changeSummary) ? value.changeSummary : {};
    const unchanged = typeof summary.same === "number" ? summary.same : 0;
    if (unchanged > 0 && !ops.has("same")) {
        notes.push(
            `This preview was made without --show-sames: ${plural(unchanged, "unchanged resource")} ${unchanged === 1 ? "is" : "are"} not in the file, so stack policies saw only the ${plural(raw.length, "resource")} that ${raw.length === 1 ? "is" : "are"} listed. Run \`pulumi preview --json --show-sames\` for a full check.`,
        );
    }
    const diagnostics = Array.isArray(value.diagnostics) ? value.diagnostics : [];
    if (diagnostics.some((d) => isObject(d) && d.severity === "error")) {
        notes.push("The preview reported errors, so its steps may not describe the whole stack.");
    }
    return finish(text, file, "preview", raw, values, { dryRun: true, config, notes });
}

function withoutEngineKeys(inputs: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(inputs)) if (!k.startsWith("__")) defineOwn(out, k, v);
    return out;
}
