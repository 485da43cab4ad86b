// Unknown values: the sentinel strings the Pulumi engine sends in preview for values that are
// computed later. The one place the pack recognises them, without touching the props proxy.

import { types } from "util";

/** The engine's sentinels, one per kind (pulumi/pulumi sdk/go/common/resource/plugin/rpc.go). */
export const UnknownSentinel = {
    string: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    asset: "030794c1-ac77-496b-92df-f27374a8bd58",
    archive: "e48ece36-62e2-4504-bad9-02848725956a",
} as const;

export type UnknownKind = keyof typeof UnknownSentinel;

const sentinels: ReadonlySet<unknown> = new Set(Object.values(UnknownSentinel));

/** True when `value` is one of the engine's unknown sentinels. */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && value.length === 36 && sentinels.has(value);
}

/** True when `value` is unknown or holds an unknown anywhere inside it. Iterative: any depth. */
export function containsUnknown(value: unknown): boolean {
    const pending: unknown[] = [value];
    while (pending.length > 0) {
        const v = pending.pop();
        if (typeof v === "string") {
            if (isUnknown(v)) return true;
        } else if (Array.isArray(v)) {
            for (const e of v) pending.push(e);
        } else if (v !== null && typeof v === "object") {
            for (const k of Object.keys(v)) pending.push((v as Record<string, unknown>)[k]);
        }
    }
    return false;
}

// The framework's proxy answers this key with the object it wraps (@pulumi/policy proxy.ts).
const proxyTargetKey = "__getSpecialProxyTarget";

/**
 * The plain object behind the framework's unknown-checking proxy. Reading through the proxy throws
 * on an unknown value, which the framework turns into its "can't run policy during preview" note;
 * the rules read the plain object and decide about unknowns themselves.
 */
export function unwrapProps(props: unknown): Record<string, unknown> {
    if (props === null || typeof props !== "object") return {};
    // Only a proxy answers the key from a trap; a plain object may hold a key of that name itself.
    if (!types.isProxy(props)) return props as Record<string, unknown>;
    const target = (props as Record<string, unknown>)[proxyTargetKey];
    const plain = target !== undefined && target !== null && typeof target === "object" ? target : props;
    return plain as Record<string, unknown>;
}
