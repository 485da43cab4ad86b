// Where an endpoint policy lives: the resources that carry one, and reading the document from any
// of them into one shape every document rule starts from.

import { parseJsonDocumentCached, type DuplicateKey, type JsonSyntaxError } from "../iam/json-document";
import { containsUnknown, isUnknown, unwrapProps } from "../values/unknown-values";

export const ResourceType = {
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    vpcEndpointPolicy: "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
    nativeVpcEndpoint: "aws-native:ec2:VpcEndpoint",
} as const;

/** The property each carrier type holds its document in. */
const policyProperty: Readonly<Record<string, "policy" | "policyDocument">> = {
    [ResourceType.vpcEndpoint]: "policy",
    [ResourceType.vpcEndpointPolicy]: "policy",
    [ResourceType.nativeVpcEndpoint]: "policyDocument",
};

export function isPolicyCarrier(type: string): boolean {
    return Object.hasOwn(policyProperty, type);
}

/** The property a carrier type holds its document in; undefined for other types. */
export function carrierProperty(type: string): string | undefined {
    return Object.hasOwn(policyProperty, type) ? policyProperty[type] : undefined;
}

/** An endpoint policy as read from its carrier, before any rule looks at its content. */
export type EndpointPolicyInput =
    /** The resource type carries no endpoint policy. */
    | { status: "not-a-carrier" }
    /** No policy set, or an empty string: not a document rule's business. */
    | { status: "absent"; property: string }
    /** Not known until the update runs (preview). */
    /** Not known yet (preview), or (`redacted`) a secret the offline audit could not decrypt. */
    | { status: "unknown"; property: string; redacted?: true }
    /** The property holds something that cannot be a policy (a number, a list…). */
    | { status: "wrong-type"; property: string; found: string }
    | { status: "syntax-error"; property: string; text: string; error: JsonSyntaxError }
    /** `text` is absent for an aws-native document given as an object. */
    | { status: "parsed"; property: string; text?: string; document: unknown; duplicateKeys: DuplicateKey[] };

// Every document rule of an Analyze call, and every stack rule after it (through the inputs memory
// and shared deserialization), reads the same props object: its reading is kept with it, and used
// while the property still holds the same text. Readings are shared and must not be mutated.
const readings = new WeakMap<object, { type: string; text: string; input: EndpointPolicyInput }>();

/** Reads the endpoint policy of a resource of `type` from its props (proxied or plain). Never throws. */
/** What `pulumi policy analyze --file` (and `vpce-guard check` without a passphrase) sends for a secret it cannot decrypt. */
export const redactedSecret = "[secret]";

export function readEndpointPolicy(type: string, props: unknown): EndpointPolicyInput {
    const property = policyProperty[type];
    if (property === undefined) return { status: "not-a-carrier" };
    const plain = unwrapProps(props);
    const value = Object.hasOwn(plain, property) ? plain[property] : undefined;
    if (value === undefined || value === null || value === "") return { status: "absent", property };
    if (isUnknown(value)) return { status: "unknown", property };
    if (value === redactedSecret) return { status: "unknown", property, redacted: true };
    if (typeof value === "string") {
        const kept = readings.get(plain);
        if (kept !== undefined && kept.type === type && kept.text === value) return kept.input;
        const parsed = parseJsonDocumentCached(value);
        const input: EndpointPolicyInput = parsed.ok
            ? { status: "parsed", property, text: value, document: parsed.value, duplicateKeys: parsed.duplicateKeys }
            : { status: "syntax-error", property, text: value, error: parsed.error };
        readings.set(plain, { type, text: value, input });
        return input;
    }
    if (property === "policyDocument" && typeof value === "object" && !Array.isArray(value)) {
        if (containsUnknown(value)) return { status: "unknown", property };
        return { status: "parsed", property, document: value, duplicateKeys: [] };
    }
    return { status: "wrong-type", property, found: describeType(value) };
}

export function describeType(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "an array";
    if (typeof value === "object") return "an object";
    return `a ${typeof value}`;
}
