// A VPC endpoint as the stack rules judge it: its type and service, and the policies it ends up
// with — inline (as the user set it), from linked `VpcEndpointPolicy` resources, or, when the
// pack never saw the endpoint's inputs, AWS's read-back — each with the resource a user edits to
// change it. Also the one test of "equivalent to full access" (SPEC rules 6 and 7).

import { compactPolicyJson } from "../iam/compact-policy";
import { carrierProperty, readEndpointPolicy, ResourceType, type EndpointPolicyInput } from "./endpoint-policy";
import { isAnyPrincipal, principalEntries } from "../iam/principal";
import { conditionTests, isJsonObject, statementsOf, stringList, truncate, type PolicyStatement } from "../iam/policy-document";
import { parseServiceName, type ServiceName } from "./service-catalogue";
import type { StackGraph, StackNode } from "./stack-graph";
import { isUnknown } from "../values/unknown-values";

export const endpointTypes = ["Interface", "Gateway", "GatewayLoadBalancer", "Resource", "ServiceNetwork"] as const;
export type EndpointType = (typeof endpointTypes)[number];

/** A policy document and where it lives. */
export interface AttachedPolicy {
    /** The resource a user edits to change it: the endpoint (inline) or the `VpcEndpointPolicy`. */
    carrier: StackNode;
    origin: "inline" | "standalone" | "read-back";
    /** The carrier's property: `policy` or `policyDocument`. */
    property: string;
    /** The document as read; `unknown` until the update. */
    input: Exclude<EndpointPolicyInput, { status: "not-a-carrier" | "absent" }>;
    /**
     * A `VpcEndpointPolicy` that sets no `policy` (or an empty one): the provider resets the endpoint
     * to AWS's default policy, which `input` then holds.
     */
    defaulted?: boolean;
}

export type InlinePolicy =
    /** The user set no inline policy (or an empty string). */
    | { state: "absent" }
    /** Not known until the update (it may even turn out empty): no claim. */
    | { state: "unknown" }
    /** Set by the user (read from the inputs Analyze saw). */
    | { state: "set"; policy: AttachedPolicy }
    /**
     * The pack never saw the inputs; the outputs hold AWS's read-back, which may be the user's
     * inline policy, a standalone policy's document, or the default AWS attached.
     */
    | { state: "read-back"; policy: AttachedPolicy; isAwsDefault: boolean; matchesStandalone: boolean };

export interface VpcEndpointView {
    node: StackNode;
    /** The endpoint type (`vpcEndpointType` omitted = Gateway); undefined while unknown. */
    type: string | undefined;
    /** The service name as set; undefined while unknown or absent. */
    serviceName: string | undefined;
    /** The parsed service name; undefined when unknown, absent or not a service name form. */
    service: ServiceName | undefined;
    inline: InlinePolicy;
    /** Linked `VpcEndpointPolicy` resources and their documents. */
    standalone: AttachedPolicy[];
    /** Some `VpcEndpointPolicy` in the stack has a link that cannot be resolved yet. */
    standaloneUncertain: boolean;
    /** The policy AWS reports on the endpoint (its outputs), when known: whatever set it. */
    readBack: { policy: AttachedPolicy; isAwsDefault: boolean } | undefined;
}

/** The property an endpoint of this type keeps its inline policy in. */
export function inlinePolicyProperty(node: StackNode): "policy" | "policyDocument" {
    return node.type === ResourceType.nativeVpcEndpoint ? "policyDocument" : "policy";
}

/**
 * An Interface or Gateway endpoint to an AWS service (not a customer or partner service): the
 * endpoints whose policy guards an AWS service's API.
 */
export function isAwsServiceEndpoint(view: VpcEndpointView): view is VpcEndpointView & { type: "Interface" | "Gateway"; service: ServiceName } {
    return (view.type === "Interface" || view.type === "Gateway") && view.service !== undefined && !view.service.customer;
}

/** Reads every endpoint of the stack. */
export function vpcEndpoints(graph: StackGraph): VpcEndpointView[] {
    return graph.nodesOf("endpoint").map((node) => readVpcEndpoint(graph, node));
}

// Nodes belong to one graph, which every stack rule of a call shares: each endpoint is read once.
// Views are shared and must not be mutated.
const views = new WeakMap<StackNode, VpcEndpointView>();

export function readVpcEndpoint(graph: StackGraph, node: StackNode): VpcEndpointView {
    let view = views.get(node);
    if (view === undefined) views.set(node, (view = viewOf(graph, node)));
    return view;
}

function viewOf(graph: StackGraph, node: StackNode): VpcEndpointView {
    const typeValue = node.property("vpcEndpointType");
    const type = typeValue.state === "absent" ? "Gateway"
        : typeValue.state === "known" && typeof typeValue.value === "string" ? canonicalType(typeValue.value) : undefined;
    const serviceName = node.stringProperty("serviceName");
    const referrers = graph.referrers(node, "policyEndpoint");
    const standalone = referrers.nodes.map((p) => standalonePolicy(p));
    // Only one rule asks for the read-back, and only of endpoints without a policy: read it then.
    let back: VpcEndpointView["readBack"] | null = null;
    return {
        node,
        type,
        serviceName,
        service: serviceName === undefined ? undefined : parseServiceName(serviceName),
        inline: inlinePolicy(node, standalone),
        standalone,
        standaloneUncertain: referrers.uncertain.length > 0,
        get readBack() {
            if (back === null) back = readBack(node);
            return back;
        },
    };
}

function readBack(node: StackNode): VpcEndpointView["readBack"] {
    const property = inlinePolicyProperty(node);
    const value = Object.hasOwn(node.outputs, property) ? node.outputs[property] : undefined;
    const input = value === undefined || isUnknown(value) ? undefined : readDocument(node, property, value, node.outputs);
    if (input === undefined || input.status === "unknown") return undefined;
    return { policy: { carrier: node, origin: "read-back", property, input }, isAwsDefault: input.status === "parsed" && isAwsDefaultPolicy(input.document) };
}

function canonicalType(value: string): string {
    return endpointTypes.find((t) => t.toLowerCase() === value.toLowerCase()) ?? value;
}

/** The document `value`; `bag` is the props object it was read from, whose reading is cached with it. */
function readDocument(node: StackNode, property: string, value: unknown, bag?: Readonly<Record<string, unknown>>): AttachedPolicy["input"] | undefined {
    const own = bag !== undefined && carrierProperty(node.type) === property && Object.hasOwn(bag, property) && bag[property] === value;
    const input = readEndpointPolicy(node.type, own ? bag : { [property]: value });
    return input.status === "absent" || input.status === "not-a-carrier" ? undefined : input;
}

function bagOf(node: StackNode, from: "inputs" | "outputs"): Readonly<Record<string, unknown>> | undefined {
    return from === "inputs" ? node.inputs : node.outputs;
}

/** AWS's default endpoint policy. */
export const awsDefaultPolicy = { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] };

function standalonePolicy(node: StackNode): AttachedPolicy {
    const base = { carrier: node, origin: "standalone", property: "policy" } as const;
    const value = node.property("policy");
    const input = value.state === "known" ? readDocument(node, "policy", value.value, bagOf(node, value.from)) : undefined;
    if (input !== undefined) return { ...base, input };
    // Without `policy` (or with ""), the aws provider resets the endpoint's policy to the default.
    const unset = value.state === "absent" || (value.state === "known" && value.value === "");
    if (unset && node.inputs !== undefined) {
        return { ...base, input: { status: "parsed", property: "policy", document: awsDefaultPolicy, duplicateKeys: [] }, defaulted: true };
    }
    return { ...base, input: { status: "unknown", property: "policy" } };
}

function inlinePolicy(node: StackNode, standalone: readonly AttachedPolicy[]): InlinePolicy {
    const property = inlinePolicyProperty(node);
    const value = node.property(property);
    if (value.state === "absent") return { state: "absent" };
    if (value.state === "unknown") return { state: "unknown" };
    const input = readDocument(node, property, value.value, bagOf(node, value.from));
    if (input === undefined) return { state: "absent" };
    if (input.status === "unknown") return { state: "unknown" };
    if (node.inputs !== undefined) return { state: "set", policy: { carrier: node, origin: "inline", property, input } };
    const policy: AttachedPolicy = { carrier: node, origin: "read-back", property, input };
    return {
        state: "read-back",
        policy,
        isAwsDefault: input.status === "parsed" && isAwsDefaultPolicy(input.document),
        matchesStandalone: standalone.some((s) => samePolicy(s, policy)),
    };
}

/**
 * The policies the user wrote for this endpoint: an inline one, the linked standalone ones, and a
 * read-back that is neither AWS's default nor a standalone policy's document (without inputs, the
 * endpoint's own inline policy is the only other source).
 */
export function writtenPolicies(view: VpcEndpointView): AttachedPolicy[] {
    const policies: AttachedPolicy[] = [];
    if (view.inline.state === "set") policies.push(view.inline.policy);
    if (view.inline.state === "read-back" && !view.inline.isAwsDefault && !view.inline.matchesStandalone) policies.push(view.inline.policy);
    policies.push(...view.standalone);
    return policies;
}

/**
 * The policies the user sets on the endpoint: an inline one read from the inputs, and the linked
 * standalone ones (whose existence is a fact even while their document is unknown); never a read-back.
 */
export function policiesSet(view: VpcEndpointView): AttachedPolicy[] {
    return view.inline.state === "set" ? [view.inline.policy, ...view.standalone] : [...view.standalone];
}

/** True when two policies hold the same document, compared as parsed JSON (key order aside). */
export function samePolicy(a: AttachedPolicy, b: AttachedPolicy): boolean | undefined {
    const x = comparable(a.input);
    const y = comparable(b.input);
    return x === undefined || y === undefined ? undefined : x === y;
}

function comparable(input: AttachedPolicy["input"]): string | undefined {
    switch (input.status) {
        case "parsed": {
            // Readings are shared (endpoint-policy.ts), so each document is compacted once.
            if (!compacted.has(input)) compacted.set(input, compactPolicyJson(input.document) ?? input.text);
            return compacted.get(input);
        }
        case "syntax-error": return `\u0000${input.text}`;
        default: return undefined;
    }
}

const compacted = new WeakMap<object, string | undefined>();

/**
 * The statement that makes a document equivalent to full access — an `Allow` with principal `*`,
 * every action (`*`, or `<prefix>:*` for one of the endpoint's prefixes), resource `*`, and no
 * condition — provided the document has no `Deny` at all. Undefined when it is not.
 */
export function fullAccessStatement(document: unknown, prefixes: readonly string[]): FullAccessGrant | undefined {
    if (!isJsonObject(document)) return undefined;
    const statements = statementsOf(document);
    if (statements.length === 0 || statements.some((s) => s.element.Effect !== "Allow")) return undefined;
    for (const statement of statements) {
        const action = everyActionGranted(statement, prefixes);
        if (action !== undefined) return { statement, action };
    }
    return undefined;
}

export interface FullAccessGrant {
    statement: PolicyStatement;
    /** The entry that grants every action: `*` or `<prefix>:*`. */
    action: string;
}

function everyActionGranted(statement: PolicyStatement, prefixes: readonly string[]): string | undefined {
    const s = statement.element;
    if (s.Effect !== "Allow" || Object.hasOwn(s, "NotPrincipal") || Object.hasOwn(s, "NotAction") || Object.hasOwn(s, "NotResource")) return undefined;
    if (Object.hasOwn(s, "Condition") && (!isJsonObject(s.Condition) || conditionTests(statement).length > 0)) return undefined;
    const principals = principalEntries(s.Principal);
    if (principals === undefined || !principals.some(isAnyPrincipal)) return undefined;
    const actions = stringList(s.Action);
    const resources = stringList(s.Resource);
    if (actions === undefined || resources === undefined || !resources.includes("*")) return undefined;
    return actions.find((a) => a === "*" || prefixes.some((p) => a.toLowerCase() === `${p.toLowerCase()}:*`));
}

/** AWS's default endpoint policy, with or without the `Version` AWS reads it back with. */
export function isAwsDefaultPolicy(document: unknown): boolean {
    if (!isJsonObject(document) || !Object.keys(document).every((k) => k === "Version" || k === "Statement")) return false;
    const statements = statementsOf(document);
    const raw = document.Statement;
    if (statements.length !== 1 || (Array.isArray(raw) && raw.length !== 1)) return false;
    const s = statements[0].element;
    if (!Object.keys(s).every((k) => ["Sid", "Effect", "Principal", "Action", "Resource"].includes(k))) return false;
    const one = (v: unknown) => v === "*" || (Array.isArray(v) && v.length === 1 && v[0] === "*");
    const principals = principalEntries(s.Principal);
    return s.Effect === "Allow" && one(s.Action) && one(s.Resource)
        && principals !== undefined && principals.length > 0 && principals.every(isAnyPrincipal);
}

/** The endpoint's type and service as a message names them: `Interface endpoint to com.amazonaws.…`. */
export function describeEndpoint(view: VpcEndpointView): string {
    return `${view.type === undefined ? "VPC" : truncate(view.type, 40)} endpoint to ${view.serviceName === undefined ? "its service" : truncate(view.serviceName, 100)}`;
}
