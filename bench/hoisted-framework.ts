// What vpce-guard would cost if @pulumi/policy built the stack's resource objects once per
// AnalyzeStack call instead of once per stack policy. Its `makeAnalyzeStackRpcFun` turns every
// resource of the request into a `PolicyResource` (deserialized props behind an unknown-checking
// proxy, options, provider, dependencies, closures) inside the loop over policies: loop-invariant
// work, done 9 times for a pack with vpce-guard's 9 stack policies, and the largest part of the
// floor pack's AnalyzeStack cost (bench/RESULTS.md). This is the change we would propose upstream,
// applied for the benchmark only: never to the pack, never to node_modules on disk.
//
// `hoistResourceBuild` rewrites the source of @pulumi/policy's `server.js` (1.21.0), or says why
// it cannot. Loaded with `--require` into a pack process (the bench sets NODE_OPTIONS), this file
// compiles the rewritten source in place of the original before the pack loads @pulumi/policy.
// With the change, the stack policies of one call share the resource objects (the framework
// handed each its own): fine for packs whose policies only read them, as vpce-guard's do.

import * as fs from "fs";
import * as path from "path";

const buildStart = "                        const intermediates = [];\n                        for (const r of resources) {";
const buildEnd = "                        const args = {\n                            resources: intermediates.map(r => r.resource),";
const requestStart = "            const resources = req.getResourcesList();\n";

/** The rewritten source, or the reason the original does not look as expected. */
export function hoistResourceBuild(source: string): { source: string } | { skipped: string } {
    const start = source.indexOf(buildStart);
    const end = source.indexOf(buildEnd);
    const request = source.indexOf(requestStart);
    if (start < 0 || end < start || request < 0 || request > start) {
        return { skipped: "@pulumi/policy's server.js is not the 1.21.0 shape the hoisting expects" };
    }
    if (source.indexOf(buildStart, start + 1) >= 0 || source.indexOf(requestStart, request + 1) >= 0) {
        return { skipped: "@pulumi/policy's server.js builds resources in more than one place" };
    }
    const build = source.slice(start, end);
    const once = [
        "            // Hoisted (vpce-guard bench): built on the first stack policy, shared by the others.\n",
        "            let built;\n",
        "            const buildResources = () => {\n",
        "                if (built) return built;\n",
        build,
        "                built = intermediates;\n",
        "                return built;\n",
        "            };\n",
    ].join("");
    const at = request + requestStart.length;
    return {
        source: source.slice(0, at) + once + source.slice(at, start)
            + "                        const intermediates = buildResources();\n" + source.slice(end),
    };
}

/** The server.js the pack in `packDir` (the process's cwd) resolves. */
export function serverPath(packDir: string): string {
    return require.resolve("@pulumi/policy/server", { paths: [packDir] });
}

/** Installs the rewritten server.js into the module cache; false when it cannot. */
function install(packDir: string): boolean {
    let file: string;
    try {
        file = serverPath(packDir);
    } catch {
        return false;
    }
    const rewritten = hoistResourceBuild(fs.readFileSync(file, "utf8"));
    if (!("source" in rewritten)) return false;
    // The module goes into the cache before it runs: server.js and policy.js require each other.
    const Module = require("module") as {
        new(id: string, parent: unknown): NodeJS.Module & { _compile(source: string, filename: string): void; paths: string[] };
        _nodeModulePaths(dir: string): string[];
        _cache: Record<string, NodeJS.Module>;
    };
    const m = new Module(file, null);
    m.filename = file;
    m.paths = Module._nodeModulePaths(path.dirname(file));
    Module._cache[file] = m;
    m._compile(rewritten.source, file);
    m.loaded = true;
    return true;
}

/** Set by the bench in the pack's environment; this file only acts when preloaded with it. */
export const hoistEnvironmentKey = "VPCE_GUARD_BENCH_HOIST_FRAMEWORK";

/** Optional: a file the preload writes "hoisted" (or "not hoisted") to, so a test can tell it ran. */
export const hoistMarkerKey = "VPCE_GUARD_BENCH_HOIST_MARKER";

if (process.env[hoistEnvironmentKey] === "1" && require.main !== module) {
    const installed = install(process.cwd());
    if (!installed) process.stderr.write("vpce-guard bench: could not hoist @pulumi/policy's resource build\n");
    const marker = process.env[hoistMarkerKey];
    if (marker) fs.writeFileSync(marker, installed ? "hoisted" : "not hoisted");
}
