// Shared builders for policy test tables: resource inputs for each policy carrier.
import * as assert from "assert";

import { ResourceType } from "../../stack/endpoint-policy";
import { dataPerimeterExamples, dynamoDbRolePolicy, dynamoDbTablePolicy, gatewayPrincipalArnPolicy, s3AccountBucketsPolicy, s3SpecificBucketPolicy } from "./document-policies";

/** The resources that carry an endpoint policy: an aws endpoint's `policy`, a VpcEndpointPolicy's, an aws-native endpoint's `policyDocument` as an object or as text. */
export type Carrier = "endpoint" | "standalone" | "native" | "nativeText";

export const carriers: Carrier[] = ["endpoint", "standalone", "native", "nativeText"];

/** Each carrier's resource type. */
export const carrierTypes: Record<Carrier, string> = {
    endpoint: ResourceType.vpcEndpoint, standalone: ResourceType.vpcEndpointPolicy, native: ResourceType.nativeVpcEndpoint, nativeText: ResourceType.nativeVpcEndpoint,
};

/** The property that holds the policy on a carrier. */
export function policyProperty(carrier: Carrier): "policy" | "policyDocument" {
    return carrier === "native" || carrier === "nativeText" ? "policyDocument" : "policy";
}

/** A carrier's other inputs when a case does not give them (each carrier takes the ones it has). */
export const carrierInputs: Readonly<Record<string, unknown>> = { vpcId: "vpc-0abc", serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointId: "vpce-0abc" };

const otherInputKeys: Record<Carrier, readonly string[]> = {
    endpoint: ["vpcId", "serviceName", "vpcEndpointType"],
    standalone: ["vpcEndpointId"],
    native: ["vpcId", "serviceName", "vpcEndpointType"],
    nativeText: ["vpcId", "serviceName", "vpcEndpointType"],
};

/** The type and inputs of a carrier whose policy property holds `value` as given, next to the inputs of `others` it has. */
export function carrierResource(carrier: Carrier, value: unknown, others: Readonly<Record<string, unknown>> = carrierInputs): { type: string; props: Record<string, unknown> } {
    const props: Record<string, unknown> = {};
    for (const key of Object.keys(others)) if (otherInputKeys[carrier].includes(key)) props[key] = others[key];
    props[policyProperty(carrier)] = value;
    return { type: carrierTypes[carrier], props };
}

/** The type and inputs of a resource carrying `document` (an object is stringified where the carrier takes text). */
export function carry(carrier: Carrier, document: unknown): { type: string; props: Record<string, unknown> } {
    const text = typeof document === "string" ? document : JSON.stringify(document);
    return carrierResource(carrier, carrier === "native" ? document : text);
}

/** The longest message a rule may write (the framework puts the policy's description before it). */
export const maxMessageLength = 700;

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
                for (const v of verdict.violations) assert.ok(v.message.length <= maxMessageLength, `message too long: ${v.message.length}`);
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

/** A row of a no-verdict table: name, resource type, props, and the not-applicable reason expected. */
export type NotApplicableCase = [name: string, type: string, props: Record<string, unknown>, reason: RegExp];

/** One test per case: the rule reports nothing and says why it has no verdict. */
export function expectNotApplicable(policy: EvaluatesDocuments, cases: NotApplicableCase[]): void {
    for (const [name, type, props, reason] of cases) {
        it(name, () => {
            const verdict = policy.evaluate(type, props);
            assert.deepStrictEqual(verdict.violations, []);
            assert.match(verdict.notApplicable ?? "", reason);
        });
    }
}

/** One test per carrier type: the rule does not throw on any of `odd` props. */
export function expectNeverThrows(policy: EvaluatesDocuments, odd: unknown[]): void {
    for (const type of Object.values(ResourceType)) {
        it(`for odd props of ${type}`, () => {
            for (const props of odd) assert.doesNotThrow(() => policy.evaluate(type, props));
        });
    }
}

/** AWS's documented endpoint policies (default, PrivateLink, S3 and DynamoDB guides, data-perimeter examples), as valid cases. */
export const documentedPolicyCases: DocumentCase[] = [
    { name: "AWS's default full-access policy", document: fullAccessPolicy },
    { name: "the PrivateLink guide's S3 bucket example (aws:PrincipalAccount)", document: s3BucketPolicy },
    { name: "the S3 guide's specific-bucket example", document: s3SpecificBucketPolicy },
    { name: "the S3 guide's account-buckets Deny (arn:aws:s3:::*, aws:ResourceAccount)", document: s3AccountBucketsPolicy },
    { name: "the PrivateLink guide's aws:PrincipalArn example", document: gatewayPrincipalArnPolicy },
    { name: "the DynamoDB guide's table example", document: dynamoDbTablePolicy },
    { name: "the DynamoDB guide's role example (ArnEquals)", document: dynamoDbRolePolicy },
    ...Object.entries(dataPerimeterExamples).map(([file, document]) => ({ name: `data-perimeter ${file}`, document })),
];
