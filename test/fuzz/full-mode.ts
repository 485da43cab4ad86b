// `npm run fuzz`: loaded by test/fuzz/.mocharc.json before any spec, so every property runs its
// full budget (test/fuzz/budget.ts), prints its seed before it starts, and the run ends with the
// number of cases each property ran.

process.env.FUZZ_MODE = "full";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const budget = require("./budget") as typeof import("./budget");

export const mochaHooks = {
    afterAll(): void {
        const rows = [...budget.casesRun];
        const total = rows.reduce((n, [, c]) => n + c, 0);
        console.log("\n  fuzz cases by property:");
        for (const [title, n] of rows) console.log(`    ${String(n).padStart(8)}  ${title}`);
        console.log(`    ${String(total).padStart(8)}  in total${process.env.FUZZ_SEED ? ` (FUZZ_SEED=${process.env.FUZZ_SEED})` : ""}`);
    },
};
