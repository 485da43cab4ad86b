// Each policy's `url` is built from package.json: its repository (any form npm accepts, GitHub
// only) and its version, as the tag `v<version>`; anything else gives no url rather than a broken one.

import * as assert from "assert";
import { docsUrl, githubRepository } from "../../framework/docs-url";

describe("policy docs url", function () {
    const repo = "https://github.com/vpce-guard/vpce-guard";
    const forms: [unknown, string | undefined][] = [
        [{ type: "git", url: "git+https://github.com/vpce-guard/vpce-guard.git" }, repo],
        ["https://github.com/vpce-guard/vpce-guard", repo],
        ["https://github.com/vpce-guard/vpce-guard/", repo],
        ["git://github.com/vpce-guard/vpce-guard.git", repo],
        ["git+ssh://git@github.com/vpce-guard/vpce-guard.git", repo],
        ["git@github.com:vpce-guard/vpce-guard.git", repo],
        ["github:vpce-guard/vpce-guard", repo],
        ["vpce-guard/vpce-guard", repo],
        ["https://gitlab.com/vpce-guard/vpce-guard", undefined],
        ["https://github.com/vpce-guard", undefined],
        [{ type: "git" }, undefined],
        [undefined, undefined],
        [42, undefined],
    ];
    for (const [repository, expected] of forms) {
        it(`repository ${JSON.stringify(repository)} → ${expected ?? "no url"}`, function () {
            assert.strictEqual(githubRepository(repository), expected);
        });
    }

    it("points at the page at the version's tag", function () {
        assert.strictEqual(docsUrl({ repository: repo, version: "1.2.3" }, "vpce-policy-json"), `${repo}/blob/v1.2.3/docs/policies/vpce-policy-json.md`);
        assert.strictEqual(docsUrl({ repository: repo, version: "1.2.3-rc.1" }, "x"), `${repo}/blob/v1.2.3-rc.1/docs/policies/x.md`);
    });

    it("gives no url without a usable version or repository", function () {
        assert.strictEqual(docsUrl({ repository: repo }, "x"), undefined);
        assert.strictEqual(docsUrl({ repository: repo, version: "latest" }, "x"), undefined);
        assert.strictEqual(docsUrl({ version: "1.2.3" }, "x"), undefined);
    });
});
