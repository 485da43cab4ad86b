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
    return unionCovers([cidr], ipv4World);
}

/**
 * True when the blocks together hold every address of `target` (`0.0.0.0/1` plus `128.0.0.0/1`
 * cover `0.0.0.0/0`). Blocks of the other family count for nothing. Splits `target` in halves only
 * where blocks lie strictly inside it, so the work grows with the blocks, not with the address space.
 */
export function unionCovers(blocks: readonly Cidr[], target: Cidr): boolean {
    return covered(blocks.filter((b) => cidrsOverlap(b, target)), network(target));
}

function covered(blocks: readonly Cidr[], target: Cidr): boolean {
    if (blocks.some((b) => cidrContains(b, target))) return true;
    // Blocks are nested or disjoint: those left overlapping lie strictly inside `target`.
    const inside = blocks.filter((b) => cidrsOverlap(b, target));
    if (inside.length === 0) return false;
    const [low, high] = halves(target);
    return covered(inside, low) && covered(inside, high);
}

/** The block with its host bits cleared. */
function network(cidr: Cidr): Cidr {
    const bytes = cidr.address.toByteArray();
    for (let bit = cidr.prefix; bit < bytes.length * 8; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
    return withBytes(bytes, cidr.prefix, cidr.family);
}

/** The two blocks one bit longer that make up `cidr` (whose host bits are clear). */
function halves(cidr: Cidr): [Cidr, Cidr] {
    const bytes = cidr.address.toByteArray();
    const low = withBytes([...bytes], cidr.prefix + 1, cidr.family);
    bytes[cidr.prefix >> 3] |= 0x80 >> (cidr.prefix & 7);
    return [low, withBytes(bytes, cidr.prefix + 1, cidr.family)];
}

function withBytes(bytes: number[], prefix: number, family: IpFamily): Cidr {
    const address = ipaddr.fromByteArray(bytes);
    return { family, address, prefix, text: `${address.toString()}/${prefix}` };
}
