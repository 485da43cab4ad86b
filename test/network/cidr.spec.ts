import * as assert from "assert";
import {
    cidrContains, cidrsOverlap, coversIpv4World, unionCovers, isPrivate, isWorld, overlapsPrivate, parseCidr, privateRanges, type Cidr,
} from "../../network/cidr";
import { UnknownSentinel } from "../../values/unknown-values";

function cidr(text: string): Cidr {
    const parsed = parseCidr(text);
    assert.ok(parsed, `expected ${text} to parse`);
    return parsed;
}

describe("cidr", () => {
    describe("parses", () => {
        const valid: [string, "ipv4" | "ipv6", number][] = [
            ["10.0.0.0/16", "ipv4", 16],
            ["0.0.0.0/0", "ipv4", 0],
            ["192.168.1.7/32", "ipv4", 32],
            ["10.0.0.5/8", "ipv4", 8], // host bits: compared as its network
            ["::/0", "ipv6", 0],
            ["2001:db8::/32", "ipv6", 32],
            ["2001:DB8:0:0::/64", "ipv6", 64],
            ["fd00:ec2::/128", "ipv6", 128],
            ["::ffff:10.0.0.0/104", "ipv6", 104],
        ];
        for (const [text, family, prefix] of valid) {
            it(text, () => {
                const c = cidr(text);
                assert.strictEqual(c.family, family);
                assert.strictEqual(c.prefix, prefix);
                assert.strictEqual(c.text, text);
            });
        }
    });

    describe("ignores what is not a CIDR (undefined, never throws)", () => {
        const invalid: unknown[] = [
            "10.0.0.0/33", "10.0.0.0", "10.0.0/8", "10.1/8", "256.0.0.0/8", "010.0.0.0/8", "0x0a.0.0.0/8", "10.0.0.0/08",
            " 10.0.0.0/8", "10.0.0.0/8 ", "10.0.0.0/-1", "::/129", "2001:db8::", "fe80::1%eth0/64", "2001:db8::g/32",
            "", "/", "any", "0.0.0.0/0/0", UnknownSentinel.string, 10, null, undefined, {}, ["10.0.0.0/8"], "1".repeat(100),
        ];
        for (const text of invalid) {
            it(JSON.stringify(text) ?? String(text), () => {
                assert.strictEqual(parseCidr(text), undefined);
            });
        }
    });

    describe("containment and overlap", () => {
        const cases: [string, string, boolean, boolean][] = [
            // outer, inner, outer contains inner, overlap
            ["10.0.0.0/8", "10.1.0.0/16", true, true],
            ["10.1.0.0/16", "10.0.0.0/8", false, true],
            ["10.0.0.0/16", "10.1.0.0/16", false, false],
            ["10.0.0.0/16", "10.0.0.0/16", true, true],
            ["0.0.0.0/0", "203.0.113.9/32", true, true],
            ["10.0.0.0/8", "11.0.0.0/8", false, false],
            ["172.16.0.0/12", "172.31.255.0/24", true, true],
            ["172.16.0.0/12", "172.32.0.0/24", false, false],
            ["10.0.0.5/8", "10.200.0.0/16", true, true],
            ["::/0", "2001:db8::/32", true, true],
            ["2001:db8::/32", "2001:db8:1::/48", true, true],
            ["2001:db8:1::/48", "2001:db8:2::/48", false, false],
            // different families never contain or overlap, not even the worlds
            ["0.0.0.0/0", "::/0", false, false],
            ["::/0", "10.0.0.0/8", false, false],
            ["::ffff:0.0.0.0/96", "10.0.0.0/8", false, false],
        ];
        for (const [outer, inner, contains, overlaps] of cases) {
            it(`${outer} ⊇ ${inner}: ${contains}; overlap: ${overlaps}`, () => {
                assert.strictEqual(cidrContains(cidr(outer), cidr(inner)), contains);
                assert.strictEqual(cidrsOverlap(cidr(outer), cidr(inner)), overlaps);
                assert.strictEqual(cidrsOverlap(cidr(inner), cidr(outer)), overlaps);
            });
        }
    });

    describe("private ranges", () => {
        const cases: [string, boolean, boolean][] = [
            // cidr, inside a private range, overlaps one
            ["10.20.0.0/16", true, true],
            ["172.16.0.0/12", true, true],
            ["172.15.0.0/16", false, false],
            ["192.168.10.0/24", true, true],
            ["100.64.0.0/10", true, true],
            ["100.127.255.0/24", true, true],
            ["100.128.0.0/16", false, false],
            ["8.8.8.8/32", false, false],
            ["0.0.0.0/0", false, true],
            ["10.0.0.0/7", false, true],
            ["fd12:3456::/48", true, true],
            ["fc00::/7", true, true],
            ["2600:1f18::/56", false, false],
            ["::/0", false, true],
        ];
        for (const [text, inside, overlaps] of cases) {
            it(`${text}: private ${inside}, overlaps private ${overlaps}`, () => {
                assert.strictEqual(isPrivate(cidr(text)), inside);
                assert.strictEqual(overlapsPrivate(cidr(text)), overlaps);
            });
        }
        it("are RFC 1918, RFC 6598 and IPv6 ULA", () => {
            assert.deepStrictEqual(privateRanges.map((r) => r.text), ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"]);
        });
    });

    describe("world", () => {
        const cases: [string, boolean, boolean][] = [
            ["0.0.0.0/0", true, true],
            ["10.0.0.0/0", true, true], // host bits under /0: still every address
            ["::/0", true, false],
            ["0.0.0.0/1", false, false],
            ["128.0.0.0/1", false, false],
            ["0.0.0.0/32", false, false],
        ];
        for (const [text, world, coversV4] of cases) {
            it(`${text}: world ${world}, covers 0.0.0.0/0 ${coversV4}`, () => {
                assert.strictEqual(isWorld(cidr(text)), world);
                assert.strictEqual(coversIpv4World(cidr(text)), coversV4);
            });
        }
    });

    describe("union cover", () => {
        const cases: [string[], string, boolean][] = [
            [["0.0.0.0/1", "128.0.0.0/1"], "0.0.0.0/0", true],
            [["128.0.0.0/1", "0.0.0.0/1"], "0.0.0.0/0", true],
            [["0.0.0.0/1", "128.0.0.0/2"], "0.0.0.0/0", false],
            [["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"], "0.0.0.0/0", true],
            [["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/3"], "0.0.0.0/0", false],
            [["10.0.0.0/9", "10.128.0.0/9"], "10.0.0.0/8", true],
            [["10.0.0.0/9", "10.128.0.0/10", "10.192.0.0/10"], "10.0.0.0/8", true],
            [["0.0.0.0/0"], "0.0.0.0/0", true],
            [["10.0.0.0/8"], "10.1.0.0/16", true],
            [[], "0.0.0.0/0", false],
            [["::/1", "8000::/1"], "0.0.0.0/0", false],
            [["::/1", "8000::/1"], "::/0", true],
            [["::/1"], "::/0", false],
        ];
        for (const [blocks, target, covers] of cases) {
            it(`${blocks.join(" + ") || "nothing"} ${covers ? "covers" : "does not cover"} ${target}`, () => {
                assert.strictEqual(unionCovers(blocks.map(cidr), cidr(target)), covers);
            });
        }
        it("stays fast on many small blocks", () => {
            const blocks = Array.from({ length: 4096 }, (_, i) => cidr(`${i >> 4}.${(i & 15) << 4}.0.0/12`));
            const started = Date.now();
            assert.strictEqual(unionCovers(blocks, cidr("0.0.0.0/0")), true);
            assert.strictEqual(unionCovers(blocks.slice(1), cidr("0.0.0.0/0")), false);
            assert.ok(Date.now() - started < 2000);
        });
    });
});
