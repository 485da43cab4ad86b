// `npm start`: runs the bundled example stack through the built pack the way `pulumi preview`
// does (Analyze on inputs, then AnalyzeStack on outputs) and prints the violations by resource.
// A demonstration: it exits 0 whatever it finds.

import * as path from "path";
import { runPolicyPack } from "../engine";
import { formatTextReport } from "../report/text";
import { exampleStack, exampleStackName } from "./stack";

async function main(): Promise<void> {
    const packDir = path.resolve(__dirname, "..", "..");
    const result = await runPolicyPack(packDir, exampleStack);
    console.log(formatTextReport({
        packName: result.info.name,
        packVersion: result.info.version,
        subject: `${exampleStackName} (examples/stack.ts, preview)`,
        resourceCount: exampleStack.length,
    }, result.diagnostics));
}

main().catch((e: unknown) => {
    console.error(`npm start: could not run the example: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
});
