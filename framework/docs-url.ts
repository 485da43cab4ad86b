// Each policy's `url` (shown by Pulumi Cloud and the CLI beside its violations): the policy's page,
// docs/policies/<name>.md, in the repository named by package.json `repository`, at the tag of
// this version (`v<version>`, the tag `npm version` creates), so the page describes the code that
// reported the violation — its config and behaviour — and never a later one.

/** The fields of package.json the url is built from. */
export interface PackageInfo {
    version?: unknown;
    repository?: unknown;
}

/**
 * The policy's page, or undefined when package.json names no GitHub repository (other hosts lay
 * out file URLs differently, and no link is better than a broken one).
 */
export function docsUrl(pkg: PackageInfo, policyName: string): string | undefined {
    const repository = githubRepository(pkg.repository);
    if (repository === undefined || typeof pkg.version !== "string" || !/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(pkg.version)) return undefined;
    return `${repository}/blob/v${pkg.version}/docs/policies/${policyName}.md`;
}

/** `https://github.com/<owner>/<repo>` from any form npm accepts for `repository`. */
export function githubRepository(repository: unknown): string | undefined {
    const url = typeof repository === "string" ? repository
        : repository !== null && typeof repository === "object" && typeof (repository as { url?: unknown }).url === "string" ? (repository as { url: string }).url
            : undefined;
    if (url === undefined) return undefined;
    const match = /^(?:github:|(?:git\+)?(?:https?|git|ssh):\/\/(?:git@)?github\.com\/|git@github\.com:)?([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(url.trim());
    if (match === null) return undefined;
    // A bare "owner/repo" is GitHub shorthand for npm; anything else with a host must be github.com (checked above).
    return `https://github.com/${match[1]}/${match[2]}`;
}

let pkg: PackageInfo | undefined;

/** This package's page for a policy. package.json is read once, by the package's own name (see below). */
export function policyDocsUrl(policyName: string): string | undefined {
    if (pkg === undefined) {
        try {
            // Self-reference through package.json "exports" ("./package.json"): the same file from the
            // sources and from bin/, installed or not; @pulumi/policy already loads it to read the version.
            pkg = require("vpce-guard/package.json") as PackageInfo;
        } catch {
            pkg = {};
        }
    }
    return docsUrl(pkg, policyName);
}
