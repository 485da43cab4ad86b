// Shared builders for policy test tables: resource inputs for each policy carrier.

import { ResourceType } from "../policies/endpoint-policy";

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
