// Runs the pack's policies the way the framework does, for the property tests: each policy's
// `evaluate` and its real `validateResource`/`validateStack`, with args built as
// @pulumi/policy's server builds them (props behind its unknown-checking proxy, `notApplicable`
// throwing, `getConfig`), and the oracles every property shares: no exception, no internal-error
// note, the framework's calls agree with `evaluate`, a bounded time, and bounded messages.

import * as assert from "assert";
import { performance } from "perf_hooks";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policies";
import { parseJsonDocumentCached } from "../../iam/json-document";
import { Findings, type DocumentPolicy, type MessageData, type Violation } from "../../framework/rule";
import type { GraphResource } from "../../stack/stack-graph";
import type { StackPolicy, StackViolation } from "../../framework/stack-rule";
import { nameFromUrn, type RunResult } from "../../engine";
import { maxMessageLength } from "../support/cases";
import { looseOf, policyResourcesOf, rememberAnalysed, type LooseResource } from "../support/stacks";

// The framework's own proxy and error (internal to @pulumi/policy, so not in its typings).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const frameworkProxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T>(value: T): T;
    UnknownValueError: new (...args: unknown[]) => Error;
};

export const documentPolicies = policies.filter((p): p is DocumentPolicy => "validateResource" in p) as DocumentPolicy[];
export const stackPolicies = policies.filter((p): p is StackPolicy => "validateStack" in p) as StackPolicy[];

/** What the framework would make of a policy's run: a diagnostic per violation, or a not-applicable reason. */
export interface FrameworkOutcome {
    reported: { message: string; urn?: string }[];
    notApplicable?: string;
}

class NotApplicableSignal extends Error {
    constructor(readonly reason: string | undefined) {
        super("not applicable");
    }
}

/** An exception would be the framework's "Error validating resource" RPC failure, or its "can't run policy" note. */
function frameworkFailure(policy: string, e: unknown): Error {
    if (e instanceof frameworkProxy.UnknownValueError) {
        return new assert.AssertionError({ message: `${policy}: the framework would report "can't run policy ${policy} during preview: ${(e as Error).message}"` });
    }
    return new assert.AssertionError({ message: `${policy} threw (an RPC error through the framework): ${e instanceof Error ? e.stack : String(e)}` });
}

/** Resource args as the framework's Analyze builds them. */
export function resourceArgs(type: string, urn: string, props: unknown, config: unknown, onNotApplicable: (r: string | undefined) => void) {
    return {
        type,
        props: props !== null && typeof props === "object" ? frameworkProxy.unknownCheckingProxy(props) : props,
        urn,
        name: nameFromUrn(urn),
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        stackTags: new Map<string, string>(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            onNotApplicable(reason);
            throw new NotApplicableSignal(reason);
        },
    };
}

export interface DocumentRun {
    violations: Violation[];
    notApplicable?: string;
    framework: FrameworkOutcome;
    /** Wall time of the `evaluate` call, ms. */
    elapsed: number;
}

/** One document policy on one resource: `evaluate`, then `validateResource` as the framework calls it. */
export async function runDocumentPolicy(policy: DocumentPolicy, type: string, urn: string, props: unknown, config?: unknown): Promise<DocumentRun> {
    let verdict: ReturnType<DocumentPolicy["evaluate"]>;
    const started = performance.now();
    try {
        verdict = policy.evaluate(type, props, config);
    } catch (e) {
        throw frameworkFailure(policy.name, e);
    }
    const elapsed = performance.now() - started;
    const framework: FrameworkOutcome = { reported: [] };
    let notApplicableCalls = 0;
    const args = resourceArgs(type, urn, props, config ?? {}, (reason) => {
        notApplicableCalls++;
        framework.notApplicable = reason ?? "";
    });
    try {
        const validate = (policy as ResourceValidationPolicy).validateResource;
        assert.ok(typeof validate === "function", `${policy.name} has no single validateResource`);
        await Promise.resolve(validate(args as never, (message: string, reportedUrn?: string) => {
            framework.reported.push(reportedUrn === undefined ? { message } : { message, urn: reportedUrn });
        }));
    } catch (e) {
        if (!(e instanceof NotApplicableSignal)) throw frameworkFailure(policy.name, e);
    }
    assert.ok(notApplicableCalls <= 1, `${policy.name} called notApplicable ${notApplicableCalls} times`);
    return { violations: verdict.violations, ...(verdict.notApplicable === undefined ? {} : { notApplicable: verdict.notApplicable }), framework, elapsed };
}

/** The shared checks of one document-policy run. */
export function checkDocumentRun(policy: DocumentPolicy, run: DocumentRun): void {
    assert.ok(Array.isArray(run.violations), `${policy.name}: no violations array`);
    assert.ok(!/could not evaluate/.test(run.notApplicable ?? ""), `${policy.name} caught an exception of its own: ${run.notApplicable}`);
    assert.ok(run.violations.length === 0 || run.notApplicable === undefined, `${policy.name}: violations and a not-applicable reason at once`);
    assert.deepStrictEqual(run.framework.reported.map((r) => r.message), run.violations.map((v) => v.message), `${policy.name}: validateResource reported something else than evaluate`);
    if (run.violations.length === 0) {
        assert.strictEqual(run.framework.notApplicable, run.notApplicable, `${policy.name}: validateResource's not-applicable differs from evaluate's`);
    } else {
        assert.strictEqual(run.framework.notApplicable, undefined, `${policy.name}: notApplicable called although violations were reported`);
    }
}

// ---------------------------------------------------------------------------------------------
// Stacks

/** Framework-shaped stack resources: with `proxied`, as the framework builds them (props behind its unknown-checking proxy); without, as a library caller may hand them. */
export function frameworkResources(resources: readonly LooseResource[], proxied: boolean): GraphResource[] {
    return policyResourcesOf(resources, proxied ? { props: (props) => frameworkProxy.unknownCheckingProxy(props) } : undefined);
}

/** Records the inputs as the pack's Analyze calls would, after forgetting earlier ones. */
export const analyse = rememberAnalysed;

export { looseOf };

export interface StackRun {
    violations: StackViolation[];
    notApplicable?: string;
    framework: FrameworkOutcome;
    elapsed: number;
}

/** One stack policy on a stack: `evaluate` (plain resources), then `validateStack` as the framework calls it. */
export async function runStackPolicy(policy: StackPolicy, resources: readonly LooseResource[], config?: unknown): Promise<StackRun> {
    analyse(resources);
    const plainResources = frameworkResources(resources, false);
    let verdict: Awaited<ReturnType<StackPolicy["evaluate"]>>;
    const started = performance.now();
    try {
        verdict = await policy.evaluate(plainResources, config);
    } catch (e) {
        throw frameworkFailure(policy.name, e);
    }
    const elapsed = performance.now() - started;
    const framework: FrameworkOutcome = { reported: [] };
    let notApplicableCalls = 0;
    try {
        const validate = (policy as StackValidationPolicy).validateStack;
        await Promise.resolve(validate({
            resources: frameworkResources(resources.filter((r) => r !== null && typeof r === "object"), true) as never,
            getConfig: <T extends object>() => (config ?? {}) as T,
            stackTags: new Map(),
            notApplicable: (reason?: string): never => {
                notApplicableCalls++;
                framework.notApplicable = reason ?? "";
                throw new NotApplicableSignal(reason);
            },
        }, (message: string, urn?: string) => {
            framework.reported.push(urn === undefined ? { message } : { message, urn });
        }));
    } catch (e) {
        if (!(e instanceof NotApplicableSignal)) throw frameworkFailure(policy.name, e);
    }
    assert.ok(notApplicableCalls <= 1, `${policy.name} called notApplicable ${notApplicableCalls} times`);
    return { violations: verdict.violations, ...(verdict.notApplicable === undefined ? {} : { notApplicable: verdict.notApplicable }), framework, elapsed };
}

/**
 * The shared checks of one stack-policy run. `sameAsFramework`: the stack has no entry the framework
 * could not have built (junk entries, junk dependencies), so validateStack must report the same.
 */
export function checkStackRun(policy: StackPolicy, run: StackRun, sameAsFramework: boolean): void {
    assert.ok(Array.isArray(run.violations), `${policy.name}: no violations array`);
    assert.ok(!/could not evaluate/.test(run.notApplicable ?? ""), `${policy.name} caught an exception of its own: ${run.notApplicable}`);
    assert.ok(!/could not evaluate/.test(run.framework.notApplicable ?? ""), `${policy.name} caught an exception of its own through validateStack: ${run.framework.notApplicable}`);
    for (const v of run.violations) assert.ok(typeof v.urn === "string", `${policy.name}: a violation without a URN`);
    for (const r of run.framework.reported) assert.ok(typeof r.urn === "string", `${policy.name}: reportViolation without a URN`);
    if (sameAsFramework) {
        assert.deepStrictEqual(run.framework.reported, run.violations.map((v) => ({ message: v.message, urn: v.urn })), `${policy.name}: validateStack reported something else than evaluate`);
    }
}

// ---------------------------------------------------------------------------------------------
// Time

/** Forgets recently parsed documents, so the next evaluation pays for its parse. */
export function evictParseCache(): void {
    for (let i = 0; i < 64; i++) parseJsonDocumentCached(String(i));
}

/**
 * Asserts `measure()` (which returns its own wall time, ms) stays within `boundMs`. A run over the
 * bound is repeated twice (after `reset`) and fails only if every run is over: a garbage collection
 * or a busy neighbour is not a finding, a super-linear path is.
 */
export async function withinTime(what: string, boundMs: number, measure: () => Promise<number> | number, reset: () => void = evictParseCache): Promise<number> {
    let best = await measure();
    for (let attempt = 0; attempt < 2 && best > boundMs; attempt++) {
        reset();
        best = Math.min(best, await measure());
    }
    assert.ok(best <= boundMs, `${what} took ${best.toFixed(1)} ms (bound ${boundMs} ms) in each of 3 runs`);
    return best;
}

// ---------------------------------------------------------------------------------------------
// Messages

export { maxMessageLength };
export const maxQuotedValue = 200;
const echoLength = 200;

/** The string leaves of an input (and, for objects, its JSON form), for the echo check. */
export function inputTexts(value: unknown, extra: readonly string[] = []): string[] {
    const texts: string[] = [...extra];
    const pending: unknown[] = [value];
    let seen = 0;
    while (pending.length > 0 && seen < 100_000) {
        const v = pending.pop();
        seen++;
        if (typeof v === "string") {
            if (v.length >= echoLength / 2) texts.push(v);
        } else if (Array.isArray(v)) {
            for (const e of v) pending.push(e);
        } else if (v !== null && typeof v === "object") {
            for (const k of Object.keys(v)) {
                if (k.length >= echoLength / 2) texts.push(k);
                pending.push((v as Record<string, unknown>)[k]);
            }
        }
    }
    try {
        const json = JSON.stringify(value);
        if (typeof json === "string" && json.length >= echoLength) texts.push(json);
    } catch {
        // Too deep or cyclic to print: its leaves are checked above.
    }
    return texts;
}

/** The longest common run of `message` and `text` that contains `message[at, at + window)`, or 0. */
function echoAround(message: string, text: string, at: number, window: number): number {
    const needle = message.slice(at, at + window);
    let longest = 0;
    for (let from = text.indexOf(needle), n = 0; from >= 0 && n < 50; from = text.indexOf(needle, from + 1), n++) {
        let left = 0;
        while (at - left - 1 >= 0 && from - left - 1 >= 0 && message[at - left - 1] === text[from - left - 1]) left++;
        let right = 0;
        while (at + window + right < message.length && from + window + right < text.length && message[at + window + right] === text[from + window + right]) right++;
        longest = Math.max(longest, left + window + right);
    }
    return longest;
}

/** The longest run of `message` (≥ 200 characters long to count) that also occurs in one of `texts`. */
export function longestEcho(message: string, texts: readonly string[]): number {
    const window = echoLength / 2;
    let longest = 0;
    // Any common run of 200 characters contains an aligned window of 100.
    for (let at = 0; at + window <= message.length; at += window) {
        for (const text of texts) longest = Math.max(longest, echoAround(message, text, at, window));
    }
    return longest;
}

/** Every string and key of an input, joined: where a `{{placeholder}}`-looking text may come from. */
export function inputBlob(value: unknown): string {
    const parts: string[] = [];
    const pending: unknown[] = [value];
    let size = 0;
    while (pending.length > 0 && size < 50_000_000) {
        const v = pending.pop();
        if (typeof v === "string") {
            parts.push(v);
            size += v.length;
        } else if (Array.isArray(v)) {
            for (const e of v) pending.push(e);
        } else if (v !== null && typeof v === "object") {
            for (const k of Object.keys(v)) {
                parts.push(k);
                pending.push((v as Record<string, unknown>)[k]);
            }
        }
    }
    return parts.join("\u0000");
}

/** What the rule wrote in an engine diagnostic: the framework puts the policy's description and a newline before it. */
export function ruleMessage(d: { message: string; description: string }): string {
    return d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message;
}

/** No message echoes the input: short overall, no quoted value over 200 characters, no 200-character run of the input. */
export function checkMessages(policy: string, messages: readonly string[], texts: readonly string[], blob = ""): void {
    for (const message of messages) {
        assert.strictEqual(typeof message, "string", `${policy}: a message that is not a string`);
        assert.ok(message.length > 0, `${policy}: an empty message`);
        for (const m of message.matchAll(/\{\{\w+\}\}/g)) {
            assert.ok(blob.includes(m[0]), `${policy}: an unfilled placeholder ${m[0]} in ${JSON.stringify(message.slice(0, 300))}`);
        }
        assert.ok(message.length <= maxMessageLength, `${policy}: a message of ${message.length} characters: ${JSON.stringify(message.slice(0, 400))}…`);
        // A quoted value: a JSON string literal whose text comes from the input (not template text
        // between two quotes of a value that itself held a quote).
        for (const m of message.matchAll(/"((?:[^"\\\n]|\\.){201,})"/g)) {
            let content: string;
            try {
                content = JSON.parse(`"${m[1]}"`) as string;
            } catch {
                continue;
            }
            if (blob.includes(content.slice(0, 100))) assert.fail(`${policy}: a quoted value of ${m[1].length} characters in ${JSON.stringify(message.slice(0, 400))}`);
        }
        const echo = longestEcho(message, texts);
        assert.ok(echo < echoLength, `${policy}: the message repeats ${echo} characters of the input: ${JSON.stringify(message.slice(0, 400))}`);
    }
}

// ---------------------------------------------------------------------------------------------
// What each message was built from


/** The placeholder data of every message reported since the last `clearReportData`, by message text. */
export const reportData = new Map<string, { messageId: string; data: MessageData }>();

export function clearReportData(): void {
    reportData.clear();
}

/**
 * Records the placeholder data of every message kept into `reportData` until the returned function
 * restores `Findings.report`. Findings.report is the one place every rule's message is built:
 * recording its arguments tells the metamorphic properties which values a message names, without
 * parsing messages back. Lazy data is still computed once, and only for a message kept.
 */
export function recordReportData(): () => void {
    const originalReport = Findings.prototype.report;
    Findings.prototype.report = function (this: Findings<Record<string, string>>, messageId: string, data: MessageData | (() => MessageData) = {}) {
        const before = this.violations.length;
        let computed: MessageData | undefined;
        originalReport.call(this, messageId, typeof data === "function" ? () => (computed ??= data()) : data);
        if (this.violations.length > before) {
            reportData.set(this.violations[this.violations.length - 1].message, { messageId, data: typeof data === "function" ? computed ?? data() : data });
        }
    } as typeof originalReport;
    return () => {
        Findings.prototype.report = originalReport;
        reportData.clear();
    };
}

/**
 * Placeholders that hold advice (a fix, an example) or a value derived from the input (a suffix, a
 * protocol's name, a count) rather than the offending value as written.
 */
export const advicePlaceholders = new Set([
    "fix", "expected", "example", "suffix", "source", "prefixList", "property", "resetNote", "hint", "note", "limit", "over", "form",
    "why", "list", "prefix", "count", "port", "traffic",
]);

/** The values a message names as offending: its non-advice placeholder values. */
export function offendingValues(message: string): string[] {
    const entry = reportData.get(message);
    if (entry === undefined) return [];
    return Object.entries(entry.data).filter(([k]) => !advicePlaceholders.has(k)).map(([, v]) => String(v));
}

/** A pack run's diagnostics and not-applicable results in a form to compare (the order they came in kept). */
export function comparableRun(r: RunResult): unknown {
    return {
        diagnostics: r.diagnostics.map((d) => [d.phase, d.policyName, d.enforcementLevel, d.urn, d.message]),
        notApplicable: r.notApplicable.map((n) => [n.phase, n.policyName, n.urn ?? "", n.reason]),
    };
}
