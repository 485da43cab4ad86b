// Baselines (`--write-baseline FILE`, then `--baseline FILE`): the findings a team has accepted for
// now, so a later run reports only new ones. A finding is matched by policy pack, policy, resource
// URN and its fingerprint (see AuditViolation.fingerprint), never by line, so edits elsewhere in the
// program or the export do not bring it back.

import * as fs from "fs";
import { baselineKey, type AuditReport } from "./audit";

export const baselineVersion = 1;

export interface BaselineFile {
    baselineVersion: typeof baselineVersion;
    tool: { name: string; version: string };
    findings: { policyPack: string; policy: string; urn: string; fingerprint: string; message: string }[];
}

/** A baseline file that cannot be used; the message names the file and what is wrong. */
export class BaselineError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "BaselineError";
    }
}

export function formatBaseline(report: AuditReport): string {
    const findings = report.stacks.flatMap((s) => s.violations.map((v) => ({
        policyPack: v.policyPack, policy: v.policy, urn: v.urn, fingerprint: v.fingerprint, message: v.message.split("\n")[0].slice(0, 200),
    })));
    const file: BaselineFile = { baselineVersion, tool: report.tool, findings };
    return `${JSON.stringify(file, null, 2)}\n`;
}

/** The keys of a baseline file's findings; throws BaselineError when the file is not a baseline. */
export function readBaselineFile(absolute: string, label: string): Set<string> {
    let text: string;
    try {
        text = fs.readFileSync(absolute, "utf8");
    } catch (e) {
        throw new BaselineError(`cannot read the baseline ${label}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch (e) {
        throw new BaselineError(`the baseline ${label} is not JSON (${(e as Error).message}); write one with --write-baseline`);
    }
    const file = value as Partial<BaselineFile> | null;
    if (typeof file !== "object" || file === null || file.baselineVersion !== baselineVersion || !Array.isArray(file.findings)) {
        throw new BaselineError(`${label} is not a vpce-guard baseline (version ${baselineVersion}); write one with --write-baseline`);
    }
    const keys = new Set<string>();
    for (const [i, f] of file.findings.entries()) {
        if (typeof f !== "object" || f === null || typeof f.policyPack !== "string" || typeof f.policy !== "string" || typeof f.urn !== "string" || typeof f.fingerprint !== "string") {
            throw new BaselineError(`${label}: finding ${i} needs string policyPack, policy, urn and fingerprint`);
        }
        keys.add(baselineKey(f));
    }
    return keys;
}
