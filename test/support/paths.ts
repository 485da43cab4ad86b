// Where the tests find the repository and their fixtures, wherever a spec sits in test/.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const fixturesDir = path.join(repoRoot, "test", "fixtures");

/** Fails with the fix when the pack is not built (the engine-level tests start `bin/`). */
export function assertPackBuilt(rule: string): void {
    assert.ok(fs.existsSync(path.join(repoRoot, "bin", "policies", `${rule}.js`)), `the pack is not built: run npx tsc -p tsconfig.json in ${repoRoot}`);
}
