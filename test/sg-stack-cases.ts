// Stacks for the security-group stack rules (SPEC rules 11–14), written once and rendered in the
// two shapes the pack meets them in: `preview` (new resources: IDs and computed outputs unknown,
// links only through propertyDependencies) and `deployed` (every ID known, outputs read back).

import * as assert from "assert";
import type { StackResource } from "../engine/types";
import { forgetInputs, rememberInputs } from "../policies/inputs-memory";
import type { GraphResource } from "../policies/stack-graph";
import type { StackPolicy, StackVerdict } from "../policies/stack-rule";
import { UnknownSentinel } from "../policies/unknown-values";

export type Shape = "preview" | "deployed";
export const shapes: Shape[] = ["preview", "deployed"];

/** A reference to another resource's output: unknown in preview, its value once deployed. */
export class Ref {
    constructor(readonly target: string, readonly output: string) {}
}
export const ref = (target: string, output = "id") => new Ref(target, output);

export interface Spec {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    /** Outputs the provider computes (IDs, prefix list, read-back): unknown in preview unless given as inputs. */
    computed?: Record<string, unknown>;
}

export const T = {
    vpc: "aws:ec2/vpc:Vpc",
    nativeVpc: "aws-native:ec2:Vpc",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    nativeEndpoint: "aws-native:ec2:VpcEndpoint",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    nativeSg: "aws-native:ec2:SecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    nativeIngress: "aws-native:ec2:SecurityGroupIngress",
    nativeEgress: "aws-native:ec2:SecurityGroupEgress",
    association: "aws:ec2/securityGroupAssociation:SecurityGroupAssociation",
    cidrBlock: "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
    nativeCidrBlock: "aws-native:ec2:VpcCidrBlock",
} as const;

export const urnOf = (type: string, name: string) => `urn:pulumi:dev::network::${type}::${name}`;

const region = "eu-west-1";
export const service = (suffix: string) => `com.amazonaws.${region}.${suffix}`;

/** Renders specs as the engine's resources, in one shape. */
export function render(specs: Spec[], shape: Shape): StackResource[] {
    const byName = new Map(specs.map((s) => [s.name, s]));
    const resolve = (value: unknown, deps: Set<string>): unknown => {
        if (value instanceof Ref) {
            const target = byName.get(value.target);
            if (target === undefined) throw new Error(`no resource ${value.target}`);
            deps.add(urnOf(target.type, target.name));
            return shape === "preview" ? UnknownSentinel.string : target.computed?.[value.output] ?? target.inputs[value.output];
        }
        if (Array.isArray(value)) return value.map((v) => resolve(v, deps));
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, deps)]));
        }
        return value;
    };
    return specs.map((spec) => {
        const inputs: Record<string, unknown> = {};
        const propertyDependencies: Record<string, string[]> = {};
        for (const [key, value] of Object.entries(spec.inputs)) {
            const deps = new Set<string>();
            inputs[key] = resolve(value, deps);
            if (deps.size > 0) propertyDependencies[key] = [...deps];
        }
        const outputs: Record<string, unknown> = { ...inputs };
        for (const [key, value] of Object.entries(spec.computed ?? {})) {
            if (shape === "deployed") outputs[key] = value;
            else if (!Object.hasOwn(inputs, key)) outputs[key] = UnknownSentinel.string;
        }
        return {
            urn: urnOf(spec.type, spec.name), type: spec.type, name: spec.name, inputs, outputs, propertyDependencies,
            dependencies: [...new Set(Object.values(propertyDependencies).flat())],
        };
    });
}

/** Runs a stack policy the way the engine does: Analyze (inputs remembered) on every resource, then the stack. */
export async function runStackPolicy(policy: StackPolicy, specs: Spec[], shape: Shape, config?: unknown): Promise<StackVerdict> {
    const resources = render(specs, shape);
    forgetInputs();
    for (const r of resources) rememberInputs(r.urn, r.inputs);
    // As the framework hands them over: outputs as props, dependencies as the resource objects.
    const objects: GraphResource[] = resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.outputs }));
    const byUrn = new Map(objects.map((o) => [o.urn, o]));
    resources.forEach((r, i) => {
        objects[i].propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies ?? {})
            .map(([k, urns]) => [k, urns.map((u) => byUrn.get(u)).filter((o): o is GraphResource => o !== undefined)]));
    });
    const verdict = await policy.evaluate(objects, config);
    forgetInputs();
    return verdict;
}

/** `messageId@name` for each violation, for compact assertions. */
export function summary(verdict: StackVerdict): string[] {
    return verdict.violations.map((v) => `${v.messageId}@${v.urn.slice(v.urn.lastIndexOf("::") + 2)}`);
}

// ---------------------------------------------------------------------------------------------
// Building blocks

export const vpc = (extra: Record<string, unknown> = {}, name = "main", id = `vpc-0${name}`): Spec => ({
    type: T.vpc, name,
    inputs: { cidrBlock: "10.0.0.0/16", enableDnsSupport: true, enableDnsHostnames: true, ...extra },
    computed: { id, defaultSecurityGroupId: `sg-0default${name}`, arn: `arn:aws:ec2:${region}:111122223333:vpc/${id}` },
});

export const tcpIngress = (port: number, peers: Record<string, unknown>) => ({ protocol: "tcp", fromPort: port, toPort: port, ...peers });

/** An aws security group; without `egress` the provider revokes AWS's default, so deployed egress is []. */
export const sg = (name: string, inputs: Record<string, unknown>, id = `sg-0${name}`): Spec => ({
    type: T.sg, name,
    inputs: { vpcId: ref("main"), ...inputs },
    computed: { id, ingress: inputs.ingress ?? [], egress: inputs.egress ?? [], arn: `arn:aws:ec2:${region}:111122223333:security-group/${id}` },
});

export const interfaceEndpoint = (name: string, suffix: string, extra: Record<string, unknown> = {}, id = `vpce-0${name}`): Spec => ({
    type: T.endpoint, name,
    inputs: { vpcId: ref("main"), serviceName: service(suffix), vpcEndpointType: "Interface", privateDnsEnabled: true, ...extra },
    computed: { id, dnsEntries: [], networkInterfaceIds: ["eni-0abc"], policy: JSON.stringify(fullAccess) },
});

export const gatewayEndpoint = (name: string, suffix: string, extra: Record<string, unknown> = {}, prefixListId = "pl-6da54004"): Spec => ({
    type: T.endpoint, name,
    inputs: { vpcId: ref("main"), serviceName: service(suffix), vpcEndpointType: "Gateway", ...extra },
    computed: { id: `vpce-0${name}`, prefixListId, cidrBlocks: ["52.218.0.0/17"], policy: JSON.stringify(fullAccess) },
});

export const fullAccess = { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] };

// ---------------------------------------------------------------------------------------------
// Case tables

export interface StackCase {
    name: string;
    specs: Spec[];
    config?: Record<string, unknown>;
    /** `messageId@resource name`, in order; per shape when the shapes differ. */
    expect: string[] | Record<Shape, string[]>;
    /** Substrings the messages must contain (in the shapes that report). */
    says?: string[];
    /** The shapes to run; both by default. */
    only?: Shape;
}

/** Registers one mocha test per case and shape. */
export function runCases(policy: StackPolicy, cases: StackCase[]): void {
    for (const c of cases) {
        for (const shape of c.only ? [c.only] : shapes) {
            it(`${c.name} [${shape}]`, async () => {
                const verdict = await runStackPolicy(policy, c.specs, shape, c.config);
                const expected = Array.isArray(c.expect) ? c.expect : c.expect[shape];
                assert.deepStrictEqual(summary(verdict), expected, verdict.violations.map((v) => v.message).join("\n") || verdict.notApplicable);
                const text = verdict.violations.map((v) => v.message).join("\n");
                if (expected.length > 0) for (const s of c.says ?? []) assert.ok(text.includes(s), `expected ${JSON.stringify(s)} in:\n${text}`);
                for (const v of verdict.violations) assert.ok(v.message.length < 800, `message too long: ${v.message}`);
            });
        }
    }
}
