// Resources that AWS owns and that workloads reach through VPC endpoints: S3 buckets that hold
// packages, agents and service artefacts, and resources published under the `aws` account.
// Transcribed from aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies/README.md
// ("AllowRequestsToAWSOwnedResources", "AllowRequestsByOrgsIdentitiesToAWSResources").

import { parseArn } from "./arn";

// Region names of the public, China and GovCloud/ISO partitions (`us-east-1`, `cn-north-1`,
// `us-gov-west-1`, `us-isob-east-1`). Deliberately no wildcard: `aws-ssm-*` could be anyone's.
const region = "(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob)-[a-z]+-[0-9]{1,2}";
const regionWithoutDashes = "(?:us|eu|ap|sa|ca|me|af|il|mx|cn)[a-z]+[0-9]{1,2}";
const account = "[0-9]{12}";

/** AWS-owned bucket names; `<region>`, `<RegionWithoutDashes>` and `<account>` are placeholders. */
export const awsOwnedBucketNames: readonly string[] = [
    // Amazon Linux 2 / 2023 repositories and Kernel Live Patching, Amazon EMR
    "packages.<region>.amazonaws.com", "repo.<region>.amazonaws.com", "amazonlinux.<region>.amazonaws.com",
    "amazonlinux-2-repos-<region>", "al2023-repos-<region>-de612dc2", "al2023-<region>",
    "repo.<region>.emr.amazonaws.com", "prod.<region>.appinfo.src",
    // AWS Systems Manager
    "aws-ssm-<region>", "aws-windows-downloads-<region>", "amazon-ssm-<region>", "amazon-ssm-packages-<region>",
    "<region>-birdwatcher-prod", "aws-ssm-distributor-file-<region>", "aws-ssm-document-attachments-<region>",
    "patch-baseline-snapshot-<region>", "aws-patchmanager-macos-<region>",
    // CloudWatch agent, CodeDeploy agent, EC2 Image Builder, ECR image layers
    "amazoncloudwatch-agent-<region>", "amazoncloudwatch-agent", "aws-codedeploy-<region>",
    "ec2imagebuilder-toe-<region>-prod", "ec2imagebuilder-managed-resources-<region>-prod",
    "prod-<region>-starport-layer-bucket",
    // Application Migration Service, Elastic Disaster Recovery
    "aws-mgn-clients-<region>", "aws-mgn-clients-hashes-<region>", "aws-mgn-internal-<region>",
    "aws-mgn-internal-hashes-<region>", "aws-application-migration-service-<region>",
    "aws-application-migration-service-hashes-<region>", "aws-drs-clients-<region>", "aws-drs-clients-hashes-<region>",
    "aws-drs-internal-<region>", "aws-drs-internal-hashes-<region>", "aws-elastic-disaster-recovery-<region>",
    "aws-elastic-disaster-recovery-hashes-<region>",
    // CloudFormation wait conditions and custom resources, Nitro Enclaves ACM
    "cloudformation-waitcondition-<region>", "cloudformation-custom-resource-response-<RegionWithoutDashes>",
    "aws-ec2-enclave-certificate-<region>-prod",
    // CodeArtifact, Glue Studio, Elastic Beanstalk, SageMaker JumpStart
    "assets-<account>-<region>", "aws-glue-studio-transforms-<account>-prod-<region>",
    "elasticbeanstalk-samples-<region>", "elasticbeanstalk-platform-assets-<region>",
    "elasticbeanstalk-env-resources-<region>", "elasticbeanstalk-<region>", "jumpstart-cache-prod-<region>",
];

const bucketPattern = new RegExp(`^(?:${awsOwnedBucketNames.map(toPattern).join("|")})$`);

function toPattern(name: string): string {
    return name
        .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        .replace(/<region>/g, region)
        .replace(/<RegionWithoutDashes>/g, regionWithoutDashes)
        .replace(/<account>/g, account);
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
        return bucketPattern.test(bucket);
    }
    if (arn.account === "") {
        const prefixes = accountlessAwsResources[arn.service] ?? [];
        return prefixes.some((p) => arn.resource.startsWith(p));
    }
    return false;
}
