// A small, realistic stack as `pulumi preview` sees it: a VPC with an S3 gateway endpoint, a
// DynamoDB gateway endpoint with a standalone policy, and STS and ECR interface endpoints behind
// one security group. New resources, so their IDs are unknown; links travel through
// propertyDependencies. Some endpoint policies are wrong, as they often are in real pull requests.

import type { StackResource } from "../engine/types";
import { UnknownSentinel } from "../values/unknown-values";

const unknown = UnknownSentinel.string;
const project = "network";
const stack = "dev";
const urn = (type: string, name: string) => `urn:pulumi:${stack}::${project}::${type}::${name}`;

export const exampleStackName = `${project}/${stack}`;

const vpc = urn("aws:ec2/vpc:Vpc", "main");
const endpointGroup = urn("aws:ec2/securityGroup:SecurityGroup", "endpoints");
const s3 = urn("aws:ec2/vpcEndpoint:VpcEndpoint", "s3");
const dynamodb = urn("aws:ec2/vpcEndpoint:VpcEndpoint", "dynamodb");
const dynamodbPolicy = urn("aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", "dynamodb-policy");
const sts = urn("aws:ec2/vpcEndpoint:VpcEndpoint", "sts");
const ecrApi = urn("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr-api");

const region = "eu-west-1";
const account = "111122223333";

// Hand-written JSON with a typo: "allow" instead of "Allow", and a trailing comma in the list.
const s3PolicyText = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadArtifacts",
      "Effect": "allow",
      "Principal": "*",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::${account}-artifacts", "arn:aws:s3:::${account}-artifacts/*"]
    }
  ]
}`;

const dynamodbPolicyDocument = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "TablesOfThisAccount",
            Effect: "Allow",
            Principal: "*",
            Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
            Resource: `arn:aws:dynamodb:${region}:${account}:table/orders`,
        },
        {
            Sid: "TablesOfThisAccount",
            Effect: "Deny",
            Principal: "*",
            Action: "dynamodb:DeleteTable",
            Resource: "*",
        },
    ],
};

const stsPolicyText = `{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*",}]}`;

const ecrPolicyDocument = {
    Statement: [{
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:GetAuthorizationToken"],
        Resource: "*",
    }],
};

const idOutputs = (inputs: Record<string, unknown>) => ({ ...inputs, id: unknown, arn: unknown });

export const exampleStack: StackResource[] = [
    {
        urn: vpc, type: "aws:ec2/vpc:Vpc",
        inputs: { cidrBlock: "10.20.0.0/16", enableDnsHostnames: true, enableDnsSupport: true },
        outputs: { cidrBlock: "10.20.0.0/16", enableDnsHostnames: true, enableDnsSupport: true, id: unknown, defaultSecurityGroupId: unknown },
    },
    {
        urn: endpointGroup, type: "aws:ec2/securityGroup:SecurityGroup",
        inputs: { vpcId: unknown, ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.20.0.0/16"] }] },
        outputs: { vpcId: unknown, ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.20.0.0/16"] }], egress: UnknownSentinel.array, id: unknown },
        dependencies: [vpc], propertyDependencies: { vpcId: [vpc] },
    },
    {
        urn: s3, type: "aws:ec2/vpcEndpoint:VpcEndpoint",
        inputs: { vpcId: unknown, serviceName: `com.amazonaws.${region}.s3`, vpcEndpointType: "Gateway", policy: s3PolicyText },
        outputs: idOutputs({ vpcId: unknown, serviceName: `com.amazonaws.${region}.s3`, vpcEndpointType: "Gateway", policy: s3PolicyText, prefixListId: unknown }),
        dependencies: [vpc], propertyDependencies: { vpcId: [vpc] },
    },
    {
        urn: dynamodb, type: "aws:ec2/vpcEndpoint:VpcEndpoint",
        inputs: { vpcId: unknown, serviceName: `com.amazonaws.${region}.dynamodb` },
        outputs: idOutputs({ vpcId: unknown, serviceName: `com.amazonaws.${region}.dynamodb`, vpcEndpointType: "Gateway", policy: unknown, prefixListId: unknown }),
        dependencies: [vpc], propertyDependencies: { vpcId: [vpc] },
    },
    {
        urn: dynamodbPolicy, type: "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
        inputs: { vpcEndpointId: unknown, policy: JSON.stringify(dynamodbPolicyDocument) },
        outputs: { vpcEndpointId: unknown, policy: JSON.stringify(dynamodbPolicyDocument), id: unknown },
        dependencies: [dynamodb], propertyDependencies: { vpcEndpointId: [dynamodb] },
    },
    {
        urn: sts, type: "aws:ec2/vpcEndpoint:VpcEndpoint",
        inputs: { vpcId: unknown, serviceName: `com.amazonaws.${region}.sts`, vpcEndpointType: "Interface", privateDnsEnabled: true, securityGroupIds: [unknown], subnetIds: [unknown], policy: stsPolicyText },
        outputs: idOutputs({ vpcId: unknown, serviceName: `com.amazonaws.${region}.sts`, vpcEndpointType: "Interface", privateDnsEnabled: true, securityGroupIds: [unknown], subnetIds: [unknown], policy: stsPolicyText }),
        dependencies: [vpc, endpointGroup], propertyDependencies: { vpcId: [vpc], securityGroupIds: [endpointGroup] },
    },
    {
        urn: ecrApi, type: "aws:ec2/vpcEndpoint:VpcEndpoint",
        inputs: { vpcId: unknown, serviceName: `com.amazonaws.${region}.ecr.api`, vpcEndpointType: "Interface", privateDnsEnabled: true, securityGroupIds: [unknown], subnetIds: [unknown], policy: JSON.stringify(ecrPolicyDocument) },
        outputs: idOutputs({ vpcId: unknown, serviceName: `com.amazonaws.${region}.ecr.api`, vpcEndpointType: "Interface", privateDnsEnabled: true, securityGroupIds: [unknown], subnetIds: [unknown], policy: JSON.stringify(ecrPolicyDocument) }),
        dependencies: [vpc, endpointGroup], propertyDependencies: { vpcId: [vpc], securityGroupIds: [endpointGroup] },
    },
];
