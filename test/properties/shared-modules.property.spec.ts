// Properties of the shared modules the rules stand on, each against an independent reference:
// IAM's wildcard match against a dynamic-programming matcher (and in linear time on patterns that
// make a backtracking regex take exponential time), config reading against ajv (the validator the
// engine uses), and parsers that never throw.

import * as assert from "assert";
import { performance } from "perf_hooks";
import Ajv from "ajv";
import * as fc from "fast-check";
import { parseCidr, cidrsOverlap, cidrContains } from "../../network/cidr";
import { globMatches, splitAction } from "../../iam/actions";
import { parseArn } from "../../iam/arn";
import { parseJsonDocument } from "../../iam/json-document";
import { parseServiceName } from "../../stack/service-catalogue";
import { policies } from "../../policies";
import { conforms, readConfig } from "../../framework/rule";
import { cidrPool, hostileJson } from "../support/arbitraries";
import { check, fuzzMode } from "../fuzz/budget";

/** IAM's glob by dynamic programming: the reference. */
function globReference(pattern: string, text: string): boolean {
    const p = pattern.toLowerCase();
    const t = text.toLowerCase();
    let row = new Array<boolean>(t.length + 1).fill(false);
    row[0] = true;
    for (let i = 1; i <= p.length; i++) {
        const next = new Array<boolean>(t.length + 1).fill(false);
        const c = p[i - 1];
        next[0] = c === "*" && row[0];
        for (let j = 1; j <= t.length; j++) {
            next[j] = c === "*" ? next[j - 1] || row[j] : row[j - 1] && (c === "?" || c === t[j - 1]);
        }
        row = next;
    }
    return row[t.length];
}

const globChars = fc.constantFrom("a", "b", "A", "*", "?", ".", "(", "[", "\\", "$", "^", ":");
const textChars = fc.constantFrom("a", "b", "A", "B", ".", "(", "[", "\\", "$", "^", ":", "\n");

describe("shared modules: properties", function () {
    // Unbounded only in the long run: under `npm test` a hang fails instead of holding CI.
    this.timeout(fuzzMode === "full" ? 0 : 600_000);

    it("globMatches agrees with a dynamic-programming matcher", async () => {
        await check("glob: agrees with the reference", fc.property(
            fc.string({ unit: globChars, maxLength: 12 }), fc.string({ unit: textChars, maxLength: 14 }),
            (pattern, text) => {
                assert.strictEqual(globMatches(pattern, text), globReference(pattern, text), `${JSON.stringify(pattern)} on ${JSON.stringify(text)}`);
            },
        ), { quick: 1_000, full: 30_000 });
    });

    it("globMatches takes at most pattern × text steps, even on patterns that make a regex backtrack", async () => {
        await check("glob: bounded time", fc.property(
            fc.integer({ min: 1, max: 400 }), fc.constantFrom("*?", "*a", "?*", "*a*b", "**?"), fc.string({ unit: textChars, minLength: 20, maxLength: 200 }),
            (repeat, unit, text) => {
                const started = performance.now();
                globMatches(`${unit.repeat(repeat)}x`, text);
                const elapsed = performance.now() - started;
                assert.ok(elapsed < 50, `${repeat} × ${JSON.stringify(unit)} took ${elapsed.toFixed(1)} ms`);
            },
        ), { quick: 200, full: 5_000 });
    });

    it("readConfig keeps a value exactly when ajv accepts it against the policy's schema", async () => {
        const ajv = new Ajv({ strict: false, logger: false });
        const schemas = policies.flatMap((p) => Object.entries(p.configSchema?.properties ?? {}).map(([key, schema]) => ({ policy: p.name, key, schema, validate: ajv.compile(schema as object) })));
        const jsonValue = fc.oneof(
            hostileJson({ hugeTimes: 300, deepDepth: 70, nonJson: false }),
            fc.array(fc.oneof(fc.constantFrom<unknown>("o-a1b2c3d4e5", "111122223333", "", "s3", "pl-6da54004", 443, 70000, -1, 1.5), fc.string({ maxLength: 14 })), { maxLength: 4 }),
            fc.dictionary(fc.constantFrom("s3", "cassandra", "", "__proto__"), fc.oneof(fc.constantFrom<unknown>("pl-6da54004", "pl-XYZ", [443], [], [70000], ["443"], [1, 2]), fc.string({ maxLength: 8 }))),
        );
        await check("config: readConfig agrees with ajv", fc.property(fc.nat(), jsonValue, (pick, raw) => {
            const { policy, key, schema, validate } = schemas[pick % schemas.length];
            // Only JSON values: what ajv and the engine can see.
            const value = JSON.parse(JSON.stringify(raw ?? null)) as unknown;
            const accepted = validate(value);
            assert.strictEqual(conforms(value, schema), accepted, `${policy}.${key}: ${JSON.stringify(value)?.slice(0, 200)}`);
            const read = readConfig<Record<string, unknown>>({ [key]: schema }, { [key]: value });
            assert.deepStrictEqual(read[key], accepted ? value : schema.default, `${policy}.${key}`);
        }), { quick: 1_000, full: 20_000 });
    });

    it("the parsers never throw", async () => {
        const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom(...cidrPool), fc.stringMatching(/^[0-9a-f:.\/%]{0,45}$/));
        await check("parsers: never throw", fc.property(text, text, (a, b) => {
            const x = parseCidr(a);
            const y = parseCidr(b);
            if (x && y) {
                cidrsOverlap(x, y);
                cidrContains(x, y);
            }
            parseArn(a);
            splitAction(a);
            parseServiceName(a);
            const parsed = parseJsonDocument(a);
            if (!parsed.ok) assert.ok(parsed.error.line >= 1 && parsed.error.column >= 1 && parsed.error.message.length < 400);
        }), { quick: 1_000, full: 20_000 });
    });
});
