// Where the tests find the repository and their fixtures, wherever a spec sits in test/.
import * as path from "path";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const fixturesDir = path.join(repoRoot, "test", "fixtures");
