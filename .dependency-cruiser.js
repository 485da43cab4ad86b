// The architecture, checked by `npm test` (npm run deps): each folder imports only the folders
// listed for it. Rules → models → basics; the engine side never imports a rule.
const layers = {
    // the pack's rules, one file per policy
    policies: ["framework", "stack", "network", "iam", "values"],
    // glue to @pulumi/policy: rule wrappers, the framework cache
    framework: ["stack", "network", "iam", "values"],
    // security-group rules, links and CIDRs
    network: ["stack", "iam", "values"],
    // the stack: graph, endpoint view, service catalogue, carriers, inputs memory
    stack: ["iam", "values"],
    // the IAM policy language: JSON with positions, documents, principals, conditions, actions, ARNs
    iam: ["values"],
    // values the engine sends (unknown sentinels)
    values: [],
    // driving a pack as the Pulumi CLI does
    engine: ["values"],
    // reading stack files (exports, checkpoints, preview JSON)
    state: ["engine", "iam", "values"],
    report: ["engine", "state"],
    cli: ["engine", "report", "state", "iam", "values"],
    bench: ["engine", "state", "values"],
    examples: ["engine", "values"],
};
const folders = Object.keys(layers);

module.exports = {
    forbidden: [
        { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
        ...Object.entries(layers).map(([from, allowed]) => ({
            name: `${from}-imports-only-${allowed.join("-") || "itself"}`,
            severity: "error",
            from: { path: `^${from}/` },
            to: { path: `^(${folders.join("|")})/`, pathNot: `^(${[from, ...allowed].join("|")})/` },
        })),
        {
            name: "index-imports-only-policies-and-framework",
            severity: "error",
            from: { path: "^index\\.ts$" },
            to: { path: `^(${folders.join("|")})/`, pathNot: "^(policies|framework)/" },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        exclude: { path: "^(bin|node_modules|test)/|^bench/fixtures/" },
        tsConfig: { fileName: "tsconfig.json" },
        tsPreCompilationDeps: true,
    },
};
