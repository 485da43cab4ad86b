// CIDR blocks as security group rules and VPCs hold them: parsing, containment and overlap over
// real addresses (ipaddr.js), for IPv4 and IPv6. Nothing here throws; text that is not a CIDR
// AWS would accept parses to undefined and is ignored by the callers.

import * as ipaddr from "ipaddr.js";

export type IpFamily = "ipv4" | "ipv6";

export interface Cidr {
    family: IpFamily;
    /** The network address as written (host bits, if any, are ignored by every comparison). */
    address: ipaddr.IPv4 | ipaddr.IPv6;
    prefix: number;
    /** The text it was parsed from, for messages. */
    text: string;
}

// Four decimal octets without leading zeros (ipaddr.js would read `010` as octal, AWS and Go's
// net.ParseCIDR reject it) and a prefix 0–32 written without leading zeros.
const ipv4CidrSyntax = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}\/(\d|[12]\d|3[0-2])$/;
const ipv6PrefixSyntax = /\/(\d|[1-9]\d|1[01]\d|12[0-8])$/;

/** Parses `a.b.c.d/n` or an IPv6 `addr/n`; undefined for anything else (never throws). */
export function parseCidr(text: unknown): Cidr | undefined {
    if (typeof text !== "string" || text.length > 64) return undefined;
    try {
        if (ipv4CidrSyntax.test(text)) {
            const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
            return { family: "ipv4", address, prefix, text };
        }
        // A zone id (`fe80::1%eth0`) is not part of a CIDR block.
        if (text.includes(":") && !text.includes("%") && ipv6PrefixSyntax.test(text)) {
            const [address, prefix] = ipaddr.IPv6.parseCIDR(text);
            return { family: "ipv6", address, prefix, text };
        }
    } catch {
        // Not a CIDR: ignored.
    }
    return undefined;
}

/** True when every address of `inner` is in `outer` (same family only). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
    return sameNetwork(inner, outer);
}

/** True when the two blocks share at least one address (CIDR blocks are nested or disjoint). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    return a.family === b.family && sameNetwork(a.prefix >= b.prefix ? a : b, a.prefix >= b.prefix ? b : a);
}

/** True when `narrow`'s network lies in `wide` (the caller ensures same family, `wide.prefix <= narrow.prefix`). */
function sameNetwork(narrow: Cidr, wide: Cidr): boolean {
    if (narrow.address.kind() === "ipv4" && wide.address.kind() === "ipv4") {
        return (narrow.address as ipaddr.IPv4).match(wide.address as ipaddr.IPv4, wide.prefix);
    }
    if (narrow.address.kind() === "ipv6" && wide.address.kind() === "ipv6") {
        return (narrow.address as ipaddr.IPv6).match(wide.address as ipaddr.IPv6, wide.prefix);
    }
    return false;
}

function fixed(text: string): Cidr {
    const cidr = parseCidr(text);
    if (cidr === undefined) throw new Error(`bad built-in CIDR ${text}`);
    return cidr;
}

export const ipv4World: Cidr = fixed("0.0.0.0/0");
export const ipv6World: Cidr = fixed("::/0");

/**
 * Address space a VPC's own addresses come from when nothing more is known: RFC 1918, the
 * RFC 6598 shared space 100.64.0.0/10 (AWS accepts it as a VPC or secondary CIDR, and EKS pod
 * networks commonly use it), and IPv6 unique-local fc00::/7. Amazon-provided IPv6 blocks are
 * global unicast and cannot be told from the internet without the VPC's own block.
 */
export const privateRanges: readonly Cidr[] = [
    fixed("10.0.0.0/8"),
    fixed("172.16.0.0/12"),
    fixed("192.168.0.0/16"),
    fixed("100.64.0.0/10"),
    fixed("fc00::/7"),
];

/** True when the block lies entirely inside one private range. */
export function isPrivate(cidr: Cidr): boolean {
    return privateRanges.some((range) => cidrContains(range, cidr));
}

/** True when the block shares an address with some private range (so `0.0.0.0/0` does too). */
export function overlapsPrivate(cidr: Cidr): boolean {
    return privateRanges.some((range) => cidrsOverlap(range, cidr));
}

/** True for a prefix-length-0 block: `0.0.0.0/0` or `::/0` (every address of its family). */
export function isWorld(cidr: Cidr): boolean {
    return cidr.prefix === 0;
}

/** True when the block covers all of IPv4 (`0.0.0.0/0`, however it is written). */
export function coversIpv4World(cidr: Cidr): boolean {
    return cidr.family === "ipv4" && cidr.prefix === 0;
}
