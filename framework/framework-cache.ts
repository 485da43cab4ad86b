// One deserialization per resource instead of one per policy. @pulumi/policy's server turns each
// resource's protobuf Struct into JS again for every policy it runs (5 resource policies per
// Analyze, 9 stack policies per AnalyzeStack); it looks `deserializeProperties` up on its
// `./deserialize` module's exports at each call, so a memo installed there (keyed by the Struct,
// which the request owns and the server hands to every policy) gives every policy the same
// result object. Our rules only read props (tests freeze them), so sharing is safe; stack graphs
// and parsed documents are then shared by identity too. Secret-proxying calls (Remediate) are
// passed through untouched. If the module or export is not what this expects, nothing changes.

interface DeserializeModule {
    deserializeProperties?: unknown;
}

type Deserialize = (struct: unknown, proxySecrets: boolean) => unknown;

const sharedMark = Symbol.for("vpce-guard.sharedDeserializeProperties");

/**
 * Installs the memo on the `@pulumi/policy` copy this package resolves. Returns whether it is in
 * place (true when it already was).
 */
export function shareDeserializedProperties(): boolean {
    let mod: DeserializeModule;
    try {
        mod = require("@pulumi/policy/deserialize") as DeserializeModule;
    } catch {
        return false;
    }
    const original = mod.deserializeProperties;
    if (typeof original !== "function") return false;
    if ((original as unknown as Record<symbol, unknown>)[sharedMark] === true) return true;

    const deserialize = original as Deserialize;
    const results = new WeakMap<object, unknown>();
    const shared = function (this: unknown, struct: unknown, proxySecrets: boolean): unknown {
        if (proxySecrets || struct === null || typeof struct !== "object") return deserialize.call(this, struct, proxySecrets);
        if (results.has(struct)) return results.get(struct);
        const props = deserialize.call(this, struct, proxySecrets);
        results.set(struct, props);
        return props;
    };
    Object.defineProperty(shared, sharedMark, { value: true });
    try {
        mod.deserializeProperties = shared;
    } catch {
        return false;
    }
    return mod.deserializeProperties === shared;
}
