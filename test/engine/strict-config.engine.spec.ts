// Config is strict: a key a policy does not declare (`enforcmentLevel`, `acountIds`) passes the
// engine's validation (no additionalProperties at the top level, as in pulumi/pulumi config.go), so
// the pack names it on its stderr, which `pulumi preview` shows; `vpce-guard check` refuses it.
// Every policy, through the engine module, from a config file written as a user writes it.

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyConfigError, PolicyPackProcess, readPolicyPackConfigFile, reconcileConfig, runPolicyPack, type AnalyzerDescription } from "../../engine";
import { Stack } from "../support/stacks";
import { repoRoot } from "../support/paths";

const misspelt: Record<string, [string, string]> = { "vpce-data-perimeter": ["acountIds", "accountIds"], "vpce-private-dns": ["exemptService", "exemptServices"] };

describe("config is strict", function () {
    let info: AnalyzerDescription;
    let file: string;
    let dir: string;

    before(async function () {
        const pack = await PolicyPackProcess.start(repoRoot);
        info = pack.info;
        await pack.close();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpce-guard-config-"));
        file = path.join(dir, "policy-config.json");
        // What a user writes: "disable these", with the key misspelt (and two policies' own keys misspelt).
        const config: Record<string, unknown> = {};
        for (const p of info.policies) {
            const [key, value] = misspelt[p.name] ? [misspelt[p.name][0], ["111122223333"]] : ["enforcmentLevel", "disabled"];
            config[p.name] = { [key]: value };
        }
        fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
    });
    after(function () {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    const expected = (policy: string) => {
        const [key, nearest] = misspelt[policy] ?? ["enforcmentLevel", "enforcementLevel"];
        return `${policy}: unknown config key "${key}" (did you mean "${nearest}"?)`;
    };

    it("the engine passes the misspelt keys on, as the CLI does; every policy runs (none is disabled) and names its key on stderr once", async function () {
        const config = readPolicyPackConfigFile(file);
        let stderr = "";
        const stack = new Stack();
        stack.vpc("vpc");
        stack.vpc("vpc2");
        const result = await runPolicyPack(repoRoot, stack.engineResources("deployed"), { config, onOutput: (l) => { if (l.stream === "stderr") stderr += `${l.text}\n`; } });
        for (const p of info.policies) {
            assert.strictEqual(result.configured[p.name].enforcementLevel, p.enforcementLevel, p.name);
            const lines = stderr.split("\n").filter((l) => l.includes(`config error: ${p.name}:`));
            assert.deepStrictEqual(lines, [`vpce-guard: config error: ${expected(p.name)}; it is ignored, so the policy runs without it`], p.name);
        }
        assert.ok(info.policies.length >= 14);
    });

    it("with strict keys (vpce-guard check) the same config is refused, with the same message for every policy", function () {
        const config = readPolicyPackConfigFile(file);
        assert.throws(() => reconcileConfig(info, config, { strictKeys: true }), (e: unknown) => {
            assert.ok(e instanceof PolicyConfigError);
            assert.deepStrictEqual([...e.problems].sort(), info.policies.map((p) => expected(p.name)).sort());
            return true;
        });
        // Declared keys, exemptions included, pass.
        assert.doesNotThrow(() => reconcileConfig(info, {
            "vpce-policy-size": { enforcementLevel: "advisory", allowTagExemptions: true, exemptions: [{ resources: ["*"], reason: "r" }] },
            "vpce-data-perimeter": { accountIds: ["111122223333"] },
        }, { strictKeys: true }));
    });

    it("a map keyed by service refuses a key that cannot name one (nested additionalProperties: false)", function () {
        assert.throws(() => reconcileConfig(info, { "vpce-endpoint-ingress": { ports: { "s3 ": [443] } } }),
            /vpce-endpoint-ingress: property "ports\.s3 " is not allowed/);
        assert.doesNotThrow(() => reconcileConfig(info, { "vpce-endpoint-ingress": { ports: { cassandra: [9142], "com.amazonaws.us-east-1.s3": [443] } } }));
    });
});
