// The real-world corpus (real-world/*.json): endpoint policies written by others, each with its
// provenance and the findings judged for it by hand. This module reads the files and places every
// document in a minimal, well-built stack of its own, so that only the document's rules can speak.

import * as fs from "fs";
import * as path from "path";
import { ref, Stack, type Res, type Shape } from "../support/stacks";

export const realWorldDir = path.join(__dirname, "real-world");

/** A resource of a document's stack that a finding is reported on. */
export type FindingResource = "endpoint" | "policy";

export interface Finding {
    policy: string;
    resource: FindingResource;
    /** A short distinctive part of the message. */
    includes: string;
    /** Why this finding is right, in a line. */
    why: string;
    /** The shapes it holds in, when not both (a test of the endpoint's own ID needs it known). */
    shapes?: Shape[];
}

/**
 * A place where the pack today disagrees with the judged findings: it `reports` something the
 * judgement says is wrong, or `misses` a judged finding; its `note` says why. The test fails once
 * the pack agrees, so the entry gets removed. (None is left today.)
 */
export interface KnownDisagreement {
    policy: string;
    resource: FindingResource;
    pack: "reports" | "misses";
    includes: string;
    note: string;
}

export interface Provenance {
    kind: "github" | "aws-docs";
    url?: string;
    repo?: string;
    path?: string;
    commit?: string;
}

export interface RealWorldDocument {
    /** The file name without `.json`; also the stack's resource names. */
    id: string;
    title: string;
    provenance: Provenance;
    serviceName: string;
    endpointType: "Interface" | "Gateway";
    edits: string[];
    observations: string[];
    /** The document as JSON, or the raw text when it is not JSON. */
    document?: unknown;
    policyText?: string;
    /** Where the program puts the document: the endpoint's `policy` (default) or a VpcEndpointPolicy. */
    carrier?: "endpoint" | "standalone";
    /** The VPC ID the document names (its VPC gets this ID; documents naming the same ID share the VPC). */
    vpcId?: string;
    findings: Finding[];
    knownDisagreements?: KnownDisagreement[];
    /** For data-perimeter documents: vpce-data-perimeter's config as the placeholders were filled, and its judged findings. */
    perimeter?: { config: Record<string, unknown>; findings: Finding[]; knownDisagreements?: KnownDisagreement[] };
}

export function loadRealWorld(): RealWorldDocument[] {
    return fs.readdirSync(realWorldDir).filter((f) => f.endsWith(".json")).sort().map((f) => ({
        id: f.slice(0, -".json".length),
        ...(JSON.parse(fs.readFileSync(path.join(realWorldDir, f), "utf8")) as Omit<RealWorldDocument, "id">),
    }));
}

/** The policy text as the program sends it: the document compact, as `JSON.stringify` writes it. */
export function policyTextOf(doc: RealWorldDocument): string {
    return doc.policyText ?? JSON.stringify(doc.document);
}

/** The resources of one document's stack that findings name. */
export interface Placed {
    doc: RealWorldDocument;
    endpoint: Res;
    standalone?: Res;
    /** Resources that must get no finding at all: the VPC and the security group. */
    quiet: Res[];
}

const vpcCidr = "10.0.0.0/16";

/**
 * One stack holding every document: per document (or per shared VPC ID) a VPC with DNS support and
 * hostnames, a security group that admits TCP 443 from the VPC and sends TCP 443 anywhere, and the
 * endpoint — an Interface endpoint in that group with private DNS on (a partner service has no
 * private DNS name, so it is off there), a Gateway endpoint on a route table — with the document
 * as its `policy`, or on a VpcEndpointPolicy when the source used one.
 */
export function realWorldStack(docs: RealWorldDocument[]): { stack: Stack; placed: Placed[] } {
    const stack = new Stack();
    const networks = new Map<string, { vpc: Res; sg: Res }>();
    const network = (key: string, vpcId?: string) => {
        let n = networks.get(key);
        if (n === undefined) {
            const computed = vpcId === undefined ? undefined : { id: vpcId, defaultSecurityGroupId: `sg-default-of-${key}` };
            const vpc = stack.vpc(`${key}-vpc`, { cidrBlock: vpcCidr, enableDnsSupport: true, enableDnsHostnames: true }, computed ? { computed } : {});
            const sg = stack.securityGroup(`${key}-sg`, vpc, {
                description: "HTTPS from the VPC to its endpoints, HTTPS out",
                ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [vpcCidr] }],
                egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
            });
            n = { vpc, sg };
            networks.set(key, n);
        }
        return n;
    };
    const placed = docs.map((doc): Placed => {
        const { vpc, sg } = network(doc.vpcId ?? doc.id, doc.vpcId);
        const partner = /^com\.amazonaws\.vpce\./.test(doc.serviceName);
        const text = policyTextOf(doc);
        const inline = doc.carrier === "standalone" ? {} : { policy: text };
        const endpoint = stack.endpoint(doc.id, vpc, doc.serviceName, doc.endpointType === "Interface"
            ? { vpcEndpointType: "Interface", subnetIds: [`subnet-of-${doc.id}`], securityGroupIds: [ref(sg)], privateDnsEnabled: !partner, ...inline }
            : { vpcEndpointType: "Gateway", routeTableIds: [`rtb-of-${doc.id}`], ...inline });
        const standalone = doc.carrier === "standalone" ? stack.standalone(`${doc.id}-policy`, endpoint, text) : undefined;
        return { doc, endpoint, standalone, quiet: [vpc, sg] };
    });
    return { stack, placed };
}

export const resourceOf = (p: Placed, r: FindingResource): Res | undefined => (r === "endpoint" ? p.endpoint : p.standalone);



