// Time to port of a policy pack against the empty pack (the cost of @pulumi/policy alone):
// N interleaved starts of each (A B A B ...), medians and their ratio.
//
//   node bin/bench/startup.js <pack-dir> [N=11]

import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess } from "../engine";

function findEmptyPack(): string {
    // From bench/ (ts-node) or bin/bench/ (compiled), the fixture is under the repo's test/.
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "test", "fixtures", "empty-pack");
        if (fs.existsSync(path.join(candidate, "PulumiPolicy.yaml"))) return candidate;
        if (path.dirname(dir) === dir) throw new Error("test/fixtures/empty-pack not found above " + __dirname);
    }
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timeToPort(dir: string): Promise<number> {
    const pack = await PolicyPackProcess.start(dir);
    await pack.close();
    return pack.startupMs;
}

async function main(): Promise<void> {
    const [target, countArg] = process.argv.slice(2);
    if (!target) {
        console.error("usage: node bin/bench/startup.js <pack-dir> [N=11]");
        process.exit(2);
    }
    const n = countArg === undefined ? 11 : Number(countArg);
    if (!Number.isInteger(n) || n < 1) throw new Error(`N must be a positive integer (got ${countArg})`);

    const packDir = path.resolve(target);
    const emptyDir = findEmptyPack();
    const pack: number[] = [];
    const empty: number[] = [];
    for (let i = 0; i < n; i++) {
        pack.push(await timeToPort(packDir));
        empty.push(await timeToPort(emptyDir));
    }

    const packMedian = median(pack);
    const emptyMedian = median(empty);
    const label = path.relative(process.cwd(), packDir) || ".";
    console.log(`time to port, median of ${n} interleaved starts each`);
    console.log(`  ${label}: ${packMedian.toFixed(0)} ms   (min ${Math.min(...pack).toFixed(0)}, max ${Math.max(...pack).toFixed(0)})`);
    console.log(`  empty-pack: ${emptyMedian.toFixed(0)} ms   (min ${Math.min(...empty).toFixed(0)}, max ${Math.max(...empty).toFixed(0)})`);
    console.log(`  ratio: ${(packMedian / emptyMedian).toFixed(2)}x`);
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
});
