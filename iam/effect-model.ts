// What one endpoint policy document lets through one VPC endpoint, the way AWS evaluates it: a
// request passes only if some Allow statement matches it and no Deny does. Per statement, how much
// of the endpoint's traffic each part can match — its actions (of the endpoint's service), its
// resources, its principals — and whether its Condition holds always, never or sometimes; and the
// parts that can never apply, with the reason. Rules 6, 10, 15 and 16 all read this one model.
//
// Sound: "never" and "nothing" only when they hold for every request. Each part is a range of
// levels (nothing/never < some/sometimes < everything/always): a known part is one level, a part
// that holds an unknown value (the engine's preview sentinel) spans what the value could make it.
// A key whose values cannot be known is "sometimes", never a verdict.

import type PartitionsFile from "./data/partitions.json";
import { globMatcher, globMatches, globMatchesExactCase, iamActionsOf, iamPrefixFacts, loadedActionPatternMatches, loadedPrefixFacts, splitAction } from "./actions";
import { isAccountId, parseArn } from "./arn";
import { parseConditionOperator, keyTypesOf, type ConditionOperator } from "./condition";
import { loadedConditionKey, lookupConditionKey, type ConditionKeyLookup } from "./condition-keys";
import { isJsonObject, statementsOf, stringList, type PolicyStatement } from "./policy-document";
import { isAnyPrincipal, readPrincipal } from "./principal";
import { isUnknown } from "../values/unknown-values";

/** 0: nothing / never; 1: some / sometimes; 2: everything / always. */
export type Level = 0 | 1 | 2;

/** The levels a part can be at: one level when known, a span when an unknown value decides. */
export interface Range {
    lo: Level;
    hi: Level;
}

const exactly = (level: Level): Range => ({ lo: level, hi: level });
const undecided: Range = { lo: 0, hi: 2 };
const min = (a: Level, b: Level): Level => (a < b ? a : b);
const both = (a: Range, b: Range): Range => ({ lo: min(a.lo, b.lo), hi: min(a.hi, b.hi) });

/** A value of the endpoint that is not known until the update. */
export const notKnownYet: unique symbol = Symbol("not known yet");

/** The endpoint a document is judged on. */
export interface EndpointContext {
    /** IAM prefixes (lower case) of the endpoint's service; empty when none is known (no claim on actions). */
    prefixes: readonly string[];
    /** The endpoint's VPC ID (the value of `aws:SourceVpc` on every request through it). */
    vpcId?: string | typeof notKnownYet;
    /** The endpoint's ID (the value of `aws:SourceVpce`). */
    endpointId?: string | typeof notKnownYet;
    /** Whether an action pattern that matches no catalogued action matches nothing (rule 10's `checkActionsExist`). Default true. */
    checkActionsExist?: boolean;
}

/** What one `Action`/`NotAction` entry names of the endpoint's actions. */
export type ActionEntryReach =
    /** Every action of the endpoint's service (`*`, `s3:*`). */
    | { kind: "all" }
    /** Some of them (or possibly some: the catalogue does not know the prefix). */
    | { kind: "some" }
    /** A prefix of the endpoint's service, but no catalogued action matches the pattern. */
    | { kind: "none"; matching: string[] }
    /** Another service's prefix. */
    | { kind: "foreign"; prefix: string }
    /** Not `service:action` or `*`: it matches no action. */
    | { kind: "malformed" }
    /** An unknown value. */
    | { kind: "unknown" };

/** A part of a statement that never applies (or, for `always` and `redundant`, never restricts anything). */
export type DeadPart =
    | { kind: "missingKey"; operator: string; key: string; scope: string; outcome: Outcome }
    | { kind: "absentKey"; operator: string; key: string; outcome: Outcome }
    /** `actual`: the endpoint's own VPC or ID; undefined when only the values' form rules them out. */
    | { kind: "otherVpc"; operator: string; key: string; actual?: string; compared: string; outcome: Outcome }
    | { kind: "typeMismatch"; operator: string; key: string; keyTypes: readonly string[]; family: string; outcome: Outcome | "unclear" }
    | { kind: "noResourceAction"; entry: string }
    | { kind: "resourceService"; element: "Resource" | "NotResource"; entry: string; service: string; actionServices: string[] }
    | { kind: "badPrincipal"; element: "Principal" | "NotPrincipal"; entry: string; why: "region" | "account" | "partition" }
    | { kind: "redundantPrincipal"; entry: string };

/** Why a condition test holds or fails whatever the request: the operator's reading of an absent key, or a comparison. */
export interface Outcome {
    truth: "never" | "always";
    /** How the operator reads an absent key (`IfExists`, a negated operator, `ForAllValues:`, `Null` …), or `compare`. */
    because: "plain" | "ifExists" | "negated" | "forAllValues" | "forAnyValue" | "nullTrue" | "nullFalse" | "compare";
}

export interface Finding {
    part: DeadPart;
    /** `statement`: the statement never applies because of it; `entry`: only that entry is dead; `always`: a test that restricts nothing; `redundant`. */
    scope: "statement" | "entry" | "always" | "redundant";
}

export interface StatementEffect {
    statement: PolicyStatement;
    effect: "Allow" | "Deny" | undefined;
    actions: Range;
    resources: Range;
    principals: Range;
    condition: Range;
    /** The parts of the statement together: `hi` 0 = it never applies; `lo` 2 = it applies to every request. */
    applies: Range;
    findings: Finding[];
    /** Why the statement never applies, when it never does and a part of it can say. */
    neverBecause?: { element: "Action" | "NotAction" | "Resource" | "NotResource" | "Principal" | "NotPrincipal" | "Condition"; finding?: Finding; entries?: { entry: string; reach: ActionEntryReach }[] };
    /** The entry that makes it match every action, when one does (`*`, `s3:*`, or the NotAction). */
    everyAction?: string;
}

export interface DocumentEffect {
    statements: StatementEffect[];
    allows: StatementEffect[];
    /**
     * `yes`: no request passes (no Allow; every Allow never applies; or a Deny of everything);
     * `no`: some Allow can apply and no Deny can block everything; `unknown`: an unknown value decides.
     */
    noAccess: "yes" | "no" | "unknown";
    /** The Deny that blocks every request, when one does. */
    blanketDeny?: StatementEffect;
    /** `Statement`, or an entry of it, is an unknown value: it could be any statement. */
    unknownStatements: boolean;
}

// ---- Action entries ----

const starsOnly = /^\*+$/;

/**
 * What an `Action`/`NotAction` entry names of an endpoint's actions. Needs `iamActionsOf` of the
 * prefixes loaded first (a prefix not loaded counts as unknown to the catalogue: "some").
 */
export function classifyActionEntry(entry: unknown, prefixes: readonly string[], checkActionsExist = true): ActionEntryReach {
    if (typeof entry !== "string" || isUnknown(entry)) return unknownReach;
    if (starsOnly.test(entry)) return allReach;
    const split = splitAction(entry);
    if (split === undefined) return malformedReach;
    if (prefixes.length === 0) return someReach;
    const matchesPrefix = globMatcher(split.prefix);
    const matching = prefixes.filter((p) => matchesPrefix(p.toLowerCase()));
    if (matching.length === 0) return { kind: "foreign", prefix: split.prefix };
    if (starsOnly.test(split.action) && matching.length === prefixes.length) return allReach;
    if (checkActionsExist && matching.every((p) => loadedActionPatternMatches(p, split.action) === false)) return { kind: "none", matching };
    return someReach;
}

// Shared answers (never mutated): a document of a hundred thousand entries allocates none of them.
const allReach: ActionEntryReach = { kind: "all" };
const someReach: ActionEntryReach = { kind: "some" };
const malformedReach: ActionEntryReach = { kind: "malformed" };
const unknownReach: ActionEntryReach = { kind: "unknown" };

// Entries repeat across the documents of a stack: each is classified once per set of prefixes.
const entryCache = new Map<string, Map<string, ActionEntryReach>>();
const maxCachedEntries = 50_000;

/** `classifyActionEntry`, remembered per set of prefixes for the life of the process (bounded). */
export function cachedClassification(entry: unknown, prefixes: readonly string[], checkActionsExist = true): ActionEntryReach {
    return classifier(prefixes, checkActionsExist)(entry);
}

/** `cachedClassification` for one set of prefixes, for classifying many entries. */
function classifier(prefixes: readonly string[], checkActionsExist: boolean): (entry: unknown) => ActionEntryReach {
    const key = `${checkActionsExist ? "c" : "p"}\u0000${prefixes.join("\u0000")}`;
    let cache = entryCache.get(key);
    if (cache === undefined) entryCache.set(key, (cache = new Map()));
    const entries = cache;
    return (entry) => {
        if (typeof entry !== "string") return classifyActionEntry(entry, prefixes, checkActionsExist);
        let reach = entries.get(entry);
        if (reach === undefined) {
            reach = classifyActionEntry(entry, prefixes, checkActionsExist);
            if (entries.size < maxCachedEntries) entries.set(entry, reach);
        }
        return reach;
    };
}

/** The prefixes of the endpoint's service an entry names (its prefix part matched as a pattern). */
function prefixesNamed(entry: string, prefixes: readonly string[]): string[] {
    if (starsOnly.test(entry)) return [...prefixes];
    const split = splitAction(entry);
    if (split === undefined) return [];
    const matchesPrefix = globMatcher(split.prefix);
    return prefixes.filter((p) => matchesPrefix(p.toLowerCase()));
}

/** True when an entry names every action of `prefix` (`*`, `s3:*`, `s?:*`). */
function namesEveryActionOf(entry: string, prefix: string): boolean {
    if (starsOnly.test(entry)) return true;
    const split = splitAction(entry);
    return split !== undefined && starsOnly.test(split.action) && globMatches(split.prefix, prefix);
}

// Past this many wildcard entries, working out which actions a list leaves out is not attempted: no claim.
const maxWildcardEntries = 2000;

/**
 * Whether the entries name every catalogued action of `prefix` (true), none of them (false with
 * `none`), or some: `some`. Undefined when it cannot be told.
 */
function coverageOf(entries: readonly string[], prefix: string): "all" | "none" | "some" | undefined {
    if (entries.some((e) => namesEveryActionOf(e, prefix))) return "all";
    const named = entries.filter((e) => prefixesNamed(e, [prefix]).length > 0);
    if (named.length === 0) return "none";
    const exact = new Set<string>();
    const patterns: string[] = [];
    for (const e of named) {
        const action = splitAction(e)?.action ?? "";
        if (action.includes("*") || action.includes("?")) patterns.push(action);
        else exact.add(action.toLowerCase());
    }
    if (patterns.length > maxWildcardEntries) return undefined;
    const matchers = patterns.map((p) => globMatcher(p));
    const actions = loadedActionsOf(prefix);
    if (actions === undefined) return undefined;
    let covered = 0;
    for (const a of actions) if (exact.has(a) || matchers.some((m) => m(a))) covered++;
    return covered === 0 ? "none" : covered === actions.length ? "all" : "some";
}

// The actions of a loaded prefix, through the pattern matcher's own cache.
function loadedActionsOf(prefix: string): readonly string[] | undefined {
    return loadedActionList.get(prefix.toLowerCase());
}
const loadedActionList = new Map<string, readonly string[] | undefined>();

// ---- Resources ----

const matchesStarResource = (entry: string) => globMatches(entry, "*");

// ---- Principals ----

let partitions: ReadonlySet<string> | undefined;

function knownPartitions(): ReadonlySet<string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (partitions ??= new Set((require("./data/partitions.json") as typeof PartitionsFile).partitions.map((p) => p.id)));
}

/** Why an `AWS` principal value cannot name a principal; undefined when it can (or cannot be told). */
export function principalDefect(value: string): "region" | "account" | "partition" | undefined {
    if (/^[0-9]+$/.test(value)) return value.length === 12 ? undefined : "account";
    const arn = parseArn(value);
    if (arn === undefined || /[*?]|\$\{/.test(value)) return undefined;
    if (arn.service !== "iam" && arn.service !== "sts") return undefined;
    if (!knownPartitions().has(arn.partition)) return "partition";
    if (arn.region !== "") return "region";
    // CloudFront origin access identities are `arn:aws:iam::cloudfront:user/…`.
    if (!isAccountId(arn.account) && arn.account !== "cloudfront") return "account";
    return undefined;
}

// ---- Conditions ----

interface TestVerdict {
    range: Range;
    finding?: Finding;
}

const sometimes: TestVerdict = { range: exactly(1) };

/** How a test reads a key that is absent from the request. */
function absentKeyOutcome(op: ConditionOperator, values: unknown[]): Outcome | "unknown" | undefined {
    if (op.category === "null") {
        if (op.setQualifier) return undefined;
        const truths = values.map((v) => (v === true || v === "true" ? true : v === false || v === "false" ? false : isUnknown(v) ? "unknown" : undefined));
        if (truths.includes("unknown")) return "unknown";
        if (truths.includes(true)) return { truth: "always", because: "nullTrue" };
        if (truths.length > 0 && truths.every((t) => t === false)) return { truth: "never", because: "nullFalse" };
        return undefined;
    }
    if (op.category === undefined) return undefined;
    if (op.setQualifier === "ForAllValues") return { truth: "always", because: "forAllValues" };
    if (op.ifExists) return op.setQualifier === "ForAnyValue" ? undefined : { truth: "always", because: "ifExists" };
    if (op.setQualifier === "ForAnyValue") return { truth: "never", because: "forAnyValue" };
    if (op.negated) return { truth: "always", because: "negated" };
    return { truth: "never", because: "plain" };
}

const outcomeRange = (o: Outcome): Range => exactly(o.truth === "never" ? 0 : 2);

// Families whose comparison can never succeed on a value of the key's type (a number is never an
// ARN, `true` never a date…). String keys are left alone: a tag or a string may hold anything.
const impossible: Readonly<Record<string, readonly string[]>> = {
    numeric: ["ARN", "ArrayOfARN", "Bool", "ArrayOfBool", "IPAddress"],
    date: ["ARN", "ArrayOfARN", "Bool", "ArrayOfBool", "IPAddress"],
    bool: ["ARN", "ArrayOfARN", "Numeric", "Date", "IPAddress"],
    ip: ["ARN", "ArrayOfARN", "Bool", "ArrayOfBool", "Numeric", "Date"],
    arn: ["Bool", "ArrayOfBool", "Numeric", "Date", "IPAddress"],
};

function judgeTest(operatorText: string, op: ConditionOperator, key: string, raw: unknown, context: EndpointContext): TestVerdict {
    if (isUnknown(operatorText) || isUnknown(key)) return { range: undecided };
    const values = Array.isArray(raw) ? raw : [raw];
    const lookup: ConditionKeyLookup | undefined = documentKeys?.get(key.toLowerCase()) ?? loadedConditionKey(key);
    if (lookup === undefined || lookup.status === "no-claim" || op.category === undefined) return sometimes;
    if (lookup.status === "missing") {
        const outcome = absentKeyOutcome(op, values);
        if (outcome === "unknown") return { range: undecided };
        if (outcome === undefined) return sometimes;
        return { range: outcomeRange(outcome), finding: { part: { kind: "missingKey", operator: operatorText, key, scope: lookup.scope, outcome }, scope: outcome.truth === "never" ? "statement" : "always" } };
    }
    if (lookup.throughVpcEndpoint === "never") {
        const outcome = absentKeyOutcome(op, values);
        if (outcome === "unknown") return { range: undecided };
        if (outcome === undefined) return sometimes;
        return { range: outcomeRange(outcome), finding: { part: { kind: "absentKey", operator: operatorText, key, outcome }, scope: outcome.truth === "never" ? "statement" : "always" } };
    }
    const mismatch = typeMismatch(operatorText, op, key, lookup.types);
    if (mismatch !== undefined) return mismatch;
    const name = lookup.name.toLowerCase();
    if (name === "aws:sourcevpc" || name === "aws:sourcevpce") return endpointValueTest(operatorText, op, key, values, name === "aws:sourcevpc" ? context.vpcId : context.endpointId);
    return sometimes;
}

function typeMismatch(operatorText: string, op: ConditionOperator, key: string, keyTypes: readonly string[]): TestVerdict | undefined {
    if (op.category === undefined || keyTypes.length === 0) return undefined;
    const fits = keyTypesOf(op.category);
    if (fits === null || keyTypes.some((t) => fits.includes(t))) return undefined;
    const never = !op.negated && !op.ifExists && op.setQualifier === undefined && keyTypes.every((t) => (impossible[op.category ?? ""] ?? []).includes(t));
    const part: DeadPart = { kind: "typeMismatch", operator: operatorText, key, keyTypes, family: op.category, outcome: never ? { truth: "never", because: "compare" } : "unclear" };
    return never ? { range: exactly(0), finding: { part, scope: "statement" } } : { range: exactly(1), finding: { part, scope: "entry" } };
}

/** A test of `aws:SourceVpc`/`aws:SourceVpce`, which every request through the endpoint carries with one value. */
function endpointValueTest(operatorText: string, op: ConditionOperator, key: string, values: unknown[], actual: string | typeof notKnownYet | undefined): TestVerdict {
    if (op.category !== "string" || op.setQualifier !== undefined) return sometimes;
    if (values.some(isUnknown)) return { range: undecided };
    if (!values.every((v) => typeof v === "string" && !v.includes("${"))) return sometimes;
    const strings = values as string[];
    const base = op.base;
    const exact = base === "StringEquals" || base === "StringNotEquals" || base === "StringEqualsIgnoreCase" || base === "StringNotEqualsIgnoreCase";
    // A value that is not of the form of a VPC ID (vpc-…) or an endpoint ID (vpce-…), such as an
    // endpoint *service* ID (vpce-svc-…), is never the key's value, whatever the endpoint.
    const idForm = /vpce$/i.test(key) ? /^vpce-[0-9a-z]{8}([0-9a-z]{9})?$/i : /^vpc-[0-9a-z]{8}([0-9a-z]{9})?$/i;
    let matched: boolean;
    if (exact && strings.every((v) => !idForm.test(v))) matched = false;
    else if (actual === undefined) return sometimes;
    else if (actual === notKnownYet) return { range: undecided };
    else if (base === "StringEquals" || base === "StringNotEquals") matched = strings.includes(actual);
    else if (base === "StringEqualsIgnoreCase" || base === "StringNotEqualsIgnoreCase") matched = strings.some((v) => v.toLowerCase() === actual.toLowerCase());
    else if (base === "StringLike" || base === "StringNotLike") matched = strings.some((v) => globMatchesExactCase(v, actual));
    else return sometimes;
    const own = typeof actual === "string" ? { actual } : {};
    const compared = strings[0] ?? "";
    if (!op.negated) {
        if (matched) return { range: exactly(2) };
        // Values that cannot be this endpoint's: the statement never applies.
        return { range: exactly(0), finding: { part: { kind: "otherVpc", operator: operatorText, key, ...own, compared, outcome: { truth: "never", because: "compare" } }, scope: "statement" } };
    }
    // A negated test of this endpoint's own VPC or ID ("deny unless through our VPC") never holds
    // here: the statement never applies, harmlessly, and is no dead grant (SPEC rule 16 reports
    // comparisons with values that cannot be this endpoint's). With only other values it always
    // holds and restricts nothing.
    if (matched) return { range: exactly(0) };
    return { range: exactly(2), finding: { part: { kind: "otherVpc", operator: operatorText, key, ...own, compared, outcome: { truth: "always", because: "compare" } }, scope: "always" } };
}

// ---- Statements ----

function judgeStatement(statement: PolicyStatement, context: EndpointContext): StatementEffect {
    const s = statement.element;
    const effect = s.Effect === "Allow" || s.Effect === "Deny" ? s.Effect : undefined;
    const findings: Finding[] = [];
    let neverBecause: StatementEffect["neverBecause"];

    // Condition first: its findings name the most common reason a statement is dead.
    const condition = judgeCondition(statement, context, findings);
    if (condition.hi === 0) neverBecause = { element: "Condition", finding: findings.find((f) => f.scope === "statement") };

    const resourcesJudged = judgeResources(statement, context, findings);
    const actionsJudged = judgeActions(statement, context, resourcesJudged.matchesStar, findings);
    const actions = actionsJudged.range;
    const resources = resourcesJudged.range;
    const principals = judgePrincipals(statement, findings);

    if (neverBecause === undefined && actions.hi === 0) neverBecause = { element: actionsJudged.element, entries: actionsJudged.entries, finding: actionsJudged.finding };
    if (neverBecause === undefined && resources.hi === 0) neverBecause = { element: resourcesJudged.element, finding: findings.find((f) => f.part.kind === "resourceService") };
    if (neverBecause === undefined && principals.hi === 0) neverBecause = { element: Object.hasOwn(s, "NotPrincipal") ? "NotPrincipal" : "Principal", finding: findings.find((f) => f.part.kind === "badPrincipal") };

    const applies = both(both(actions, resources), both(principals, condition));
    return {
        statement, effect, actions, resources, principals, condition, applies, findings,
        ...(applies.hi === 0 ? { neverBecause } : {}),
        ...(actionsJudged.everyAction === undefined ? {} : { everyAction: actionsJudged.everyAction }),
    };
}

function judgeCondition(statement: PolicyStatement, context: EndpointContext, findings: Finding[]): Range {
    const s = statement.element;
    if (!Object.hasOwn(s, "Condition")) return exactly(2);
    const condition = s.Condition;
    if (isUnknown(condition)) return undecided;
    if (!isJsonObject(condition)) return exactly(1);
    let range = exactly(2);
    for (const operatorText of Object.keys(condition)) {
        const block = condition[operatorText];
        if (isUnknown(block)) {
            range = both(range, undecided);
            continue;
        }
        if (!isJsonObject(block)) {
            range = both(range, exactly(1));
            continue;
        }
        const op = parseConditionOperator(operatorText);
        for (const key of Object.keys(block)) {
            const verdict = judgeTest(operatorText, op, key, block[key], context);
            range = both(range, verdict.range);
            if (verdict.finding) findings.push(verdict.finding);
        }
    }
    return range;
}

interface JudgedResources {
    range: Range;
    element: "Resource" | "NotResource";
    /** Whether the statement matches the resource `*` that actions without a resource type are authorized on. */
    matchesStar: boolean | "unknown";
}

function judgeResources(statement: PolicyStatement, context: EndpointContext, findings: Finding[]): JudgedResources {
    const s = statement.element;
    const element = Object.hasOwn(s, "NotResource") && !Object.hasOwn(s, "Resource") ? "NotResource" : "Resource";
    const raw = s[element];
    if (isUnknown(raw)) return { range: undecided, element, matchesStar: "unknown" };
    const entries = stringList(raw);
    if (entries === undefined || entries.length === 0 || (Object.hasOwn(s, "Resource") && Object.hasOwn(s, "NotResource"))) {
        return { range: exactly(1), element, matchesStar: "unknown" };
    }
    const unknown = entries.some(isUnknown);
    const known = entries.filter((e) => !isUnknown(e));
    const anyMatchesStar = known.some(matchesStarResource);
    const everything = known.some((e) => starsOnly.test(e));
    const acting = known.some((e) => e.startsWith("arn:")) ? statementArnServices(statement, context) : undefined;
    let dead = 0;
    if (acting !== undefined) {
        const services = acting.services;
        for (const entry of new Set(known)) {
            const arn = parseArn(entry);
            if (arn === undefined || arn.service.includes("${")) continue;
            const service = arn.service.toLowerCase();
            const fits = /[*?]/.test(service) ? [...services].some((s) => globMatches(service, s)) : services.has(service);
            if (fits) continue;
            dead += known.filter((e) => e === entry).length;
            // An unknown action could act on this service: the entry may be dead, but is not reported.
            if (!acting.partial) findings.push({ part: { kind: "resourceService", element, entry, service: arn.service, actionServices: [...services] }, scope: "entry" });
        }
    }
    // Entries are alternatives: with none of the known ones alive, an unknown one decides (vacuously dead when all are unknown).
    const allDead = dead === known.length;
    // With an unknown action, the entries found dead may be alive: the range spans both readings.
    const aliveAtMost = acting?.partial === true ? known.length : known.length - dead;
    if (element === "Resource") {
        const lo: Level = everything ? 2 : allDead ? 0 : 1;
        const hi: Level = unknown || everything ? 2 : aliveAtMost > 0 ? 1 : 0;
        return { range: { lo, hi }, element, matchesStar: unknown && !anyMatchesStar ? "unknown" : anyMatchesStar };
    }
    const hi: Level = everything ? 0 : allDead ? 2 : 1;
    const lo: Level = unknown || everything ? 0 : aliveAtMost === 0 ? 2 : 1;
    return { range: { lo, hi }, element, matchesStar: unknown && !anyMatchesStar ? "unknown" : !anyMatchesStar };
}

/**
 * The ARN services the statement's actions act on, when every `Action` entry names a prefix of
 * the endpoint's service whose catalogue is loaded; undefined otherwise (no claim). `partial` when
 * some entries are unknown: the services of the known ones, which an unknown one could add to.
 */
function statementArnServices(statement: PolicyStatement, context: EndpointContext): { services: Set<string>; partial: boolean } | undefined {
    const raw = statement.element.Action;
    if (Object.hasOwn(statement.element, "NotAction") || context.prefixes.length === 0) return undefined;
    if (isUnknown(raw)) return { services: new Set(), partial: true };
    const actions = stringList(raw);
    if (actions === undefined) return undefined;
    const services = new Set<string>();
    let partial = false;
    for (const entry of new Set(actions)) {
        if (isUnknown(entry)) {
            partial = true;
            continue;
        }
        const split = splitAction(entry);
        if (split === undefined || /[*?]/.test(split.prefix)) return undefined;
        const prefix = split.prefix.toLowerCase();
        if (!context.prefixes.includes(prefix)) return undefined;
        const facts = loadedPrefixFacts(prefix);
        if (facts === undefined || facts.arnServices.size === 0) return undefined;
        for (const s of facts.arnServices) services.add(s);
    }
    return services.size === 0 && !partial ? undefined : { services, partial };
}

interface JudgedActions {
    range: Range;
    element: "Action" | "NotAction";
    entries: { entry: string; reach: ActionEntryReach }[];
    everyAction?: string;
    finding?: Finding;
}

// Past this many wildcard entries in one statement, which actions they name is not worked out: no claim.
const maxNoResourceChecks = 2000;

function judgeActions(statement: PolicyStatement, context: EndpointContext, matchesStar: boolean | "unknown", findings: Finding[]): JudgedActions {
    const s = statement.element;
    const element = Object.hasOwn(s, "NotAction") && !Object.hasOwn(s, "Action") ? "NotAction" : "Action";
    const raw = s[element];
    if (isUnknown(raw)) return { range: undecided, element, entries: [] };
    const list = stringList(raw);
    if (list === undefined || list.length === 0 || (Object.hasOwn(s, "Action") && Object.hasOwn(s, "NotAction"))) return { range: exactly(1), element, entries: [] };
    const checkActionsExist = context.checkActionsExist !== false;
    const distinct = [...new Set(list)];
    const classify = classifier(context.prefixes, checkActionsExist);
    const entries = distinct.map((entry) => ({ entry, reach: classify(entry) }));
    const unknown = entries.some((e) => e.reach.kind === "unknown");
    const known = entries.filter((e) => e.reach.kind !== "unknown").map((e) => e.entry);
    const prefixes = context.prefixes;

    if (element === "NotAction") {
        let level: Level;
        if (prefixes.length === 0) level = known.some((e) => starsOnly.test(e)) ? 0 : 1;
        else {
            const coverage = prefixes.map((p) => coverageOf(known, p));
            level = coverage.every((c) => c === "all") ? 0 : coverage.every((c) => c === "none") ? 2 : 1;
        }
        const range: Range = unknown ? { lo: 0, hi: level } : exactly(level);
        return { range, element, entries, ...(level === 2 && !unknown ? { everyAction: `NotAction ${known.slice(0, 3).map((e) => JSON.stringify(e.slice(0, 60))).join(", ")}${known.length > 3 ? ", …" : ""}` } : {}) };
    }

    // Entries that name only actions without a resource type, in a statement that cannot match `*`
    // (or may not: then they are left out of the lower bound, and not reported).
    let noResourceChecks = 0;
    const live: string[] = [];
    const maybeLive: string[] = [];
    for (const { entry, reach } of entries) {
        if (reach.kind !== "all" && reach.kind !== "some") continue;
        const checkable = matchesStar !== true && prefixes.length > 0 && reach.kind === "some" && (!/[*?]/.test(entry) || ++noResourceChecks <= maxNoResourceChecks);
        if (checkable && namesOnlyNoResourceActions(entry, prefixes)) {
            if (matchesStar === false) findings.push({ part: { kind: "noResourceAction", entry }, scope: "entry" });
            else maybeLive.push(entry);
            continue;
        }
        live.push(entry);
    }
    const every = live.find((e) => prefixes.length === 0 ? starsOnly.test(e) : prefixes.every((p) => namesEveryActionOf(e, p)));
    const coversAll = every !== undefined || (prefixes.length > 1 && prefixes.every((p) => live.some((e) => namesEveryActionOf(e, p))));
    const level: Level = coversAll ? 2 : live.length > 0 ? 1 : 0;
    const hi: Level = unknown ? 2 : level === 0 && maybeLive.length > 0 ? 1 : level;
    const range: Range = { lo: level, hi };
    const noResource = findings.find((f) => f.part.kind === "noResourceAction");
    return { range, element, entries, ...(every === undefined ? {} : { everyAction: every }), ...(level === 0 && noResource ? { finding: noResource } : {}) };
}

/** Whether every catalogued action an entry names takes no resource type (and it names at least one). */
function namesOnlyNoResourceActions(entry: string, prefixes: readonly string[]): boolean {
    const split = splitAction(entry);
    if (split === undefined) return false;
    let named = 0;
    for (const prefix of prefixesNamed(entry, prefixes)) {
        const facts = loadedPrefixFacts(prefix);
        const actions = loadedActionsOf(prefix);
        if (facts === undefined || actions === undefined) return false;
        const matches = globMatcher(split.action);
        for (const a of actions) {
            if (!matches(a)) continue;
            if (!facts.noResourceActions.has(a)) return false;
            named++;
        }
    }
    return named > 0;
}

function judgePrincipals(statement: PolicyStatement, findings: Finding[]): Range {
    const s = statement.element;
    if (Object.hasOwn(s, "Principal") && Object.hasOwn(s, "NotPrincipal")) return exactly(1);
    if (Object.hasOwn(s, "NotPrincipal")) {
        const raw = s.NotPrincipal;
        if (isUnknown(raw)) return undecided;
        const read = readPrincipal(raw);
        const level: Level = read.entries.some(isAnyPrincipal) ? 0 : 1;
        return read.entries.some((e) => isUnknown(e.value)) ? { lo: 0, hi: level } : exactly(level);
    }
    if (!Object.hasOwn(s, "Principal")) return exactly(1);
    const raw = s.Principal;
    if (isUnknown(raw)) return undecided;
    const read = readPrincipal(raw);
    if (read.problems.length > 0 || read.entries.length === 0) return exactly(1);
    const unknown = read.entries.some((e) => isUnknown(e.value));
    const known = read.entries.filter((e) => !isUnknown(e.value));
    const star = known.find(isAnyPrincipal);
    if (star !== undefined) {
        for (const e of known) {
            if (e !== star && !isAnyPrincipal(e)) findings.push({ part: { kind: "redundantPrincipal", entry: e.value }, scope: "redundant" });
        }
        return exactly(2);
    }
    let dead = 0;
    for (const e of known) {
        if (e.kind !== "AWS") continue;
        const why = principalDefect(e.value);
        if (why === undefined) continue;
        dead++;
        findings.push({ part: { kind: "badPrincipal", element: "Principal", entry: e.value, why }, scope: "entry" });
    }
    // As for resources: with no known entry alive, the unknown ones decide.
    const level: Level = dead === known.length ? 0 : 1;
    return unknown ? { lo: level, hi: 2 } : exactly(level);
}

// ---- Documents ----

// The condition keys of the document being judged (judging is synchronous: one document at a time).
let documentKeys: ReadonlyMap<string, ConditionKeyLookup> | undefined;

/** Loads what the model reads from the catalogues for this document on this endpoint; returns its keys. Never rejects. */
async function loadCatalogues(statements: readonly PolicyStatement[], context: EndpointContext): Promise<Map<string, ConditionKeyLookup>> {
    const keys = new Set<string>();
    for (const statement of statements) {
        const condition = statement.element.Condition;
        if (!isJsonObject(condition)) continue;
        for (const operator of Object.keys(condition)) {
            const block = condition[operator];
            if (isJsonObject(block)) for (const key of Object.keys(block)) keys.add(key.toLowerCase());
        }
    }
    const found = new Map<string, ConditionKeyLookup>();
    await Promise.all([
        ...context.prefixes.map(async (p) => {
            loadedActionList.set(p, await iamActionsOf(p));
            await iamPrefixFacts(p);
        }),
        ...[...keys].filter((k) => !isUnknown(k)).map(async (k) => found.set(k, loadedConditionKey(k) ?? await lookupConditionKey(k))),
    ]);
    return found;
}

// Rules 6, 10, 15 and 16 ask about the same documents on the same endpoints in one AnalyzeStack
// call: one answer per document object and endpoint. Documents are shared readings (never mutated).
const effects = new WeakMap<object, Map<string, DocumentEffect>>();

function contextKey(context: EndpointContext): string {
    const value = (v: string | typeof notKnownYet | undefined) => (v === notKnownYet ? "?" : v === undefined ? "-" : `=${v}`);
    return [context.checkActionsExist === false ? "p" : "c", value(context.vpcId), value(context.endpointId), ...context.prefixes].join("\u0000");
}

/** What `document` lets through the endpoint described by `context`. Never rejects. */
export async function documentEffect(document: unknown, context: EndpointContext): Promise<DocumentEffect> {
    const key = contextKey(context);
    const holder = document !== null && typeof document === "object" ? document : undefined;
    const cached = holder === undefined ? undefined : effects.get(holder)?.get(key);
    if (cached !== undefined) return cached;
    const statements = statementsOf(document);
    const keys = await loadCatalogues(statements, context);
    let effect: DocumentEffect;
    documentKeys = keys;
    try {
        effect = judgeDocument(statements, context, hasUnknownStatement(document));
    } finally {
        documentKeys = undefined;
    }
    if (holder !== undefined) {
        let byContext = effects.get(holder);
        if (byContext === undefined) effects.set(holder, (byContext = new Map()));
        byContext.set(key, effect);
    }
    return effect;
}

function hasUnknownStatement(document: unknown): boolean {
    if (!isJsonObject(document)) return false;
    const raw = document.Statement;
    return isUnknown(raw) || (Array.isArray(raw) && raw.some(isUnknown));
}

function judgeDocument(list: readonly PolicyStatement[], context: EndpointContext, unknownStatements: boolean): DocumentEffect {
    const statements = list.map((s) => judgeStatement(s, context));
    const allows = statements.filter((s) => s.effect === "Allow");
    const denies = statements.filter((s) => s.effect === "Deny");
    const blanketDeny = denies.find((d) => d.applies.lo === 2);
    let noAccess: DocumentEffect["noAccess"];
    if (blanketDeny !== undefined) noAccess = "yes";
    // An unknown statement could be a live Allow, or a Deny of everything.
    else if (unknownStatements) noAccess = "unknown";
    else if (allows.length === 0 || allows.every((a) => a.applies.hi === 0)) noAccess = "yes";
    else if (allows.some((a) => a.applies.lo >= 1) && !denies.some((d) => d.applies.hi === 2)) noAccess = "no";
    else noAccess = "unknown";
    return { statements, allows, noAccess, unknownStatements, ...(blanketDeny === undefined ? {} : { blanketDeny }) };
}

/**
 * Whether an unknown value sits where `vpce-policy-json` would judge it (a Sid, a condition operator
 * or key): the document could turn out to be one that rule rejects, so what it does is not judged.
 */
export function unknownInGrammar(document: unknown): boolean {
    if (document === null || typeof document !== "object") return false;
    let verdict = grammarUnknowns.get(document);
    if (verdict === undefined) grammarUnknowns.set(document, (verdict = findUnknownInGrammar(document)));
    return verdict;
}

// Per document object, like `effects`: rules 15 and 16 ask it of the same shared readings.
const grammarUnknowns = new WeakMap<object, boolean>();

function findUnknownInGrammar(document: unknown): boolean {
    for (const statement of statementsOf(document)) {
        const s = statement.element;
        if (isUnknown(s.Sid) || isUnknown(s.Effect)) return true;
        const condition = s.Condition;
        if (!isJsonObject(condition)) continue;
        for (const operator of Object.keys(condition)) {
            if (isUnknown(operator)) return true;
            const block = condition[operator];
            if (isJsonObject(block) && Object.keys(block).some(isUnknown)) return true;
        }
    }
    return false;
}
