// Config keys a policy does not have. The Pulumi engine validates a policy's config without
// `additionalProperties` at the top level (pulumi/pulumi pkg/resource/analyzer/config.go,
// convertSchema), so a misspelt key reaches the pack; the pack and `vpce-guard check` name it with
// the same words, from here.

import { closeMatch } from "./nearest";

/** The candidate closest to `word`, when close enough to be a misspelling (case is ignored). */
export function nearestName(word: string, candidates: readonly string[]): string | undefined {
    return closeMatch(word, candidates);
}

export interface UnknownConfigKey {
    policy: string;
    key: string;
    nearest?: string;
    /** `<policy>: unknown config key "<key>" (did you mean "<nearest>"?)` */
    text: string;
}

/**
 * The keys of `given` that are not among `validKeys` (which include `enforcementLevel`), each with
 * the nearest valid key.
 */
export function unknownConfigKeys(policy: string, validKeys: readonly string[], given: Readonly<Record<string, unknown>>): UnknownConfigKey[] {
    const found: UnknownConfigKey[] = [];
    for (const key of Object.keys(given)) {
        if (validKeys.includes(key)) continue;
        const nearest = nearestName(key, validKeys);
        const hint = nearest !== undefined ? `did you mean "${nearest}"?` : `the keys of this policy are ${validKeys.map((k) => `"${k}"`).join(", ")}`;
        found.push({
            policy, key, ...(nearest !== undefined ? { nearest } : {}),
            text: `${policy}: unknown config key "${key.length > 60 ? `${key.slice(0, 57)}...` : key}" (${hint})`,
        });
    }
    return found;
}
