// How many cases each property runs, and with which seed. `npm test` runs the quick budget;
// `npm run fuzz` (FUZZ_MODE=full) the full one, printing every property's seed before it starts so
// that even a hang can be replayed. Replay one failure with the seed and path fast-check printed:
//   FUZZ_SEED=<seed> FUZZ_PATH=<path> npm run fuzz -- --grep "<property title>"
// FUZZ_RUNS=<n> overrides every property's number of cases (quick or full).

import * as fc from "fast-check";

export const fuzzMode: "quick" | "full" = process.env.FUZZ_MODE === "full" ? "full" : "quick";

function envInt(name: string): number | undefined {
    const raw = process.env[name];
    if (raw === undefined || raw.trim() === "") return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n)) throw new Error(`${name}=${raw} is not an integer`);
    return n;
}

export interface Budget {
    /** Cases under `npm test`. */
    quick: number;
    /** Cases under `npm run fuzz`. */
    full: number;
}

/** Cases run so far, per property title (printed at the end of a fuzz run). */
export const casesRun = new Map<string, number>();

/** The number of cases a property runs in this mode. */
export function runsFor(budget: Budget): number {
    return envInt("FUZZ_RUNS") ?? (fuzzMode === "full" ? budget.full : budget.quick);
}

/** A stable seed from a property's title (FNV-1a). */
function titleSeed(title: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < title.length; i++) h = Math.imul(h ^ title.charCodeAt(i), 0x01000193);
    return h | 0;
}

/** fast-check parameters for one property: its runs, and the seed/path to replay when given. */
export function parameters<T>(title: string, budget: Budget): fc.Parameters<T> {
    // `npm test` must not flake: the quick budget replays a fixed seed per property; the full run explores.
    const seed = envInt("FUZZ_SEED") ?? (fuzzMode === "full" ? (Date.now() ^ (Math.random() * 0x100000000)) | 0 : titleSeed(title));
    const params: fc.Parameters<T> = { numRuns: runsFor(budget), seed };
    const path = process.env.FUZZ_PATH;
    if (path !== undefined && path !== "") params.path = path;
    if (fuzzMode === "full") console.log(`      [fuzz] ${title}: seed ${seed}, ${params.numRuns} cases${path ? `, path ${path}` : ""}`);
    return params;
}

/**
 * Checks a property and fails with the seed, path and a replay command. The counterexample is
 * printed through `describe`, so a generated 5 MB document is shown by the recipe that builds it.
 */
export async function check<T>(title: string, property: fc.IAsyncProperty<T> | fc.IProperty<T>, budget: Budget): Promise<void> {
    const params = parameters<T>(title, budget);
    const started = Date.now();
    const details = await fc.check(property as fc.IAsyncProperty<T>, params);
    casesRun.set(title, (casesRun.get(title) ?? 0) + details.numRuns);
    if (process.env.FUZZ_VERBOSE || fuzzMode === "full") console.log(`      [fuzz] ${title}: ${details.numRuns} case(s) in ${Date.now() - started} ms`);
    if (!details.failed) return;
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const counterexample = details.counterexample === null ? "(none)" : fc.stringify(details.counterexample);
    const replay = `FUZZ_SEED=${details.seed}${details.counterexamplePath ? ` FUZZ_PATH=${details.counterexamplePath}` : ""} npm run fuzz -- --grep ${JSON.stringify(title)}`;
    throw new Error([
        `Property "${title}" failed after ${details.numRuns} case(s) (${details.numShrinks} shrinks, ${Date.now() - started} ms).`,
        `seed ${details.seed}, path ${details.counterexamplePath ?? "(none)"}`,
        `replay: ${replay}`,
        `counterexample: ${counterexample.length > 4000 ? `${counterexample.slice(0, 4000)}… (${counterexample.length} characters)` : counterexample}`,
        `error: ${error.length > 4000 ? `${error.slice(0, 4000)}…` : error}`,
    ].join("\n"));
}
