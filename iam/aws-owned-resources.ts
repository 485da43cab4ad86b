// Resources that AWS owns and that workloads reach through VPC endpoints: S3 buckets that hold
// packages, agents and service artefacts (iam/data/aws-owned-buckets.json, a source per entry: the
// AllowRequestsToAWSOwnedResources statement of aws-samples/data-perimeter-policy-examples'
// vpc_endpoint_policies/s3_endpoint_policy.json, and AWS's guides), and resources published under
// the `aws` account.

import { parseArn } from "./arn";
import type BucketTableFile from "./data/aws-owned-buckets.json";

// Region names of the public, China and GovCloud/ISO partitions (`us-east-1`, `cn-north-1`,
// `us-gov-west-1`, `us-isob-east-1`). No wildcard in general: `aws-ssm-*` could be anyone's.
const region = "(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob)-[a-z]+-[0-9]{1,2}";
const regionWithoutDashes = "(?:us|eu|ap|sa|ca|me|af|il|mx|cn)[a-z]+[0-9]{1,2}";
const account = "[0-9]{12}";
const string = "[a-z0-9]{1,40}";

export interface AwsOwnedBucket {
    /** The name with placeholders: `<region>`, `<RegionWithoutDashes>`, `<account>`, `<string>`. */
    bucket: string;
    /** A key of the table's `sources`. */
    source: string;
    /** AWS's guides write it with `*` for the Region; only AWS can own names under amazonaws.com. */
    regionWildcard?: boolean;
}

let table: readonly AwsOwnedBucket[] | undefined;

/** The table, read on first use (nothing is loaded when the pack starts). */
export function awsOwnedBuckets(): readonly AwsOwnedBucket[] {
    return (table ??= (require("./data/aws-owned-buckets.json") as typeof BucketTableFile).buckets);
}

/** AWS-owned bucket names; `<region>`, `<RegionWithoutDashes>`, `<account>` and `<string>` are placeholders. */
export function awsOwnedBucketNames(): readonly string[] {
    return awsOwnedBuckets().map((b) => b.bucket);
}

let pattern: RegExp | undefined;

function bucketPattern(): RegExp {
    return (pattern ??= new RegExp(`^(?:${awsOwnedBuckets().map(toPattern).join("|")})$`));
}

function toPattern(entry: AwsOwnedBucket): string {
    const anyRegion = entry.regionWildcard === true && entry.bucket.endsWith(".amazonaws.com") ? `(?:${region}|\\*)` : region;
    return entry.bucket
        .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        .replace(/<region>/g, anyRegion)
        .replace(/<RegionWithoutDashes>/g, regionWithoutDashes)
        .replace(/<account>/g, account)
        .replace(/<string>/g, string);
}

/** Resource types AWS publishes without an account in the ARN (Systems Manager public parameters, documents, runbooks; IoT managed job templates). */
const accountlessAwsResources: Readonly<Record<string, readonly string[]>> = {
    ssm: ["parameter/aws/", "document/", "automation-definition/"],
    iot: ["jobtemplate/"],
};

/** True when the ARN (possibly with wildcards in the object key) names only resources AWS owns. */
export function isAwsOwnedResource(text: string): boolean {
    const arn = parseArn(text);
    if (arn === undefined) return false;
    // `arn:aws:iam::aws:policy/…`, `arn:aws:imagebuilder:<region>:aws:component/…`, CloudFormation transforms.
    if (arn.account === "aws") return true;
    if (arn.service === "s3" && arn.account === "" && arn.region === "") {
        const slash = arn.resource.indexOf("/");
        const bucket = slash < 0 ? arn.resource : arn.resource.slice(0, slash);
        return bucketPattern().test(bucket);
    }
    if (arn.account === "") {
        const prefixes = accountlessAwsResources[arn.service] ?? [];
        return prefixes.some((p) => arn.resource.startsWith(p));
    }
    return false;
}
