import * as assert from "assert";
import { nameFromUrn } from "../../engine";
import { StackGraph } from "../../stack/stack-graph";
import { nameOfUrn } from "../../stack/urn";

describe("a resource's name from its URN", () => {
    const urn = "urn:pulumi:dev::net::aws:ec2/vpc:Vpc::p::q::r";

    it("is everything after the type, `::` included, as the engine reads it", () => {
        assert.strictEqual(nameOfUrn(urn), "p::q::r");
        assert.strictEqual(nameOfUrn(urn), nameFromUrn(urn));
        assert.strictEqual(nameOfUrn("not-a-urn"), "not-a-urn");
    });

    it("names a stack node given without a name", () => {
        const graph = new StackGraph([{ type: "aws:ec2/vpc:Vpc", urn, props: {} }]);
        assert.strictEqual(graph.nodes[0].name, "p::q::r");
    });
});
