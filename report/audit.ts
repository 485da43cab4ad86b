// The result of an offline audit (`vpce-guard check`), as one model: the JSON report is this object
// as it stands, and the text and SARIF reports are renderings of it. Pure.

import type { AnalyzerDescription, Diagnostic, EnforcementLevel, NotApplicable, PolicyDescription, ReconciledPolicyConfig, Remediation } from "../engine/types";
import { createHash } from "crypto";
import * as path from "path";
import type { SecretCounts, StackDocument, StackDocumentKind } from "../state/stack-files";
import { describeUrn } from "./urn";

/** Bumped when a field changes meaning or goes away; new fields may be added within a version. */
export const auditReportVersion = 1;

export interface AuditReport {
    reportVersion: typeof auditReportVersion;
    tool: { name: string; version: string };
    policyPacks: AuditPolicyPack[];
    stacks: AuditStack[];
    summary: AuditSummary;
}

export interface AuditPolicyPack {
    name: string;
    version: string;
    /** The pack directory, as given (absolute for the bundled pack). */
    directory: string;
    /** The `--policy-pack-config` file applied, if any. */
    configFile?: string;
    policies: AuditPolicy[];
}

/** A policy as the pack describes it, without its config schema. */
export interface AuditPolicy extends Omit<PolicyDescription, "configSchema" | "enforcementLevel"> {
    /** The level in force for this run, after the config file. */
    enforcementLevel: EnforcementLevel;
}

export interface AuditStack {
    /** `project/stack` from the URNs, else the file. */
    name: string;
    project?: string;
    stack?: string;
    file: string;
    kind: StackDocumentKind;
    /** Resources analysed (those pending deletion are not). */
    resourceCount: number;
    pendingDeletes: number;
    secrets: SecretCounts;
    /** What the reader noted about the file, each a sentence (secrets, a partial preview…). */
    notes: string[];
    /** In stack order (by resource as it appears in the file), then level, then policy. */
    violations: AuditViolation[];
    /** Policies that had nothing to say, counted by reason. */
    notApplicable: AuditNotApplicable[];
    /** Exemptions that suppressed violations, in stack order (by resource), then policy. */
    exemptions: AuditExemption[];
    /** Remediations policies at level `remediate` offer, reported and not applied (as `pulumi policy analyze` does). */
    remediations: AuditRemediation[];
    summary: LevelCounts;
}

/** The policy and the resource a remediation or an exemption is about, and where the resource is. */
export interface AuditResourceRef {
    policyPack: string;
    policy: string;
    urn: string;
    resourceType: string;
    resourceName: string;
    /** Line of the resource in the stack file, when found. */
    line?: number;
    /** Where the program registered the resource, as for violations. */
    source?: ProgramSource;
}

export interface AuditRemediation extends AuditResourceRef {
    /** The top-level inputs the remediation would change, and their values after it. */
    changes: Record<string, unknown>;
}

/** A place in the Pulumi program: the file relative to the repository (or absolute as recorded). */
export interface ProgramSource {
    file: string;
    line: number;
    column?: number;
}

/** An exemption the pack applied: the resource, the policy, how it was exempted and why. */
export interface AuditExemption extends AuditResourceRef {
    /** `config`: the policy's `exemptions`; `tag`: the resource's `vpce-guard:exempt` tag. */
    kind: "config" | "tag";
    reason: string;
    /** `YYYY-MM-DD`, the last day a config exemption applies. */
    expires?: string;
    /** Violations it suppressed. */
    suppressed: number;
}

/** An exemption as a pack reports it (vpce-guard writes one line per exemption on its stdout). */
export interface PackExemption {
    policy: string;
    urn: string;
    kind: "config" | "tag";
    reason: string;
    expires?: string;
    suppressed: number;
}

/** One violation in the report: a diagnostic's `urn`, `severity` and `phase`, with its pack, policy, resource and specific message. */
export interface AuditViolation extends Pick<Diagnostic, "urn" | "severity" | "phase"> {
    policyPack: string;
    policyPackVersion: string;
    policy: string;
    /** `remediate` is reported as `mandatory`, as `pulumi policy analyze` does. */
    enforcementLevel: EnforcementLevel;
    resourceType: string;
    resourceName: string;
    /** Line of the resource in the file, when found. */
    line?: number;
    /**
     * Where the program registered the resource (its `sourcePosition`): the file relative to the
     * repository (the project-relative path under `--source-root`), or absolute as recorded.
     */
    source?: ProgramSource;
    /** Stable across runs whatever lines moved: the stack, pack, policy, resource and message. */
    fingerprint: string;
    /** What is wrong and how to fix it (the policy's description is in `policyPacks[].policies[]`). */
    message: string;
}

export interface AuditNotApplicable {
    policyPack: string;
    policy: string;
    reason: string;
    count: number;
}

export interface LevelCounts {
    mandatory: number;
    advisory: number;
    /** Resources with at least one violation. */
    resources: number;
    /** Resources analysed with no violation reported. */
    passedResources: number;
    /** Findings left out because the `--baseline` file has them. */
    baselined: number;
}

export interface AuditSummary extends LevelCounts {
    stacks: number;
    /** Resources analysed, over all stacks. */
    analysedResources: number;
    violations: number;
    /** True when no mandatory violation was found. */
    passed: boolean;
}

export interface AuditOptions {
    /** Where the Pulumi project directory is in the repository; program paths are prefixed with it. */
    sourceRoot?: string;
    /** Which policies to report (`--policy` / `--skip-policy`); all when absent. */
    selectPolicy?: (policy: string) => boolean;
    /** Fingerprint keys (see `baselineKey`) of findings to leave out. */
    baseline?: ReadonlySet<string>;
}

/** What running one pack over one stack produced. */
export interface PackRun {
    info: AnalyzerDescription;
    directory: string;
    configFile?: string;
    configured: Record<string, ReconciledPolicyConfig>;
    diagnostics: Diagnostic[];
    notApplicable: NotApplicable[];
    /** Exemptions the pack applied. */
    exemptions?: PackExemption[];
    /** Remediations the pack offered (not applied). */
    remediations?: Remediation[];
}

export interface StackRun {
    document: StackDocument;
    packs: PackRun[];
}

const levelOrder: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

export function compareLevels(a: string, b: string): number {
    return (levelOrder[a] ?? 9) - (levelOrder[b] ?? 9);
}

/** `project/stack`, or the file when the stack is empty. */
export function stackName(document: StackDocument): string {
    return document.project !== undefined && document.stack !== undefined ? `${document.project}/${document.stack}` : document.file;
}

/** The framework prefixes a violation message with the policy's description; keep what is specific. */
export function specificMessage(d: Pick<Diagnostic, "description" | "message">): string {
    const prefix = `${d.description}\n`;
    return d.description && d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message;
}

export function buildAuditReport(tool: { name: string; version: string }, runs: StackRun[], options: AuditOptions = {}): AuditReport {
    const policyPacks = new Map<string, AuditPolicyPack>();
    const stacks = runs.map((run) => {
        for (const pack of run.packs) {
            if (!policyPacks.has(pack.directory)) policyPacks.set(pack.directory, describePack(pack));
        }
        return auditStack(run, options);
    });
    const totals = { mandatory: 0, advisory: 0, resources: 0, passedResources: 0, baselined: 0, analysedResources: 0, violations: 0 };
    for (const s of stacks) {
        totals.mandatory += s.summary.mandatory;
        totals.advisory += s.summary.advisory;
        totals.resources += s.summary.resources;
        totals.passedResources += s.summary.passedResources;
        totals.baselined += s.summary.baselined;
        totals.analysedResources += s.resourceCount;
        totals.violations += s.violations.length;
    }
    return {
        reportVersion: auditReportVersion,
        tool,
        policyPacks: [...policyPacks.values()],
        stacks,
        summary: { stacks: stacks.length, ...totals, passed: totals.mandatory === 0 },
    };
}

function describePack(pack: PackRun): AuditPolicyPack {
    return {
        name: pack.info.name,
        version: pack.info.version,
        directory: pack.directory,
        ...(pack.configFile !== undefined ? { configFile: pack.configFile } : {}),
        policies: pack.info.policies.map((p) => {
            return {
                name: p.name,
                ...(p.displayName ? { displayName: p.displayName } : {}),
                description: p.description,
                enforcementLevel: pack.configured[p.name]?.enforcementLevel ?? p.enforcementLevel,
                ...(p.severity ? { severity: p.severity } : {}),
                ...(p.remediationSteps ? { remediationSteps: p.remediationSteps } : {}),
                ...(p.url ? { url: p.url } : {}),
                policyType: p.policyType,
            };
        }),
    };
}

function auditStack(run: StackRun, options: AuditOptions): AuditStack {
    const { document } = run;
    const order = new Map(document.resources.map((r, i) => [r.urn, i]));
    const violations: AuditViolation[] = [];
    const notApplicable = new Map<string, AuditNotApplicable>();
    const name = stackName(document);
    let baselined = 0;
    const exemptions: AuditExemption[] = [];
    const seenExemptions = new Set<string>();
    for (const pack of run.packs) {
        for (const e of pack.exemptions ?? []) {
            if (options.selectPolicy && !options.selectPolicy(e.policy)) continue;
            const key = JSON.stringify([pack.info.name, e.policy, e.urn]);
            if (seenExemptions.has(key)) continue;
            seenExemptions.add(key);
            exemptions.push(auditExemption(e, pack, document, options.sourceRoot));
        }
        for (const d of pack.diagnostics) {
            if (options.selectPolicy && !options.selectPolicy(d.policyName)) continue;
            const v = auditViolation(d, pack, document, name, options.sourceRoot);
            if (options.baseline?.has(baselineKey(v))) baselined++;
            else violations.push(v);
        }
        for (const n of pack.notApplicable) {
            if (options.selectPolicy && !options.selectPolicy(n.policyName)) continue;
            const key = JSON.stringify([pack.info.name, n.policyName, n.reason]);
            const entry = notApplicable.get(key) ?? { policyPack: pack.info.name, policy: n.policyName, reason: n.reason, count: 0 };
            entry.count++;
            notApplicable.set(key, entry);
        }
    }
    // Stable: resources in file order, then level, policy pack, policy; a policy's own order last.
    const position = (urn: string) => order.get(urn) ?? Number.MAX_SAFE_INTEGER;
    const sorted = violations
        .map((v, i) => ({ v, i }))
        .sort((a, b) =>
            position(a.v.urn) - position(b.v.urn) ||
            a.v.urn.localeCompare(b.v.urn) ||
            compareLevels(a.v.enforcementLevel, b.v.enforcementLevel) ||
            a.v.policyPack.localeCompare(b.v.policyPack) ||
            a.v.policy.localeCompare(b.v.policy) ||
            a.i - b.i)
        .map(({ v }) => v);
    return {
        name: stackName(document),
        ...(document.project !== undefined ? { project: document.project } : {}),
        ...(document.stack !== undefined ? { stack: document.stack } : {}),
        file: document.file,
        kind: document.kind,
        resourceCount: document.resources.length,
        pendingDeletes: document.pendingDeletes,
        secrets: document.secrets,
        notes: [...document.notes, ...nothingChecked(run)],
        violations: sorted,
        notApplicable: [...notApplicable.values()].sort((a, b) =>
            a.policyPack.localeCompare(b.policyPack) || a.policy.localeCompare(b.policy) || a.reason.localeCompare(b.reason)),
        exemptions: exemptions
            .map((e, i) => ({ e, i }))
            .sort((a, b) => position(a.e.urn) - position(b.e.urn) || a.e.urn.localeCompare(b.e.urn) || a.e.policyPack.localeCompare(b.e.policyPack) || a.e.policy.localeCompare(b.e.policy) || a.i - b.i)
            .map(({ e }) => e),
        remediations: run.packs
            .flatMap((pack) => (pack.remediations ?? []).filter((r) => r.properties !== undefined && r.changed.length > 0).map((r) => auditRemediation(r, pack, document)))
            .map((r, i) => ({ r, i }))
            .sort((a, b) => position(a.r.urn) - position(b.r.urn) || a.r.urn.localeCompare(b.r.urn) || a.i - b.i)
            .map(({ r }) => r),
        summary: { ...countLevels(sorted, document.resources.length, exemptions), baselined },
    };
}

function auditRemediation(r: Remediation, pack: PackRun, document: StackDocument): AuditRemediation {
    const { type, name } = describeUrn(r.urn);
    const line = document.lines[r.urn];
    return {
        policyPack: r.policyPackName || pack.info.name,
        policy: r.policyName,
        urn: r.urn,
        resourceType: type,
        resourceName: name,
        ...(line !== undefined ? { line } : {}),
        changes: Object.fromEntries(r.changed.map((k) => [k, r.properties?.[k]])),
    };
}

function auditExemption(e: PackExemption, pack: PackRun, document: StackDocument, sourceRoot: string | undefined): AuditExemption {
    const { type, name } = describeUrn(e.urn);
    const line = document.lines[e.urn];
    const source = programSource(document, e.urn, sourceRoot);
    return {
        policyPack: pack.info.name,
        policy: e.policy,
        urn: e.urn,
        resourceType: type,
        resourceName: name,
        ...(line !== undefined ? { line } : {}),
        ...(source ? { source } : {}),
        kind: e.kind,
        reason: e.reason,
        ...(e.expires !== undefined ? { expires: e.expires } : {}),
        suppressed: e.suppressed,
    };
}


const endpointTypes = new Set(["aws:ec2/vpcEndpoint:VpcEndpoint", "aws-native:ec2:VpcEndpoint", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"]);

/**
 * Notes for a run that checked little or nothing, so that "no violations" is not read as "all
 * is well": a stack with no endpoint, a pack whose policies are all disabled, and vpce-guard's
 * data-perimeter policy left unconfigured.
 */
function nothingChecked(run: StackRun): string[] {
    const notes: string[] = [];
    for (const pack of run.packs) {
        const levels = pack.info.policies.map((p) => pack.configured[p.name]?.enforcementLevel ?? p.enforcementLevel);
        if (levels.length > 0 && levels.every((l) => l === "disabled")) {
            notes.push(`Every policy of ${pack.info.name} is disabled by the config: nothing was checked.`);
            continue;
        }
        if (pack.info.name !== "vpce-guard") continue;
        if (!run.document.resources.some((r) => endpointTypes.has(r.type))) {
            notes.push("The stack has no VPC endpoint (aws.ec2.VpcEndpoint, aws-native VpcEndpoint or aws.ec2.VpcEndpointPolicy): vpce-guard had nothing to check.");
        }
        const perimeter = pack.configured["vpce-data-perimeter"];
        if (perimeter && perimeter.enforcementLevel !== "disabled") {
            const list = (key: string) => (Array.isArray(perimeter.properties?.[key]) ? (perimeter.properties[key] as unknown[]).length : 0);
            if (list("organizationIds") === 0 && list("accountIds") === 0) {
                notes.push("vpce-data-perimeter is not configured (no organizationIds or accountIds), so endpoint policies were not checked against a data perimeter.");
            }
        }
    }
    return notes;
}

/** How a finding is matched against a baseline: policy, resource and fingerprint, never its line. */
export function baselineKey(v: Pick<AuditViolation, "policyPack" | "policy" | "urn" | "fingerprint">): string {
    return JSON.stringify([v.policyPack, v.policy, v.urn, v.fingerprint]);
}

/** The resource's `sourcePosition`, its path prefixed with `--source-root` when project-relative. */
function programSource(document: StackDocument, urn: string, sourceRoot: string | undefined): ProgramSource | undefined {
    const position = document.sources[urn];
    if (position === undefined) return undefined;
    return {
        file: position.absolute || sourceRoot === undefined ? position.file : path.posix.join(sourceRoot.split(path.sep).join("/"), position.file),
        line: position.line,
        ...(position.column !== undefined ? { column: position.column } : {}),
    };
}

function auditViolation(d: Diagnostic, pack: PackRun, document: StackDocument, stack: string, sourceRoot: string | undefined): AuditViolation {
    const { type, name } = describeUrn(d.urn);
    const line = document.lines[d.urn];
    const source = programSource(document, d.urn, sourceRoot);
    const message = specificMessage(d);
    const policyPack = d.policyPackName || pack.info.name;
    return {
        policyPack,
        policyPackVersion: pack.info.version,
        policy: d.policyName,
        enforcementLevel: d.enforcementLevel === "remediate" ? "mandatory" : d.enforcementLevel,
        ...(d.severity !== undefined ? { severity: d.severity } : {}),
        urn: d.urn,
        resourceType: type,
        resourceName: name,
        ...(line !== undefined ? { line } : {}),
        ...(source ? { source } : {}),
        message,
        phase: d.phase,
        fingerprint: createHash("sha256").update(JSON.stringify([stack, policyPack, d.policyName, d.urn, message])).digest("hex").slice(0, 32),
    };
}

/** Counts by level; a resource passed when it has no violation and no exemption was applied to it. */
export function countLevels(violations: readonly AuditViolation[], analysed: number, exemptions: readonly Pick<AuditExemption, "urn">[] = []): LevelCounts {
    const flagged = new Set(violations.map((v) => v.urn));
    const exempted = new Set(exemptions.map((e) => e.urn).filter((urn) => !flagged.has(urn)));
    const counts: LevelCounts = {
        mandatory: 0, advisory: 0, resources: flagged.size, passedResources: Math.max(0, analysed - flagged.size - exempted.size), baselined: 0,
    };
    for (const v of violations) {
        if (v.enforcementLevel === "mandatory") counts.mandatory++;
        else if (v.enforcementLevel === "advisory") counts.advisory++;
    }
    return counts;
}
