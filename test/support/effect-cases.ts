// Builders for the tables of the rules that judge what a document lets through (rules 6, 15, 16):
// a document on one endpoint, as a statement list written briefly.
import type { Diagnostic, PolicyPackConfigFile, PolicyPackProcess } from "../../engine";
import { svc, Stack, type Res, type Shape } from "./stacks";

export type Statement = Record<string, unknown>;

/** An Allow of `s3:GetObject` on every resource to every principal, with `extra` merged in. */
export const allow = (extra: Statement = {}): Statement => ({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*", ...extra });
/** A Deny of `s3:*` on every resource to every principal, with `extra` merged in. */
export const deny = (extra: Statement = {}): Statement => ({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", ...extra });
/** A statement's condition with one test. */
export const when = (operator: string, key: string, value: unknown): Statement => ({ Condition: { [operator]: { [key]: value } } });
/** A document of these statements. */
export const doc = (...statements: Statement[]) => ({ Version: "2012-10-17", Statement: statements });

export interface EndpointOptions {
    /** Endpoint service suffix; s3 by default. */
    suffix?: string;
    type?: "Gateway" | "Interface";
    /** Where the document goes: the endpoint's `policy`, a VpcEndpointPolicy, or aws-native `policyDocument`. */
    carrier?: "inline" | "standalone" | "native";
    /** The endpoint's VPC: a VPC of the stack (unknown ID in preview), or a known external ID. */
    vpc?: "stack" | string;
    /** The endpoint's own ID once deployed. */
    endpointId?: string;
    /** Put before every resource name, so that cases sharing one pack process never share a URN. */
    prefix?: string;
}

/** A stack of one endpoint (named `ep`; a standalone policy is named `pol`) carrying `document`. */
export function endpointWith(document: unknown, options: EndpointOptions = {}): () => Stack {
    return () => {
        const s = new Stack();
        const n = (name: string) => `${options.prefix ?? ""}${name}`;
        const vpc: Res | string = options.vpc === undefined || options.vpc === "stack" ? s.vpc(n("vpc")) : options.vpc;
        const service = svc(options.suffix ?? "s3");
        const type = options.type ?? (options.suffix === undefined || options.suffix === "s3" || options.suffix === "dynamodb" ? "Gateway" : "Interface");
        const computed = options.endpointId === undefined ? {} : { computed: { [options.carrier === "native" ? "awsId" : "id"]: options.endpointId } };
        const text = typeof document === "string" ? document : JSON.stringify(document);
        switch (options.carrier ?? "inline") {
            case "inline":
                s.endpoint(n("ep"), vpc, service, { vpcEndpointType: type, policy: text }, computed);
                break;
            case "standalone":
                s.standalone(n("pol"), s.endpoint(n("ep"), vpc, service, { vpcEndpointType: type }, computed), text);
                break;
            case "native":
                s.nativeEndpoint(n("ep"), vpc, service, { vpcEndpointType: type, policyDocument: document }, computed);
                break;
        }
        return s;
    };
}

/** A document to judge on an endpoint through the built pack, as the Pulumi CLI runs it. */
export interface EngineDocumentCase extends EndpointOptions {
    name: string;
    document: unknown;
}

/**
 * Runs a document on its endpoint through a started pack (Configure, Analyze on every resource's
 * inputs, then AnalyzeStack), in the shape given; returns every diagnostic. Reusable for corpora.
 */
export async function judgeThroughEngine(pack: PolicyPackProcess, c: EngineDocumentCase, shape: Shape, config?: PolicyPackConfigFile): Promise<Diagnostic[]> {
    const resources = endpointWith(c.document, c)().engineResources(shape);
    await pack.configure(config);
    const diagnostics: Diagnostic[] = [];
    for (const r of resources) diagnostics.push(...(await pack.analyze(r)).diagnostics);
    diagnostics.push(...(await pack.analyzeStack(resources)).diagnostics);
    return diagnostics;
}
