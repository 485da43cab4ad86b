import * as assert from "assert";
import { forgetInputs, rememberedInputs, rememberInputs } from "../../stack/inputs-memory";
import { StackGraph, stackGraph, type GraphResource } from "../../stack/stack-graph";
import { UnknownSentinel } from "../../values/unknown-values";
import { markRequestProps } from "../../values/request-props";
import { ref, Stack, T, urnOf, type Shape } from "../support/stacks";

const unknown = UnknownSentinel.string;

function graphOf(stack: Stack, shape: Shape): StackGraph {
    return new StackGraph(stack.analyze(shape));
}

describe("stack graph", () => {
    afterEach(() => forgetInputs());

    describe("roles and outputs", () => {
        it("indexes each understood type by role, and ignores others", () => {
            const s = new Stack();
            const vpc = s.vpc();
            s.add(T.nativeVpc, "nvpc", {});
            s.endpoint("s3", vpc, "com.amazonaws.us-east-1.s3");
            s.add(T.nativeEndpoint, "nep", { vpcId: "vpc-1", serviceName: "com.amazonaws.us-east-1.sts" });
            s.standalone("pol", "vpce-1", "{}");
            s.securityGroup("sg", vpc);
            s.add(T.defaultSecurityGroup, "dsg", { vpcId: ref(vpc) });
            s.add(T.nativeSecurityGroup, "nsg", { groupDescription: "x" });
            for (const [t, n] of [[T.securityGroupRule, "r1"], [T.ingressRule, "r2"], [T.egressRule, "r3"], [T.nativeIngress, "r4"], ["aws-native:ec2:SecurityGroupEgress", "r5"]]) s.add(t, n, {});
            s.add(T.association, "assoc", {});
            s.add(T.bucket, "bucket", {});
            const g = graphOf(s, "deployed");
            const names = (role: Parameters<StackGraph["nodesOf"]>[0]) => g.nodesOf(role).map((n) => n.name);
            assert.deepStrictEqual(names("vpc"), ["vpc", "nvpc"]);
            assert.deepStrictEqual(names("endpoint"), ["s3", "nep"]);
            assert.deepStrictEqual(names("endpointPolicy"), ["pol"]);
            assert.deepStrictEqual(names("securityGroup"), ["sg", "dsg", "nsg"]);
            assert.deepStrictEqual(names("securityGroupRule"), ["r1", "r2", "r3", "r4", "r5"]);
            assert.deepStrictEqual(names("securityGroupAssociation"), ["assoc"]);
            assert.strictEqual(g.nodes.length, 15);
            assert.strictEqual(g.node(urnOf(T.bucket, "bucket"))?.role, undefined);
            assert.strictEqual(g.node(urnOf(T.nativeVpc, "nvpc"))?.provider, "aws-native");
        });

        it("reads outputs through the framework's proxy without tripping on unknowns", () => {
            const target = { policy: unknown, id: "vpce-1" };
            const proxy = new Proxy(target, {
                get(obj, key) {
                    if (key === "__getSpecialProxyTarget") return obj;
                    const v = (obj as Record<string | symbol, unknown>)[key];
                    if (v === unknown) throw new Error("UnknownValueError");
                    return v;
                },
            });
            const g = new StackGraph([{ type: T.endpoint, urn: urnOf(T.endpoint, "e"), props: proxy }]);
            assert.strictEqual(g.nodes[0].outputs, target);
            assert.deepStrictEqual(g.nodes[0].property("policy"), { state: "unknown", from: "outputs" });
        });

        it("survives odd resources", () => {
            const odd = [null, 3, {}, { type: 5, urn: null, props: null }, { type: T.endpoint, urn: "u", props: "x", propertyDependencies: { vpcId: [null, 3, "nope"] } }];
            const g = new StackGraph(odd as unknown as GraphResource[]);
            const e = g.nodesOf("endpoint")[0];
            assert.deepStrictEqual(g.follow(e, "endpointVpc").kind, "absent");
            assert.deepStrictEqual(g.dependencies(e, "vpcId"), []);
            assert.doesNotThrow(() => new StackGraph(undefined as unknown as GraphResource[]));
        });
    });

    describe("properties as the user set them", () => {
        const urn = urnOf(T.endpoint, "e");
        const graphWith = (outputs: Record<string, unknown>, inputs?: Record<string, unknown>) => {
            forgetInputs();
            if (inputs) rememberInputs(urn, inputs);
            return new StackGraph([{ type: T.endpoint, urn, props: outputs }]).nodes[0];
        };

        it("absent in the inputs Analyze saw is absent, whatever the outputs hold", () => {
            const n = graphWith({ policy: "{\"Statement\":[]}" }, { serviceName: "x" });
            assert.deepStrictEqual(n.property("policy"), { state: "absent", from: "inputs" });
        });
        it("a known input wins over the output", () => {
            const n = graphWith({ serviceName: "b" }, { serviceName: "a" });
            assert.deepStrictEqual(n.property("serviceName"), { state: "known", value: "a", from: "inputs" });
        });
        it("an unknown input gives way to a known output (the update's value)", () => {
            assert.deepStrictEqual(graphWith({ vpcId: "vpc-1" }, { vpcId: unknown }).property("vpcId"), { state: "known", value: "vpc-1", from: "outputs" });
            assert.deepStrictEqual(graphWith({ vpcId: unknown }, { vpcId: unknown }).property("vpcId"), { state: "unknown", from: "inputs" });
            assert.deepStrictEqual(graphWith({ ids: ["sg-1", "sg-2"] }, { ids: ["sg-1", unknown] }).property("ids"), { state: "known", value: ["sg-1", "sg-2"], from: "outputs" });
        });
        it("without inputs, the outputs", () => {
            const n = graphWith({ policy: unknown, serviceName: "s", empty: null });
            assert.strictEqual(n.inputs, undefined);
            assert.deepStrictEqual(n.property("policy"), { state: "unknown", from: "outputs" });
            assert.deepStrictEqual(n.property("empty"), { state: "absent", from: "outputs" });
            assert.strictEqual(n.stringProperty("serviceName"), "s");
        });
    });

    describe("links", () => {
        function endpointStack() {
            const s = new Stack();
            const vpc = s.vpc();
            const sgA = s.securityGroup("a", vpc);
            const sgB = s.securityGroup("b", vpc);
            const ep = s.endpoint("sts", vpc, "com.amazonaws.us-east-1.sts", { vpcEndpointType: "Interface", securityGroupIds: [ref(sgA), ref(sgB), "sg-0external000000001"] });
            const pol = s.standalone("pol", ep, { Statement: [] });
            return { s, vpc, sgA, sgB, ep, pol };
        }

        for (const shape of ["preview", "deployed"] as Shape[]) {
            it(`resolves references in a ${shape}-shaped stack`, () => {
                const { s } = endpointStack();
                const g = graphOf(s, shape);
                const ep = g.nodesOf("endpoint")[0];
                const vpc = g.follow(ep, "endpointVpc");
                assert.strictEqual(vpc.kind, "linked");
                assert.deepStrictEqual(vpc.linked.map((n) => n.name), ["vpc"]);
                const groups = g.follow(ep, "endpointSecurityGroups");
                assert.deepStrictEqual(groups.linked.map((n) => n.name).sort(), ["a", "b"]);
                assert.deepStrictEqual(groups.external, ["sg-0external000000001"]);
                assert.strictEqual(groups.unresolved, 0);
                const pol = g.nodesOf("endpointPolicy")[0];
                assert.deepStrictEqual(g.follow(pol, "policyEndpoint").linked, [ep]);
                assert.deepStrictEqual(g.referrers(ep, "policyEndpoint"), { nodes: [pol], uncertain: [] });
                const sgA = g.nodesOf("securityGroup")[0];
                assert.deepStrictEqual(g.follow(sgA, "securityGroupVpc").linked.map((n) => n.name), ["vpc"]);
            });
        }

        it("links by value alone when there are no dependencies (deployed, IDs copied)", () => {
            const { s } = endpointStack();
            const built = s.build("deployed");
            for (const b of built) b.propertyDependencies = {};
            const resources = built.map((b) => ({ type: b.type, urn: b.urn, name: b.name, props: b.outputs }));
            const g = new StackGraph(resources);
            const ep = g.nodesOf("endpoint")[0];
            assert.deepStrictEqual(g.follow(ep, "endpointSecurityGroups").linked.map((n) => n.name), ["a", "b"]);
            assert.strictEqual(g.follow(ep, "endpointVpc").kind, "linked");
        });

        it("an ID that names nothing in the stack is external; an unknown without a dependency is unknown", () => {
            const s = new Stack();
            s.endpoint("ext", "vpc-0abc", "com.amazonaws.us-east-1.s3");
            s.endpoint("unk", "vpc-0abc", "com.amazonaws.us-east-1.s3", {}, { previewOutputs: { vpcId: unknown } });
            const g = graphOf(s, "preview");
            const [ext, unk] = g.nodesOf("endpoint");
            assert.deepStrictEqual(g.follow(ext, "endpointVpc"), { kind: "external", linked: [], external: ["vpc-0abc"], unresolved: 0 });
            forgetInputs();
            rememberInputs(unk.urn, { vpcId: unknown });
            const g2 = new StackGraph(g.nodes.map((n) => n.resource));
            assert.deepStrictEqual(g2.follow(g2.nodesOf("endpoint")[1], "endpointVpc"), { kind: "unknown", linked: [], external: [], unresolved: 1 });
            assert.strictEqual(g2.follow(g2.nodesOf("endpoint")[0], "endpointSecurityGroups").kind, "absent");
        });

        it("a dependency of another role is not a link", () => {
            const s = new Stack();
            const vpc = s.vpc();
            const sg = s.securityGroup("sg", vpc);
            // vpcId: sg.vpcId — the value comes from the group, not from the VPC.
            s.endpoint("ep", vpc, "com.amazonaws.us-east-1.s3", { vpcId: ref(sg, "vpcId") });
            const g = graphOf(s, "preview");
            assert.strictEqual(g.follow(g.nodesOf("endpoint")[0], "endpointVpc").kind, "unknown");
        });

        it("a known ID is not linked to a dependency whose ID differs", () => {
            const s = new Stack();
            const vpc = s.vpc();
            const other = s.vpc("other");
            s.endpoint("ep", vpc, "com.amazonaws.us-east-1.s3", {}, { deps: { vpcId: [other] } });
            const g = graphOf(s, "deployed");
            assert.deepStrictEqual(g.follow(g.nodesOf("endpoint")[0], "endpointVpc").linked.map((n) => n.name), ["vpc"]);
        });

        it("links aws-native resources by awsId, groupId and vpcId", () => {
            const s = new Stack();
            const vpc = s.add(T.nativeVpc, "nvpc", { cidrBlock: "10.0.0.0/16" });
            const sg = s.add(T.nativeSecurityGroup, "nsg", { groupDescription: "g", vpcId: ref(vpc) });
            const ep = s.nativeEndpoint("nep", vpc, "com.amazonaws.us-east-1.sts", { vpcEndpointType: "Interface", securityGroupIds: [ref(sg)] });
            s.add(T.nativeIngress, "in", { groupId: ref(sg), ipProtocol: "tcp" });
            s.standalone("pol", ep, "{}");
            for (const shape of ["preview", "deployed"] as Shape[]) {
                const built = s.build(shape);
                if (shape === "deployed") for (const b of built) b.propertyDependencies = {};
                forgetInputs();
                const g = new StackGraph(built.map((b) => ({ type: b.type, urn: b.urn, props: b.outputs, propertyDependencies: b.propertyDependencies })));
                const e = g.nodesOf("endpoint")[0];
                assert.deepStrictEqual(g.follow(e, "endpointVpc").linked.map((n) => n.name), ["nvpc"], shape);
                assert.deepStrictEqual(g.follow(e, "endpointSecurityGroups").linked.map((n) => n.name), ["nsg"], shape);
                assert.deepStrictEqual(g.referrers(g.nodesOf("securityGroup")[0], "ruleSecurityGroup").nodes.map((n) => n.name), ["in"], shape);
                assert.deepStrictEqual(g.referrers(e, "policyEndpoint").nodes.map((n) => n.name), ["pol"], shape);
            }
        });

        it("resolves a prefix list to its gateway endpoint, by dependency or by pl- value", () => {
            const s = new Stack();
            const vpc = s.vpc();
            const ep = s.endpoint("s3", vpc, "com.amazonaws.us-east-1.s3");
            const sg = s.securityGroup("sg", vpc);
            s.add(T.egressRule, "to-s3", { securityGroupId: ref(sg), prefixListId: ref(ep, "prefixListId"), ipProtocol: "tcp", fromPort: 443, toPort: 443 });
            for (const shape of ["preview", "deployed"] as Shape[]) {
                const g = graphOf(s, shape);
                const rule = g.nodesOf("securityGroupRule")[0];
                const r = g.resolve(rule, "prefixListId", { roles: ["endpoint"], by: "prefixList" });
                assert.deepStrictEqual(r.linked.map((n) => n.name), ["s3"], shape);
                if (shape === "deployed") assert.deepStrictEqual(g.withId(String(rule.outputs.prefixListId), { roles: ["endpoint"], by: "prefixList" }).map((n) => n.name), ["s3"]);
            }
            // A nested reference (an inline rule's prefixListIds) resolves with the top-level property's dependencies.
            const g = graphOf(s, "preview");
            const deps = g.dependencies(g.nodesOf("securityGroupRule")[0], "prefixListId");
            assert.deepStrictEqual(g.resolveValue([unknown], deps, { roles: ["endpoint"], by: "prefixList" }).linked.map((n) => n.name), ["s3"]);
            assert.deepStrictEqual(g.resolveValue(["pl-63a5400a"], [], { roles: ["endpoint"], by: "prefixList" }).kind, "external");
        });

        it("a referrer whose link cannot be resolved is uncertain for every target", () => {
            const s = new Stack();
            const vpc = s.vpc();
            const ep = s.endpoint("ep", vpc, "com.amazonaws.us-east-1.s3");
            s.standalone("lost", ep, "{}", { deps: {} });
            const built = s.build("preview");
            built[2].propertyDependencies = {};
            forgetInputs();
            const g = new StackGraph(built.map((b) => ({ type: b.type, urn: b.urn, props: b.outputs, propertyDependencies: b.propertyDependencies })));
            const r = g.referrers(g.nodesOf("endpoint")[0], "policyEndpoint");
            assert.deepStrictEqual(r.nodes, []);
            assert.deepStrictEqual(r.uncertain.map((n) => n.name), ["lost"]);
        });
    });

    describe("cache", () => {
        it("one graph per stack, rebuilt when the resources or the remembered inputs change", () => {
            const s = new Stack();
            s.endpoint("ep", s.vpc(), "com.amazonaws.us-east-1.s3");
            const resources = s.analyze("preview");
            const g = stackGraph(resources);
            assert.strictEqual(stackGraph(resources), g);
            // The framework gives each stack policy its own array and resource objects around the same props.
            assert.strictEqual(stackGraph(resources.map((r) => ({ ...r }))), g);
            const props = (r: GraphResource) => r.props as Record<string, unknown>;
            assert.notStrictEqual(stackGraph(resources.map((r) => ({ ...r, props: { ...props(r) } }))), g, "other props objects");
            assert.notStrictEqual(stackGraph(resources.map((r) => ({ ...r, propertyDependencies: {} }))), g, "other dependencies");
            assert.notStrictEqual(stackGraph([...resources, ...resources.slice(0, 1)]), g, "another resource");
            forgetInputs();
            assert.notStrictEqual(stackGraph(resources), g);
        });

        it("a request's stack is known by its first and last props; plain objects are compared throughout", () => {
            const s = new Stack();
            const vpc = s.vpc();
            s.endpoint("ep", vpc, "com.amazonaws.us-east-1.s3");
            s.endpoint("ep2", vpc, "com.amazonaws.us-east-1.sts");
            const resources = s.analyze("deployed");
            const g = stackGraph(resources);
            const middle = 1;
            const changed = () => resources.map((r, i) => (i === middle ? { ...r, urn: `${r.urn}-other` } : { ...r }));
            assert.notStrictEqual(stackGraph(changed()), g, "plain objects: every resource is compared");
            const asRequest = resources.map((r) => {
                const proxy = new Proxy(r.props as object, {});
                markRequestProps(proxy);
                return { ...r, props: proxy };
            });
            const h = stackGraph(asRequest);
            const sameRequest = asRequest.map((r, i) => (i === middle ? { ...r, urn: `${r.urn}-other` } : { ...r }));
            assert.strictEqual(stackGraph(sameRequest), h, "a request's resources: its first and last props say it is the same request");
            assert.notStrictEqual(stackGraph(asRequest.slice(0, -1)), h, "fewer resources");
        });

        it("a graph stays valid while the inputs memory changes elsewhere, and not when one of its resources' inputs does", () => {
            const s = new Stack();
            s.endpoint("ep", s.vpc(), "com.amazonaws.us-east-1.s3");
            const resources = s.analyze("preview");
            const g = stackGraph(resources);
            rememberInputs("urn:pulumi:other::p::aws:s3/bucket:Bucket::elsewhere", { bucket: "b" });
            assert.strictEqual(stackGraph(resources.map((r) => ({ ...r }))), g, "another stack's inputs changed nothing here");
            const ep = resources.find((r) => r.type === T.endpoint)!;
            rememberInputs(ep.urn, { ...(rememberedInputs(ep.urn) ?? {}) });
            const rebuilt = stackGraph(resources.map((r) => ({ ...r })));
            assert.notStrictEqual(rebuilt, g, "the endpoint's inputs are another object now");
            assert.strictEqual(rebuilt.node(ep.urn)!.inputs, rememberedInputs(ep.urn));
        });
    });

    describe("work grows linearly with the stack", () => {
        function bigStack(groups: number): GraphResource[] {
            const s = new Stack();
            for (let i = 0; i < groups; i++) {
                const vpc = s.vpc(`vpc${i}`);
                const sg = s.securityGroup(`sg${i}`, vpc);
                const ep = s.endpoint(`ep${i}`, vpc, "com.amazonaws.us-east-1.sts", { vpcEndpointType: "Interface", securityGroupIds: [ref(sg)] });
                s.standalone(`pol${i}`, ep, "{}");
                s.add(T.ingressRule, `in${i}`, { securityGroupId: ref(sg), ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" });
                s.add(T.association, `assoc${i}`, { vpcEndpointId: ref(ep), securityGroupId: ref(sg) });
                s.add(T.egressRule, `eg${i}`, { securityGroupId: ref(sg), prefixListId: ref(ep, "prefixListId") });
                s.add(T.bucket, `b${i}`, {});
                s.securityGroup(`sgx${i}`, vpc);
                s.vpc(`spare${i}`);
            }
            return s.analyze("deployed");
        }

        function workFor(resources: GraphResource[]): number {
            const g = new StackGraph(resources);
            for (const ep of g.nodesOf("endpoint")) {
                g.follow(ep, "endpointVpc");
                g.follow(ep, "endpointSecurityGroups");
                g.referrers(ep, "policyEndpoint");
                g.referrers(ep, "associationEndpoint");
            }
            for (const sg of g.nodesOf("securityGroup")) {
                g.follow(sg, "securityGroupVpc");
                g.referrers(sg, "ruleSecurityGroup");
            }
            for (const rule of g.nodesOf("securityGroupRule")) g.resolve(rule, "prefixListId", { roles: ["endpoint"], by: "prefixList" });
            return g.work.visits + g.work.lookups;
        }

        it("10,000 resources take about ten times the work of 1,000", () => {
            const small = workFor(bigStack(100));
            const large = workFor(bigStack(1000));
            assert.strictEqual(bigStack(1000).length, 10000);
            const ratio = large / small;
            assert.ok(ratio > 9 && ratio < 11, `work 1k=${small} 10k=${large} ratio=${ratio}`);
        });
    });
});
