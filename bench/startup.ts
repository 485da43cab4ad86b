// Time to port: spawn through @pulumi/pulumi/cmd/run-policy-pack (as the Pulumi CLI does) until the
// pack prints its port. Several packs, started in turn (A B C A B C …, the order rotated each
// round), so all of them see the same machine.
//
//   node bin/bench/startup.js <pack-dir> [N=11]     one pack against the empty pack

import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess } from "../engine";
import { median } from "./stats";

export interface PackUnderTest {
    label: string;
    dir: string;
    /** Added to the pack process's environment (the bench's own preloads). */
    env?: NodeJS.ProcessEnv;
}

/** Start options for a pack under test. */
export const startOptions = (p: PackUnderTest) => (p.env ? { env: { ...process.env, ...p.env } } : {});

export interface StartupResult {
    label: string;
    samples: number[];
    median: number;
}

async function timeToPort(p: PackUnderTest): Promise<number> {
    const pack = await PolicyPackProcess.start(p.dir, startOptions(p));
    await pack.close();
    return pack.startupMs;
}

export async function measureStartup(packs: readonly PackUnderTest[], rounds: number, onRound?: (round: number) => void): Promise<StartupResult[]> {
    const samples = packs.map(() => [] as number[]);
    // One unmeasured start each: the first start of a pack pays for a cold file cache.
    for (const p of packs) await timeToPort(p);
    for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < packs.length; k++) {
            const i = (round + k) % packs.length;
            samples[i].push(await timeToPort(packs[i]));
        }
        onRound?.(round + 1);
    }
    return packs.map((p, i) => ({ label: p.label, samples: samples[i], median: median(samples[i]) }));
}

/** The repository: the nearest directory above this file with the pack's PulumiPolicy.yaml (bench/ or bin/bench/). */
export const repoRoot = ((): string => {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "PulumiPolicy.yaml")) && fs.existsSync(path.join(dir, "package.json"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`the vpce-guard repository was not found above ${__dirname}`);
    }
})();
export const emptyPackDir = path.join(repoRoot, "test", "fixtures", "empty-pack");

async function main(): Promise<void> {
    const [target, countArg] = process.argv.slice(2);
    if (!target) {
        console.error("usage: node bin/bench/startup.js <pack-dir> [N=11]");
        process.exit(2);
    }
    const n = countArg === undefined ? 11 : Number(countArg);
    if (!Number.isInteger(n) || n < 1) throw new Error(`N must be a positive integer (got ${countArg})`);
    const [pack, empty] = await measureStartup([{ label: target, dir: path.resolve(target) }, { label: "empty-pack", dir: emptyPackDir }], n);
    console.log(`time to port, median of ${n} interleaved starts each`);
    for (const r of [pack, empty]) {
        console.log(`  ${r.label}: ${r.median.toFixed(0)} ms   (min ${Math.min(...r.samples).toFixed(0)}, max ${Math.max(...r.samples).toFixed(0)})`);
    }
    console.log(`  ratio: ${(pack.median / empty.median).toFixed(2)}x`);
}

if (require.main === module) {
    main().catch((e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
    });
}
