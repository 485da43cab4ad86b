// The SARIF 2.1.0 report of `vpce-guard check --format sarif` (OASIS SARIF v2.1.0, as GitHub code
// scanning reads it): one run per policy pack, whose driver carries one rule per policy (description,
// help = remediation steps); one result per violation, level `error` for mandatory, `warning` for
// advisory, `note` otherwise; the resource URN as logical location and, when the file is known, the
// resource's line as physical location. What the reader noted about a file (secrets it could not
// read, a partial preview) is a tool execution notification.

import { createHash } from "crypto";
import * as path from "path";
import { pathToFileURL } from "url";
import { stdinFile } from "../state/stack-files";
import type { EnforcementLevel } from "../engine/types";
import type { AuditExemption, AuditPolicy, AuditPolicyPack, AuditReport, AuditResourceRef, AuditStack, AuditViolation } from "./audit";

export const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

export type SarifLevel = "error" | "warning" | "note" | "none";

export function sarifLevel(level: EnforcementLevel): SarifLevel {
    switch (level) {
        case "mandatory":
        case "remediate":
            return "error";
        case "advisory":
            return "warning";
        default:
            return "note";
    }
}

/** GitHub's numeric `security-severity` for the policy severities of @pulumi/policy. */
const securitySeverity: Record<string, string> = { low: "3.0", medium: "5.5", high: "8.0", critical: "9.5" };

const srcRoot = "%SRCROOT%";

export interface SarifOptions {
    /** Directory that relative artifact URIs are relative to (the working directory). */
    baseDir: string;
}

export function formatSarifReport(report: AuditReport, options: SarifOptions): string {
    return `${JSON.stringify(sarifLog(report, options), null, 2)}\n`;
}

export function sarifLog(report: AuditReport, options: SarifOptions): Record<string, unknown> {
    const artifacts = new Artifacts(options.baseDir);
    for (const s of report.stacks) artifacts.add(s.file);
    return {
        $schema: sarifSchema,
        version: "2.1.0",
        runs: report.policyPacks.map((pack) => run(report, pack, artifacts)),
    };
}

function run(report: AuditReport, pack: AuditPolicyPack, artifacts: Artifacts): Record<string, unknown> {
    const ruleIndex = new Map(pack.policies.map((p, i) => [p.name, i]));
    const results: Record<string, unknown>[] = [];
    for (const stack of report.stacks) {
        for (const v of stack.violations) {
            if (v.policyPack === pack.name) results.push(result(v, stack, ruleIndex.get(v.policy), artifacts));
        }
        for (const e of stack.exemptions) {
            if (e.policyPack === pack.name) results.push(suppressedResult(e, stack, ruleIndex.get(e.policy), pack, artifacts));
        }
    }
    const notifications = report.stacks.flatMap((stack) => stack.notes.map((note) => ({
        level: "note",
        message: { text: `${stack.name}: ${note}` },
        ...(artifacts.location(stack.file) ? { locations: [{ physicalLocation: { artifactLocation: artifacts.location(stack.file) } }] } : {}),
    })));
    const sarifRun: Record<string, unknown> = {
        tool: {
            driver: {
                name: pack.name,
                version: pack.version,
                rules: pack.policies.map(rule),
                properties: { runner: `${report.tool.name} ${report.tool.version}`, ...(pack.configFile !== undefined ? { configFile: pack.configFile } : {}) },
            },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
    };
    if (artifacts.list.length > 0) {
        sarifRun.originalUriBaseIds = { [srcRoot]: { uri: pathToFileURL(artifacts.baseDir + path.sep).href } };
        sarifRun.artifacts = artifacts.list.map((a) => ({ location: a }));
    }
    return sarifRun;
}

function rule(policy: AuditPolicy): Record<string, unknown> {
    const properties: Record<string, unknown> = {
        enforcementLevel: policy.enforcementLevel,
        policyType: policy.policyType,
        tags: ["security", "aws", "vpc-endpoint"],
    };
    if (policy.severity) {
        properties.severity = policy.severity;
        const score = securitySeverity[policy.severity];
        if (score) properties["security-severity"] = score;
    }
    const help = policy.remediationSteps ?? policy.description;
    return {
        id: policy.name,
        // SARIF wants an identifier here; the display name goes in the short description.
        name: policy.name.split(/[^A-Za-z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(""),
        shortDescription: { text: policy.displayName ?? policy.name },
        fullDescription: { text: policy.description },
        help: { text: help, markdown: help },
        ...(policy.url ? { helpUri: policy.url } : {}),
        defaultConfiguration: { level: sarifLevel(policy.enforcementLevel), enabled: policy.enforcementLevel !== "disabled" },
        properties,
    };
}

/**
 * Where a finding's resource is: the program's line where the file records it (what a reviewer
 * edits), the stack file's line then a related location; else the stack file's line. From stdin
 * there is no stack file to point at.
 */
function resourceLocations(r: AuditResourceRef, stack: AuditStack, artifacts: Artifacts): { location: Record<string, unknown>; related: Record<string, unknown>[] } {
    const location: Record<string, unknown> = {
        logicalLocations: [{ fullyQualifiedName: r.urn, name: r.resourceName, kind: "resource" }],
    };
    const artifact = artifacts.location(stack.file);
    const fileLocation = artifact && { artifactLocation: artifact, ...(r.line !== undefined ? { region: { startLine: r.line } } : {}) };
    const related: Record<string, unknown>[] = [];
    if (r.source) {
        location.physicalLocation = {
            artifactLocation: artifacts.program(r.source.file),
            region: { startLine: r.source.line, ...(r.source.column !== undefined ? { startColumn: r.source.column } : {}) },
        };
        if (fileLocation) related.push({ id: 0, physicalLocation: fileLocation, message: { text: `${r.resourceName} in ${stack.file}` } });
    } else if (fileLocation) {
        location.physicalLocation = fileLocation;
    }
    return { location, related };
}

function result(v: AuditViolation, stack: AuditStack, ruleIndex: number | undefined, artifacts: Artifacts): Record<string, unknown> {
    const { location, related } = resourceLocations(v, stack, artifacts);
    return {
        ruleId: v.policy,
        ...(ruleIndex !== undefined ? { ruleIndex } : {}),
        level: sarifLevel(v.enforcementLevel),
        message: { text: v.message },
        locations: [location],
        ...(related.length > 0 ? { relatedLocations: related } : {}),
        partialFingerprints: { "vpceGuardViolation/v1": v.fingerprint },
        properties: {
            stack: stack.name,
            resourceType: v.resourceType,
            enforcementLevel: v.enforcementLevel,
            ...(v.severity !== undefined ? { severity: v.severity } : {}),
            phase: v.phase,
        },
    };
}

/**
 * An exempted resource as a suppressed result: `external` for a config exemption (it lives in the
 * policy config), `inSource` for a tag (it lives in the program), with the reason as justification.
 */
function suppressedResult(e: AuditExemption, stack: AuditStack, ruleIndex: number | undefined, pack: AuditPolicyPack, artifacts: Artifacts): Record<string, unknown> {
    const level = pack.policies.find((p) => p.name === e.policy)?.enforcementLevel ?? "advisory";
    const { location, related } = resourceLocations(e, stack, artifacts);
    const by = e.kind === "config" ? `a config exemption${e.expires !== undefined ? ` (until ${e.expires})` : ""}` : "its vpce-guard:exempt tag";
    return {
        ruleId: e.policy,
        ...(ruleIndex !== undefined ? { ruleIndex } : {}),
        level: sarifLevel(level),
        message: { text: `${e.suppressed} violation(s) of ${e.policy} on this resource are suppressed by ${by}.` },
        locations: [location],
        ...(related.length > 0 ? { relatedLocations: related } : {}),
        suppressions: [{ kind: e.kind === "config" ? "external" : "inSource", status: "accepted", justification: e.reason }],
        partialFingerprints: { "vpceGuardExemption/v1": createHash("sha256").update(JSON.stringify([stack.name, e.policyPack, e.policy, e.urn])).digest("hex").slice(0, 32) },
        properties: {
            stack: stack.name,
            resourceType: e.resourceType,
            exemptionKind: e.kind,
            ...(e.expires !== undefined ? { expires: e.expires } : {}),
            suppressedViolations: e.suppressed,
        },
    };
}

/** The input files as SARIF artifact locations: relative to the base directory when inside it. */
class Artifacts {
    readonly list: Record<string, unknown>[] = [];
    private readonly byFile = new Map<string, Record<string, unknown>>();

    constructor(readonly baseDir: string) {}

    add(file: string): void {
        if (file === stdinFile || this.byFile.has(file)) return;
        const absolute = path.resolve(this.baseDir, file);
        const relative = path.relative(this.baseDir, absolute);
        const inside = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
        const location: Record<string, unknown> = inside
            ? { uri: relative.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: srcRoot, index: this.list.length }
            : { uri: pathToFileURL(absolute).href, index: this.list.length };
        this.list.push({ uri: location.uri, ...(inside ? { uriBaseId: srcRoot } : {}) });
        this.byFile.set(file, location);
    }

    location(file: string): Record<string, unknown> | undefined {
        return this.byFile.get(file);
    }

    /** A program file (already relative to the repository, or absolute) as an artifact location. */
    program(file: string): Record<string, unknown> {
        if (!path.isAbsolute(file)) {
            const key = `program:${file}`;
            if (!this.byFile.has(key)) {
                const location = { uri: file.split("/").map(encodeURIComponent).join("/"), uriBaseId: srcRoot, index: this.list.length };
                this.list.push({ uri: location.uri, uriBaseId: srcRoot });
                this.byFile.set(key, location);
            }
            return this.byFile.get(key)!;
        }
        this.add(file);
        return this.byFile.get(file)!;
    }
}
