// Config keys a policy does not have. The Pulumi engine validates a policy's config without
// `additionalProperties` at the top level (pulumi/pulumi pkg/resource/analyzer/config.go,
// convertSchema), so a misspelt key reaches the pack; the pack and `vpce-guard check` name it with
// the same words, from here.

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = row;
    }
    return prev[b.length];
}

/** The candidate closest to `word`, when close enough to be a misspelling (case is ignored). */
export function nearestName(word: string, candidates: readonly string[]): string | undefined {
    let best: { name: string; d: number } | undefined;
    for (const name of candidates) {
        const d = editDistance(word.toLowerCase(), name.toLowerCase());
        if (best === undefined || d < best.d) best = { name, d };
    }
    return best !== undefined && best.d <= Math.max(2, Math.floor(word.length / 4)) ? best.name : undefined;
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
