// The result of an offline audit (`vpce-guard check`), as one model: the JSON report is this object
// as it stands, and the text and SARIF reports are renderings of it. Pure.

import type { AnalyzerDescription, Diagnostic, EnforcementLevel, NotApplicable, PolicyDescription, ReconciledPolicyConfig, Remediation } from "../engine/types";
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

export interface AuditRemediation {
    policyPack: string;
    policy: string;
    urn: string;
    resourceType: string;
    resourceName: string;
    line?: number;
    /** The top-level inputs the remediation would change, and their values after it. */
    changes: Record<string, unknown>;
}

/** An exemption the pack applied: the resource, the policy, how it was exempted and why. */
export interface AuditExemption {
    policyPack: string;
    policy: string;
    urn: string;
    resourceType: string;
    resourceName: string;
    line?: number;
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
}

export interface AuditSummary extends LevelCounts {
    stacks: number;
    /** Resources analysed, over all stacks. */
    analysedResources: number;
    violations: number;
    /** True when no mandatory violation was found. */
    passed: boolean;
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

export function buildAuditReport(tool: { name: string; version: string }, runs: StackRun[]): AuditReport {
    const policyPacks = new Map<string, AuditPolicyPack>();
    const stacks = runs.map((run) => {
        for (const pack of run.packs) {
            if (!policyPacks.has(pack.directory)) policyPacks.set(pack.directory, describePack(pack));
        }
        return auditStack(run);
    });
    const totals = { mandatory: 0, advisory: 0, resources: 0, analysedResources: 0, violations: 0 };
    for (const s of stacks) {
        totals.mandatory += s.summary.mandatory;
        totals.advisory += s.summary.advisory;
        totals.resources += s.summary.resources;
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
                policyType: p.policyType,
            };
        }),
    };
}

function auditStack(run: StackRun): AuditStack {
    const { document } = run;
    const order = new Map(document.resources.map((r, i) => [r.urn, i]));
    const violations: AuditViolation[] = [];
    const notApplicable = new Map<string, AuditNotApplicable>();
    const exemptions: AuditExemption[] = [];
    const seenExemptions = new Set<string>();
    for (const pack of run.packs) {
        for (const e of pack.exemptions ?? []) {
            const key = JSON.stringify([pack.info.name, e.policy, e.urn]);
            if (seenExemptions.has(key)) continue;
            seenExemptions.add(key);
            exemptions.push(auditExemption(e, pack, document));
        }
        for (const d of pack.diagnostics) violations.push(auditViolation(d, pack, document));
        for (const n of pack.notApplicable) {
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
        notes: document.notes,
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
        summary: countLevels(sorted),
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

function auditExemption(e: PackExemption, pack: PackRun, document: StackDocument): AuditExemption {
    const { type, name } = describeUrn(e.urn);
    const line = document.lines[e.urn];
    return {
        policyPack: pack.info.name,
        policy: e.policy,
        urn: e.urn,
        resourceType: type,
        resourceName: name,
        ...(line !== undefined ? { line } : {}),
        kind: e.kind,
        reason: e.reason,
        ...(e.expires !== undefined ? { expires: e.expires } : {}),
        suppressed: e.suppressed,
    };
}

function auditViolation(d: Diagnostic, pack: PackRun, document: StackDocument): AuditViolation {
    const { type, name } = describeUrn(d.urn);
    const line = document.lines[d.urn];
    return {
        policyPack: d.policyPackName || pack.info.name,
        policyPackVersion: pack.info.version,
        policy: d.policyName,
        enforcementLevel: d.enforcementLevel === "remediate" ? "mandatory" : d.enforcementLevel,
        ...(d.severity !== undefined ? { severity: d.severity } : {}),
        urn: d.urn,
        resourceType: type,
        resourceName: name,
        ...(line !== undefined ? { line } : {}),
        message: specificMessage(d),
        phase: d.phase,
    };
}

export function countLevels(violations: readonly AuditViolation[]): LevelCounts {
    const counts: LevelCounts = { mandatory: 0, advisory: 0, resources: new Set(violations.map((v) => v.urn)).size };
    for (const v of violations) {
        if (v.enforcementLevel === "mandatory") counts.mandatory++;
        else if (v.enforcementLevel === "advisory") counts.advisory++;
    }
    return counts;
}
