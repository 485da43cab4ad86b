// JSON text as AWS's parsers read it: strict JSON (no comments, no trailing commas, no BOM), with
// positions for every error and every duplicate key. Parsing is done by jsonc-parser; this module
// turns its syntax tree into plain values and adds what it does not report.

import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from "jsonc-parser";

export interface TextPosition {
    /** 1-based. */
    line: number;
    /** 1-based, in UTF-16 code units. */
    column: number;
}

export interface JsonSyntaxError extends TextPosition {
    offset: number;
    message: string;
}

export interface DuplicateKey extends TextPosition {
    key: string;
    /** Where the object holding the key sits, e.g. `Statement[0].Condition`. */
    path: string;
}

export type JsonParseResult =
    | { ok: true; value: unknown; duplicateKeys: DuplicateKey[] }
    | { ok: false; error: JsonSyntaxError };

/** Deeper nesting than this is never an IAM policy, and would exhaust a recursive parser's stack. */
export const maxJsonDepth = 64;

/**
 * `positionAt` for increasing offsets, resuming where the last call stopped: a document with many
 * duplicate keys (or an export with many resources) is scanned once, not once per position.
 */
export function positionsIn(text: string): (offset: number) => TextPosition {
    let line = 1;
    let lineStart = 0;
    let scanned = 0;
    return (offset) => {
        const end = Math.min(offset, text.length);
        if (end < scanned) {
            line = 1;
            lineStart = 0;
            scanned = 0;
        }
        for (let i = scanned; i < end; i++) {
            const c = text.charCodeAt(i);
            if (c === 10 /* \n */ || (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10)) {
                line++;
                lineStart = i + 1;
            }
        }
        scanned = end;
        return { line, column: end - lineStart + 1 };
    };
}

export function positionAt(text: string, offset: number): TextPosition {
    return positionsIn(text)(offset);
}

/** Parses `text` as strict JSON. Never throws. */
export function parseJsonDocument(text: string): JsonParseResult {
    if (text.charCodeAt(0) === 0xfeff) {
        return syntaxError(text, 0, "the text starts with a byte-order mark (U+FEFF); remove it");
    }
    const shape = scanStructure(text);
    if (shape.tooDeepAt !== undefined) {
        return syntaxError(text, shape.tooDeepAt, `arrays and objects are nested more than ${maxJsonDepth} levels deep`);
    }
    // Fast path: the engine's own parser accepts exactly strict JSON, and when every member of the
    // text survives as a key, no object repeated one. Otherwise jsonc-parser says where and what.
    const native = parseNative(text);
    if (native !== undefined && countMembers(native.value) === shape.members) {
        return { ok: true, value: native.value, duplicateKeys: [] };
    }
    const errors: ParseError[] = [];
    let tree: Node | undefined;
    try {
        tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    } catch (e) {
        return syntaxError(text, 0, `the text could not be parsed (${e instanceof Error ? e.message : String(e)})`);
    }
    if (errors.length > 0 || tree === undefined) {
        const first = errors[0];
        const offset = first ? first.offset : text.length;
        return syntaxError(text, offset, first ? describeParseError(text, first) : "no JSON value found");
    }
    const duplicateKeys: DuplicateKey[] = [];
    const value = toValue(tree, "", positionsIn(text), duplicateKeys);
    return { ok: true, value, duplicateKeys };
}

// Parsed documents are kept for a while: every document rule reads the same text in one Analyze call.
const cacheLimit = 32;
const cache = new Map<string, JsonParseResult>();

/** `parseJsonDocument`, remembered for the most recent texts. The result must not be mutated. */
export function parseJsonDocumentCached(text: string): JsonParseResult {
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const result = parseJsonDocument(text);
    if (cache.size >= cacheLimit) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(text, result);
    return result;
}

function syntaxError(text: string, offset: number, what: string): JsonParseResult {
    const pos = positionAt(text, offset);
    return { ok: false, error: { ...pos, offset, message: `line ${pos.line}, column ${pos.column}: ${what}` } };
}

function describeParseError(text: string, e: ParseError): string {
    const found = text.length > e.offset ? `'${printable(text.slice(e.offset, e.offset + Math.max(1, Math.min(e.length, 12))))}'` : "the end of the text";
    switch (printParseErrorCode(e.error)) {
        case "InvalidSymbol": return `unexpected ${found}`;
        case "InvalidNumberFormat": return `invalid number ${found}`;
        case "PropertyNameExpected": return `expected a property name in double quotes, found ${found}`;
        case "ValueExpected": return `expected a value, found ${found}`;
        case "ColonExpected": return `expected ':' after the property name, found ${found}`;
        case "CommaExpected": return `expected ',' or a closing bracket, found ${found}`;
        case "CloseBraceExpected": return `expected '}', found ${found}`;
        case "CloseBracketExpected": return `expected ']', found ${found}`;
        case "EndOfFileExpected": return `unexpected ${found} after the end of the JSON value`;
        case "InvalidCommentToken":
        case "UnexpectedEndOfComment": return "comments are not allowed in JSON";
        case "UnexpectedEndOfString": return "a string is not closed before the end of its line";
        case "UnexpectedEndOfNumber": return "a number ends unexpectedly";
        case "InvalidUnicode": return "invalid \\u escape in a string";
        case "InvalidEscapeCharacter": return "invalid escape sequence in a string";
        case "InvalidCharacter": return "control character inside a string (escape it, e.g. \\n or \\t)";
        default: return `unexpected ${found}`;
    }
}

function printable(s: string): string {
    return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * One pass over the text, ignoring what is inside strings: the offset where nesting first exceeds
 * `maxJsonDepth`, and the number of colons — in valid JSON, one per object member.
 */
function scanStructure(text: string): { tooDeepAt?: number; members: number } {
    let depth = 0;
    let members = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
            if (c === 92 /* \ */) i++;
            else if (c === 34 /* " */) inString = false;
        } else if (c === 34) {
            inString = true;
        } else if (c === 58 /* : */) {
            members++;
        } else if (c === 123 /* { */ || c === 91 /* [ */) {
            if (++depth > maxJsonDepth) return { tooDeepAt: i, members };
        } else if (c === 125 /* } */ || c === 93 /* ] */) {
            depth--;
        }
    }
    return { members };
}

function parseNative(text: string): { value: unknown } | undefined {
    try {
        return { value: JSON.parse(text) as unknown };
    } catch {
        return undefined;
    }
}

/** Keys of every object in a parsed value (at most `maxJsonDepth` deep, so recursion is safe). */
function countMembers(value: unknown): number {
    if (value === null || typeof value !== "object") return 0;
    let n = 0;
    if (Array.isArray(value)) {
        for (const e of value) n += countMembers(e);
        return n;
    }
    for (const k of Object.keys(value)) n += 1 + countMembers((value as Record<string, unknown>)[k]);
    return n;
}

// The tree is at most `maxJsonDepth` deep here, so recursion is safe. Objects get their keys as
// own data properties, so `__proto__` is a key like any other; the last duplicate wins, as in Go.
function toValue(node: Node, path: string, at: (offset: number) => TextPosition, duplicates: DuplicateKey[]): unknown {
    switch (node.type) {
        case "object": {
            const obj: Record<string, unknown> = {};
            const seen = new Set<string>();
            for (const prop of node.children ?? []) {
                const [keyNode, valueNode] = prop.children ?? [];
                if (!keyNode) continue;
                const key = String(keyNode.value);
                if (seen.has(key)) {
                    duplicates.push({ key, path: path || "(top level)", ...at(keyNode.offset) });
                }
                seen.add(key);
                const childPath = path ? `${path}.${key}` : key;
                Object.defineProperty(obj, key, {
                    value: valueNode ? toValue(valueNode, childPath, at, duplicates) : undefined,
                    enumerable: true, writable: true, configurable: true,
                });
            }
            return obj;
        }
        case "array":
            return (node.children ?? []).map((child, i) => toValue(child, `${path}[${i}]`, at, duplicates));
        default:
            return node.value;
    }
}

/** A change to a JSON document: the value at `path` (keys and array indexes) becomes `value`. */
export interface JsonEdit {
    path: (string | number)[];
    value: unknown;
}

/** A value as written in a fix: compact JSON with a space after `:` and `,` inside objects and lists. */
function writeValue(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(writeValue).join(", ")}]`;
    if (value !== null && typeof value === "object") return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${writeValue(v)}`).join(", ")}}`;
    return JSON.stringify(value);
}

/**
 * Replaces existing values of JSON text, touching only their characters: the author's layout, key
 * order and everything else stay as written. An edit whose path is not in the text is skipped.
 */
export function editJsonText(text: string, edits: readonly JsonEdit[]): string {
    const tree = parseTree(text);
    if (tree === undefined) return text;
    const spans = edits
        .map((e) => ({ node: findNodeAtLocation(tree, e.path), value: e.value }))
        .filter((s): s is { node: Node; value: unknown } => s.node !== undefined)
        .sort((a, b) => b.node.offset - a.node.offset);
    let out = text;
    for (const { node, value } of spans) out = out.slice(0, node.offset) + writeValue(value) + out.slice(node.offset + node.length);
    return out;
}

/** Applies edits to a document object, returning a changed copy. */
export function editJsonValue(document: unknown, edits: readonly JsonEdit[]): unknown {
    const copy = structuredClone(document);
    for (const e of edits) {
        if (e.path.length === 0) return structuredClone(e.value);
        let at: unknown = copy;
        for (const step of e.path.slice(0, -1)) at = at !== null && typeof at === "object" ? (at as Record<string | number, unknown>)[step] : undefined;
        if (at === null || typeof at !== "object") continue;
        (at as Record<string | number, unknown>)[e.path[e.path.length - 1]] = structuredClone(e.value);
    }
    return copy;
}
