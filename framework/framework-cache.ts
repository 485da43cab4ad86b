// One deserialization per resource instead of one per policy. @pulumi/policy's server turns each
// resource's protobuf Struct into JS again for every policy it runs (5 resource policies per
// Analyze, 9 stack policies per AnalyzeStack); it looks `deserializeProperties` up on its
// `./deserialize` module's exports at each call, so a memo installed there (keyed by the Struct,
// which the request owns and the server hands to every policy) gives every policy the same
// result object. Our rules only read props (tests freeze them), so sharing is safe; stack graphs
// and parsed documents are then shared by identity too. Secret-proxying calls (Remediate) are
// passed through untouched. If the module or export is not what this expects, nothing changes.
//
// The same for the unknown-checking proxy the server wraps each deserialized props object in, per
// policy (`./proxy`'s `unknownCheckingProxy`, also looked up at each call): the proxy keeps no
// state (its get trap reads the object it wraps), so one per props object serves every policy, and
// a stack rule then knows the stack it saw in the previous policy by identity alone.

import { hideOn } from "../values/hidden-property";
import { markRequestProps } from "../values/request-props";

type Deserialize = (struct: unknown, proxySecrets: boolean) => unknown;
type Wrap = (target: unknown) => unknown;

const sharedMark = Symbol.for("vpce-guard.sharedDeserializeProperties");

// Where a memo keeps its result: on the key object itself (values/hidden-property.ts; as WeakMaps
// keyed by every Struct of a large request, the two memos cost ~40 ms per 10,000-resource
// AnalyzeStack each). An object that cannot take the property (frozen) uses the map.
function memo(key: object, slot: symbol, fallback: WeakMap<object, unknown>, make: () => unknown): unknown {
    const kept = (key as Record<symbol, unknown>)[slot];
    if (kept !== undefined) return kept;
    if (fallback.has(key)) return fallback.get(key);
    const value = make();
    if (value !== undefined && !hideOn(key, slot, value)) fallback.set(key, value);
    return value;
}

const proxySlot = Symbol("vpce-guard.unknownCheckingProxy");
const propsSlot = Symbol("vpce-guard.deserializedProperties");

/**
 * Installs the memos on the `@pulumi/policy` copy this package resolves. Returns whether the
 * deserialization memo is in place (true when it already was); the proxy memo is an extra.
 */
export function shareDeserializedProperties(): boolean {
    install("@pulumi/policy/proxy", "unknownCheckingProxy", (original) => {
        const wrap = original as Wrap;
        const proxies = new WeakMap<object, unknown>();
        return function (this: unknown, target: unknown): unknown {
            if (target === null || typeof target !== "object") return wrap.call(this, target);
            return memo(target, proxySlot, proxies, () => wrap.call(this, target));
        };
    });
    return install("@pulumi/policy/deserialize", "deserializeProperties", (original) => {
        const deserialize = original as Deserialize;
        const results = new WeakMap<object, unknown>();
        return function (this: unknown, struct: unknown, proxySecrets: boolean): unknown {
            if (proxySecrets || struct === null || typeof struct !== "object") return deserialize.call(this, struct, proxySecrets);
            return memo(struct, propsSlot, results, () => {
                const props = deserialize.call(this, struct, proxySecrets);
                if (props !== null && typeof props === "object") markRequestProps(props);
                return props;
            });
        };
    });
}

/**
 * Replaces a module's exported function (which the server looks up at each call) with `share(it)`,
 * once. Returns whether the shared one is in place; false, changing nothing, when the module or
 * export is not what this expects.
 */
function install(modulePath: string, name: string, share: (original: Function) => Function): boolean {
    let mod: Record<string, unknown>;
    try {
        mod = require(modulePath) as Record<string, unknown>;
    } catch {
        return false;
    }
    const original = mod[name];
    if (typeof original !== "function") return false;
    if ((original as unknown as Record<symbol, unknown>)[sharedMark] === true) return true;
    const shared = share(original);
    Object.defineProperty(shared, sharedMark, { value: true });
    try {
        mod[name] = shared;
    } catch {
        return false;
    }
    return mod[name] === shared;
}
