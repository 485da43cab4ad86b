// What Pulumi Cloud shows for the pack comes from GetAnalyzerInfo: its display name, README text,
// provider and tags, read here as the CLI reads them from the built pack.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess } from "../../engine";
import { repoRoot } from "../support/paths";

describe("pack metadata in GetAnalyzerInfo", function () {
    it("carries displayName, the README as readme, provider aws and tags", async function () {
        const pack = await PolicyPackProcess.start(repoRoot);
        try {
            const info = pack.info;
            assert.strictEqual(info.name, "vpce-guard");
            assert.match(info.displayName ?? "", /^vpce-guard: /);
            assert.strictEqual(info.readme, fs.readFileSync(path.join(repoRoot, "README.md"), "utf8"));
            assert.strictEqual(info.provider, "aws");
            assert.ok(info.tags?.includes("aws") && info.tags.includes("vpc-endpoint"), JSON.stringify(info.tags));
            assert.match(info.description ?? "", /VPC endpoints/);
        } finally {
            await pack.close();
        }
    });
});
