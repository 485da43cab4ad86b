// The policy pages (docs/policies/<name>.md) stay true to the pack: one page per policy, linked from
// the README and from each policy's `url`, shipped by npm pack; each page's level, severity and
// config match what the built pack declares; its example programs type-check against the real
// Pulumi SDKs and, run through the pack as the Pulumi CLI runs it (run-policy-pack, Analyze on
// every resource's inputs, AnalyzeStack on the outputs), the non-compliant one gets exactly the
// messages the page shows and the compliant one gets nothing from any policy. The page list is
// read from the folder: a new policy needs a new page, and nothing else.

import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { nameFromUrn, PolicyPackProcess, type Diagnostic, type PolicyDescription, type PolicyPackConfigFile, type StackResource } from "../../engine";
import { docsUrl } from "../../framework/docs-url";
import { blocksWith, oneBlock, pageNames, readPage, rowOf, runFragment, typeCheckFragments, type Page } from "../support/docs-pages";
import { repoRoot } from "../support/paths";
import { shapes, urnOf, type Shape, type Stack } from "../support/stacks";

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string; repository: unknown };
const pages = pageNames();
/** Properties every policy gets from the exemption framework, documented in each page's exemption section. */
const exemptionProperties = new Set(["exemptions", "allowTagExemptions"]);

/** The page's example programs: non-compliant first. */
const exampleKinds = ["non-compliant", "compliant"] as const;

// The stack builder names every resource in one test stack; each example gets a stack of its own, so
// what the pack remembers of one example's inputs never meets another's.
const builderPrefix = urnOf("T", "n").split("T::n")[0];

function engineResources(stack: Stack, shape: Shape, tag: string): StackResource[] {
    const relabel = (urn: string) => (urn.startsWith(builderPrefix) ? `urn:pulumi:${tag}::docs::${urn.slice(builderPrefix.length)}` : urn);
    return stack.engineResources(shape).map((r) => ({
        ...r,
        urn: relabel(r.urn),
        dependencies: (r.dependencies ?? []).map(relabel),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, urns]) => [k, urns.map(relabel)])),
    }));
}

/** Every diagnostic of the pack on the stack, as `pulumi preview` gathers them: Analyze per resource, then AnalyzeStack. */
async function diagnosticsOf(pack: PolicyPackProcess, stack: Stack, shape: Shape, tag: string, config?: PolicyPackConfigFile): Promise<Diagnostic[]> {
    await pack.configure(config);
    const resources = engineResources(stack, shape, tag);
    const diagnostics: Diagnostic[] = [];
    for (const r of resources) diagnostics.push(...(await pack.analyze(r)).diagnostics);
    diagnostics.push(...(await pack.analyzeStack(resources)).diagnostics);
    return diagnostics;
}

/** The config the page's examples run with: its `json policy-pack-config run-examples` block, if any. */
function exampleConfig(page: Page): PolicyPackConfigFile | undefined {
    const blocks = blocksWith(page, "json", "policy-pack-config", "run-examples");
    return blocks.length === 0 ? undefined : (JSON.parse(blocks[0].code) as PolicyPackConfigFile);
}

/** A diagnostic's own text: the framework puts the policy's description on the line before it. */
const violationText = (d: Diagnostic) => (d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message);

const stripCode = (cell: string) => cell.replace(/^`|`$/g, "");

describe("policy pages (docs/policies)", function () {
    let pack: PolicyPackProcess;
    let policies: PolicyDescription[];

    before(async function () {
        const built = path.join(repoRoot, "bin", "index.js");
        assert.ok(fs.existsSync(built), `the pack is not built: run npx tsc -p tsconfig.json in ${repoRoot}`);
        pack = await PolicyPackProcess.start(repoRoot);
        policies = pack.info.policies;
    });
    after(async function () {
        await pack?.close();
    });

    const policy = (name: string): PolicyDescription => {
        const found = policies.find((p) => p.name === name);
        assert.ok(found, `docs/policies/${name}.md documents a policy the pack does not have`);
        return found;
    };

    it("there is a page for every policy of the pack and for nothing else", function () {
        assert.deepStrictEqual(pages, policies.map((p) => p.name).sort());
    });

    it("GetAnalyzerInfo carries each policy's url: its page at this version's tag in package.json's repository", function () {
        assert.strictEqual(docsUrl(pkg, "x"), `https://github.com/vpce-guard/vpce-guard/blob/v${pkg.version}/docs/policies/x.md`);
        for (const p of policies) {
            assert.strictEqual(p.url, `https://github.com/vpce-guard/vpce-guard/blob/v${pkg.version}/docs/policies/${p.name}.md`, p.name);
            assert.ok(fs.existsSync(path.join(repoRoot, "docs", "policies", `${p.name}.md`)), `${p.url} points to a page that does not exist`);
        }
    });

    it("npm pack ships the page of every policy", async function () {
        this.timeout(120000);
        const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
        const files = new Set((JSON.parse(stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path));
        for (const p of policies) assert.ok(files.has(`docs/policies/${p.name}.md`), `docs/policies/${p.name}.md is not in the package`);
    });

    it("the README links every policy to its page, and never to SPEC.md", function () {
        const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
        for (const p of policies) assert.ok(readme.includes(`[\`${p.name}\`](docs/policies/${p.name}.md)`), `README has no link [\`${p.name}\`](docs/policies/${p.name}.md)`);
        assert.doesNotMatch(readme, /SPEC\.md/);
    });

    it("every example program type-checks against @pulumi/aws and @pulumi/pulumi", function () {
        this.timeout(180000);
        const fragments = pages.flatMap((name) => {
            const page = readPage(name);
            return exampleKinds.map((kind) => ({ file: page.file, ...oneBlock(page, "ts", `example=${kind}`) }));
        });
        assert.deepStrictEqual(typeCheckFragments(fragments), []);
    });

    for (const name of pages) {
        describe(name, function () {
            const page = readPage(name);

            it("states the enforcement level and severity the pack declares", function () {
                const p = policy(name);
                assert.deepStrictEqual(rowOf(page, "Default enforcement level")?.map(stripCode), [p.enforcementLevel]);
                assert.deepStrictEqual(rowOf(page, "Severity")?.map(stripCode), [p.severity]);
                assert.ok(page.text.startsWith(`# \`${name}\`\n`), "the page opens with the policy's name as its title");
            });

            it("documents every config property with its default, and no property the policy lacks", function () {
                const schema = policy(name).configSchema?.properties ?? {};
                const documented = page.rows.filter((r) => r.length === 3 && /^`\w+`$/.test(r[0]) && /^`.*`$/.test(r[1]));
                for (const row of documented) {
                    const property = stripCode(row[0]);
                    if (exemptionProperties.has(property) && !Object.hasOwn(schema, property)) continue;
                    assert.ok(Object.hasOwn(schema, property), `the page documents ${property}, which is not in the policy's config schema`);
                }
                for (const [property, s] of Object.entries(schema)) {
                    const row = documented.find((r) => stripCode(r[0]) === property);
                    assert.ok(row, `config property ${property} is not documented (a row | \`${property}\` | \`<default>\` | … |)`);
                    assert.deepStrictEqual(JSON.parse(stripCode(row[1])), (s as { default?: unknown }).default, `default of ${property}`);
                }
            });

            it("its policy-pack-config examples name the policy and pass the engine's config validation", async function () {
                const blocks = blocksWith(page, "json", "policy-pack-config");
                assert.ok(blocks.length > 0, "the page shows at least one --policy-pack-config example");
                for (const b of blocks) {
                    const config = JSON.parse(b.code) as PolicyPackConfigFile;
                    assert.ok(Object.hasOwn(config, name), `${page.file}:${b.line}: the example does not configure ${name}`);
                    await pack.configure(config);
                }
            });

            for (const shape of shapes) {
                it(`the non-compliant example gets ${shape === "preview" ? "exactly the messages the page shows" : "violations on the resources the page shows"} [${shape}]`, async function () {
                    const stack = runFragment(oneBlock(page, "ts", "example=non-compliant").code, page.file);
                    const diagnostics = await diagnosticsOf(pack, stack, shape, `${name}-bad-${shape}`, exampleConfig(page));
                    const mine = diagnostics.filter((d) => d.policyName === name);
                    const expected = oneBlock(page, "text", "violations").code.split("\n").filter((l) => l.trim() !== "");
                    const got = mine.map((d) => `${nameFromUrn(d.urn)}: ${violationText(d)}`);
                    if (shape === "preview") {
                        assert.deepStrictEqual(got, expected);
                    } else {
                        // Deployed, messages may name IDs AWS assigned (a prefix list's pl-…): the same resources, in the same order.
                        const resource = (line: string) => line.slice(0, line.indexOf(": "));
                        assert.deepStrictEqual(got.map(resource), expected.map(resource), got.join("\n"));
                    }
                    assert.ok(mine.every((d) => d.enforcementLevel === policy(name).enforcementLevel || exampleConfig(page)?.[name] !== undefined));
                });

                it(`the compliant example gets nothing from any policy of the pack [${shape}]`, async function () {
                    const stack = runFragment(oneBlock(page, "ts", "example=compliant").code, page.file);
                    const diagnostics = await diagnosticsOf(pack, stack, shape, `${name}-good-${shape}`, exampleConfig(page));
                    assert.deepStrictEqual(diagnostics.map((d) => `${d.policyName} on ${nameFromUrn(d.urn)}: ${d.message}`), []);
                });
            }
        });
    }
});
