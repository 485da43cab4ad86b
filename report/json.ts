// The JSON report of `vpce-guard check --format json`: the `AuditReport` model as it stands
// (see ./audit for every field). Its shape is stable within a `reportVersion`: fields may be added,
// none renamed or removed. Keys come in a fixed order and lists in a fixed order (stacks as given on
// the command line, violations by resource in file order, then level and policy), so two runs over
// the same files give the same bytes.
//
//   {
//     "reportVersion": 1,
//     "tool": { "name", "version" },
//     "policyPacks": [{ "name", "version", "directory", "configFile"?,
//                       "policies": [{ "name", "displayName"?, "description", "enforcementLevel",
//                                      "severity"?, "remediationSteps"?, "url"?, "policyType" }] }],
//     "stacks": [{ "name", "project"?, "stack"?, "file", "kind": "export" | "checkpoint" | "preview",
//                  "resourceCount", "pendingDeletes",
//                  "secrets": { "encrypted", "redacted", "decrypted" }, "notes": [string],
//                  "violations": [{ "policyPack", "policyPackVersion", "policy", "enforcementLevel",
//                                   "severity"?, "urn", "resourceType", "resourceName", "line"?,
//                                   "message", "phase": "analyze" | "analyzeStack" }],
//                  "notApplicable": [{ "policyPack", "policy", "reason", "count" }],
//                  "exemptions": [{ "policyPack", "policy", "urn", "resourceType", "resourceName", "line"?,
//                                   "kind": "config" | "tag", "reason", "expires"?, "suppressed" }],
//                  "remediations": [{ "policyPack", "policy", "urn", "resourceType", "resourceName", "line"?,
//                                     "changes": { <input>: <value after the remediation> } }],
//                  "summary": { "mandatory", "advisory", "resources" } }],
//     "summary": { "stacks", "mandatory", "advisory", "resources", "analysedResources",
//                  "violations", "passed" }
//   }

import type { AuditReport } from "./audit";

export function formatJsonReport(report: AuditReport): string {
    return `${JSON.stringify(report, null, 2)}\n`;
}
