// The audit report (report/audit.ts) and its three renderings: text, JSON and SARIF 2.1.0. Pure:
// built from engine results by hand, no pack process.

import { strict as assert } from "assert";
import * as path from "path";
import { stdinFile, type StackDocument } from "../../state/stack-files";
import type { AnalyzerDescription, Diagnostic, EnforcementLevel } from "../../engine";
import { buildAuditReport, type AuditReport, type PackRun } from "../../report/audit";
import { formatJsonReport } from "../../report/json";
import { sarifLog, sarifSchema } from "../../report/sarif";
import { formatTextReport } from "../../report/text";
import { urnOf } from "../support/stacks";

const endpoint = "aws:ec2/vpcEndpoint:VpcEndpoint";
const baseDir = path.resolve("/work/repo");

const info: AnalyzerDescription = {
    name: "vpce-guard",
    version: "0.1.0",
    supportsConfig: true,
    initialConfig: {},
    policies: [
        { name: "vpce-policy-json", displayName: "Endpoint policy is valid JSON", description: "The policy is valid JSON.", enforcementLevel: "mandatory", severity: "high", remediationSteps: "Build the policy with JSON.stringify.", policyType: "resource" },
        { name: "vpce-policy-explicit", description: "Endpoints carry an explicit policy.", enforcementLevel: "advisory", severity: "medium", remediationSteps: "Set `policy`.", policyType: "stack" },
        { name: "vpce-private-dns", description: "Private DNS is on.", enforcementLevel: "advisory", policyType: "stack" },
    ],
};

function diagnostic(stack: string, name: string, policyName: string, enforcementLevel: EnforcementLevel, specific: string): Diagnostic {
    const description = info.policies.find((p) => p.name === policyName)!.description;
    return {
        policyName, policyPackName: "vpce-guard", enforcementLevel, urn: urnOf(endpoint, name, { stack, project: "network" }),
        // The framework prefixes the message with the policy's description.
        message: `${description}\n${specific}`, description, severity: "high",
        phase: policyName === "vpce-policy-json" ? "analyze" : "analyzeStack",
    };
}

function document(stack: string, file: string, names: string[], extra: Partial<StackDocument> = {}): StackDocument {
    const resources = names.map((n) => ({ urn: urnOf(endpoint, n, { stack, project: "network" }), type: endpoint, inputs: {} }));
    return {
        file, kind: "export", stack, project: "network", resources,
        lines: Object.fromEntries(resources.map((r, i) => [r.urn, 10 * (i + 1)])), sources: {},
        dryRun: false, config: {}, secrets: { encrypted: 0, redacted: 0, decrypted: 0 }, pendingDeletes: 0, notes: [],
        ...extra,
    };
}

function packRun(diagnostics: Diagnostic[], configured: Partial<Record<string, EnforcementLevel>> = {}): PackRun {
    return {
        info, directory: "/opt/vpce-guard", diagnostics,
        configured: Object.fromEntries(info.policies.map((p) => [p.name, { enforcementLevel: configured[p.name] ?? p.enforcementLevel, properties: {} }])),
        notApplicable: [
            { policyName: "vpce-policy-json", reason: "no endpoint policy set", urn: urnOf(endpoint, "sts", { stack: "dev", project: "network" }), phase: "analyze" },
            { policyName: "vpce-policy-json", reason: "no endpoint policy set", urn: urnOf(endpoint, "ecr", { stack: "dev", project: "network" }), phase: "analyze" },
        ],
    };
}

const tool = { name: "vpce-guard", version: "0.1.0" };

/** Two stacks: dev with findings on two resources (given out of order) and a note; prod clean. */
function sampleReport(): AuditReport {
    const dev = document("dev", "stacks/dev.json", ["s3", "sts", "ecr"], {
        notes: ["1 encrypted secret value could not be decrypted and was treated as unknown."],
        secrets: { encrypted: 1, redacted: 0, decrypted: 0 },
    });
    const prod = document("prod", "stacks/prod.json", ["s3"]);
    return buildAuditReport(tool, [
        { document: dev, packs: [packRun([
            diagnostic("dev", "sts", "vpce-private-dns", "advisory", "Private DNS is off."),
            diagnostic("dev", "sts", "vpce-policy-explicit", "advisory", "No policy: AWS attaches full access."),
            diagnostic("dev", "s3", "vpce-policy-json", "mandatory", "Statement[0]: \"Effect\" is \"allow\"."),
            diagnostic("dev", "sts", "vpce-policy-json", "remediate", "line 1, column 98: expected a property name."),
        ])] },
        { document: prod, packs: [packRun([])] },
    ]);
}

describe("audit report model", function () {
    const report = sampleReport();

    it("orders violations by resource as in the file, then level, then policy", function () {
        assert.deepEqual(report.stacks[0].violations.map((v) => `${v.resourceName} ${v.enforcementLevel} ${v.policy}`), [
            "s3 mandatory vpce-policy-json",
            "sts mandatory vpce-policy-json",
            "sts advisory vpce-policy-explicit",
            "sts advisory vpce-private-dns",
        ]);
    });

    it("reports remediate as mandatory, as pulumi policy analyze does", function () {
        assert.equal(report.stacks[0].violations[1].enforcementLevel, "mandatory");
    });

    it("keeps the specific message, the resource's line and the phase", function () {
        const v = report.stacks[0].violations[0];
        assert.equal(v.message, "Statement[0]: \"Effect\" is \"allow\".");
        assert.equal(v.line, 10);
        assert.equal(v.phase, "analyze");
        assert.equal(v.resourceType, endpoint);
    });

    it("counts per stack and in total; passed means no mandatory violation", function () {
        assert.deepEqual(report.stacks[0].summary, { mandatory: 2, advisory: 2, resources: 2, passedResources: 1, baselined: 0 });
        assert.deepEqual(report.stacks[1].summary, { mandatory: 0, advisory: 0, resources: 0, passedResources: 1, baselined: 0 });
        assert.deepEqual(report.summary, { stacks: 2, mandatory: 2, advisory: 2, resources: 2, passedResources: 2, baselined: 0, analysedResources: 4, violations: 4, passed: false });
        const clean = buildAuditReport(tool, [{ document: document("prod", "p.json", ["s3"]), packs: [packRun([diagnostic("prod", "s3", "vpce-private-dns", "advisory", "x")])] }]);
        assert.equal(clean.summary.passed, true);
    });

    it("describes each pack once, with the levels in force after the config", function () {
        const configured = buildAuditReport(tool, [{ document: document("dev", "d.json", []), packs: [{ ...packRun([], { "vpce-policy-json": "advisory" }), configFile: "config/advisory.json" }] }]);
        assert.equal(configured.policyPacks.length, 1);
        assert.equal(configured.policyPacks[0].configFile, "config/advisory.json");
        assert.equal(configured.policyPacks[0].policies.find((p) => p.name === "vpce-policy-json")?.enforcementLevel, "advisory");
        assert.equal(report.policyPacks.length, 1, "the same pack over two stacks");
    });

    it("counts not-applicable results by policy and reason", function () {
        assert.deepEqual(report.stacks[0].notApplicable, [{ policyPack: "vpce-guard", policy: "vpce-policy-json", reason: "no endpoint policy set", count: 2 }]);
    });
});

describe("text report", function () {
    const text = formatTextReport(sampleReport());

    it("groups each stack's violations by resource with level and policy, then notes and a summary line", function () {
        assert.equal(text.split("\n\n")[0], "vpce-guard: vpce-guard v0.1.0 on network/dev (stacks/dev.json, stack export) (3 resources)");
        assert.ok(text.includes([
            "Policy violations:",
            "    aws:ec2/vpcEndpoint:VpcEndpoint: s3  (line 10 of stacks/dev.json)",
            "        - [mandatory]  vpce-policy-json",
            "          Statement[0]: \"Effect\" is \"allow\".",
            "    aws:ec2/vpcEndpoint:VpcEndpoint: sts  (line 20 of stacks/dev.json)",
            "        - [mandatory]  vpce-policy-json",
            "          line 1, column 98: expected a property name.",
            "        - [advisory]  vpce-policy-explicit",
            "          No policy: AWS attaches full access.",
            "        - [advisory]  vpce-private-dns",
            "          Private DNS is off.",
            "",
            "Notes:",
            "    - 1 encrypted secret value could not be decrypted and was treated as unknown.",
            "",
            "Summary: 2 mandatory, 2 advisory violation(s) on 2 resource(s).",
            "Checked: 3 resources, 1 passed.",
        ].join("\n")), text);
    });

    it("says so when a stack is clean, and totals several stacks", function () {
        assert.ok(text.includes("on network/prod (stacks/prod.json, stack export) (1 resource)\n\nNo policy violations.\n\nSummary: 0 violation(s) on 0 resource(s).\nChecked: 1 resource, 1 passed."), text);
        assert.ok(text.endsWith("Total: 2 mandatory, 2 advisory violation(s) on 2 resource(s) in 2 stacks.\n"), text);
    });

    it("never repeats the policy description in front of each message", function () {
        assert.ok(!text.includes("The policy is valid JSON."));
    });
});

describe("JSON report", function () {
    it("is the report model, stable: the same input gives the same bytes", function () {
        const json = formatJsonReport(sampleReport());
        assert.equal(json, formatJsonReport(sampleReport()));
        const parsed = JSON.parse(json);
        assert.equal(parsed.reportVersion, 1);
        assert.deepEqual(Object.keys(parsed), ["reportVersion", "tool", "policyPacks", "stacks", "summary"]);
        assert.deepEqual(Object.keys(parsed.stacks[0]), [
            "name", "project", "stack", "file", "kind", "resourceCount", "pendingDeletes", "secrets", "notes", "violations", "notApplicable", "exemptions", "remediations", "summary",
        ]);
        assert.deepEqual(Object.keys(parsed.stacks[0].violations[0]), [
            "policyPack", "policyPackVersion", "policy", "enforcementLevel", "severity", "urn", "resourceType", "resourceName", "line", "message", "phase", "fingerprint",
        ]);
        assert.deepEqual(Object.keys(parsed.policyPacks[0].policies[0]), [
            "name", "displayName", "description", "enforcementLevel", "severity", "remediationSteps", "policyType",
        ]);
    });
});

describe("SARIF report", function () {
    const log = JSON.parse(JSON.stringify(sarifLog(sampleReport(), { baseDir }))) as any;

    it("has the structure SARIF 2.1.0 requires", function () {
        assert.equal(log.version, "2.1.0");
        assert.equal(log.$schema, sarifSchema);
        assert.ok(Array.isArray(log.runs) && log.runs.length === 1);
        for (const run of log.runs) {
            assert.equal(typeof run.tool.driver.name, "string");
            assert.ok(Array.isArray(run.tool.driver.rules));
            for (const rule of run.tool.driver.rules) assert.equal(typeof rule.id, "string");
            assert.ok(Array.isArray(run.results));
            for (const result of run.results) {
                assert.equal(typeof result.ruleId, "string");
                assert.ok(["none", "note", "warning", "error"].includes(result.level));
                assert.equal(typeof result.message.text, "string");
                assert.ok(result.locations.length > 0);
                for (const location of result.locations) assert.ok(location.logicalLocations.length > 0);
                assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
            }
            for (const invocation of run.invocations) assert.equal(typeof invocation.executionSuccessful, "boolean");
        }
    });

    it("has one rule per policy, with its description and remediation steps as help", function () {
        const rules = log.runs[0].tool.driver.rules;
        assert.deepEqual(rules.map((r: any) => r.id), ["vpce-policy-json", "vpce-policy-explicit", "vpce-private-dns"]);
        assert.equal(rules[0].name, "VpcePolicyJson");
        assert.equal(rules[0].shortDescription.text, "Endpoint policy is valid JSON");
        assert.equal(rules[0].fullDescription.text, "The policy is valid JSON.");
        assert.equal(rules[0].help.text, "Build the policy with JSON.stringify.");
        assert.equal(rules[0].defaultConfiguration.level, "error");
        assert.equal(rules[1].defaultConfiguration.level, "warning");
        assert.equal(rules[0].properties["security-severity"], "8.0");
        assert.equal(rules[2].help.text, "Private DNS is on.", "without remediation steps the description helps");
    });

    it("has one result per violation: error for mandatory, warning for advisory; the URN as logical location", function () {
        const results = log.runs[0].results;
        assert.equal(results.length, 4);
        assert.deepEqual(results.map((r: any) => `${r.ruleId} ${r.level}`), [
            "vpce-policy-json error", "vpce-policy-json error", "vpce-policy-explicit warning", "vpce-private-dns warning",
        ]);
        assert.deepEqual(results[0].locations[0].logicalLocations, [{ fullyQualifiedName: urnOf(endpoint, "s3", { stack: "dev", project: "network" }), name: "s3", kind: "resource" }]);
        assert.equal(results[0].message.text, "Statement[0]: \"Effect\" is \"allow\".");
        assert.equal(results[0].properties.stack, "network/dev");
    });

    it("points at the stack file and the resource's line, relative to the working directory", function () {
        const run = log.runs[0];
        assert.deepEqual(run.results[1].locations[0].physicalLocation, {
            artifactLocation: { uri: "stacks/dev.json", uriBaseId: "%SRCROOT%", index: 0 }, region: { startLine: 20 },
        });
        assert.equal(run.originalUriBaseIds["%SRCROOT%"].uri, "file:///work/repo/");
        assert.deepEqual(run.artifacts.map((a: any) => a.location.uri), ["stacks/dev.json", "stacks/prod.json"]);
    });

    it("gives each violation a stable fingerprint", function () {
        const again = JSON.parse(JSON.stringify(sarifLog(sampleReport(), { baseDir })));
        assert.deepEqual(again.runs[0].results.map((r: any) => r.partialFingerprints), log.runs[0].results.map((r: any) => r.partialFingerprints));
        assert.equal(new Set(log.runs[0].results.map((r: any) => r.partialFingerprints["vpceGuardViolation/v1"])).size, 4);
    });

    it("turns the reader's notes into tool execution notifications", function () {
        const notifications = log.runs[0].invocations[0].toolExecutionNotifications;
        assert.equal(notifications.length, 1);
        assert.equal(notifications[0].level, "note");
        assert.match(notifications[0].message.text, /^network\/dev: 1 encrypted secret value/);
    });

    it("uses an absolute file URI outside the working directory, and no physical location for stdin", function () {
        const outside = buildAuditReport(tool, [
            { document: document("dev", "/elsewhere/dev.json", ["s3"]), packs: [packRun([diagnostic("dev", "s3", "vpce-policy-json", "mandatory", "x")])] },
            { document: document("qa", stdinFile, ["s3"]), packs: [packRun([diagnostic("qa", "s3", "vpce-policy-json", "mandatory", "y")])] },
        ]);
        const run = (sarifLog(outside, { baseDir }) as any).runs[0];
        assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uri, "file:///elsewhere/dev.json");
        assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uriBaseId, undefined);
        assert.equal(run.results[1].locations[0].physicalLocation, undefined);
        assert.deepEqual(run.results[1].locations[0].logicalLocations[0].fullyQualifiedName, urnOf(endpoint, "s3", { stack: "qa", project: "network" }));
        assert.equal(run.artifacts.length, 1);
    });
});
