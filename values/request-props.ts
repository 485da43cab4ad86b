// Props objects that stand for one resource of one Analyzer request. @pulumi/policy deserializes a
// request's protobuf Structs and wraps each result in an unknown-checking proxy; with the memos of
// framework/framework-cache.ts that proxy is one object per Struct, and a Struct belongs to one
// resource of one request. So two stacks whose resources hold the same such proxy are the same
// request's stack: a stack rule can know the stack of the previous policy without comparing every
// resource. Plain objects (a library caller's, the tests') are never in this set.

const requestProxies = new WeakSet<object>();

/** Records a proxy made for the props deserialized from a request's Struct. */
export function markRequestProps(proxy: object): void {
    requestProxies.add(proxy);
}

/** Whether `props` is such a proxy. */
export function isRequestProps(props: unknown): boolean {
    return props !== null && typeof props === "object" && requestProxies.has(props);
}
