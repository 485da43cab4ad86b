// `npm run bench`: every comparison in one run on this machine, written to bench/RESULTS.md.
//
//   1. time to port through run-policy-pack: vpce-guard, the empty pack, a template-style
//      TypeScript pack, AWSGuard 0.3.1 as its template sets it up (index.ts, ts-node) and precompiled;
//   2. Analyze latency over a realistic mix: vpce-guard, the empty pack, the floor pack;
//   3. AnalyzeStack at 1,000 / 10,000 / 50,000 resources: the same three, and vpce-guard and the
//      floor pack again on @pulumi/policy with its per-policy resource build hoisted (what the
//      upstream change in bench/hoisted-framework.ts would give);
//   4. `vpce-guard check` on 20,000- and 50,000-resource exports: wall time, CPU time and peak
//      memory of the CLI and of the pack process.
//
// Packs are always measured in turn (A B C A B C …), so they share the machine's state; figures
// are medians (latency: percentiles). BENCH_QUICK=1 runs every part small, as a smoke test.
// The part of RESULTS.md after the "kept across runs" marker is hand-written and preserved.

import * as fs from "fs";
import * as path from "path";
import { measureAnalyze, type LatencyResult } from "./analyze";
import { measureAnalyzeStack, type StackRun } from "./analyze-stack";
import { auditHeader, auditRow, measureAudit, type AuditResult } from "./audit";
import { awsGuardVersion, prepareAwsGuard } from "./awsguard";
import { hoistEnvironmentKey, hoistResourceBuild, serverPath } from "./hoisted-framework";
import { before13, prepareEarlierBuild } from "./earlier-build";
import { describeStack, generateStack } from "./stacks";
import { emptyPackDir, measureStartup, repoRoot, type PackUnderTest, type StartupResult } from "./startup";
import { formatLoad, load, machine, megabytes, processMemory, times, type Machine } from "./stats";

const quick = process.env.BENCH_QUICK === "1";

const plan = quick
    ? { startupRounds: 2, analyzeRequests: 1_000, warmup: 200, stacks: [[1_000, 3], [4_000, 2]] as const, audit: [2_000, 4_000] }
    : { startupRounds: 7, analyzeRequests: 10_000, warmup: 1_000, stacks: [[1_000, 7], [10_000, 9], [50_000, 3]] as const, audit: [20_000, 50_000] };
// The growth target compares the two largest stacks.
const growthSizes = plan.stacks.slice(-2).map(([size]) => size) as [number, number];

const ours: PackUnderTest = { label: "vpce-guard", dir: repoRoot };
const empty: PackUnderTest = { label: "empty pack", dir: emptyPackDir };
const floor: PackUnderTest = { label: "floor pack", dir: path.join(repoRoot, "bench", "fixtures", "floor-pack") };
// The same two packs on @pulumi/policy with the resource build hoisted out of the policy loop.
const hoistEnv = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(repoRoot, "bin", "bench", "hoisted-framework.js")}`.trim(), [hoistEnvironmentKey]: "1" };
const oursHoisted: PackUnderTest = { label: "vpce-guard, hoisted framework", dir: ours.dir, env: hoistEnv };
const floorHoisted: PackUnderTest = { label: "floor pack, hoisted framework", dir: floor.dir, env: hoistEnv };
const awsGuardLabel = `AWSGuard ${awsGuardVersion}, as its template (index.ts, ts-node)`;
const awsGuardPrecompiledLabel = `AWSGuard ${awsGuardVersion}, precompiled (index.js)`;
const template: PackUnderTest = { label: "template TypeScript pack", dir: path.join(repoRoot, "bench", "fixtures", "template-pack") };

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

interface Results {
    machine: Machine;
    loadBefore: number[];
    loadAfter: number[];
    totalSeconds: number;
    startup: StartupResult[];
    awsGuardSkipped?: string;
    earlierSkipped?: string;
    analyze: LatencyResult[];
    analyzeMix: ReturnType<typeof describeStack>;
    stacks: StackRun[];
    stackMix: ReturnType<typeof describeStack>;
    audit: AuditResult[];
}

async function main(): Promise<void> {
    const began = Date.now();
    const info = machine();
    const loadBefore = load();
    log(`${quick ? "QUICK run" : "full run"} on ${info.cpus} × ${info.cpuModel}, load ${formatLoad(loadBefore)}`);

    let t = Date.now();
    const awsGuard = await prepareAwsGuard(repoRoot, log);
    const startupPacks = [ours, empty, template];
    if ("dir" in awsGuard) startupPacks.push({ label: awsGuardLabel, dir: awsGuard.templateDir }, { label: awsGuardPrecompiledLabel, dir: awsGuard.dir });
    else log(`AWSGuard skipped: ${awsGuard.skipped}`);
    log(`1/4 time to port: ${startupPacks.map((p) => p.label).join(", ")}, ${plan.startupRounds} rounds`);
    const startup = await measureStartup(startupPacks, plan.startupRounds, (r) => log(`  round ${r}/${plan.startupRounds}`));
    log(`  done in ${elapsed(t)}`);

    const earlier = prepareEarlierBuild(repoRoot, before13.ref, log);
    const before: PackUnderTest[] = "dir" in earlier ? [{ label: before13.label, dir: earlier.dir }] : [];
    if ("skipped" in earlier) log(`lane "${before13.label}" skipped: ${earlier.skipped}`);

    t = Date.now();
    log(`2/4 Analyze: ${plan.analyzeRequests} requests (+${plan.warmup} warm-up) to each of vpce-guard, empty pack, floor pack${before.length > 0 ? `, ${before13.label}` : ""}`);
    const mix = generateStack(plan.analyzeRequests, { seed: 7 }).resources;
    const analyze = await measureAnalyze([ours, empty, floor, ...before], mix, plan.warmup);
    log(`  done in ${elapsed(t)}`);

    const hoisting = hoistResourceBuild(fs.readFileSync(serverPath(repoRoot), "utf8"));
    if ("skipped" in hoisting) log(`hoisted-framework lanes skipped: ${hoisting.skipped}`);
    const stackPacks = [
        { ...ours, analyzeFirst: true }, { ...empty, analyzeFirst: false }, { ...floor, analyzeFirst: false },
        ...("skipped" in hoisting ? [] : [{ ...oursHoisted, analyzeFirst: true }, { ...floorHoisted, analyzeFirst: false }]),
    ];
    const stacks: StackRun[] = [];
    let stackMix: ReturnType<typeof describeStack> | undefined;
    for (const [size, reps] of plan.stacks) {
        t = Date.now();
        log(`3/4 AnalyzeStack: ${size} resources, ${reps} calls each`);
        const stack = generateStack(size).resources;
        if (size === growthSizes[1]) stackMix = describeStack(stack);
        // The earlier build up to the size the "before" figures were given for (it adds a 3 GB process at 50,000).
        const packs = size <= growthSizes[0] ? [...stackPacks, ...before.map((p) => ({ ...p, analyzeFirst: true }))] : stackPacks;
        stacks.push(await measureAnalyzeStack(
            packs, stack, reps, (pid) => processMemory(pid)?.peak,
        ));
        log(`  done in ${elapsed(t)}`);
    }

    const audit: AuditResult[] = [];
    for (const size of plan.audit) {
        t = Date.now();
        log(`4/4 vpce-guard check on a ${size}-resource export`);
        audit.push(await measureAudit(repoRoot, size));
        log(`  done in ${elapsed(t)}`);
    }

    const results: Results = {
        machine: info, loadBefore, loadAfter: load(), totalSeconds: (Date.now() - began) / 1000,
        startup, analyze, analyzeMix: describeStack(mix), stacks, stackMix: stackMix ?? describeStack([]), audit,
    };
    if ("skipped" in awsGuard) results.awsGuardSkipped = awsGuard.skipped;
    if ("skipped" in earlier) results.earlierSkipped = earlier.skipped;
    const markdown = render(results);
    // A smoke run's figures are not results: they go to .bench/ (git-ignored).
    const file = path.join(repoRoot, quick ? ".bench" : "bench", quick ? "RESULTS.quick.md" : "RESULTS.md");
    fs.mkdirSync(path.join(repoRoot, ".bench"), { recursive: true });
    fs.writeFileSync(file, markdown + keptNotes(file));
    fs.writeFileSync(path.join(repoRoot, ".bench", quick ? "results.quick.json" : "results.json"), `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(targetsTable(results));
    log(`written ${path.relative(process.cwd(), file)} in ${results.totalSeconds.toFixed(0)} s`);
}

// ---------------------------------------------------------------------------------------------
// Targets and the report.

interface Target {
    what: string;
    op: "≤" | "≥";
    bound: number;
    measured: number;
}

function byLabel<T extends { label: string }>(list: readonly T[], label: string): T | undefined {
    return list.find((x) => x.label === label);
}

/** A pack's median AnalyzeStack time at a stack size; NaN when that lane did not run. */
function stackAt(r: Results, size: number, label: string): number {
    return byLabel(r.stacks.find((s) => s.resources === size)?.timings ?? [], label)?.median ?? NaN;
}

/** A pack's Analyze latency percentiles. */
function latency(r: Results, label: string): LatencyResult {
    return byLabel(r.analyze, label)!;
}

const sizeText = (n: number) => n.toLocaleString("en-US");

function targets(r: Results): Target[] {
    const start = (label: string) => byLabel(r.startup, label)?.median ?? NaN;
    const [small, large] = growthSizes;
    return [
        { what: "start, vpce-guard / empty pack", op: "≤", bound: 1.10, measured: start(ours.label) / start(empty.label) },
        { what: "start, AWSGuard / vpce-guard", op: "≥", bound: 2.5, measured: start(awsGuardLabel) / start(ours.label) },
        { what: "Analyze p50, vpce-guard / empty pack", op: "≤", bound: 1.10, measured: latency(r, ours.label).p50 / latency(r, empty.label).p50 },
        { what: "Analyze p99, vpce-guard / empty pack", op: "≤", bound: 1.10, measured: latency(r, ours.label).p99 / latency(r, empty.label).p99 },
        { what: `AnalyzeStack(${sizeText(small)}), vpce-guard / empty pack`, op: "≤", bound: 1.25, measured: stackAt(r, small, ours.label) / stackAt(r, small, empty.label) },
        // Issue #13: Analyze p50 and AnalyzeStack within 1.10× of before it, measured beside it.
        { what: `Analyze p50, vpce-guard / ${before13.label}`, op: "≤", bound: 1.10, measured: latency(r, ours.label).p50 / (byLabel(r.analyze, before13.label)?.p50 ?? NaN) },
        { what: `AnalyzeStack(${sizeText(small)}), vpce-guard / ${before13.label}`, op: "≤", bound: 1.10, measured: stackAt(r, small, ours.label) / stackAt(r, small, before13.label) },
        { what: `AnalyzeStack time(${sizeText(large)}) / time(${sizeText(small)}), vpce-guard`, op: "≤", bound: 5.5, measured: stackAt(r, large, ours.label) / stackAt(r, small, ours.label) },
        ...r.audit.flatMap((a): Target[] => [
            { what: `check, ${sizeText(a.resources)} resources: wall time (s)`, op: "≤", bound: a.resources <= 20_000 ? 16 : 40, measured: a.wallMs / 1000 },
            ...(a.resources >= 50_000 ? [
                { what: `check, ${sizeText(a.resources)} resources: CLI peak RSS (MiB)`, op: "≤" as const, bound: 1024, measured: (a.cliPeakRss ?? NaN) / 2 ** 20 },
                { what: `check, ${sizeText(a.resources)} resources: CLI CPU / wall time`, op: "≤" as const, bound: 0.25, measured: (a.cliCpuMs ?? NaN) / a.wallMs },
                { what: `check, ${sizeText(a.resources)} resources: wall time the CLI works alone / wall time`, op: "≤" as const, bound: 0.25, measured: (a.cliAloneMs ?? NaN) / a.wallMs },
            ] : []),
        ]),
    ];
}

function passes(t: Target): boolean | undefined {
    if (!Number.isFinite(t.measured)) return undefined;
    return t.op === "≤" ? t.measured <= t.bound : t.measured >= t.bound;
}

/** The same ratios for the floor pack: what @pulumi/policy costs a pack shaped like ours. */
function floorRatios(r: Results): string[] {
    const [small, large] = growthSizes;
    return [
        `Analyze p50 ${times(latency(r, floor.label).p50 / latency(r, empty.label).p50)}, p99 ${times(latency(r, floor.label).p99 / latency(r, empty.label).p99)}`,
        `AnalyzeStack(${sizeText(small)}) ${times(stackAt(r, small, floor.label) / stackAt(r, small, empty.label))}`,
        `time(${sizeText(large)}) / time(${sizeText(small)}) ${(stackAt(r, large, floor.label) / stackAt(r, small, floor.label)).toFixed(2)}`,
        `(empty pack: ${(stackAt(r, large, empty.label) / stackAt(r, small, empty.label)).toFixed(2)})`,
    ];
}

/** AnalyzeStack ratios on @pulumi/policy with its resource build hoisted; empty when the lanes did not run. */
function hoistedRatios(r: Results): string[] {
    const [small, large] = growthSizes;
    if (!Number.isFinite(stackAt(r, small, oursHoisted.label))) return [];
    return [
        `AnalyzeStack(${sizeText(small)}) / empty pack: vpce-guard ${times(stackAt(r, small, oursHoisted.label) / stackAt(r, small, empty.label))}, floor pack ${times(stackAt(r, small, floorHoisted.label) / stackAt(r, small, empty.label))}`,
        `time(${sizeText(large)}) / time(${sizeText(small)}), vpce-guard ${(stackAt(r, large, oursHoisted.label) / stackAt(r, small, oursHoisted.label)).toFixed(2)}`,
    ];
}

function targetsTable(r: Results): string {
    const rows = targets(r).map((t) => {
        const pass = passes(t);
        return `| ${t.what} | ${t.op} ${t.bound.toFixed(t.bound < 2 ? 2 : 1)} | ${Number.isFinite(t.measured) ? t.measured.toFixed(2) : "skipped"} | ${pass === undefined ? "–" : pass ? "pass" : "**miss**"} |`;
    });
    return [
        "| target | wanted | measured | |",
        "|---|---|---|---|",
        ...rows,
        "",
        `Floor pack (vpce-guard's 16 policies, empty bodies) in the same run: ${floorRatios(r).join("; ")}.`,
        "",
        ...(hoistedRatios(r).length === 0 ? [] : [
            `On @pulumi/policy with the per-policy resource build hoisted out of its policy loop (\`bench/hoisted-framework.ts\`, the upstream change we would propose; bench only): ${hoistedRatios(r).join("; ")}.`,
            "",
        ]),
    ].join("\n");
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–");

function render(r: Results): string {
    const m = r.machine;
    const out: string[] = [];
    out.push(
        "# vpce-guard benchmarks",
        "",
        `Generated by \`npm run bench\`${quick ? " with BENCH_QUICK=1 (a smoke run: small sizes, few rounds; not for comparison)" : ""}. Do not edit above the marker at the end; it is rewritten on every run.`,
        "",
        `- Date: ${m.date}`,
        `- Machine: ${m.cpus} CPUs (nproc), ${m.cpuModel}, ${m.memory} memory, ${m.os}`,
        `- Node ${m.node}; @pulumi/pulumi 3.248.0, @pulumi/policy 1.21.0`,
        `- Load average (1 / 5 / 15 min): ${formatLoad(r.loadBefore)} before, ${formatLoad(r.loadAfter)} after; whole run ${fmt(r.totalSeconds)} s`,
        "",
        "Packs: **vpce-guard** (this repository, built: `main` is `bin/index.js`); the **empty pack** (`test/fixtures/empty-pack`, no policies: the cost of `@pulumi/policy` alone); the **floor pack** (`bench/fixtures/floor-pack`: vpce-guard's 16 policies with empty bodies and the same shared deserialization — what the framework costs a pack of this shape before any rule runs); a **template TypeScript pack** (`bench/fixtures/template-pack`, `pulumi policy new aws-typescript` style: ts-node at start, `import * as aws from \"@pulumi/aws\"`, two `validateResourceOfType` policies); **AWSGuard** " + awsGuardVersion + " (installed by the bench into `.bench/awsguard` with the same @pulumi/pulumi and @pulumi/policy, `new AwsGuard({ all: \"advisory\" })`) in two lanes: as its template (`pulumi/templates-policy` `awsguard-typescript`) sets it up — an `index.ts` and no `main`, so run-policy-pack's ts-node compiles it at every start (`.bench/awsguard-template`) — and precompiled to an `index.js`. **" + before13.label + "**: this repository as it was before issue #13 (effect model, two more stack policies), built by the bench from git into `.bench/` (`bench/earlier-build.ts`), measured beside the others for Analyze and up to 10,000 resources, so that \"within 1.10× of before\" compares figures of one run.",
        "",
        "## Targets",
        "",
        targetsTable(r),
    );

    out.push("## 1. Time to port", "", `Spawn of \`node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack\` until the port line, as the CLI starts a pack; ${plan.startupRounds} rounds, packs in turn, one unmeasured start each first.`, "");
    out.push("| pack | median | min | max | × empty pack |", "|---|---|---|---|---|");
    const emptyStart = byLabel(r.startup, empty.label)!.median;
    for (const s of r.startup) {
        out.push(`| ${s.label} | ${fmt(s.median)} ms | ${fmt(Math.min(...s.samples))} ms | ${fmt(Math.max(...s.samples))} ms | ${(s.median / emptyStart).toFixed(2)} |`);
    }
    if (r.awsGuardSkipped) out.push("", `AWSGuard skipped: ${r.awsGuardSkipped}`);
    if (r.earlierSkipped) out.push("", `${before13.label} skipped: ${r.earlierSkipped}`);
    out.push("");

    out.push(
        "## 2. Analyze latency", "",
        `${fmt(r.analyze[0] ? plan.analyzeRequests : 0)} requests (after ${fmt(plan.warmup)} warm-up requests), each sent to every pack in turn, pre-serialized and timed at the client from send to response (gRPC on 127.0.0.1). The mix is the inputs of a generated stack (\`bench/stacks.ts\`): ${mixLine(r.analyzeMix)}.`, "",
        "| pack | p50 | p90 | p99 | mean |", "|---|---|---|---|---|",
    );
    for (const a of r.analyze) out.push(`| ${a.label} | ${fmt(a.p50, 3)} ms | ${fmt(a.p90, 3)} ms | ${fmt(a.p99, 3)} ms | ${fmt(a.mean, 3)} ms |`);
    out.push("", "By kind of request (p50 / p99):", "", `| kind | requests | ${r.analyze.map((a) => a.label).join(" | ")} |`, `|---|---|${r.analyze.map(() => "---").join("|")}|`);
    for (const c of Object.keys(r.analyze[0]?.byClass ?? {})) {
        out.push(`| ${c} | ${r.analyze[0].byClass[c].count} | ${r.analyze.map((a) => `${fmt(a.byClass[c].p50, 3)} / ${fmt(a.byClass[c].p99, 3)} ms`).join(" | ")} |`);
    }
    out.push("");

    out.push(
        "## 3. AnalyzeStack at scale", "",
        `Generated deployed stacks (\`bench/stacks.ts\`; at ${fmt(growthSizes[1])} resources: ${mixLine(r.stackMix)}), linked by \`propertyDependencies\`, each resource with its provider. Fresh pack processes per size; vpce-guard first gets Analyze on every resource's inputs (as the engine sends them before AnalyzeStack), the others do not need it. Then the same pre-serialized request to each pack in turn; medians. The two "hoisted framework" packs run on @pulumi/policy with its resource build moved out of the loop over stack policies (\`bench/hoisted-framework.ts\`, preloaded; bench only).`, "",
        "| resources | request | pack | median | calls | × empty pack | violations | peak RSS |", "|---|---|---|---|---|---|---|---|",
    );
    for (const s of r.stacks) {
        const e = byLabel(s.timings, empty.label)!.median;
        for (const t of s.timings) {
            out.push(`| ${fmt(s.resources)} | ${megabytes(s.requestBytes)} | ${t.label} | ${fmt(t.median)} ms | ${t.samples.map((x) => fmt(x)).join(", ")} | ${(t.median / e).toFixed(2)} | ${fmt(t.diagnostics)} | ${t.peakRss === undefined ? "–" : megabytes(t.peakRss)} |`);
        }
    }
    out.push("");
    const growth = (label: string) => (stackAt(r, growthSizes[1], label) / stackAt(r, growthSizes[0], label)).toFixed(2);
    out.push(`Growth from ${fmt(growthSizes[0])} to ${fmt(growthSizes[1])} resources (${(growthSizes[1] / growthSizes[0]).toFixed(0)}× the resources): vpce-guard ${growth(ours.label)}×, floor pack ${growth(floor.label)}×, empty pack ${growth(empty.label)}×.`, "");

    out.push(
        "## 4. Offline audit", "",
        `\`node bin/cli/main.js check .bench/stack-<n>.export.json --format json --output … --exit-zero\` as a child process: reading a \`pulumi stack export\` (${r.audit.map((a) => `${megabytes(a.exportBytes)} for ${fmt(a.resources)} resources`).join(", ")}), starting the pack, Analyze on each resource, AnalyzeStack, the report. Memory (VmHWM) and CPU time (user + system) of each process from /proc, sampled every 100 ms; "both at once" is the largest sum of their resident sets; "CLI alone" sums the 100 ms intervals in which the CLI used at least half a core and the pack less than a tenth (reading the file, building the AnalyzeStack request, the report: what the CLI adds to the wall time, where its CPU time also counts the marshalling done while the pack works).`, "",
        ...auditHeader,
        ...r.audit.map((a) => auditRow("this checkout", a)),
        "",
    );
    return out.join("\n");
}

function mixLine(mix: ReturnType<typeof describeStack>): string {
    const types = Object.entries(mix.types).sort((x, y) => y[1] - x[1]).map(([t, n]) => `${fmt(n)} ${t}`).join(", ");
    return `${types}; ${fmt(mix.documents.count)} policy documents as inputs, median ${fmt(mix.documents.medianBytes)} B, largest ${fmt(mix.documents.maxBytes)} B`;
}

const marker = "<!-- Kept across runs: everything below is written by hand. -->";

function keptNotes(file: string): string {
    try {
        const text = fs.readFileSync(file, "utf8");
        const at = text.indexOf(marker);
        if (at >= 0) return text.slice(at);
    } catch {
        // First run.
    }
    return `${marker}\n`;
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
});
