// Props objects that stand for one resource of one Analyzer request. @pulumi/policy deserializes a
// request's protobuf Structs and wraps each result in an unknown-checking proxy; with the memos of
// framework/framework-cache.ts the result is one object per Struct, its proxy one object per
// result, and a Struct belongs to one resource of one request. So two stacks whose resources hold
// the same such proxy are the same request's stack: a stack rule can know the stack of the
// previous policy without comparing every resource. The mark is a non-enumerable symbol on the
// deserialized object (no key listing, spread or JSON sees it); a proxy's get trap reads it from
// the object it wraps. Plain objects (a library caller's, the tests') never carry it.

import { hideOn } from "./hidden-property";

const fromRequest = Symbol("vpce-guard.fromRequest");

/** Marks the props deserialized from a request's Struct; one that cannot take the mark is compared resource by resource. */
export function markRequestProps(props: object): void {
    hideOn(props, fromRequest, true);
}

/** Whether `props` (or the object a proxy wraps) carries the mark. */
export function isRequestProps(props: unknown): boolean {
    if (props === null || typeof props !== "object") return false;
    try {
        return (props as Record<symbol, unknown>)[fromRequest] === true;
    } catch {
        return false;
    }
}
