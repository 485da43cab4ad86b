// The aws provider's compaction (Terraform `structure.NormalizeJsonString`: Go json.Unmarshal into
// interface{}, then json.Marshal). Expected outputs follow Go's encoding/json source (encode.go:
// floatEncoder, appendString with escapeHTML; Go ≥ 1.22 writes \b and \f short).

import * as assert from "assert";
import { characterCount, compactPolicyJson, compactPolicyText, goString } from "../../iam/compact-policy";

describe("compact-policy", () => {
    describe("compactPolicyText", () => {
        const table: [string, string, string | undefined][] = [
            ["white space and key order", "{ \"b\" : 1,\n\t\"a\" : [ true , null ] }", "{\"a\":[true,null],\"b\":1}"],
            ["nested keys sorted too", "{\"z\":{\"y\":1,\"x\":2},\"a\":{}}", "{\"a\":{},\"z\":{\"x\":2,\"y\":1}}"],
            ["keys sorted by code point (upper case first, then non-ASCII)", "{\"é\":1,\"a\":2,\"Z\":3,\"_\":4}", "{\"Z\":3,\"_\":4,\"a\":2,\"é\":1}"],
            ["astral keys after U+FFFD-range keys (UTF-8 byte order)", "{\"😀\":1,\"\\uffee\":2}", "{\"\uffee\":2,\"😀\":1}"],
            ["the last duplicate key wins", "{\"a\":1,\"a\":2}", "{\"a\":2}"],
            ["1.0 → 1, 1e3 → 1000, -0 → -0", "[1.0,1e3,-0,0.5,-2.50]", "[1,1000,-0,0.5,-2.5]"],
            ["exponent form below 1e-6 and from 1e21", "[0.000001,0.0000001,1e20,1e21,1.5e-7,123456789012345678901234]", "[0.000001,1e-7,100000000000000000000,1e+21,1.5e-7,1.2345678901234569e+23]"],
            ["long integers lose precision as float64", "[12345678901234567890]", "[12345678901234567000]"],
            ["<, >, & escaped; other ASCII kept", "[\"a<b>c&d'e/f\"]", "[\"a\\u003cb\\u003ec\\u0026d'e/f\"]"],
            ["U+2028 and U+2029 escaped, other non-ASCII kept", "[\"\\u2028\\u2029é😀\\u00a0\"]", "[\"\\u2028\\u2029é😀\u00a0\"]"],
            ["\\\" \\\\ \\n \\r \\t \\b \\f short, other controls \\u00XX", "[\"\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u001f\\u007f\"]", "[\"\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u001f\u007f\"]"],
            ["\\/ and \\u0041 escapes are decoded", "[\"\\/\\u0041\"]", "[\"/A\"]"],
            ["a lone surrogate becomes U+FFFD", "[\"a\\ud800b\\udc00\"]", "[\"a\ufffdb\ufffd\"]"],
            ["a number outside float64: the provider refuses it", "[1e400]", undefined],
            ["not JSON", "{", undefined],
        ];
        for (const [name, text, expected] of table) {
            it(name, () => assert.strictEqual(compactPolicyText(text), expected));
        }
    });

    describe("compactPolicyJson", () => {
        it("refuses values JSON cannot hold, and never throws", () => {
            assert.strictEqual(compactPolicyJson({ a: undefined }), undefined);
            assert.strictEqual(compactPolicyJson([() => 1]), undefined);
            assert.strictEqual(compactPolicyJson(10n), undefined);
            assert.strictEqual(compactPolicyJson(NaN), undefined);
            const deep: unknown[] = [];
            let cur = deep;
            for (let i = 0; i < 1000; i++) {
                const next: unknown[] = [];
                cur.push(next);
                cur = next;
            }
            assert.strictEqual(compactPolicyJson(deep), undefined);
        });

        it("is canonical: equal documents compact equally whatever their key order", () => {
            assert.strictEqual(compactPolicyJson({ Statement: [{ Effect: "Allow", Action: "*" }] }), compactPolicyJson({ Statement: [{ Action: "*", Effect: "Allow" }] }));
        });

        it("collapses keys that differ only in lone surrogates, as Go's decoder does", () => {
            assert.strictEqual(compactPolicyJson({ "\ud800": 1, "\ud801": 2 }), "{\"\ufffd\":2}");
        });
    });

    describe("goString and characterCount", () => {
        it("an escaped & is six characters", () => assert.strictEqual(goString("&").length, 8));
        it("counts a surrogate pair as one character", () => assert.strictEqual(characterCount("a😀b"), 3));
        it("counts a lone surrogate as one character", () => assert.strictEqual(characterCount("\ud800\udc00\ud800"), 2));
    });
});
