import { vpcePolicyServiceActions } from "../../policies/vpce-policy-service-actions";
import { codeArtifactExample } from "../support/cases";
import { svc, Stack, stackCases, stackRuleTable, type StackCase } from "../support/stacks";

const policy = (statements: Record<string, unknown>[]) => JSON.stringify({ Statement: statements.map((s) => ({ Effect: "Allow", Principal: "*", Resource: "*", ...s })) });
const allow = (...actions: string[]) => policy([{ Action: actions }]);


/** One endpoint of `suffix` with `doc` as its inline policy. */
function endpointWith(suffix: string, doc: string, type = "Interface", name = "ep"): () => Stack {
    return () => {
        const s = new Stack();
        s.endpoint(name, s.vpc(), svc(suffix), { vpcEndpointType: type, policy: doc });
        return s;
    };
}

const valid: StackCase[] = [
    { name: "S3 actions on an S3 gateway endpoint", stack: endpointWith("s3", allow("s3:GetObject", "s3:List*", "s3:*Object?cl"), "Gateway") },
    { name: "\"*\" and \"s3:*\"", stack: endpointWith("s3", allow("*", "s3:*"), "Gateway") },
    { name: "prefixes compare case-insensitively, actions too", stack: endpointWith("s3", allow("S3:GETOBJECT"), "Gateway") },
    { name: "ecr actions on ecr.dkr", stack: endpointWith("ecr.dkr", allow("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")) },
    { name: "codecommit actions on git-codecommit", stack: endpointWith("git-codecommit", allow("codecommit:GitPull")) },
    { name: "cloudwatch actions on monitoring", stack: endpointWith("monitoring", allow("cloudwatch:PutMetricData")) },
    { name: "kinesis actions on kinesis-streams", stack: endpointWith("kinesis-streams", allow("kinesis:PutRecord")) },
    { name: "kms actions on kms-fips", stack: endpointWith("kms-fips", allow("kms:Decrypt")) },
    { name: "a wildcard prefix that covers the endpoint's", stack: endpointWith("s3", allow("s?:GetObject"), "Gateway") },
    { name: "a service with no known prefix gets no claim", stack: endpointWith("brand-new-service", allow("ec2:Nothing", "whatever")) },
    { name: "a customer endpoint service gets no claim", stack: () => { const s = new Stack(); s.endpoint("partner", s.vpc(), "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", { vpcEndpointType: "Interface", policy: allow("ec2:Nothing") }); return s; } },
    { name: "a misspelt action with checkActionsExist off", stack: endpointWith("s3", allow("s3:GetObjekt"), "Gateway"), config: { checkActionsExist: false } },
    { name: "a prefix added by extraPrefixes", stack: endpointWith("execute-api", allow("execute-api:Invoke", "apigateway:GET")), config: { extraPrefixes: { "execute-api": ["apigateway"] } } },
    // AWS CodeArtifact User Guide, "Create a VPC endpoint policy for CodeArtifact"
    // (https://docs.aws.amazon.com/codeartifact/latest/ug/create-vpc-endoint-policy.html): its example, verbatim.
    {
        name: "AWS's CodeArtifact endpoint policy, sts:GetServiceBearerToken included",
        stack: endpointWith("codeartifact.api", JSON.stringify(codeArtifactExample)),
    },
    { name: "the same on codeartifact.repositories", stack: endpointWith("codeartifact.repositories", JSON.stringify(codeArtifactExample)) },
    { name: "a documented cross-service action in another case", stack: endpointWith("codeartifact.api", allow("codeartifact:ReadFromRepository", "STS:getservicebearertoken")) },
    { name: "a pattern that covers the documented action", stack: endpointWith("codeartifact.api", allow("codeartifact:ReadFromRepository", "sts:GetService*")) },
    // AWS Glue Developer Guide, "Example: VPC endpoint policy for AWS Glue to allow job creation and update"
    // (https://docs.aws.amazon.com/glue/latest/dg/vpc-interface-endpoints.html); AWS's example has no Principal, added here.
    {
        name: "AWS's Glue endpoint policy with iam:PassRole",
        stack: endpointWith("glue", policy([{ Sid: "RestrictPassRole", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/GlueServiceRole*", Condition: { StringEquals: { "iam:PassedToService": "glue.amazonaws.com" } } }])),
    },
    { name: "a documented cross-service action in NotAction", stack: endpointWith("codeartifact.api", policy([{ NotAction: ["sts:GetServiceBearerToken"] }])) },
    { name: "AWS's default read back", stack: () => { const s = new Stack(); s.endpoint("s3", s.vpc(), svc("s3"), {}, { unanalysed: true }); return s; }, shapes: ["deployed"] },
];

const invalid: StackCase[] = [
    { name: "an EC2 action on an S3 endpoint", stack: endpointWith("s3", allow("s3:GetObject", "ec2:DescribeInstances"), "Gateway"), expect: ["foreignPrefix@ep"], says: ["Statement[0]: Action entry \"ec2:DescribeInstances\" names service prefix \"ec2\"", "\"s3:*\""] },
    { name: "a Deny of another service never applies", stack: endpointWith("s3", policy([{ Action: "s3:*" }, { Effect: "Deny", Action: "dynamodb:*" }]), "Gateway"), expect: ["denyForeignPrefix@ep"], says: ["Statement[1]: the Deny of \"dynamodb:*\" never applies"] },
    { name: "a misspelt action", stack: endpointWith("s3", allow("s3:GetObjekt"), "Gateway"), expect: ["noSuchAction@ep"], says: ["matches no action of \"s3\""] },
    { name: "a Deny of a misspelt action never applies", stack: endpointWith("s3", policy([{ Action: "s3:GetObject" }, { Effect: "Deny", Action: ["s3:DeleteBucket", "s3:PutObjekt"] }]), "Gateway"), expect: ["denyNoSuchAction@ep"], says: ["\"s3:PutObjekt\"", "never applies"] },
    { name: "an entry without a prefix", stack: endpointWith("sqs", allow("SendMessage")), expect: ["malformed@ep"], says: ["\"sqs:SendMessage\""] },
    { name: "NotAction entries are checked too", stack: endpointWith("s3", policy([{ NotAction: ["dynamodb:*", "s3:DeleteBucket"] }]), "Gateway"), expect: ["foreignPrefix@ep"], says: ["NotAction entry \"dynamodb:*\""] },
    // Removing the only entries of a NotAction would leave it empty, which IAM rejects: the advice is to say what is meant.
    {
        name: "a NotAction of other services only is not advised away",
        stack: endpointWith("s3", policy([{ NotAction: ["dynamodb:*", "sqs:*"] }]), "Gateway"),
        expect: ["notActionForeignOnly@ep"],
        says: ["Statement[0]: NotAction names only \"dynamodb:*\", \"sqs:*\"", "applies to every action of \"s3:*\"", "\"Action\": \"s3:*\""],
    },
    {
        name: "another STS action on CodeArtifact is still foreign, and the message names the documented one",
        stack: endpointWith("codeartifact.api", allow("codeartifact:ReadFromRepository", "sts:AssumeRole")),
        expect: ["foreignPrefix@ep"],
        says: ["\"sts:AssumeRole\"", "\"codeartifact:*\" or \"sts:GetServiceBearerToken\""],
    },
    { name: "ecr.api on an ecr.dkr endpoint's neighbour: ecr-public is not ecr", stack: endpointWith("ecr.api", allow("ecr-public:GetAuthorizationToken")), expect: ["foreignPrefix@ep"] },
    { name: "a standalone policy is reported on the VpcEndpointPolicy", stack: () => { const s = new Stack(); s.standalone("p", s.endpoint("s3", s.vpc(), svc("s3")), allow("sqs:SendMessage")); return s; }, expect: ["foreignPrefix@p"] },
    { name: "an aws-native endpoint's policyDocument object", stack: () => { const s = new Stack(); s.nativeEndpoint("ddb", s.vpc(), svc("dynamodb"), { policyDocument: JSON.parse(allow("dynamodb:Querry")) }); return s; }, expect: ["noSuchAction@ddb"] },
];

describe("vpce-policy-service-actions", () => {
    stackRuleTable(vpcePolicyServiceActions, valid, invalid);
});

// Found by the property tests (test/properties): shrunk counterexamples, kept as table cases.
describe("vpce-policy-service-actions: cases found by the property tests", () => {
    describe("passes", () => stackCases(vpcePolicyServiceActions, [
        // A regular expression took 87 s on this entry (exponential backtracking); the glob is linear.
        { name: "a wildcard-heavy action that matches", stack: endpointWith("s3", allow(`s3:${"*?".repeat(12)}t`), "Gateway") },
    ]));
    describe("reports", () => stackCases(vpcePolicyServiceActions, [
        { name: "a wildcard-heavy action that matches nothing", stack: endpointWith("s3", allow(`s3:${"*?".repeat(16)}qz`), "Gateway"), expect: ["noSuchAction@ep"] },
    ]));
});
