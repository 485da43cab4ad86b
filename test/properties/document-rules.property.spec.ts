// Properties of the five document rules (SPEC rules 1–5) over generated resources: hostile props
// of every type, nearly valid endpoint policies on every carrier, documents near and far beyond the
// size limit, and unknowns placed anywhere. Each case runs every document policy's `evaluate` and
// its real `validateResource` (see harness.ts). Budgets: test/fuzz/budget.ts.

import * as assert from "assert";
import * as fc from "fast-check";
import {
    carrierProps, Doc, objectOf, documentCase, documentConfig, getAt, hostileProps, packTypes, pathsOf, policyText,
    printable, replaceAt, sentinelFor, summarize, textForm, unknownPlacement, type GeneratedDocumentCase, type JsonOptions,
} from "../support/arbitraries";
import { carrierResource, carriers, carrierTypes, policyProperty, type Carrier } from "../support/cases";
import { urnOf } from "../support/stacks";
import { endpointPolicyMaxLength } from "../../policies/vpce-policy-size";
import { check, fuzzMode } from "../fuzz/budget";
import { checkDocumentRun, checkMessages, documentPolicies, evictParseCache, inputBlob, inputTexts, runDocumentPolicy, withinTime } from "./harness";
import { UnknownSentinel } from "../../values/unknown-values";
import { characterCount } from "../../iam/compact-policy";
import { forgetInputs } from "../../stack/inputs-memory";
import { fiveMegabyteDocument } from "../corpus/hostile";

/** The issue's bounds: 50 ms per evaluation of a document within AWS's limit, 1 s for 5 MB. */
export const boundWithinLimitMs = 50;
export const boundHugeMs = 1000;

/**
 * Runs every document policy on one resource with every shared check; returns the runs by policy.
 * With a time bound, each policy is timed cold (the parse cache emptied first), as the first rule of
 * an Analyze call pays for the parse.
 */
async function judgeResource(type: string, props: unknown, config: unknown, timeBoundMs: number | undefined) {
    const runs = new Map<string, Awaited<ReturnType<typeof runDocumentPolicy>>>();
    const texts = inputTexts(props);
    const blob = inputBlob(props);
    for (const policy of documentPolicies) {
        if (timeBoundMs !== undefined) evictParseCache();
        // A fresh props object per timed run: readings are also kept with the props object.
        const run = await runDocumentPolicy(policy, type, urnOf(type, "carrier"), timeBoundMs === undefined ? props : copyOf(props), config);
        checkDocumentRun(policy, run);
        checkMessages(policy.name, run.violations.map((v) => v.message), texts, blob);
        if (timeBoundMs !== undefined && run.elapsed > timeBoundMs) {
            await withinTime(`${policy.name} on ${type}`, timeBoundMs, () => runDocumentPolicy(policy, type, urnOf(type, "carrier"), copyOf(props), config).then((r) => r.elapsed));
        }
        runs.set(policy.name, run);
    }
    return runs;
}

function lengthenKeys(value: unknown, long: string, depth: number): unknown {
    if (Array.isArray(value)) return value.map((e) => lengthenKeys(e, long, depth));
    if (value === null || typeof value !== "object") return value;
    return objectOf(Object.keys(value).map((k) => [depth >= 3 ? `${k}${long}` : k, lengthenKeys((value as Record<string, unknown>)[k], long, depth + 1)] as const));
}

function copyOf(props: unknown): unknown {
    return props !== null && typeof props === "object" && !Array.isArray(props) ? { ...props } : props;
}

function policyTextOf(props: unknown): string | undefined {
    if (props === null || typeof props !== "object") return undefined;
    const p = props as Record<string, unknown>;
    for (const key of ["policy", "policyDocument"]) {
        const v = Object.hasOwn(p, key) ? p[key] : undefined;
        if (typeof v === "string") return v;
        if (v !== null && typeof v === "object") {
            try {
                return JSON.stringify(v);
            } catch {
                return undefined;
            }
        }
    }
    return undefined;
}

/** The 50 ms bound applies to documents within AWS's limit (measured as written). */
function boundFor(props: unknown): number | undefined {
    const text = policyTextOf(props);
    return text === undefined || characterCount(text) <= endpointPolicyMaxLength ? boundWithinLimitMs : undefined;
}

const hostileOptions: JsonOptions = fuzzMode === "full"
    ? { hugeTimes: 300_000, deepDepth: 12_000, nonJson: true }
    : { hugeTimes: 30_000, deepDepth: 2_000, nonJson: true };

const anyType = fc.oneof(
    { arbitrary: fc.constantFrom(...Object.values(carrierTypes)), weight: 6 },
    { arbitrary: fc.constantFrom(...packTypes, "", "aws:ec2/vpcEndpoint:vpcendpoint", "aws:s3/bucket:Bucket"), weight: 2 },
);

describe("document rules: properties", function () {
    // Unbounded only in the long run: under `npm test` a hang fails instead of holding CI.
    this.timeout(fuzzMode === "full" ? 0 : 600_000);
    afterEach(() => forgetInputs());

    it("never throw, and answer in time with short messages, for hostile props of any type", async () => {
        const hostile = fc.record({ type: anyType, props: hostileProps(hostileOptions), config: documentConfig }).map((c) => printable(c));
        await check("document rules: hostile props", fc.asyncProperty(hostile, async ({ type, props, config }) => {
            await judgeResource(type, props, config, boundFor(props));
        }), { quick: 300, full: 12_000 });
    });

    it("never throw, and answer in time with short messages, for nearly valid endpoint policies", async () => {
        await check("document rules: nearly valid documents", fc.asyncProperty(documentCase, async (c) => {
            const { type, props } = carrierProps(c);
            await judgeResource(type, props, c.config, boundFor(props));
        }), { quick: 500, full: 25_000 });
    });

    it("report nothing from a value that is unknown: an unknown in the document voids every verdict, elsewhere changes none", async () => {
        const placed = fc.tuple(documentCase, unknownPlacement, fc.boolean()).map(([c, placement, insideDocument]) => printable({ c, placement, insideDocument }, (v) => `${summarize(v.placement)} inside=${v.insideDocument} ${String((v.c as unknown as Record<symbol, () => string>)[fc.toStringMethod]?.() ?? "")}`));
        await check("document rules: unknown values", fc.asyncProperty(placed, async ({ c, placement, insideDocument }) => {
            const { type, props } = carrierProps(c);
            const before = await judgeResource(type, props, c.config, undefined);
            const property = policyProperty(c.carrier);
            let after: typeof before;
            if (insideDocument) {
                // A value inside the document (or the whole document) becomes unknown.
                const docPaths = c.doc.form === "raw" ? [[]] : pathsOf(c.doc.value, 2000);
                const path = docPaths[placement.pick % docPaths.length];
                const replaced = replaceAt(c.doc.value, path, sentinelFor(getAt(c.doc.value, path), placement.kind));
                const doc = new Doc(c.doc.form === "raw" ? UnknownSentinel.string : replaced, c.doc.form);
                const changed = carrierProps({ ...c, doc });
                after = await judgeResource(type, changed.props, c.config, undefined);
                for (const [name, run] of after) {
                    assert.deepStrictEqual(run.violations, [], `${name} reported a violation although ${property}${path.map((s) => `[${JSON.stringify(s)}]`).join("")} is unknown`);
                    assert.match(run.notApplicable ?? "", /not known until the update/, `${name}: ${run.notApplicable}`);
                }
            } else {
                // Another input becomes unknown: the document's verdicts stay as they were.
                const others = Object.keys(props).filter((k) => k !== property);
                if (others.length === 0) return;
                const key = others[placement.pick % others.length];
                const changed = { ...props, [key]: sentinelFor(props[key], placement.kind) };
                after = await judgeResource(type, changed, c.config, undefined);
                for (const [name, run] of after) {
                    const was = before.get(name)!;
                    assert.deepStrictEqual(run.violations, was.violations, `${name} changed its verdict when ${key} became unknown`);
                }
            }
        }), { quick: 300, full: 10_000 });
    });

    it("answer within 50 ms for documents up to 20,480 characters", async () => {
        const bigWithinLimit = fc.record({
            c: documentCase,
            copies: fc.integer({ min: 20, max: 600 }),
            form: textForm,
        }).map(({ c, copies, form }) => {
            // Many statements, cut back to fit AWS's limit as written.
            let doc: unknown = c.doc.value;
            if (c.doc.form !== "raw" && doc !== null && typeof doc === "object" && !Array.isArray(doc)) {
                const statements = (doc as Record<string, unknown>).Statement;
                const list = Array.isArray(statements) ? statements : [statements];
                doc = { ...(doc as object), Statement: Array.from({ length: copies }, (_, i) => list[i % Math.max(1, list.length)]) };
            }
            let n = copies;
            let text = c.doc.form === "raw" ? String(doc).repeat(copies) : policyText(doc, form);
            while (characterCount(text) > endpointPolicyMaxLength && n > 1) {
                n = Math.floor(n * 0.8);
                if (c.doc.form === "raw") text = String(c.doc.value).repeat(n);
                else text = policyText({ ...(doc as object), Statement: ((doc as Record<string, unknown>).Statement as unknown[]).slice(0, n) }, form);
            }
            if (characterCount(text) > endpointPolicyMaxLength) text = text.slice(0, endpointPolicyMaxLength);
            return printable({ carrier: c.carrier as Carrier, text, config: c.config }, (v) => `${v.carrier}: ${v.text.length} characters ${JSON.stringify(v.text.slice(0, 300))}…`);
        });
        await check("document rules: 50 ms within the limit", fc.asyncProperty(bigWithinLimit, async ({ carrier, text, config }) => {
            const { type, props } = textOn(carrier, text);
            await judgeResource(type, props, config, boundWithinLimitMs);
        }), { quick: 40, full: 1_500 });
    });

    it("answer within 1 s for a 5 MB document", async () => {
        const huge = fc.record({
            carrier: fc.constantFrom(...carriers),
            shape: fc.constantFrom("statements", "actions", "resources", "conditions", "one-string", "sid", "duplicate-keys", "wildcards", "principals", "garbage"),
            config: documentConfig,
        }).map((r) => printable(r, (v) => JSON.stringify(v)));
        await check("document rules: 1 s for 5 MB", fc.asyncProperty(huge, async ({ carrier, shape, config }) => {
            const text = fiveMegabyteDocument(shape);
            assert.ok(text.length >= 5_000_000, `${shape}: ${text.length}`);
            const { type, props } = textOn(carrier, text);
            await judgeResource(type, props, config, boundHugeMs);
        }), { quick: 3, full: 60 });
    });

    it("keep every message short even for documents full of long values", async () => {
        const longValues = fc.record({
            c: documentCase,
            long: fc.string({ minLength: 300, maxLength: 3000 }),
        }).map(({ c, long }) => {
            if (c.doc.form === "raw") return c;
            // Every string of the document replaced by a long one that still looks like itself.
            const paths = pathsOf(c.doc.value).filter((p) => typeof getAt(c.doc.value, p) === "string");
            let value = c.doc.value;
            for (const p of paths) value = replaceAt(value, p, `${String(getAt(value, p))}${long}`);
            // Keys below a statement's elements (condition operators and keys, principal types) too.
            return printable({ ...c, doc: new Doc(lengthenKeys(value, long, 0), c.doc.form) } as GeneratedDocumentCase, (v) => `${v.carrier} ${v.doc.describe()} config=${summarize(v.config)}`);
        });
        await check("document rules: long values", fc.asyncProperty(longValues, async (c) => {
            const { type, props } = carrierProps(c);
            await judgeResource(type, props, c.config, undefined);
        }), { quick: 150, full: 6_000 });
    });
});

/** A carrier holding `text` alone: parsed where aws-native takes an object (the text itself when it does not parse). */
function textOn(carrier: Carrier, text: string) {
    return carrierResource(carrier, carrier === "native" ? safeParse(text) ?? text : text, {});
}

function safeParse(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}
