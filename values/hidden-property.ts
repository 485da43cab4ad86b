// A value kept on an object under a symbol of ours, non-enumerable: no key listing, spread, JSON or
// serializer sees it, and reading it back is a property load (much cheaper than a WeakMap lookup
// once the map holds every object of a large request). Configurable, so a proxy's invariants never
// bind its get trap to it.

/** Keeps `value` on `target` under `slot`; false (nothing kept) when `target` cannot take it (frozen, or a proxy that refuses). */
export function hideOn(target: object, slot: symbol, value: unknown): boolean {
    if (!Object.isExtensible(target)) return false;
    try {
        Object.defineProperty(target, slot, { value, enumerable: false, writable: false, configurable: true });
        return true;
    } catch {
        return false;
    }
}
