// The real-world corpus (real-world/*.json: endpoint policies from AWS's documentation,
// aws-samples/data-perimeter-policy-examples, the Landing Zone Accelerator's sample configs, public
// Terraform modules and production repositories) through the built pack, as the Pulumi CLI drives
// it: one pack process, every document in a minimal well-built stack of its own (real-world.ts),
// Analyze on every resource's inputs then AnalyzeStack, in the preview shape and the deployed shape.
// Per document, the pack must report exactly the findings judged by hand for it — each expected
// finding on its resource with its substring, nothing else on that resource, and nothing on the VPC
// or security group around it: zero false positives.
//
// A finding may name the `shapes` it holds in: a test of the endpoint's own ID or VPC can only be
// judged once they are known (deployed), and in preview the rule rightly says nothing.
//
// A `knownDisagreements` entry records where the pack today differs from the judgement (details in
// the entry's note). The test holds the pack to its current behaviour there and fails once the pack
// agrees with the judgement, so the entry gets removed rather than forgotten.
//
// A second suite runs the data-perimeter documents with vpce-data-perimeter configured with the
// organization and partner accounts their placeholders were filled with.
//
// Build first: npx tsc -p tsconfig.json.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess, type Diagnostic, type PolicyPackConfigFile } from "../../engine";
import { repoRoot } from "../support/paths";
import { shapes, type Res, type Shape, type Stack } from "../support/stacks";
import {
    loadRealWorld, realWorldStack, resourceOf, type Finding, type FindingResource, type KnownDisagreement, type Placed, type RealWorldDocument,
} from "./real-world";

const docs = loadRealWorld();

/** What one run of the pack said, by URN. */
type Said = Map<string, Diagnostic[]>;

async function run(pack: PolicyPackProcess, stack: Stack, shape: Shape, config?: PolicyPackConfigFile): Promise<Said> {
    await pack.configure(config);
    const resources = stack.engineResources(shape);
    const diagnostics: Diagnostic[] = [];
    for (const r of resources) diagnostics.push(...(await pack.analyze(r)).diagnostics);
    diagnostics.push(...(await pack.analyzeStack(resources)).diagnostics);
    const said: Said = new Map();
    for (const d of diagnostics) said.set(d.urn, [...(said.get(d.urn) ?? []), d]);
    return said;
}

/** The message without the policy's description, which the engine puts first. */
function ownText(d: Diagnostic): string {
    return d.description !== "" && d.message.startsWith(d.description) ? d.message.slice(d.description.length).trimStart() : d.message;
}

interface Expected {
    policy: string;
    resource: FindingResource;
    includes: string;
    /** Set when this is the pack's current, disagreeing output. */
    disagreement?: KnownDisagreement;
}

/** The findings to hold the pack to in `shape`: the judged ones, with the known disagreements applied. */
function expectedFor(findings: Finding[], disagreements: KnownDisagreement[], shape: Shape): Expected[] {
    const same = (a: { policy: string; resource: FindingResource; includes: string }, b: typeof a) => a.policy === b.policy && a.resource === b.resource && a.includes === b.includes;
    const expected: Expected[] = findings.filter((f) => f.shapes === undefined || f.shapes.includes(shape))
        .filter((f) => !disagreements.some((k) => k.pack === "misses" && same(k, f)))
        .map(({ policy, resource, includes }) => ({ policy, resource, includes }));
    for (const k of disagreements) if (k.pack === "reports") expected.push({ policy: k.policy, resource: k.resource, includes: k.includes, disagreement: k });
    return expected;
}

/**
 * Checks what the pack said about one placed document against `expected`. Returns problems, each a
 * line; `considered` limits the policies looked at (all by default).
 */
function compare(p: Placed, said: Said, expected: Expected[], considered?: (policy: string) => boolean): string[] {
    const problems: string[] = [];
    const mine = (r: Res | undefined) => (r === undefined ? [] : (said.get(r.urn) ?? []).filter((d) => considered?.(d.policyName) ?? true));
    for (const quiet of p.quiet) {
        for (const d of mine(quiet)) problems.push(`unexpected on ${quiet.name}: ${d.policyName}: ${ownText(d)}`);
    }
    for (const resource of ["endpoint", "policy"] as FindingResource[]) {
        const left = mine(resourceOf(p, resource));
        for (const e of expected.filter((x) => x.resource === resource)) {
            const i = left.findIndex((d) => d.policyName === e.policy && ownText(d).includes(e.includes));
            if (i >= 0) {
                left.splice(i, 1);
            } else if (e.disagreement !== undefined) {
                problems.push(`the pack no longer says ${e.policy} "${e.includes}" on the ${resource}, as the judgement wants: remove this knownDisagreement`);
            } else {
                problems.push(`missing on the ${resource}: ${e.policy} with "${e.includes}"`);
            }
        }
        for (const d of left) problems.push(`unexpected on the ${resource}: ${d.policyName}: ${ownText(d)}`);
    }
    return problems;
}

describe("the real-world corpus through the engine", function () {
    this.timeout(120000);
    let pack: PolicyPackProcess;
    let registered: Set<string>;
    const { stack, placed } = realWorldStack(docs);

    before(async function () {
        const built = path.join(repoRoot, "bin", "policies", "index.js");
        assert.ok(fs.existsSync(built), `the pack is not built: run npx tsc -p tsconfig.json in ${repoRoot}`);
        pack = await PolicyPackProcess.start(repoRoot);
        registered = new Set(pack.info.policies.map((x) => x.name));
    });
    after(async function () {
        await pack?.close();
    });

    it("has at least 50 documents, each with provenance, service, type and a why for every finding", function () {
        assert.ok(docs.length >= 50, `${docs.length} documents`);
        const kinds = new Set<string>();
        for (const d of docs) {
            const p = d.provenance;
            kinds.add(p.kind === "github" ? (p.repo ?? "") : "aws-docs");
            assert.ok(p.kind === "aws-docs" ? p.url !== undefined || (p.repo !== undefined && p.path !== undefined) : p.repo !== undefined && p.path !== undefined, `${d.id}: provenance`);
            assert.ok(/^(com\.amazonaws|aws\.sagemaker)\./.test(d.serviceName), `${d.id}: serviceName`);
            assert.ok(d.endpointType === "Interface" || d.endpointType === "Gateway", `${d.id}: endpointType`);
            assert.ok((d.document === undefined) !== (d.policyText === undefined), `${d.id}: exactly one of document and policyText`);
            for (const f of [...d.findings, ...(d.perimeter?.findings ?? [])]) {
                assert.ok(f.policy.startsWith("vpce-") && f.includes.length > 0 && f.why.length > 0, `${d.id}: finding ${JSON.stringify(f)}`);
                assert.ok(f.resource === "endpoint" || (f.resource === "policy" && d.carrier === "standalone"), `${d.id}: finding on a resource the stack lacks`);
            }
        }
        assert.ok(kinds.has("aws-docs") && kinds.has("aws-samples/data-perimeter-policy-examples") && kinds.has("awslabs/landing-zone-accelerator-on-aws"), [...kinds].join(", "));
    });

    it("every judged finding names a policy of SPEC.md", function () {
        const spec = ["vpce-policy-json", "vpce-policy-size", "vpce-policy-principal", "vpce-policy-conditions", "vpce-data-perimeter", "vpce-policy-explicit",
            "vpce-policy-supported", "vpce-single-policy", "vpce-gateway-principal", "vpce-policy-service-actions", "vpce-interface-security-groups",
            "vpce-endpoint-ingress", "vpce-gateway-egress", "vpce-private-dns", "vpce-policy-no-access", "vpce-policy-dead-grants"];
        for (const d of docs) for (const f of [...d.findings, ...(d.knownDisagreements ?? []), ...(d.perimeter?.findings ?? [])]) assert.ok(spec.includes(f.policy), `${d.id}: ${f.policy}`);
        for (const name of registered) assert.ok(spec.includes(name), `the pack registers ${name}, which SPEC.md does not list`);
    });

    for (const shape of shapes) {
        describe(`default config [${shape}]`, function () {
            let said: Said;
            before(async function () {
                said = await run(pack, stack, shape);
            });

            it("no policy fails to run on any resource", function () {
                const cannot = [...said.values()].flat().filter((d) => /can't run policy|could not evaluate/.test(d.message));
                assert.deepStrictEqual(cannot.map((d) => `${d.urn}: ${d.message}`), []);
            });

            for (const p of placed) {
                it(`${p.doc.id}: exactly the judged findings`, function () {
                    const expected = expectedFor(p.doc.findings, p.doc.knownDisagreements ?? [], shape);
                    assert.deepStrictEqual(compare(p, said, expected), [], `${p.doc.title} (${p.doc.serviceName}, ${p.doc.endpointType})`);
                });
            }
        });
    }

    describe("vpce-data-perimeter configured as each data-perimeter document's placeholders were filled", function () {
        const perimeterDocs = placed.filter((p) => p.doc.perimeter !== undefined);
        // One run per distinct config; every document of the group sits in the same stack.
        const groups = new Map<string, Placed[]>();
        for (const p of perimeterDocs) {
            const key = JSON.stringify(p.doc.perimeter!.config);
            groups.set(key, [...(groups.get(key) ?? []), p]);
        }
        const saidBy = new Map<string, Said>();
        before(async function () {
            for (const key of groups.keys()) saidBy.set(key, await run(pack, stack, "deployed", { "vpce-data-perimeter": JSON.parse(key) as Record<string, unknown> }));
        });

        it("covers every document of aws-samples/data-perimeter-policy-examples in the corpus", function () {
            const samples = docs.filter((d: RealWorldDocument) => d.provenance.repo === "aws-samples/data-perimeter-policy-examples");
            assert.ok(samples.length >= 10);
            assert.deepStrictEqual(samples.filter((d) => d.perimeter === undefined).map((d) => d.id), []);
        });

        for (const p of perimeterDocs) {
            it(`${p.doc.id}: vpce-data-perimeter says exactly the judged findings`, function () {
                const { config, findings, knownDisagreements } = p.doc.perimeter!;
                const expected = expectedFor(findings, knownDisagreements ?? [], "deployed");
                const said = saidBy.get(JSON.stringify(config))!;
                assert.deepStrictEqual(compare(p, said, expected, (policy) => policy === "vpce-data-perimeter"), [], `${p.doc.title} with ${JSON.stringify(config)}`);
            });
        }
    });
});
