// "Did you mean …?": the candidate nearest to a misspelt name, by edit distance ignoring case.

import type * as Levenshtein from "fastest-levenshtein";

let levenshtein: typeof Levenshtein | undefined;

// Loaded on first use: suggestions are only made for messages.
function library(): typeof Levenshtein {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (levenshtein ??= require("fastest-levenshtein") as typeof Levenshtein);
}

/** The candidate nearest to `text` (ties: the first); letter case is ignored. */
export function nearestText(text: string, candidates: readonly string[]): string {
    const lower = text.toLowerCase();
    let best = candidates[0] ?? "";
    let bestDistance = Number.POSITIVE_INFINITY;
    const { distance } = library();
    for (const candidate of candidates) {
        const d = distance(lower, candidate.toLowerCase());
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best;
}

/** The nearest candidate when it is close enough to be what was meant; undefined otherwise. */
export function closeMatch(text: string, candidates: readonly string[]): string | undefined {
    if (candidates.length === 0) return undefined;
    const best = nearestText(text, candidates);
    const d = library().distance(text.toLowerCase(), best.toLowerCase());
    return d <= Math.max(2, Math.floor(best.length / 4)) ? best : undefined;
}
