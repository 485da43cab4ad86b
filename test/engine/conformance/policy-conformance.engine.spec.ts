// Pulumi's own policy conformance tests, ported onto the engine module: the eleven
// pulumi/pulumi pkg/testing/pulumi-test-language/tests/policy_*.go, each run's program
// (tests/testdata/policy-*/main.pp) as the resources it registers, our own packs with the behaviour
// of sdk/nodejs/cmd/pulumi-language-nodejs/testdata/policies/* (test/fixtures/conformance), the run's
// config, stack config and tags, and the Go test's assertions on the preview's and the update's events.

import { strict as assert } from "assert";
import {
    engineHasRemediate,
    previewAndUpdate,
    program,
    rootUrn,
    simpleType,
    urnOf,
    type OperationResult,
    type PolicyViolationEvent,
} from "./harness";

const reset = "<{%reset%}>";
const mandatoryPrefix = "<{%fg 1%}>mandatory: <{%reset%}>";
const advisoryPrefix = "<{%fg 3%}>advisory: <{%reset%}>";

function expected(project: string, name: string, message: string, policy: string, pack: string, version: string, level: "mandatory" | "advisory"): PolicyViolationEvent {
    return {
        ResourceURN: urnOf(project, simpleType, name),
        Message: `${reset}${message}${reset}\n`,
        Color: "raw",
        PolicyName: policy,
        PolicyPackName: pack,
        PolicyPackVersion: version,
        EnforcementLevel: level,
        Prefix: level === "mandatory" ? mandatoryPrefix : advisoryPrefix,
        Severity: "",
    };
}

function noError(r: OperationResult, what: string): void {
    assert.equal(r.err, undefined, `${what}: ${r.err}`);
}

function errContains(r: OperationResult, text: string, what: string): void {
    assert.ok(r.err !== undefined && r.err.includes(text), `${what}: expected an error containing ${JSON.stringify(text)}, got ${JSON.stringify(r.err)}`);
}

describe("Pulumi policy conformance tests (pkg/testing/pulumi-test-language/tests/policy_*.go) through the engine module", function () {
    this.timeout(120_000);

    describe("policy-simple (policy_simple.go)", function () {
        const project = "policy-simple";
        it("preview and update: the truthiness warning on res1 and the falsiness error on res2", async function () {
            const { preview, update } = await previewAndUpdate(project, "simple", {
                resources: program(project, [
                    { name: "res1", value: true },
                    { name: "res2", value: false, propertyDependencies: { value: ["res1"] } },
                ]),
            });
            const events = [
                expected(project, "res1", "Verifies properties are true\nThis is a test warning", "truthiness", "simple", "1.0.0", "advisory"),
                expected(project, "res2", "Verifies properties are false\nThis is a test error", "falsiness", "simple", "1.0.0", "mandatory"),
            ];
            assert.deepEqual(preview.violations, events);
            errContains(preview, "BAIL: step generator errored", "preview");
            assert.deepEqual(update.violations, events);
            errContains(update, `BAIL: resource ${urnOf(project, simpleType, "res2")} is invalid`, "update");
        });
    });

    describe("policy-analyze-stack (policy_analyze_stack.go)", function () {
        const project = "policy-analyze-stack";
        const run = (extraCount: number) => previewAndUpdate(project, "analyze-stack", {
            resources: program(project, [{ name: "res1", value: true }, ...Array.from({ length: extraCount }, (_, i) => ({ name: `res2-${i}`, value: false }))]),
            stackConfig: { [`${project}:extraCount`]: String(extraCount) },
        });

        it("run 1 (extraCount 0): no error, no violation", async function () {
            const { preview, update } = await run(0);
            for (const [what, r] of [["preview", preview], ["update", update]] as const) {
                noError(r, what);
                assert.deepEqual(r.violations, [], what);
            }
        });

        it("run 2 (extraCount 1): one stack violation without a URN, attributed to the root stack", async function () {
            const { preview, update } = await run(1);
            for (const [what, r] of [["preview", preview], ["update", update]] as const) {
                errContains(r, "BAIL: step generator errored", what);
                assert.deepEqual(r.violations, [{
                    ...expected(project, "", "Stack must contain at most one simple:index:Resource\nFound an extra simple:index:Resource", "stack-size", "analyze-stack", "1.0.0", "mandatory"),
                    ResourceURN: rootUrn(project),
                }], what);
            }
        });
    });

    describe("policy-config (policy_config.go)", function () {
        const project = "policy-config";
        for (const [i, value] of [[1, true], [2, false]] as const) {
            it(`run ${i}: res {value: ${value}} against config {value: ${!value}} is one mandatory violation`, async function () {
                const { preview, update } = await previewAndUpdate(project, "config", {
                    resources: program(project, [{ name: "res", value }]),
                    config: { allowed: { value: !value } },
                });
                const events = [expected(project, "res", `Verifies properties\nProperty was ${value}`, "allowed", "config", "2.0.0", "mandatory")];
                assert.deepEqual(preview.violations, events);
                errContains(preview, "BAIL: step generator errored", "preview");
                assert.deepEqual(update.violations, events);
                errContains(update, `BAIL: resource ${urnOf(project, simpleType, "res")} is invalid`, "update");
            });
        }
    });

    describe("policy-config-schema (policy_config_schema.go)", function () {
        const project = "policy-config-schema";
        const resources = program(project, [{ name: "resY", value: true }, { name: "resN", value: false }]);
        // gojsonschema's English differs from ajv's; the prefix, pack, version, policy and property are the CLI's.
        const schemaDiag = (problem: RegExp) => new RegExp(`^<\\{%reset%\\}>validating policy config: config-schema 3\\.0\\.0  validator: ${problem.source}<\\{%reset%\\}>\\n$`);
        const invalidRuns: [string, Record<string, unknown>, RegExp][] = [
            ["run 1: names missing", { value: false }, /.*\bnames\b.* is required/],
            ["run 2: names empty", { value: false, names: [] }, /.*\bnames\b.*(at least 1|fewer than 1) items.*/],
        ];
        for (const [what, validator, problem] of invalidRuns) {
            it(`${what}: "validating policy config", exactly one error diagnostic, nothing analysed`, async function () {
                const { preview, update } = await previewAndUpdate(project, "config-schema", { resources, config: { validator } as never });
                for (const [op, r] of [["preview", preview], ["update", update]] as const) {
                    errContains(r, "validating policy config", op);
                    assert.equal(r.diags.length, 1, `${op}: ${JSON.stringify(r.diags)}`);
                    assert.match(r.diags[0].Message, schemaDiag(problem), op);
                    assert.deepEqual(r.violations, [], op);
                }
            });
        }

        it("run 3: names [resN], value false: no error, no violation", async function () {
            const { preview, update } = await previewAndUpdate(project, "config-schema", { resources, config: { validator: { value: false, names: ["resN"] } } });
            for (const [op, r] of [["preview", preview], ["update", update]] as const) {
                noError(r, op);
                assert.deepEqual(r.violations, [], op);
            }
        });

        it("run 4: names [resY], value false: one advisory violation on resY", async function () {
            const { preview, update } = await previewAndUpdate(project, "config-schema", { resources, config: { validator: { value: false, names: ["resY"] } } });
            noError(preview, "preview");
            assert.deepEqual(preview.violations, [expected(project, "resY", "Verifies property matches config\nProperty was true", "validator", "config-schema", "3.0.0", "advisory")]);
            noError(update, "update");
            assert.equal(update.violations.length, 1);
        });
    });

    describe("policy-dryrun (policy_dryrun.go)", function () {
        const project = "policy-dryrun";
        it("the preview's pack sees isDryRun() and reports res2; the update's does not", async function () {
            const { preview, update } = await previewAndUpdate(project, "dryrun", {
                resources: program(project, [
                    { name: "res1", value: true },
                    { name: "res2", value: false, propertyDependencies: { value: ["res1"] } },
                ]),
            });
            errContains(preview, "BAIL: step generator errored", "preview");
            assert.deepEqual(preview.violations, [expected(project, "res2", "Verifies properties are true on dryrun\nThis is a test error", "dry", "dryrun", "1.0.0", "mandatory")]);
            noError(update, "update");
            assert.deepEqual(update.violations, []);
        });
    });

    describe("policy-enforcement-config (policy_enforcement_config.go)", function () {
        const project = "policy-enforcement-config";
        const resources = program(project, [{ name: "res", value: true }]);
        const event = (level: "mandatory" | "advisory") => expected(project, "res", "Verifies property is false\nProperty was true", "false", "enforcement-config", "3.0.0", level);

        it("run 1: no config file: the declared advisory level", async function () {
            const { preview, update } = await previewAndUpdate(project, "enforcement-config", { resources });
            for (const [op, r] of [["preview", preview], ["update", update]] as const) {
                noError(r, op);
                assert.deepEqual(r.violations, [event("advisory")], op);
            }
        });

        it("run 2: {\"false\": {\"enforcementLevel\": \"mandatory\"}}: mandatory, the operations fail", async function () {
            const { preview, update } = await previewAndUpdate(project, "enforcement-config", { resources, config: { false: { enforcementLevel: "mandatory" } } });
            assert.deepEqual(preview.violations, [event("mandatory")]);
            errContains(preview, "BAIL: step generator errored", "preview");
            assert.deepEqual(update.violations, [event("mandatory")]);
            errContains(update, `BAIL: resource ${urnOf(project, simpleType, "res")} is invalid`, "update");
        });

        it("run 3: {\"false\": \"disabled\"}: nothing", async function () {
            const { preview, update } = await previewAndUpdate(project, "enforcement-config", { resources, config: { false: "disabled" } });
            for (const [op, r] of [["preview", preview], ["update", update]] as const) {
                noError(r, op);
                assert.deepEqual(r.violations, [], op);
            }
        });
    });

    describe("policy-invalid (policy_invalid.go)", function () {
        const project = "policy-invalid";
        it("a pack with a policy named \"all\" fails both operations; its stderr reaches the caller", async function () {
            const { preview, update } = await previewAndUpdate(project, "invalid", { resources: program(project, [{ name: "res1", value: true }]) });
            for (const [op, r] of [["preview", preview], ["update", update]] as const) {
                assert.notEqual(r.err, undefined, `${op} must fail`);
                assert.ok(
                    r.output.some((l) => l.stream === "stderr" && l.text.includes('Invalid policy name "all". "all" is a reserved name.')),
                    `${op}: the pack's reason is surfaced as an info#err line: ${JSON.stringify(r.output)}`,
                );
            }
        });
    });

    // policy_remediate.go needs the engine's Remediate call, which issue #16 adds to engine/. Until it
    // lands these cases are skipped (pending, named here); with it they run unchanged.
    describe(`policy-remediate (policy_remediate.go)${engineHasRemediate ? "" : " — PENDING: needs Remediate in the engine module (issue #16)"}`, function () {
        const project = "policy-remediate";
        const resources = program(project, [{ name: "res", value: true }]);
        const urn = urnOf(project, simpleType, "res");
        beforeEach(function () {
            if (!engineHasRemediate) this.skip();
        });

        it("run 1: config {value: false}: one remediation true → false, no error", async function () {
            const { preview, update } = await previewAndUpdate(project, "remediate", { resources, config: { fixup: { value: false } } });
            for (const [op, r] of [["preview", preview], ["update", update]] as const) {
                noError(r, op);
                assert.deepEqual(r.remediations, [{
                    ResourceURN: urn, Color: "raw", PolicyName: "fixup", PolicyPackName: "remediate", PolicyPackVersion: "3.0.0",
                    Before: { value: true }, After: { value: false },
                }], op);
            }
        });

        it("run 2: config {value: true}: no remediation", async function () {
            const { preview, update } = await previewAndUpdate(project, "remediate", { resources, config: { fixup: { value: true } } });
            for (const [op, r] of [["preview", preview], ["update", update]] as const) {
                noError(r, op);
                assert.deepEqual(r.remediations, [], op);
            }
        });

        it("run 3: the policy disabled: no remediation", async function () {
            const { preview, update } = await previewAndUpdate(project, "remediate", { resources, config: { fixup: { value: true, enforcementLevel: "disabled" } } });
            for (const [op, r] of [["preview", preview], ["update", update]] as const) {
                noError(r, op);
                assert.deepEqual(r.remediations, [], op);
            }
        });
    });

    describe("policy-resource-metadata (policy_resource_metadata.go)", function () {
        const project = "policy-resource-metadata";
        it("every option, the provider, the parent and both dependency kinds reach the pack: exactly the ten policies report", async function () {
            const resources = program(project, [
                { name: "identity", value: true },
                { name: "protected", value: true, options: { protect: true } },
                { name: "ignoreChanges", value: true, options: { ignoreChanges: ["value"] } },
                { name: "deleteBeforeReplace", value: true, options: { deleteBeforeReplace: true } },
                { name: "secretOutput", value: true, options: { additionalSecretOutputs: ["value"] } },
                { name: "customTimeouts", value: true, options: { customTimeouts: { create: 300 } } },
                { name: "explicitProvider", value: true, provider: "prov" },
                { name: "parent", value: true },
                { name: "child", value: true, parent: "parent" },
                { name: "dependency", value: true },
                { name: "dependsOn", value: true, dependsOn: ["dependency"] },
                { name: "propertyDependency", value: true, propertyDependencies: { value: ["dependency"] } },
            ], ["prov"]);
            const { preview, update } = await previewAndUpdate(project, "resource-metadata", { resources });
            const names = ["name-type-urn-props", "protect", "ignore-changes", "delete-before-replace", "additional-secret-outputs", "custom-timeouts", "provider", "parent", "dependencies", "property-dependencies"];
            for (const [op, r] of [["preview", preview], ["update", update]] as const) {
                noError(r, op);
                assert.deepEqual(r.violations.map((v) => v.PolicyName).sort(), [...names].sort(), op);
                // Stack violations naming a resource of the stack keep it.
                assert.equal(r.violations.find((v) => v.PolicyName === "dependencies")?.ResourceURN, urnOf(project, simpleType, "dependsOn"));
                assert.equal(r.violations.find((v) => v.PolicyName === "property-dependencies")?.ResourceURN, urnOf(project, simpleType, "propertyDependency"));
            }
        });
    });

    describe("policy-stack-config (policy_stack_config.go)", function () {
        const project = "policy-stack-config";
        for (const [i, value] of [[1, false], [2, true]] as const) {
            it(`run ${i}: stack config value=${value} read by the pack while loading names its policy validate-${value}`, async function () {
                const { preview, update } = await previewAndUpdate(project, "stack-config", {
                    resources: program(project, [{ name: "res", value: !value }]),
                    stackConfig: { [`${project}:value`]: String(value) },
                });
                const events = [expected(project, "res", `Verifies property is ${value}\nProperty was ${!value}`, `validate-${value}`, "stack-config", "2.0.0", "mandatory")];
                assert.deepEqual(preview.violations, events);
                errContains(preview, "BAIL: step generator errored", "preview");
                assert.deepEqual(update.violations, events);
                errContains(update, `BAIL: resource ${urnOf(project, simpleType, "res")} is invalid`, "update");
            });
        }
    });

    describe("policy-stack-tags (policy_stack_tags.go)", function () {
        const project = "policy-stack-tags";
        const resources = program(project, [{ name: "res", value: true }]);

        it("run 1: tag value=false: one mandatory violation", async function () {
            const { preview, update } = await previewAndUpdate(project, "stack-tags", { resources, stackTags: { value: "false" } });
            const events = [expected(project, "res", "Verifies property equals the stack tag value\nProperty was true", "allowed", "stack-tags", "2.0.0", "mandatory")];
            assert.deepEqual(preview.violations, events);
            errContains(preview, "BAIL: step generator errored", "preview");
            assert.deepEqual(update.violations, events);
            errContains(update, `BAIL: resource ${urnOf(project, simpleType, "res")} is invalid`, "update");
        });

        it("run 2: tag value=true: no error", async function () {
            const { preview, update } = await previewAndUpdate(project, "stack-tags", { resources, stackTags: { value: "true" } });
            noError(preview, "preview");
            noError(update, "update");
        });
    });
});
