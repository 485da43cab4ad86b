// The stack as the stack rules see it: every resource the pack understands, indexed once by URN,
// by role and by the IDs it is known by, and the references between them (an endpoint's VPC and
// security groups, a standalone policy's endpoint, a rule's group…) resolved the way SPEC.md's
// "Linking resources" says: through `propertyDependencies` first (they hold while IDs are unknown
// in preview), then by value. Each property is read "as the user set it": the inputs Analyze saw,
// else the outputs. Building is linear in the stack; every lookup after that is a map access.

import { inputsGeneration, rememberedInputs } from "./inputs-memory";
import { roleOf, type Role } from "./roles";
import { containsUnknown, isUnknown, unwrapProps } from "../values/unknown-values";
import { isRequestProps } from "../values/request-props";
import { nameOfUrn } from "./urn";

export type Provider = "aws" | "aws-native";

/** What the graph needs of a stack resource: the framework's `PolicyResource`, or a plain object of that shape. */
export interface GraphResource {
    type: string;
    urn: string;
    name?: string;
    /** Outputs; the framework's unknown-checking proxy or a plain object. */
    props: unknown;
    /** Input property → the resources its value came from (resource objects, or URNs). */
    propertyDependencies?: Readonly<Record<string, readonly (GraphResource | string)[] | undefined>>;
}

/** Which ID space a reference is compared in: resource IDs, or a gateway endpoint's prefix list. */
export type IdKind = "id" | "prefixList";

/** Output properties holding a resource's own ID. aws-native names them per type (`awsId`, `groupId`, `vpcId`). */
function idProperties(type: string, kind: IdKind): readonly string[] {
    if (kind === "prefixList") return type === "aws:ec2/vpcEndpoint:VpcEndpoint" ? ["prefixListId"] : [];
    switch (type) {
        case "aws-native:ec2:VpcEndpoint": return ["awsId", "id"];
        case "aws-native:ec2:SecurityGroup": return ["groupId", "awsId", "id"];
        case "aws-native:ec2:Vpc": return ["vpcId", "id"];
        default: return type.startsWith("aws-native:") ? ["awsId", "id"] : ["id"];
    }
}

/** A property read as the user set it. `from` says which side it was read from. */
export type PropertyValue =
    | { state: "absent"; from: "inputs" | "outputs" }
    | { state: "unknown"; from: "inputs" | "outputs" }
    | { state: "known"; value: unknown; from: "inputs" | "outputs" };

export class StackNode {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly role: Role | undefined;
    readonly provider: Provider | undefined;
    /** Outputs, unwrapped from the framework's proxy: read them here, never through `resource.props`. */
    readonly outputs: Readonly<Record<string, unknown>>;
    /** The inputs Analyze saw for this URN; undefined when the pack never saw them. */
    readonly inputs: Readonly<Record<string, unknown>> | undefined;

    constructor(readonly resource: GraphResource, readonly index: number) {
        this.type = typeof resource.type === "string" ? resource.type : "";
        this.urn = typeof resource.urn === "string" ? resource.urn : "";
        this.name = typeof resource.name === "string" && resource.name !== "" ? resource.name : nameOfUrn(this.urn);
        this.role = roleOf(this.type);
        this.provider = this.type.startsWith("aws:") ? "aws" : this.type.startsWith("aws-native:") ? "aws-native" : undefined;
        this.outputs = safely(() => unwrapProps(resource.props), {});
        this.inputs = this.urn === "" ? undefined : rememberedInputs(this.urn);
    }

    /**
     * A property as the user set it: the inputs when Analyze saw them (absent there = not set), else
     * the outputs. An input that is, or holds, an unknown gives way to a fully known output (the
     * value the update produced for it).
     */
    property(name: string): PropertyValue {
        if (this.inputs === undefined) return read(this.outputs, name, "outputs");
        const input = read(this.inputs, name, "inputs");
        if (input.state === "absent") return input;
        if (input.state === "known" && !containsUnknown(input.value)) return input;
        const output = read(this.outputs, name, "outputs");
        return output.state === "known" && !containsUnknown(output.value) ? output : input;
    }

    /** A known, non-empty string property as set; undefined when absent, unknown or not a string. */
    stringProperty(name: string): string | undefined {
        const p = this.property(name);
        return p.state === "known" && typeof p.value === "string" && p.value !== "" ? p.value : undefined;
    }

    /** The known IDs this resource goes by in an ID space (from its outputs). */
    ids(kind: IdKind = "id"): string[] {
        const ids: string[] = [];
        for (const prop of idProperties(this.type, kind)) {
            const v = Object.hasOwn(this.outputs, prop) ? this.outputs[prop] : undefined;
            if (typeof v === "string" && v !== "" && !isUnknown(v) && !ids.includes(v)) ids.push(v);
        }
        return ids;
    }
}

/** A resource whose props cannot be read (a hostile proxy) is a resource with no properties, not a failed stack. */
function safely<T>(f: () => T, fallback: T): T {
    try {
        return f();
    } catch {
        return fallback;
    }
}

function read(bag: Readonly<Record<string, unknown>>, name: string, from: "inputs" | "outputs"): PropertyValue {
    const value = Object.hasOwn(bag, name) ? bag[name] : undefined;
    if (value === undefined || value === null) return { state: "absent", from };
    if (isUnknown(value)) return { state: "unknown", from };
    return { state: "known", value, from };
}

/**
 * Where a reference leads. `linked`: the stack resources it names. `external`: known IDs that name
 * nothing in the stack (external resources: no claim). `unresolved`: entries whose target cannot be
 * told yet (unknown and not explained by a dependency). `kind` sums it up for a single reference.
 */
export interface Resolution {
    kind: "absent" | "linked" | "external" | "unknown";
    linked: StackNode[];
    external: string[];
    unresolved: number;
}

export interface Target {
    roles: readonly Role[];
    /** The ID space the value is compared in; `id` unless a prefix list is meant. */
    by?: IdKind;
}

/** A named reference from one role to others, with the property per type that holds it. */
export interface Link {
    from: Role;
    to: Target;
    /** The property holding the reference, by type; `default` for the others. */
    property: Readonly<Record<string, string>> & { default: string };
}

export const links = {
    endpointVpc: { from: "endpoint", to: { roles: ["vpc"] }, property: { default: "vpcId" } },
    endpointSecurityGroups: { from: "endpoint", to: { roles: ["securityGroup"] }, property: { default: "securityGroupIds" } },
    policyEndpoint: { from: "endpointPolicy", to: { roles: ["endpoint"] }, property: { default: "vpcEndpointId" } },
    securityGroupVpc: { from: "securityGroup", to: { roles: ["vpc"] }, property: { default: "vpcId" } },
    ruleSecurityGroup: {
        from: "securityGroupRule", to: { roles: ["securityGroup"] },
        property: { "default": "securityGroupId", "aws-native:ec2:SecurityGroupIngress": "groupId", "aws-native:ec2:SecurityGroupEgress": "groupId" },
    },
    associationEndpoint: { from: "securityGroupAssociation", to: { roles: ["endpoint"] }, property: { default: "vpcEndpointId" } },
    associationSecurityGroup: { from: "securityGroupAssociation", to: { roles: ["securityGroup"] }, property: { default: "securityGroupId" } },
    cidrBlockVpc: { from: "vpcCidrBlock", to: { roles: ["vpc"] }, property: { default: "vpcId" } },
} as const satisfies Record<string, Link>;

export type LinkName = keyof typeof links;

export function linkProperty(link: Link, type: string): string {
    return Object.hasOwn(link.property, type) ? link.property[type] : link.property.default;
}

/** Resources of the stack that refer to one target by a link. */
export interface Referrers {
    /** Resources whose reference resolves to the target. */
    nodes: StackNode[];
    /** Resources of the link's role whose reference cannot be resolved yet: any of them may point at the target. */
    uncertain: StackNode[];
}

/** Work done by a graph, counted so tests can show it grows linearly with the stack. */
export interface GraphWork {
    /** Resources indexed. */
    visits: number;
    /** Map reads while building and resolving. */
    lookups: number;
}

export class StackGraph {
    readonly nodes: readonly StackNode[];
    readonly work: GraphWork = { visits: 0, lookups: 0 };
    private readonly byUrn = new Map<string, StackNode>();
    private readonly byRole = new Map<Role, StackNode[]>();
    private readonly byId: Record<IdKind, Map<string, StackNode[]>> = { id: new Map(), prefixList: new Map() };
    private readonly reverse = new Map<LinkName, { targets: Map<string, StackNode[]>; uncertain: StackNode[] }>();
    /** The inputs memory's generation the nodes' inputs were read (or last checked) at. */
    inputsReadAt = inputsGeneration();

    /** The resources the graph was built from, as given. */
    readonly resources: readonly GraphResource[];

    constructor(resources: readonly GraphResource[]) {
        const nodes: StackNode[] = [];
        const list = Array.isArray(resources) ? resources : [];
        this.resources = list;
        for (let i = 0; i < list.length; i++) {
            const resource = list[i];
            if (resource === null || typeof resource !== "object") continue;
            const node = new StackNode(resource, i);
            this.work.visits++;
            nodes.push(node);
            if (node.urn !== "") this.byUrn.set(node.urn, node);
            if (node.role === undefined) continue;
            let sameRole = this.byRole.get(node.role);
            if (sameRole === undefined) this.byRole.set(node.role, (sameRole = []));
            sameRole.push(node);
            for (const kind of ["id", "prefixList"] as const) {
                for (const id of node.ids(kind)) {
                    this.work.lookups++;
                    const same = this.byId[kind].get(id);
                    if (same) same.push(node);
                    else this.byId[kind].set(id, [node]);
                }
            }
        }
        this.nodes = nodes;
    }

    /** The resource with this URN. */
    node(urn: string): StackNode | undefined {
        this.work.lookups++;
        return this.byUrn.get(urn);
    }

    /** The resources of a role, in stack order. */
    nodesOf(role: Role): readonly StackNode[] {
        return this.byRole.get(role) ?? [];
    }

    /** The resources of the given roles known by `id` (an ID, or a prefix list ID with `by: "prefixList"`). */
    withId(id: string, target: Target): StackNode[] {
        this.work.lookups++;
        const found = this.byId[target.by ?? "id"].get(id);
        return found ? found.filter((n) => n.role !== undefined && target.roles.includes(n.role)) : [];
    }

    /** The stack resources `node.property`'s value came from, per its `propertyDependencies`. */
    dependencies(node: StackNode, property: string): StackNode[] {
        const deps = node.resource.propertyDependencies;
        const list = deps !== null && typeof deps === "object" && Object.hasOwn(deps, property) ? deps[property] : undefined;
        if (!Array.isArray(list)) return [];
        const found: StackNode[] = [];
        for (const d of list) {
            const urn = urnOf(d);
            const n = urn === undefined ? undefined : this.node(urn);
            if (n !== undefined && !found.includes(n)) found.push(n);
        }
        return found;
    }

    /** Resolves `node.property` (as the user set it) to resources of the target roles. */
    resolve(node: StackNode, property: string, target: Target): Resolution {
        const value = node.property(property);
        if (value.state === "absent") return { kind: "absent", linked: [], external: [], unresolved: 0 };
        return this.resolveValue(value.state === "known" ? value.value : undefined, this.dependencies(node, property), target);
    }

    /** Follows a named link from a resource of the link's role. */
    follow(node: StackNode, name: LinkName): Resolution {
        const link: Link = links[name];
        return this.resolve(node, linkProperty(link, node.type), link.to);
    }

    /**
     * Resolves a reference value (an ID, a list of IDs, unknowns; `undefined` for a wholly unknown
     * value) given the resources it depends on. Usable for references nested in a property, such as
     * an inline egress rule's `prefixListIds`, with the dependencies of the top-level property.
     */
    resolveValue(value: unknown, dependencies: readonly StackNode[], target: Target): Resolution {
        const by = target.by ?? "id";
        const wholeUnknown = value === undefined || isUnknown(value);
        const entries: unknown[] = wholeUnknown ? [] : Array.isArray(value) ? value : [value];
        if (!wholeUnknown && entries.every((e) => e === "" || e === null || e === undefined)) {
            return { kind: "absent", linked: [], external: [], unresolved: 0 };
        }
        const linked: StackNode[] = [];
        // An ID can name many resources (every Gateway endpoint of a Region shares its service's
        // prefix list): membership by set, so a reference costs what it links, not its square.
        const isLinked = new Set<StackNode>();
        const unmatched: string[] = [];
        let unknownEntries = 0;
        let unresolved = 0;
        for (const entry of entries) {
            if (entry === "" || entry === null || entry === undefined) continue;
            if (isUnknown(entry)) {
                unknownEntries++;
            } else if (typeof entry === "string") {
                const found = this.withId(entry, target);
                if (found.length === 0) unmatched.push(entry);
                for (const n of found) {
                    if (isLinked.has(n)) continue;
                    isLinked.add(n);
                    linked.push(n);
                }
            } else {
                unresolved++;
            }
        }
        // Dependencies of a target role whose own ID is not known stand for the entries that are not.
        const opaque = dependencies.filter((d) => d.role !== undefined && target.roles.includes(d.role) && !isLinked.has(d) && d.ids(by).length === 0);
        let capacity = opaque.length;
        if (wholeUnknown) {
            if (capacity === 0) unresolved++;
            capacity = 0;
        } else {
            const explained = Math.min(unknownEntries, capacity);
            capacity -= explained;
            unresolved += unknownEntries - explained;
        }
        const external: string[] = [];
        for (const id of unmatched) {
            if (capacity > 0) capacity--;
            else external.push(id);
        }
        const explainedSomething = wholeUnknown || unknownEntries > 0 || unmatched.length > external.length;
        if (explainedSomething) for (const n of opaque) linked.push(n);
        const kind = linked.length > 0 ? "linked" : unresolved > 0 ? "unknown" : external.length > 0 ? "external" : "absent";
        return { kind, linked, external, unresolved };
    }

    /** The resources that refer to `target` through a named link (indexed on first use, once per link). */
    referrers(target: StackNode, name: LinkName): Referrers {
        let index = this.reverse.get(name);
        if (index === undefined) {
            index = { targets: new Map(), uncertain: [] };
            for (const from of this.nodesOf(links[name].from)) {
                this.work.visits++;
                const r = this.follow(from, name);
                if (r.unresolved > 0) index.uncertain.push(from);
                for (const to of r.linked) {
                    const list = index.targets.get(to.urn);
                    if (list) list.push(from);
                    else index.targets.set(to.urn, [from]);
                }
            }
            this.reverse.set(name, index);
        }
        this.work.lookups++;
        return { nodes: index.targets.get(target.urn) ?? [], uncertain: index.uncertain };
    }
}

// One graph per stack. The framework hands each stack policy its own resources array, but with
// shared deserialization (framework-cache.ts) their props are the same objects, so a graph is found
// by its first resource's props as well as by the array, and reused once it is checked to describe
// the resources given: same URNs, types, names, props objects and dependencies, and the inputs
// memory still holding what it was built with. Resources whose props are a request's proxies
// (values/request-props.ts) are that request's stack: their first and last resources say it.
const graphsByArray = new WeakMap<object, StackGraph>();
const graphsByProps = new WeakMap<object, StackGraph>();

/** The graph of a stack's resources, built once per stack. */
export function stackGraph(resources: readonly GraphResource[]): StackGraph {
    const key = Array.isArray(resources) ? resources : [];
    const first = firstProps(key);
    const cached = graphsByArray.get(key) ?? (first === undefined ? undefined : graphsByProps.get(first));
    if (cached !== undefined && (sameRequest(cached, key) || describes(cached, key))) {
        graphsByArray.set(key, cached);
        return cached;
    }
    const graph = new StackGraph(key);
    graphsByArray.set(key, graph);
    if (first !== undefined) graphsByProps.set(first, graph);
    return graph;
}

/** Whether these resources are the request's stack the graph was built from (see above). */
function sameRequest(graph: StackGraph, resources: readonly GraphResource[]): boolean {
    const built = graph.resources;
    if (resources.length !== built.length || resources.length === 0) return false;
    for (const i of [0, resources.length - 1]) {
        const r = resources[i];
        const b = built[i];
        if (r === null || typeof r !== "object" || b === null || typeof b !== "object") return false;
        if (r.props !== b.props || !isRequestProps(r.props)) return false;
    }
    return inputsCurrent(graph);
}

/** Whether the inputs memory still holds what the graph's nodes read. */
function inputsCurrent(graph: StackGraph): boolean {
    const generation = inputsGeneration();
    if (graph.inputsReadAt === generation) return true;
    for (const node of graph.nodes) if (node.urn !== "" && rememberedInputs(node.urn) !== node.inputs) return false;
    graph.inputsReadAt = generation;
    return true;
}

function firstProps(resources: readonly GraphResource[]): object | undefined {
    for (const r of resources) {
        if (r === null || typeof r !== "object") continue;
        return safely<object | undefined>(() => unwrapProps(r.props), undefined);
    }
    return undefined;
}

/**
 * Whether `graph` was built from resources equal to these: props compared by identity (the
 * framework's proxy first, which the shared proxies make one object per resource; else what it
 * wraps), and the inputs memory still holding what the nodes read (one comparison when it has not
 * changed since).
 */
function describes(graph: StackGraph, resources: readonly GraphResource[]): boolean {
    let objects = 0;
    for (const r of resources) if (r !== null && typeof r === "object") objects++;
    if (objects !== graph.nodes.length) return false;
    for (const node of graph.nodes) {
        const r = resources[node.index];
        if (r === null || typeof r !== "object") return false;
        if (r === node.resource) continue;
        if (r.urn !== node.resource.urn || r.type !== node.resource.type || r.name !== node.resource.name) return false;
        if (r.props !== node.resource.props && safely<object | undefined>(() => unwrapProps(r.props), undefined) !== node.outputs) return false;
        if (!sameDependencies(r.propertyDependencies, node.resource.propertyDependencies)) return false;
    }
    return inputsCurrent(graph);
}

type Dependencies = GraphResource["propertyDependencies"];

function sameDependencies(a: Dependencies, b: Dependencies): boolean {
    if (a === b) return true;
    if (a === null || typeof a !== "object" || b === null || typeof b !== "object") return false;
    // Counted, not listed: this runs for every resource of every stack policy after the first.
    let keys = 0;
    for (const k in a) {
        if (!Object.hasOwn(a, k)) continue;
        keys++;
        if (!Object.hasOwn(b, k)) return false;
        const x = a[k];
        const y = b[k];
        if (!Array.isArray(x) || !Array.isArray(y)) {
            if (x !== y) return false;
            continue;
        }
        if (x.length !== y.length) return false;
        for (let i = 0; i < x.length; i++) if (urnOf(x[i]) !== urnOf(y[i]) || urnOf(x[i]) === undefined) return false;
    }
    for (const k in b) if (Object.hasOwn(b, k)) keys--;
    return keys === 0;
}

/** The URN a dependency entry names: a URN, or a resource object with one. */
function urnOf(d: unknown): string | undefined {
    if (typeof d === "string") return d;
    return d !== null && typeof d === "object" && typeof (d as { urn?: unknown }).urn === "string" ? (d as { urn: string }).urn : undefined;
}
