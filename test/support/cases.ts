// Shared builders for policy test tables: resource inputs for each policy carrier.
import * as assert from "assert";

import { ResourceType } from "../../stack/endpoint-policy";

export type Carrier = "endpoint" | "standalone" | "native" | "nativeText";

export const carriers: Carrier[] = ["endpoint", "standalone", "native", "nativeText"];

/** The type and inputs of a resource carrying `document` (an object is stringified where the carrier takes text). */
export function carry(carrier: Carrier, document: unknown): { type: string; props: Record<string, unknown> } {
    const text = typeof document === "string" ? document : JSON.stringify(document);
    switch (carrier) {
        case "endpoint":
            return { type: ResourceType.vpcEndpoint, props: { vpcId: "vpc-0abc", serviceName: "com.amazonaws.us-east-1.s3", policy: text } };
        case "standalone":
            return { type: ResourceType.vpcEndpointPolicy, props: { vpcEndpointId: "vpce-0abc", policy: text } };
        case "native":
            return { type: ResourceType.nativeVpcEndpoint, props: { vpcId: "vpc-0abc", serviceName: "com.amazonaws.us-east-1.s3", policyDocument: document } };
        case "nativeText":
            return { type: ResourceType.nativeVpcEndpoint, props: { vpcId: "vpc-0abc", serviceName: "com.amazonaws.us-east-1.s3", policyDocument: text } };
    }
}

/** AWS's default endpoint policy. */
export const fullAccessPolicy = { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] };

/** The PrivateLink guide's S3 example: read one bucket, from principals of one account. */
export const s3BucketPolicy = {
    Version: "2012-10-17",
    Statement: [{
        Sid: "AllowReadOfOneBucket",
        Effect: "Allow",
        Principal: "*",
        Action: ["s3:GetObject", "s3:ListBucket"],
        Resource: ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"],
        Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" } },
    }],
};

/** A row of a document-rule table: a document on some carriers, and what the rule must say. */
export interface DocumentCase {
    name: string;
    /** A document (object → JSON text where the carrier takes text) or raw text. */
    document: unknown;
    /** Policy config; the schema defaults when absent. */
    config?: Record<string, unknown>;
    /** Carriers to run it on; all four by default. */
    on?: Carrier[];
    /** Expected message ids, in order (for `expectReports`). */
    ids?: string[];
    /** Substrings the messages must contain. */
    says?: string[];
}

interface EvaluatesDocuments {
    evaluate(type: string, props: unknown, config?: unknown): { violations: { messageId: string; message: string }[]; notApplicable?: string };
}

function evaluateCase(policy: EvaluatesDocuments, c: DocumentCase, carrier: Carrier) {
    const { type, props } = carry(carrier, c.document);
    return policy.evaluate(type, props, c.config);
}

/** One test per case and carrier: the rule has a verdict and reports nothing. */
export function expectPasses(policy: EvaluatesDocuments, cases: DocumentCase[]): void {
    for (const c of cases) {
        for (const carrier of c.on ?? carriers) {
            it(`${c.name} [${carrier}]`, () => {
                const verdict = evaluateCase(policy, c, carrier);
                assert.deepStrictEqual(verdict.violations, []);
                assert.strictEqual(verdict.notApplicable, undefined);
            });
        }
    }
}

/** One test per case and carrier: the rule reports exactly `ids`, saying each of `says`, in short messages. */
export function expectReports(policy: EvaluatesDocuments, cases: DocumentCase[]): void {
    for (const c of cases) {
        for (const carrier of c.on ?? carriers) {
            it(`${c.name} [${carrier}]`, () => {
                const verdict = evaluateCase(policy, c, carrier);
                assert.deepStrictEqual(verdict.violations.map((v) => v.messageId), c.ids);
                const text = verdict.violations.map((v) => v.message).join("\n");
                for (const s of c.says ?? []) assert.ok(text.includes(s), `expected ${JSON.stringify(s)} in:\n${text}`);
                for (const v of verdict.violations) assert.ok(v.message.length < 600, `message too long: ${v.message.length}`);
            });
        }
    }
}

/**
 * AWS's example policy for CodeArtifact endpoints, as the CodeArtifact User Guide prints it ("Create a
 * VPC endpoint policy for CodeArtifact", https://docs.aws.amazon.com/codeartifact/latest/ug/create-vpc-endoint-policy.html).
 */
export const codeArtifactExample = {
    Statement: [{
        Action: ["codeartifact:GetAuthorizationToken", "codeartifact:GetRepositoryEndpoint", "codeartifact:ReadFromRepository", "sts:GetServiceBearerToken"],
        Effect: "Allow", Resource: "*", Principal: { AWS: "arn:aws:iam::123456789012:root" },
    }],
};
