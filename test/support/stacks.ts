// The stack builder of the stack-rule tests: one description of a stack — built in code
// (`Stack.add` and its shorthands) or written as data (`Spec`s, `Stack.of`) — shaped as
// `pulumi preview` sends it (new resources: IDs and computed outputs unknown, links only through
// propertyDependencies) or as a deployed stack (known IDs, prefix lists, AWS's read-backs), and
// handed out as framework-like resources (for `evaluate`), as engine resources (for the built pack)
// and as the inputs Analyze saw (`analyze()`). Also the table runner of the stack rules.

import * as assert from "assert";
import { nameFromUrn } from "../../engine";
import type { StackResource } from "../../engine/types";
import type { StackPolicy, StackVerdict } from "../../framework/stack-rule";
import { forgetInputs, rememberInputs } from "../../stack/inputs-memory";
import type { GraphResource } from "../../stack/stack-graph";
import { SecurityGroupType } from "../../network/security-group-rules";
import { UnknownSentinel } from "../../values/unknown-values";
import { maxMessageLength } from "./cases";

export type Shape = "preview" | "deployed";
export const shapes: Shape[] = ["preview", "deployed"];

/** The resource types of the tests: every type the pack judges, and one it does not (`bucket`). */
export const T = {
    vpc: "aws:ec2/vpc:Vpc",
    nativeVpc: "aws-native:ec2:Vpc",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    nativeEndpoint: "aws-native:ec2:VpcEndpoint",
    endpointPolicy: "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
    ...SecurityGroupType,
    association: "aws:ec2/securityGroupAssociation:SecurityGroupAssociation",
    bucket: "aws:s3/bucket:Bucket",
    cidrBlock: "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
    nativeCidrBlock: "aws-native:ec2:VpcCidrBlock",
} as const;

/** Where a URN's resource lives: its stack and project (the tests' own unless told). */
export interface UrnPlace {
    stack?: string;
    project?: string;
}

/** The URN of the resource `name` of `type`: the one URN builder of the tests. */
export const urnOf = (type: string, name: string, { stack = "dev", project = "vpce-guard-tests" }: UrnPlace = {}) => `urn:pulumi:${stack}::${project}::${type}::${name}`;

/** AWS's default endpoint policy as AWS reads it back. */
export const awsDefaultPolicyText = "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
export const awsDefaultPolicyObject = JSON.parse(awsDefaultPolicyText) as Record<string, unknown>;

const refMark = Symbol("ref");

/** A reference to another resource's output, as a program writes `other.id`. */
export interface Ref {
    [refMark]: true;
    /** The resource, or its name in the stack (for data, or a resource added later). */
    target: Res | string;
    /** The output; the target's own ID when not given. */
    output?: string;
}

export function isRef(v: unknown): v is Ref {
    return v !== null && typeof v === "object" && refMark in v;
}

export interface ResOptions {
    /**
     * Outputs the provider computes, beyond the inputs: these values once deployed (or existing),
     * unknown in preview unless the program sets them. An own-ID output given here is the ID.
     */
    computed?: Record<string, unknown>;
    /** The resource already exists in a preview (its outputs are known). */
    existing?: boolean;
    /** The pack never saw this resource's inputs (Analyze was not called for it). */
    unanalysed?: boolean;
    /** Extra property dependencies (property → resources), beyond the ones refs imply. */
    deps?: Record<string, Res[]>;
    /** Outputs to set (or drop, with undefined) after everything else, in the deployed shape. */
    deployedOutputs?: Record<string, unknown>;
    /** Outputs to set after everything else, in the preview shape. */
    previewOutputs?: Record<string, unknown>;
}

export interface Res {
    type: string;
    name: string;
    urn: string;
    /** Inputs as the program wrote them, refs included. */
    args: Record<string, unknown>;
    options: ResOptions;
    /** Known once the stack is deployed. */
    id: string;
}

let counter = 0;
function nextId(prefix: string): string {
    counter++;
    return `${prefix}-${counter.toString(16).padStart(17, "0")}`;
}

/** How a resource's ID starts, by type ("r" for others). */
export const idPrefix: Record<string, string> = {
    [T.vpc]: "vpc", [T.nativeVpc]: "vpc",
    [T.endpoint]: "vpce", [T.nativeEndpoint]: "vpce", [T.endpointPolicy]: "vpce",
    [T.securityGroup]: "sg", [T.defaultSecurityGroup]: "sg", [T.nativeSecurityGroup]: "sg",
    [T.securityGroupRule]: "sgrule", [T.ingressRule]: "sgr", [T.egressRule]: "sgr", [T.nativeIngress]: "sgr", [T.nativeEgress]: "sgr",
    [T.association]: "a", [T.cidrBlock]: "vpc-cidr-assoc", [T.nativeCidrBlock]: "vpc-cidr-assoc",
};

/** The output holding a resource's own ID: `id` for aws, per type for aws-native. */
export function ownIdOutput(type: string): string {
    switch (type) {
        case T.nativeVpc: return "vpcId";
        case T.nativeSecurityGroup: return "groupId";
        case T.nativeEndpoint: return "awsId";
        default: return type.startsWith("aws-native:") ? "awsId" : "id";
    }
}

/** A resource as the engine sends it, and as the pack's tests hand it over. */
export interface BuiltResource {
    type: string;
    name: string;
    urn: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    propertyDependencies: Record<string, string[]>;
    dependencies: string[];
    analysed: boolean;
}

/** A resource written as data: what `Stack.add` takes. */
export interface Spec extends ResOptions {
    type: string;
    name: string;
    /** Inputs as the program writes them; `ref`s by name resolve within the stack. */
    inputs: Record<string, unknown>;
}

export class Stack {
    readonly resources: Res[] = [];

    /** A stack of the resources `specs` describe, in order. */
    static of(specs: readonly Spec[]): Stack {
        const stack = new Stack();
        for (const { type, name, inputs, ...options } of specs) stack.add(type, name, inputs, options);
        return stack;
    }

    add(type: string, name: string, args: Record<string, unknown> = {}, options: ResOptions = {}): Res {
        const given = options.computed?.[ownIdOutput(type)];
        const res: Res = { type, name, urn: urnOf(type, name), args, options, id: typeof given === "string" ? given : nextId(idPrefix[type] ?? "r") };
        this.resources.push(res);
        return res;
    }

    /** The resource a reference points to. */
    private target(ref: Ref): Res {
        if (typeof ref.target !== "string") return ref.target;
        const name = ref.target;
        const found = this.resources.find((r) => r.name === name);
        if (found === undefined) throw new Error(`no resource named ${name} in the stack`);
        return found;
    }

    /** A resource's own ID; a VpcEndpointPolicy's is its endpoint's. */
    private idOf(r: Res): string {
        const endpoint = r.args.vpcEndpointId;
        return r.type === T.endpointPolicy && isRef(endpoint) ? this.idOf(this.target(endpoint)) : r.id;
    }

    // Builders for the common resources; `args` override the defaults.
    vpc(name = "vpc", args: Record<string, unknown> = {}, options: ResOptions = {}): Res {
        return this.add(T.vpc, name, { cidrBlock: "10.0.0.0/16", ...args }, options);
    }

    /** An aws endpoint; `type` undefined leaves `vpcEndpointType` out (= Gateway). */
    endpoint(name: string, vpc: Res | string, service: unknown, args: Record<string, unknown> = {}, options: ResOptions = {}): Res {
        return this.add(T.endpoint, name, { vpcId: typeof vpc === "string" ? vpc : ref(vpc), serviceName: service, ...args }, options);
    }

    nativeEndpoint(name: string, vpc: Res | string, service: unknown, args: Record<string, unknown> = {}, options: ResOptions = {}): Res {
        return this.add(T.nativeEndpoint, name, { vpcId: typeof vpc === "string" ? vpc : ref(vpc, ownIdOutput(T.nativeVpc)), serviceName: service, ...args }, options);
    }

    standalone(name: string, endpoint: Res | string, policy: unknown, options: ResOptions = {}): Res {
        const vpcEndpointId = typeof endpoint === "string" ? endpoint : ref(endpoint, ownIdOutput(endpoint.type));
        return this.add(T.endpointPolicy, name, { vpcEndpointId, policy }, options);
    }

    securityGroup(name: string, vpc: Res | string, args: Record<string, unknown> = {}, options: ResOptions = {}): Res {
        return this.add(T.securityGroup, name, { vpcId: typeof vpc === "string" ? vpc : ref(vpc), ...args }, options);
    }

    /** The stack, shaped as `shape`. */
    build(shape: Shape): BuiltResource[] {
        const deployed = (r: Res) => shape === "deployed" || r.options.existing === true;
        const value = (v: unknown, deps: Set<string>): unknown => {
            if (isRef(v)) {
                const target = this.target(v);
                deps.add(target.urn);
                return deployed(target) ? this.outputValue(target, v.output ?? ownIdOutput(target.type)) : UnknownSentinel.string;
            }
            if (Array.isArray(v)) return v.map((e) => value(e, deps));
            if (v !== null && typeof v === "object") {
                const out: Record<string, unknown> = {};
                for (const [k, e] of Object.entries(v)) ownEntry(out, k, value(e, deps));
                return out;
            }
            return v;
        };
        const built: BuiltResource[] = this.resources.map((r) => {
            const inputs: Record<string, unknown> = {};
            const propertyDependencies: Record<string, string[]> = {};
            for (const [k, v] of Object.entries(r.args)) {
                const deps = new Set<string>();
                let resolved = value(v, deps);
                // pulumi.jsonStringify of an object holding an unknown is wholly unknown.
                if (typeof v === "object" && v !== null && !Array.isArray(v) && isStringified(r, k) && JSON.stringify(resolved).includes(UnknownSentinel.string)) {
                    resolved = UnknownSentinel.string;
                }
                ownEntry(inputs, k, isStringified(r, k) && typeof resolved === "object" && !isUnknownString(resolved) ? JSON.stringify(resolved) : resolved);
                for (const d of r.options.deps?.[k] ?? []) deps.add(d.urn);
                if (deps.size > 0) propertyDependencies[k] = [...deps];
            }
            for (const [k, extra] of Object.entries(r.options.deps ?? {})) {
                if (!(k in propertyDependencies) && extra.length > 0) propertyDependencies[k] = extra.map((d) => d.urn);
            }
            return {
                type: r.type, name: r.name, urn: r.urn, inputs, outputs: {}, propertyDependencies,
                dependencies: [...new Set(Object.values(propertyDependencies).flat())],
                analysed: r.options.unanalysed !== true,
            };
        });
        built.forEach((b, i) => {
            b.outputs = this.outputsOf(this.resources[i], b.inputs, deployed(this.resources[i]), built);
        });
        return built;
    }

    /** The value of an output of a deployed resource. */
    private outputValue(r: Res, output: string): unknown {
        for (const given of [r.options.deployedOutputs, r.options.computed]) {
            if (given !== undefined && Object.hasOwn(given, output)) return given[output];
        }
        if (output === ownIdOutput(r.type) || output === "id") return this.idOf(r);
        if (output === "prefixListId") return `pl-${this.idOf(r).slice(5)}`;
        return `${output}-of-${r.name}`;
    }

    private outputsOf(r: Res, inputs: Record<string, unknown>, known: boolean, built: BuiltResource[]): Record<string, unknown> {
        const outputs: Record<string, unknown> = { ...inputs };
        const unknown = UnknownSentinel.string;
        const set = (k: string, v: unknown) => { outputs[k] = known ? v : unknown; };
        set(ownIdOutput(r.type), this.idOf(r));
        switch (r.type) {
            case T.endpoint: {
                set("arn", `arn:aws:ec2:us-east-1:111122223333:vpc-endpoint/${r.id}`);
                const type = inputs.vpcEndpointType ?? "Gateway";
                if (type === "Gateway") set("prefixListId", this.outputValue(r, "prefixListId"));
                if (!("vpcEndpointType" in inputs)) outputs.vpcEndpointType = "Gateway";
                if (known) outputs.policy = this.readBack(r, inputs.policy, built);
                // The provider computes the policy when the program sets none (or ""): unknown until created.
                else if (inputs.policy === undefined || inputs.policy === "") outputs.policy = unknown;
                break;
            }
            case T.nativeEndpoint:
                // CloudFormation's VpcEndpointType defaults to Gateway, and is read back.
                if (!("vpcEndpointType" in inputs)) outputs.vpcEndpointType = "Gateway";
                if (known) outputs.policyDocument = this.readBack(r, inputs.policyDocument, built);
                else if (inputs.policyDocument === undefined || inputs.policyDocument === "") outputs.policyDocument = unknown;
                break;
            case T.endpointPolicy:
                if (inputs.policy === undefined || inputs.policy === "") outputs.policy = known ? awsDefaultPolicyText : unknown;
                break;
            case T.vpc:
                set("defaultSecurityGroupId", `sg-default-of-${r.name}`);
                break;
            case T.nativeVpc:
                // aws-native names it as CloudFormation does: DefaultSecurityGroup.
                set("defaultSecurityGroup", `sg-default-of-${r.name}`);
                break;
            case T.securityGroup:
                if (!("egress" in inputs)) outputs.egress = known ? [] : UnknownSentinel.array;
                if (!("ingress" in inputs)) outputs.ingress = known ? [] : UnknownSentinel.array;
                break;
        }
        for (const [k, v] of Object.entries(r.options.computed ?? {})) {
            if (known) outputs[k] = v;
            else if (!Object.hasOwn(inputs, k)) outputs[k] = unknown;
        }
        for (const [k, v] of Object.entries((known ? r.options.deployedOutputs : r.options.previewOutputs) ?? {})) {
            if (v === undefined) delete outputs[k];
            else outputs[k] = v;
        }
        return outputs;
    }

    /** What AWS reads back as an endpoint's policy: the inline one (unknown while it is), else a standalone one's, else the default. */
    private readBack(r: Res, inline: unknown, built: BuiltResource[]): unknown {
        const native = r.type === T.nativeEndpoint;
        if (inline !== undefined && inline !== "") return inline;
        const standalone = this.resources.map((s, i) => ({ s, b: built[i] }))
            .filter(({ s }) => s.type === T.endpointPolicy && isRef(s.args.vpcEndpointId) && this.target(s.args.vpcEndpointId) === r);
        const last = standalone[standalone.length - 1];
        const text = last?.b.inputs.policy;
        if (typeof text === "string" && text !== "") return native ? parsedOr(text) : text;
        return native ? awsDefaultPolicyObject : awsDefaultPolicyText;
    }

    /** Framework-shaped resources (`PolicyResource`-like): outputs as props, dependencies as resource objects. */
    policyResources(shape: Shape): GraphResource[] {
        return toPolicyResources(this.build(shape));
    }

    /** The engine's resources (`runPolicyPack`). Unanalysed resources cannot be expressed there. */
    engineResources(shape: Shape): StackResource[] {
        return this.build(shape).map((b) => ({
            urn: b.urn, type: b.type, name: b.name, inputs: b.inputs, outputs: b.outputs,
            dependencies: b.dependencies, propertyDependencies: b.propertyDependencies,
        }));
    }

    /** Records the inputs as Analyze would, forgetting anything remembered before; returns the resources. */
    analyze(shape: Shape): GraphResource[] {
        const built = this.build(shape);
        rememberAnalysed(looseOf(built));
        return toPolicyResources(built);
    }
}

/** A resource as a policy may be handed it: outputs as props, the inputs Analyze saw; possibly malformed in every field. */
export interface LooseResource {
    type: unknown;
    urn: unknown;
    name?: unknown;
    props: unknown;
    propertyDependencies?: unknown;
    dependencies?: unknown;
    /** The inputs Analyze saw (absent: not analysed). */
    inputs?: unknown;
}

/** Built resources as loose ones: outputs as props, inputs only where Analyze saw them. */
export function looseOf(built: readonly BuiltResource[]): LooseResource[] {
    return built.map((b) => ({
        type: b.type, urn: b.urn, name: b.name, props: b.outputs, propertyDependencies: b.propertyDependencies,
        dependencies: b.dependencies, ...(b.analysed ? { inputs: b.inputs } : {}),
    }));
}

/** Records the inputs as the pack's Analyze calls would, forgetting anything remembered before. */
export function rememberAnalysed(resources: readonly LooseResource[]): void {
    forgetInputs();
    for (const r of resources) {
        if (r === null || typeof r !== "object" || r.inputs === undefined) continue;
        rememberInputs(r.urn as string, r.inputs);
    }
}

/**
 * Resources as a stack policy receives them, dependencies as resource objects. With `framework`,
 * as @pulumi/policy builds them: props through `framework.props` (its unknown-checking proxy),
 * dependencies it cannot find dropped, a junk dependency map empty. Without, as a library caller
 * may hand them: junk kept, a URN that names no resource kept as the URN.
 */
export function policyResourcesOf(resources: readonly LooseResource[], framework?: { props: (props: object) => object }): GraphResource[] {
    const objects = resources.map((r) => {
        if (r === null || typeof r !== "object") return r as unknown as GraphResource;
        const props = framework !== undefined && r.props !== null && typeof r.props === "object" ? framework.props(r.props) : r.props;
        return { type: r.type, urn: r.urn, name: r.name, props, propertyDependencies: {}, dependencies: [] } as unknown as GraphResource;
    });
    const byUrn = new Map<unknown, GraphResource>();
    for (const o of objects) if (o !== null && typeof o === "object") byUrn.set(o.urn, o);
    const resolve = (urns: unknown[]): unknown[] => (framework !== undefined ? urns.map((u) => byUrn.get(u)).filter((d) => d !== undefined) : urns.map((u) => byUrn.get(u) ?? u));
    resources.forEach((r, i) => {
        if (r === null || typeof r !== "object") return;
        const o = objects[i] as unknown as { propertyDependencies: unknown; dependencies: unknown };
        if (Array.isArray(r.dependencies)) o.dependencies = resolve(r.dependencies);
        else if (framework === undefined && r.dependencies !== undefined) o.dependencies = r.dependencies;
        const deps = r.propertyDependencies;
        if (deps === null || typeof deps !== "object" || Array.isArray(deps)) {
            if (framework === undefined && deps !== undefined) o.propertyDependencies = deps;
            return;
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(deps)) {
            if (Array.isArray(v)) out[k] = resolve(v);
            else if (framework === undefined) out[k] = v;
        }
        o.propertyDependencies = out;
    });
    return objects;
}

/** Framework-shaped resources (`PolicyResource`-like) of a built stack. */
export function toPolicyResources(built: readonly BuiltResource[]): GraphResource[] {
    return policyResourcesOf(looseOf(built), { props: (props) => props });
}

/** A reference to an output of `target` (a resource, or its name in the stack); its own ID by default. */
export function ref(target: Res | string, output?: string): Ref {
    return output === undefined ? { [refMark]: true, target } : { [refMark]: true, target, output };
}

/** aws-native reads a policy back as JSON: the parsed text, or the text where it is not JSON (AWS would have refused it). */
function parsedOr(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text;
    }
}

/** Sets an own entry, `__proto__` included as a plain key (as JSON.parse makes it). */
function ownEntry(o: Record<string, unknown>, key: string, value: unknown): void {
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function isUnknownString(v: unknown): boolean {
    return v === UnknownSentinel.string;
}

// Policy properties the program builds with pulumi.jsonStringify: an object given there is sent as text.
function isStringified(r: Res, property: string): boolean {
    return property === "policy" && (r.type === T.endpoint || r.type === T.endpointPolicy);
}

// ---- Table tests for stack rules ----

export interface StackCase {
    name: string;
    stack: () => Stack;
    /** The shapes to run the case in; both by default. */
    shapes?: Shape[];
    config?: Record<string, unknown>;
    /** Expected violations as `messageId@resource name`, in the order reported; per shape when the shapes differ; none by default. */
    expect?: string[] | Record<Shape, string[]>;
    /** Substrings the messages must contain (in the shapes that report). */
    says?: string[];
}

/** The verdict of a stack policy on `stack` shaped as `shape`, after Analyze saw its inputs. */
export async function verdictOn(policy: StackPolicy, stack: Stack, shape: Shape, config?: unknown): Promise<StackVerdict> {
    try {
        return await policy.evaluate(stack.analyze(shape), config);
    } finally {
        forgetInputs();
    }
}

/** `messageId@resource name` for each violation, in the order reported. */
export function summarise(verdict: StackVerdict): string[] {
    return verdict.violations.map((v) => `${v.messageId}@${nameFromUrn(v.urn)}`);
}

/** Registers one mocha test per case and shape. */
export function stackCases(policy: StackPolicy, cases: StackCase[]): void {
    for (const c of cases) {
        for (const shape of c.shapes ?? shapes) {
            it(`${c.name} [${shape}]`, async () => {
                const verdict = await verdictOn(policy, c.stack(), shape, c.config);
                const expected = c.expect === undefined ? [] : Array.isArray(c.expect) ? c.expect : c.expect[shape];
                const text = verdict.violations.map((v) => v.message).join("\n");
                assert.deepStrictEqual(summarise(verdict), expected, text || verdict.notApplicable);
                if (expected.length > 0) for (const s of c.says ?? []) assert.ok(text.includes(s), `expected ${JSON.stringify(s)} in:\n${text}`);
                for (const v of verdict.violations) {
                    assert.ok(v.message.length <= maxMessageLength, `message too long (${v.message.length}): ${v.message}`);
                    assert.ok(!v.message.includes("{{"), `unfilled placeholder: ${v.message}`);
                }
                if (verdict.violations.length === 0) assert.ok(verdict.notApplicable === undefined || !verdict.notApplicable.includes("could not evaluate"), verdict.notApplicable);
            });
        }
    }
}

/** Mocha suites for a stack policy: the cases that must pass, the ones that must report, and odd stacks. */
export function stackRuleTable(policy: StackPolicy, valid: StackCase[], invalid: StackCase[]): void {
    describe("passes", () => stackCases(policy, valid));
    describe("reports", () => stackCases(policy, invalid));
    describe("never throws", () => {
        it("for odd stacks", async () => {
            for (const resources of oddStacks()) {
                forgetInputs();
                const verdict = await policy.evaluate(resources as GraphResource[]);
                assert.ok(Array.isArray(verdict.violations));
            }
            for (const resources of oddStacks()) {
                forgetInputs();
                for (const r of resources) {
                    if (r === null || typeof r !== "object" || typeof (r as GraphResource).urn !== "string") continue;
                    try {
                        rememberInputs((r as GraphResource).urn, (r as GraphResource).props);
                    } catch {
                        // A props object that throws cannot be remembered; the resource rules catch this too.
                    }
                }
                const verdict = await policy.evaluate(resources as GraphResource[]);
                assert.ok(Array.isArray(verdict.violations));
            }
        });
        it("through validateStack, reporting each violation with a URN", async () => {
            const s = new Stack();
            const vpc = s.vpc();
            s.endpoint("gw", vpc, "com.amazonaws.us-east-1.s3", { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "ec2:*", Resource: "*" }] }) });
            s.endpoint("gwlb", vpc, "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", { vpcEndpointType: "GatewayLoadBalancer", policy: "{}" });
            // An interface endpoint too, so that every stack rule (the security-group ones included) applies.
            s.endpoint("sts", vpc, svc("sts"), { vpcEndpointType: "Interface" });
            const resources = s.analyze("preview");
            const reported: [string, string | undefined][] = [];
            let notApplicable: string | undefined;
            await policy.validateStack({
                resources: resources as never,
                stackTags: new Map(),
                getConfig: <T extends object>() => ({}) as T,
                notApplicable: (reason?: string): never => { notApplicable = reason; throw new Error("not applicable"); },
            }, (message, urn) => { reported.push([message, urn]); });
            const verdict = await policy.evaluate(resources);
            assert.deepStrictEqual(reported, verdict.violations.map((v) => [v.message, v.urn]));
            assert.ok(reported.every(([, urn]) => typeof urn === "string" && urn.startsWith("urn:pulumi:")));
            assert.strictEqual(notApplicable, undefined);
        });
    });
    afterEach(() => forgetInputs());
}

/** Stacks no real engine sends, but a policy must survive. */
function oddStacks(): unknown[][] {
    const e = T.endpoint;
    const u = (n: string) => urnOf(e, n);
    const boom = new Proxy({}, { get() { throw new Error("boom"); }, ownKeys() { throw new Error("boom"); } });
    return [
        [],
        [null, 3, "x", []],
        [{ type: e, urn: u("a"), props: null }],
        [{ type: e, urn: u("b"), props: { serviceName: 42, vpcEndpointType: 7, policy: 3 } }],
        [{ type: e, urn: u("c"), props: { serviceName: "com.amazonaws.us-east-1.s3", policy: { Statement: "x" } } }],
        [{ type: e, urn: u("d"), props: { serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway", policy: "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[1,null]},\"Action\":[1,{}],\"Resource\":\"*\"}]}" } }],
        [{ type: e, urn: u("e"), props: { serviceName: "com.amazonaws.us-east-1.s3", policy: "[1,2]" } }],
        [{ type: T.nativeEndpoint, urn: urnOf(T.nativeEndpoint, "f"), props: { serviceName: "com.amazonaws.us-east-1.s3", policyDocument: [1] } }],
        [{ type: T.endpointPolicy, urn: urnOf(T.endpointPolicy, "g"), props: { vpcEndpointId: ["x", 1], policy: null }, propertyDependencies: { vpcEndpointId: [null, 5, {}, "urn:nope"] } }],
        [{ type: e, urn: u("h"), props: { serviceName: "com.amazonaws.us-east-1.s3" }, propertyDependencies: "junk" }],
        [{ type: e, urn: u("i"), props: boom }],
        [{ type: e, urn: u("j"), props: { serviceName: "com.amazonaws.us-east-1.s3", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:" + "a".repeat(100000), Resource: "*" }] }) } }],
    ];
}

/** A service name, in us-east-1 unless told. */
export const svc = (suffix: string, region = "us-east-1") => `com.amazonaws.${region}.${suffix}`;

/** A case's stack: a VPC, then whatever `add` builds in it. */
export function stackWith(add: (s: Stack, vpc: ReturnType<Stack["vpc"]>) => void): () => Stack {
    return () => {
        const s = new Stack();
        add(s, s.vpc());
        return s;
    };
}

// ---- Networks as data, for the security-group rule tables ----

/** The region of the networks below. */
export const networkRegion = "eu-west-1";

/** The cases' stacks: the resources `specs` describe. */
export const stackOf = (specs: readonly Spec[]) => () => Stack.of(specs);

/** The VPC `main` (or `name`), with DNS support and hostnames on. */
export const vpc = (extra: Record<string, unknown> = {}, name = "main", id = `vpc-0${name}`): Spec => ({
    type: T.vpc, name,
    inputs: { cidrBlock: "10.0.0.0/16", enableDnsSupport: true, enableDnsHostnames: true, ...extra },
    computed: { id, defaultSecurityGroupId: `sg-0default${name}`, arn: `arn:aws:ec2:${networkRegion}:111122223333:vpc/${id}` },
});

export const tcpIngress = (port: number, peers: Record<string, unknown>) => ({ protocol: "tcp", fromPort: port, toPort: port, ...peers });

/** An aws security group in `main`; without `egress` the provider revokes AWS's default, so deployed egress is []. */
export const sg = (name: string, inputs: Record<string, unknown>, id = `sg-0${name}`): Spec => ({
    type: T.securityGroup, name,
    inputs: { vpcId: ref("main"), ...inputs },
    computed: { id, arn: `arn:aws:ec2:${networkRegion}:111122223333:security-group/${id}` },
});

/** An Interface endpoint in `main` with private DNS on. */
export const interfaceEndpoint = (name: string, suffix: string, extra: Record<string, unknown> = {}, id = `vpce-0${name}`): Spec => ({
    type: T.endpoint, name,
    inputs: { vpcId: ref("main"), serviceName: svc(suffix, networkRegion), vpcEndpointType: "Interface", privateDnsEnabled: true, ...extra },
    computed: { id, dnsEntries: [], networkInterfaceIds: ["eni-0abc"] },
});

/** A Gateway endpoint in `main`. */
export const gatewayEndpoint = (name: string, suffix: string, extra: Record<string, unknown> = {}, prefixListId = "pl-6da54004"): Spec => ({
    type: T.endpoint, name,
    inputs: { vpcId: ref("main"), serviceName: svc(suffix, networkRegion), vpcEndpointType: "Gateway", ...extra },
    computed: { id: `vpce-0${name}`, prefixListId, cidrBlocks: ["52.218.0.0/17"] },
});
