// Preloaded into a pack process (`NODE_OPTIONS=--require …/cpu-profile-hook.js`, since Node 20
// refuses `--cpu-prof` there): samples the CPU and writes `pack-<pid>-<n>.cpuprofile` (Chrome
// DevTools format) into `VPCE_GUARD_CPU_PROFILE_DIR`. Sampling runs from the pack's first line
// until the engine module ends it with SIGTERM; with `VPCE_GUARD_CPU_PROFILE_ON=signal` it runs
// only between two SIGUSR2s (so one phase of a run can be profiled), as often as sent.

import * as fs from "fs";
import * as inspector from "inspector";
import * as path from "path";

const dir = process.env.VPCE_GUARD_CPU_PROFILE_DIR ?? process.cwd();
const session = new inspector.Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 500 });
let running = false;
let written = 0;

function start(): void {
    session.post("Profiler.start");
    running = true;
}

function stop(then: () => void): void {
    if (!running) return then();
    running = false;
    session.post("Profiler.stop", (err, result) => {
        if (!err) {
            fs.mkdirSync(dir, { recursive: true });
            fs.writeFileSync(path.join(dir, `pack-${process.pid}-${++written}.cpuprofile`), JSON.stringify(result.profile));
        }
        then();
    });
}

if (process.env.VPCE_GUARD_CPU_PROFILE_ON === "signal") {
    process.on("SIGUSR2", () => (running ? stop(() => undefined) : start()));
} else {
    start();
}
process.on("SIGTERM", () => stop(() => process.exit(0)));
