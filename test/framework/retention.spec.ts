// A pack process lives for a whole `pulumi preview` or `up`, and run-policy-pack turns the inspector's
// Debugger on at start, so V8 records which suspended function awaits each promise. Nothing the
// rules cache may keep a finished stack check, and through it the stack it was given, alive.

import * as assert from "assert";
import * as inspector from "inspector";
import * as v8 from "v8";
import * as vm from "vm";
import { generateStack } from "../../bench/stacks";
import type { GraphResource } from "../../stack/stack-graph";
import { stackPolicies } from "../properties/harness";

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

function post(session: inspector.Session, method: string): Promise<void> {
    return new Promise((resolve, reject) => session.post(method, (err) => (err ? reject(err) : resolve())));
}

async function checkedStack(seed: number): Promise<WeakRef<GraphResource[]>> {
    const resources: GraphResource[] = generateStack(200, { seed }).resources.map((r) => ({
        type: r.type, urn: r.urn, props: structuredClone(r.outputs ?? r.inputs), propertyDependencies: r.propertyDependencies,
    }));
    for (const p of stackPolicies) await p.evaluate(resources);
    return new WeakRef(resources);
}

describe("what a finished stack check leaves behind", function () {
    this.timeout(60_000);

    it("nothing of the stack, with the Debugger on as run-policy-pack has it", async function () {
        const session = new inspector.Session();
        session.connect();
        await post(session, "Debugger.enable");
        try {
            const first = await checkedStack(11);
            const second = await checkedStack(12);
            await new Promise((resolve) => setImmediate(resolve));
            collectGarbage();
            collectGarbage();
            assert.strictEqual(first.deref(), undefined, "the first stack is still reachable after both checks ended");
            assert.strictEqual(second.deref(), undefined, "the last stack is still reachable after its check ended");
        } finally {
            await post(session, "Debugger.disable");
            session.disconnect();
        }
    });
});
