// An endpoint policy as AWS receives it. The `aws` provider (Terraform bridge) normalises the
// text before calling the API: `structure.NormalizeJsonString` unmarshals it into a Go
// `interface{}` and marshals it back with `encoding/json`. This module reproduces that output,
// so that rules can measure it (vpce-policy-size) and compare documents (vpce-single-policy).
//
// What Go does, and so what this does:
// - no white space; object keys sorted by their UTF-8 bytes (= by code point); last duplicate wins;
// - numbers become float64 and are printed shortest-round-trip: `1.0` → `1`, `1e3` → `1000`,
//   exponent form below 1e-6 and from 1e21 (`1e-7`, `1e+21`), `-0` stays `-0`. A number
//   outside float64's range makes the provider fail, so there is no compact form;
// - strings: `\"` `\\` `\b` `\f` `\n` `\r` `\t` (Go ≥ 1.22 writes `\b` and `\f` short),
//   other control characters `\u00XX`, `<` `>` `&` U+2028 U+2029 as `\u003c`-style escapes,
//   everything else as the character itself; a lone surrogate becomes U+FFFD.

import { parseJsonDocumentCached } from "./json-document";

/** The compact text the `aws` provider sends for `value`, or undefined when it would refuse it. */
export function compactPolicyJson(value: unknown): string | undefined {
    const out: string[] = [];
    return write(value, out, 0) ? out.join("") : undefined;
}

/**
 * `characterCount(compactPolicyJson(value))` without building the text (the size rule runs on every
 * document of every Analyze call): the same walk, counting instead of writing.
 */
export function compactPolicyLength(value: unknown): number | undefined {
    const n = lengthOf(value, 0);
    return n < 0 ? undefined : n;
}

/** Characters of `write`'s output for `value`; -1 when `write` refuses it. */
function lengthOf(value: unknown, depth: number): number {
    if (depth > maxDepth) return -1;
    if (value === null) return 4;
    switch (typeof value) {
        case "boolean": return value ? 4 : 5;
        case "number": return Number.isFinite(value) ? goFloat(value).length : -1;
        case "string": return goStringLength(value);
        case "object": break;
        default: return -1;
    }
    let n = 2;
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            const m = lengthOf(value[i], depth + 1);
            if (m < 0) return -1;
            n += m + (i > 0 ? 1 : 0);
        }
        return n;
    }
    const keys = Object.keys(value);
    // Keys with surrogates may collapse into one as Go decodes them: count what `write` writes.
    if (keys.some((k) => /[\ud800-\udfff]/.test(k))) {
        const out: string[] = [];
        return write(value, out, depth) ? characterCount(out.join("")) : -1;
    }
    for (let i = 0; i < keys.length; i++) {
        const m = lengthOf((value as Record<string, unknown>)[keys[i]], depth + 1);
        if (m < 0) return -1;
        n += goStringLength(keys[i]) + 1 + m + (i > 0 ? 1 : 0);
    }
    return n;
}

/** Characters (code points) of `goString(s)`. */
function goStringLength(s: string): number {
    let n = 2;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20) {
            n += c === 0x08 || c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09 ? 2 : 6;
        } else if (c === 0x22 || c === 0x5c) {
            n += 2;
        } else if (c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
            n += 6;
        } else {
            // A surrogate pair is one character, as is the U+FFFD a lone surrogate becomes.
            if (c >= 0xd800 && c <= 0xdbff) {
                const next = s.charCodeAt(i + 1);
                if (next >= 0xdc00 && next <= 0xdfff) i++;
            }
            n += 1;
        }
    }
    return n;
}

/** The compact text the `aws` provider sends for a policy text; undefined for invalid JSON. */
export function compactPolicyText(text: string): string | undefined {
    const parsed = parseJsonDocumentCached(text);
    return parsed.ok ? compactPolicyJson(parsed.value) : undefined;
}

/** Characters as AWS counts them: Unicode code points (a surrogate pair is one character). */
export function characterCount(text: string): number {
    let count = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff) {
            const next = text.charCodeAt(i + 1);
            if (next >= 0xdc00 && next <= 0xdfff) i++;
        }
        count++;
    }
    return count;
}

// Parsed documents are at most `maxJsonDepth` (64) deep; deeper values (only possible from an
// object given directly) are refused rather than risking the stack.
const maxDepth = 256;

function write(value: unknown, out: string[], depth: number): boolean {
    if (depth > maxDepth) return false;
    if (value === null) {
        out.push("null");
    } else if (typeof value === "boolean") {
        out.push(value ? "true" : "false");
    } else if (typeof value === "number") {
        if (!Number.isFinite(value)) return false;
        out.push(goFloat(value));
    } else if (typeof value === "string") {
        out.push(goString(value));
    } else if (Array.isArray(value)) {
        out.push("[");
        for (let i = 0; i < value.length; i++) {
            if (i > 0) out.push(",");
            if (!write(value[i], out, depth + 1)) return false;
        }
        out.push("]");
    } else if (typeof value === "object") {
        // Go decodes keys first, so keys that differ only in invalid surrogates collapse.
        const entries = new Map<string, unknown>();
        for (const key of Object.keys(value)) entries.set(wellFormed(key), (value as Record<string, unknown>)[key]);
        const keys = [...entries.keys()].sort(compareCodePoints);
        out.push("{");
        for (let i = 0; i < keys.length; i++) {
            if (i > 0) out.push(",");
            out.push(goString(keys[i]), ":");
            if (!write(entries.get(keys[i]), out, depth + 1)) return false;
        }
        out.push("}");
    } else {
        // undefined, functions, symbols, bigints: nothing Go could have decoded.
        return false;
    }
    return true;
}

/** Go's `encoding/json` output for a float64 (`floatEncoder`). */
function goFloat(n: number): string {
    if (Object.is(n, -0)) return "-0";
    // JavaScript's Number→String is also shortest-round-trip, with exponent form exactly when
    // |n| < 1e-6 or |n| ≥ 1e21, and the same `e-7` / `e+21` spelling Go produces after cleanup.
    return String(n);
}

const hex = "0123456789abcdef";

/** Go's `encoding/json` output for a string, with HTML escaping on (json.Marshal's default). */
export function goString(s: string): string {
    let out = "\"";
    let start = 0;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        let escape: string | undefined;
        if (c < 0x20) {
            escape = c === 0x08 ? "\\b" : c === 0x0c ? "\\f" : c === 0x0a ? "\\n" : c === 0x0d ? "\\r" : c === 0x09 ? "\\t"
                : `\\u00${hex[c >> 4]}${hex[c & 0xf]}`;
        } else if (c === 0x22) {
            escape = "\\\"";
        } else if (c === 0x5c) {
            escape = "\\\\";
        } else if (c === 0x3c || c === 0x3e || c === 0x26) {
            escape = `\\u00${hex[c >> 4]}${hex[c & 0xf]}`;
        } else if (c === 0x2028 || c === 0x2029) {
            escape = `\\u202${hex[c & 0xf]}`;
        } else if (c >= 0xd800 && c <= 0xdfff) {
            const next = s.charCodeAt(i + 1);
            if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
                i++;
                continue;
            }
            escape = "\ufffd";
        }
        if (escape !== undefined) {
            out += s.slice(start, i) + escape;
            start = i + 1;
        }
    }
    return out + s.slice(start) + "\"";
}

/** `s` with every lone surrogate replaced by U+FFFD, as Go decodes it. */
function wellFormed(s: string): string {
    return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/** Orders strings by code point, which is the byte order of their UTF-8 form (Go's key order). */
function compareCodePoints(a: string, b: string): number {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
        const x = a.codePointAt(i) ?? 0;
        const y = b.codePointAt(i) ?? 0;
        if (x !== y) return x - y;
        if (x > 0xffff) i++;
    }
    return a.length - b.length;
}
