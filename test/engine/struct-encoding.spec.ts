// The direct Struct encoder (engine/struct-encoding.ts) must write exactly the bytes google-protobuf
// writes for the same property bag, so the pack decodes the same values in the same key order; and
// the byte-built requests (engine/marshal.ts `…Bytes`) must decode to the messages built before.

import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as marshal from "../../engine/marshal";
import { analyzer as pb } from "../../engine/proto";
import { encodeStruct, lengthDelimited } from "../../engine/struct-encoding";
import type { StackResource } from "../../engine/types";

const viaProtobuf = (props: Record<string, unknown> | undefined) => Buffer.from(marshal.propertiesStruct(props, "test").serializeBinary());
const direct = (props: Record<string, unknown> | undefined) => Buffer.from(encodeStruct(props, "test"));

describe("engine: Struct bytes without google-protobuf objects", () => {
    const cases: [string, Record<string, unknown> | undefined][] = [
        ["nothing", undefined],
        ["an empty bag", {}],
        ["every kind of value", { s: "x", n: 1.5, t: true, f: false, z: null, l: [1, "a", null, [], {}], o: { b: 2, a: { c: [true] } } }],
        ["keys in jspb's order (code units, not numbers first)", { b: 1, a: 2, "10": 3, "2": 4, Z: 5, "": 6, é: 7, "😀": 8 }],
        ["empty strings, zero, negative zero", { e: "", zero: 0, neg: -0, k: { "": "" } }],
        ["numbers JSON has not", { nan: NaN, inf: Infinity, ninf: -Infinity, tiny: 5e-324, big: 1.7976931348623157e308 }],
        ["UTF-8 of one, two, three and four bytes", { s: "a\u00e9\u0800\uffff\ud83d\ude00" }],
        ["lone surrogates, as jspb writes them", { a: "\ud800", b: "\ud800x", c: "x\udc00", d: "\ud800\ud800", e: "\udc00\ud800", f: "x\ud800" }],
        ["top-level undefined values and __ keys skipped", { a: undefined, __inputs: 1, __proto__x: 2, b: 1 }],
        ["undefined inside: a key dropped, a list element sent as null", { o: { a: undefined, b: 1 }, l: [undefined, 1] }],
        ["a nested key named __proto__ is dropped, as jspb.Map drops it", JSON.parse('{"a":{"__proto__":{"x":1},"b":2},"l":[{"__proto__":"sg-1"}]}') as Record<string, unknown>],
        ["long strings and deep nesting (multi-byte lengths)", { doc: "x".repeat(70_000), deep: JSON.parse("[".repeat(200) + "1" + "]".repeat(200)) as unknown }],
    ];
    for (const [name, props] of cases) {
        it(name, () => assert.deepEqual(direct(props), viaProtobuf(props)));
    }

    it("any JSON-like bag (property test)", () => {
        const value = fc.letrec((tie) => ({
            value: fc.oneof(
                { depthSize: "small" },
                fc.constant(null), fc.boolean(), fc.double(), fc.integer(), fc.string({ unit: "binary" }), fc.string(),
                fc.constant(undefined),
                fc.array(tie("value"), { maxLength: 5 }),
                fc.dictionary(fc.string({ unit: "grapheme" }), tie("value"), { maxKeys: 5 }),
            ),
        })).value;
        fc.assert(fc.property(fc.dictionary(fc.string(), value, { maxKeys: 8 }), (props) => {
            assert.deepEqual(direct(props), viaProtobuf(props));
        }), { numRuns: 500 });
    });

    it("names the value it cannot send, as the object path the marshaller named", () => {
        const fn = () => 1;
        assert.throws(() => encodeStruct({ a: [{ b: fn }] }, "urn:x inputs"), (e: unknown) => {
            assert.ok(e instanceof TypeError);
            assert.equal((e as Error).message, "urn:x inputs.a[0].b: a function cannot be sent to a policy pack");
            return true;
        });
        assert.throws(() => marshal.propertiesStruct({ a: [{ b: fn }] }, "urn:x inputs"), { message: "urn:x inputs.a[0].b: a function cannot be sent to a policy pack" });
        assert.throws(() => encodeStruct({ n: BigInt(1) }, "l"), { message: "l.n: a bigint cannot be sent to a policy pack" });
    });

    it("frames a length-delimited field with multi-byte lengths", () => {
        const body = Buffer.alloc(300, 7);
        const framed = lengthDelimited(2, body.subarray(0, 100), body.subarray(100));
        assert.deepEqual([...framed.subarray(0, 3)], [0x12, 0xac, 0x02]);
        assert.deepEqual(framed.subarray(3), body);
    });
});

describe("engine: requests built as bytes", () => {
    const provider = { urn: "urn:pulumi:dev::p::pulumi:providers:aws::default", type: "pulumi:providers:aws", properties: { region: "eu-west-1" } };
    const resources: StackResource[] = [
        {
            urn: "urn:pulumi:dev::p::aws:ec2/vpcEndpoint:VpcEndpoint::e",
            type: "aws:ec2/vpcEndpoint:VpcEndpoint",
            inputs: { vpcId: "vpc-1", policy: "{\"Statement\":[]}", __defaults: [], tags: { b: "2", a: "1" } },
            outputs: { id: "vpce-1", vpcId: "vpc-1", securityGroupIds: ["sg-2", "sg-1"] },
            parent: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev",
            dependencies: ["urn:pulumi:dev::p::aws:ec2/vpc:Vpc::v"],
            propertyDependencies: { vpcId: ["urn:pulumi:dev::p::aws:ec2/vpc:Vpc::v"], tags: [] },
            provider,
        },
        { urn: "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::v", type: "aws:ec2/vpc:Vpc", inputs: { cidrBlock: "10.0.0.0/16" } },
        { urn: "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::a::b", name: "given", type: "aws:ec2/vpc:Vpc", inputs: {}, outputs: {} },
    ];

    // Re-serializing puts the fields in google-protobuf's order: equal bytes are equal messages.
    it("Analyze: the same message as analyzeRequest", () => {
        const more: StackResource[] = [
            { urn: "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::odd\ud800name", type: "aws:ec2/vpc:Vpc", inputs: {}, parent: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev" },
            { urn: "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::é", type: "aws:ec2/vpc:Vpc", inputs: { a: 1 }, options: { protect: true, ignoreChanges: ["tags"], deleteBeforeReplace: false, aliases: ["urn:x"], customTimeouts: { create: 60 } } },
            { urn: "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::p2", type: "aws:ec2/vpc:Vpc", inputs: {}, parent: "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::other-parent" },
            { urn: "", type: "", name: "", inputs: {} },
        ];
        for (const r of [...resources, ...more, ...resources]) {
            const decoded = pb.AnalyzeRequest.deserializeBinary(marshal.analyzeRequestBytes(r));
            assert.deepEqual(Buffer.from(decoded.serializeBinary()), Buffer.from(marshal.analyzeRequest(r).serializeBinary()), r.urn);
        }
    });

    it("AnalyzeStack: the same message as analyzeStackRequest, resources in order", () => {
        const bytes = marshal.analyzeStackRequestBytes(resources);
        const decoded = pb.AnalyzeStackRequest.deserializeBinary(bytes);
        assert.deepEqual(decoded.getResourcesList().map((r) => r.getUrn()), resources.map((r) => r.urn));
        assert.deepEqual(Buffer.from(decoded.serializeBinary()), Buffer.from(marshal.analyzeStackRequest(resources).serializeBinary()));
        assert.equal(marshal.analyzeStackRequestBytes([]).length, 0);
    });

    it("each resource carries its own provider, though each provider is serialized once", () => {
        const other = { ...provider, urn: "urn:pulumi:dev::p::pulumi:providers:aws::us", properties: { region: "us-east-1" } };
        const stack: StackResource[] = [resources[0], { ...resources[1], provider: other }, { ...resources[2], provider }, { ...resources[1], urn: `${resources[1].urn}2`, provider: other }];
        const regions = (list: { getProvider(): pb.AnalyzerProviderResource | undefined }[]) => list.map((m) => m.getProvider()?.getProperties()?.toJavaScript().region);
        assert.deepEqual(regions(stack.map((r) => pb.AnalyzeRequest.deserializeBinary(marshal.analyzeRequestBytes(r)))), ["eu-west-1", "us-east-1", "eu-west-1", "us-east-1"]);
        const decoded = pb.AnalyzeStackRequest.deserializeBinary(marshal.analyzeStackRequestBytes(stack));
        assert.deepEqual(regions(decoded.getResourcesList()), ["eu-west-1", "us-east-1", "eu-west-1", "us-east-1"]);
        assert.deepEqual(Buffer.from(decoded.serializeBinary()), Buffer.from(marshal.analyzeStackRequest(stack).serializeBinary()));
    });
});
