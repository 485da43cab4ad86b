import * as fs from "fs";
import * as path from "path";

// Endpoint policies as AWS documents them, for the document rules' test tables. Placeholders of
// the originals are filled with example IDs: organization o-a1b2c3d4e5, account 111122223333.

export const exampleOrgId = "o-a1b2c3d4e5";
export const exampleAccountId = "111122223333";
/** Accounts outside the organization that the examples trust (data-perimeter "third party"). */
export const thirdPartyAccountIds = ["444455556666", "777788889999"];

/** S3 guide, gateway endpoints: "Restricting access to a specific bucket". */
export const s3SpecificBucketPolicy = {
    Statement: [{
        Sid: "Access-to-specific-bucket-only",
        Principal: "*",
        Action: ["s3:GetObject", "s3:PutObject"],
        Effect: "Allow",
        Resource: ["arn:aws:s3:::my-secure-bucket", "arn:aws:s3:::my-secure-bucket/*"],
    }],
};

/** S3 guide: "Restricting access to buckets in a specific account" (a Deny on aws:ResourceAccount). */
export const s3AccountBucketsPolicy = {
    Statement: [{
        Sid: "Access-to-bucket-in-specific-account-only",
        Principal: "*",
        Action: ["s3:GetObject", "s3:PutObject"],
        Effect: "Deny",
        Resource: "arn:aws:s3:::*",
        Condition: { StringNotEquals: { "aws:ResourceAccount": exampleAccountId } },
    }],
};

/** PrivateLink guide, principals for gateway endpoints: `*` narrowed by aws:PrincipalArn. */
export const gatewayPrincipalArnPolicy = {
    Statement: [{
        Effect: "Allow",
        Principal: "*",
        Action: "s3:*",
        Resource: "*",
        Condition: { StringEquals: { "aws:PrincipalArn": `arn:aws:iam::${exampleAccountId}:user/endpointuser` } },
    }],
};

/** DynamoDB guide, gateway endpoints: "Allow access to a specific table". */
export const dynamoDbTablePolicy = {
    Statement: [{
        Sid: "AccessToSpecificTable",
        Principal: "*",
        Action: ["dynamodb:Batch*", "dynamodb:Delete*", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Update*"],
        Effect: "Allow",
        Resource: `arn:aws:dynamodb:us-east-1:${exampleAccountId}:table/StockTable`,
    }],
};

/** DynamoDB guide: "Allow access from a specific IAM role". */
export const dynamoDbRolePolicy = {
    Statement: [{
        Sid: "AccessFromSpecificIAMRole",
        Effect: "Allow",
        Principal: "*",
        Action: "dynamodb:*",
        Resource: "*",
        Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${exampleAccountId}:role/role_name` } },
    }],
};

// ---- aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies/ (adapted: placeholders filled) ----

const orgCondition = { StringEquals: { "aws:PrincipalOrgID": exampleOrgId, "aws:ResourceOrgID": exampleOrgId } };
const servicePrincipals = { Bool: { "aws:PrincipalIsAWSService": "true" } };

/** default_endpoint_policy.json */
export const perimeterDefaultPolicy = {
    Version: "2012-10-17",
    Statement: [
        { Sid: "AllowRequestsByOrgsIdentitiesToOrgsResources", Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: orgCondition },
        { Sid: "AllowRequestsByAWSServicePrincipals", Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: servicePrincipals },
        {
            Sid: "AllowRequestsByOrgsIdentitiesToAnyResources", Effect: "Allow", Principal: "*", Action: "*", Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalOrgID": exampleOrgId, "aws:PrincipalTag/dp:exclude:resource": "true" } },
        },
    ],
};

/** s3_endpoint_policy.json (AWS-owned bucket list shortened; region us-east-1). */
export const perimeterS3Policy = {
    Version: "2012-10-17",
    Statement: [
        { Sid: "AllowRequestsByOrgsIdentitiesToOrgsResources", Effect: "Allow", Principal: { AWS: "*" }, Action: "*", Resource: "*", Condition: orgCondition },
        { Sid: "AllowRequestsByAWSServicePrincipals", Effect: "Allow", Principal: { AWS: "*" }, Action: "*", Resource: "*", Condition: servicePrincipals },
        {
            Sid: "AllowRequestsToAWSOwnedResources", Effect: "Allow", Principal: { AWS: "*" }, Action: ["s3:GetObject"],
            Resource: [
                "arn:aws:s3:::packages.us-east-1.amazonaws.com/*",
                "arn:aws:s3:::repo.us-east-1.amazonaws.com/*",
                "arn:aws:s3:::amazonlinux-2-repos-us-east-1/*",
                "arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*",
                "arn:aws:s3:::aws-ssm-us-east-1/*",
                "arn:aws:s3:::amazon-ssm-packages-us-east-1/*",
                "arn:aws:s3:::us-east-1-birdwatcher-prod/*",
                "arn:aws:s3:::amazoncloudwatch-agent/*",
                "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*",
                "arn:aws:s3:::cloudformation-waitcondition-us-east-1/*",
                "arn:aws:s3:::cloudformation-custom-resource-response-useast1/*",
                "arn:aws:s3:::ec2imagebuilder-managed-resources-us-east-1-prod/components/*",
            ],
        },
        {
            Sid: "AllowRequestsByThirdPartyIdentitiesToThirdPartyResources", Effect: "Allow", Principal: { AWS: "*" },
            Action: "s3:GetObject", Resource: "arn:aws:s3:::partner-exchange-bucket/*",
            Condition: { StringEquals: { "aws:PrincipalAccount": thirdPartyAccountIds, "aws:ResourceAccount": thirdPartyAccountIds } },
        },
        {
            Sid: "AllowRequestsByOrgsIdentitiesToThirdPartyResources", Effect: "Allow", Principal: { AWS: "*" },
            Action: "s3:PutObject", Resource: "arn:aws:s3:::partner-exchange-bucket/*",
            Condition: { StringEquals: { "aws:PrincipalOrgID": exampleOrgId, "aws:ResourceAccount": thirdPartyAccountIds } },
        },
        {
            Sid: "AllowRequestsByOrgsIdentitiesToAnyResources", Effect: "Allow", Principal: { AWS: "*" }, Action: "*", Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalOrgID": exampleOrgId, "aws:PrincipalTag/resource-perimeter-exception": "true" } },
        },
    ],
};


// ---- The same repository's files as they are (test/fixtures/data-perimeter, SOURCE.json names repo, path and commit) ----

const perimeterFixtures = path.join(__dirname, "..", "fixtures", "data-perimeter");

/** AWS accounts the examples name by placeholder: service accounts that own AWS resources. */
export const exampleServiceAccountId = "123456789012";

/** What each placeholder of the examples is filled with. */
export const perimeterPlaceholders: Readonly<Record<string, string>> = {
    "<my-org-id>": exampleOrgId,
    "<third-party-account-a>": thirdPartyAccountIds[0],
    "<third-party-account-b>": thirdPartyAccountIds[1],
    "<region>": "eu-west-1",
    "<RegionWithoutDashes>": "euwest1",
    "<CodeArtifact-Region-Account>": exampleServiceAccountId,
    "<glue-account-id>": exampleServiceAccountId,
    "<ecr-account-id>": exampleServiceAccountId,
    "<service-account-id>": exampleServiceAccountId,
    "<string>": "a1b2c3d4e5",
    "<action>": "s3:GetObject",
    "<third-party-resource-arn>": "arn:aws:s3:::partner-a-exchange/*",
};

export interface PerimeterExample {
    /** The file name in vpc_endpoint_policies/. */
    file: string;
    path: string;
    commit: string;
    /** The file's text as the repository has it. */
    text: string;
    /** The document with its placeholders filled. */
    document: unknown;
}

/** All of AWS's vpc_endpoint_policies/*.json, as they are, with placeholders filled. */
export function awsPerimeterExamples(): PerimeterExample[] {
    const source = JSON.parse(fs.readFileSync(path.join(perimeterFixtures, "SOURCE.json"), "utf8")) as { files: { file: string; path: string; commit: string }[] };
    return source.files.map((f) => {
        const text = fs.readFileSync(path.join(perimeterFixtures, f.file), "utf8");
        const filled = text.replace(/<[A-Za-z-]+>/g, (placeholder) => perimeterPlaceholders[placeholder] ?? placeholder);
        return { ...f, text, document: JSON.parse(filled) as unknown };
    });
}

/** The data-perimeter examples, by file name: AWS's files as they are, placeholders filled. */
export const dataPerimeterExamples: Record<string, unknown> = Object.fromEntries(awsPerimeterExamples().map((e) => [e.file, e.document]));
