// Rules held against what AWS documents (issue #14), through the path the Pulumi CLI uses: the
// built pack started once by run-policy-pack, configured, Analyze on every resource's inputs and
// AnalyzeStack on the outputs, preview-shaped and deployed-shaped. Each case cites the document
// it rests on.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess, nameFromUrn, type Diagnostic, type PolicyPackConfigFile, type RunResult } from "../../engine";
import { UnknownSentinel } from "../../values/unknown-values";
import { codeArtifactExample } from "../support/cases";
import { awsPerimeterExamples, exampleOrgId, thirdPartyAccountIds } from "../support/document-policies";
import { gatewayEndpoint, interfaceEndpoint, ref, sg, shapes, Stack, T, tcpIngress, vpc, type Shape, type Spec } from "../support/stacks";
import { repoRoot } from "../support/paths";

interface DocumentedCase {
    /** What AWS documents, and where. */
    source: string;
    name: string;
    policy: string;
    stack: Spec[];
    shapes?: Shape[];
    config?: PolicyPackConfigFile;
    /** The violations of `policy` expected, as [resource name, message pattern]; none when empty. */
    expect: [string, RegExp][];
}

const association = (name: string, endpoint: string, group: unknown, extra: Record<string, unknown> = {}): Spec => ({
    type: T.association, name, inputs: { vpcEndpointId: ref(endpoint), securityGroupId: group, ...extra }, computed: { id: `a-${name}` },
});
const endpointGroup = sg("endpoints", { ingress: [tcpIngress(443, { cidrBlocks: ["10.0.0.0/16"] })] });

const replaceDefaultDoc = "Terraform/Pulumi aws.ec2.SecurityGroupAssociation, replaceDefaultAssociation (default false): \"whether this association should replace the association with the VPC's default security group that is created when no security groups are specified during VPC endpoint creation\"; EC2 CreateVpcEndpoint SecurityGroupIds: \"If this parameter is not specified, we use the default security group for the VPC.\"";

const gatewayPrincipalDoc = "AWS PrivateLink guide, \"Control access to VPC endpoints using endpoint policies\", Principals for gateway endpoints (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html): \"With gateway endpoints, the Principal element must be set to *. To specify a principal, use the aws:PrincipalArn condition key\"; an account ID or :root ARN names \"the AWS account root user only, not all users and roles for the account\"";
const gatewayPolicy = (deny: Record<string, unknown>) => JSON.stringify({ Statement: [
    { Sid: "Read", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" },
    { Sid: "NoDeletes", Effect: "Deny", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/*", ...deny },
] });

const ipFamilyDoc = "AWS PrivateLink guide, \"IP address types\" (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#aws-service-ip-address-type): \"If an interface VPC endpoint supports IPv4, the endpoint network interfaces have IPv4 addresses. If an interface VPC endpoint supports IPv6, the endpoint network interfaces have IPv6 addresses.\" Security group CIDR rules are of one family (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html)";
const dualStackVpc: Spec = { ...vpc(), inputs: { ...vpc().inputs, assignGeneratedIpv6CidrBlock: true }, computed: { ...vpc().computed, ipv6CidrBlock: "2600:1f18:abc:ff00::/56" } };

const perimeterConfig: PolicyPackConfigFile = { "all": "mandatory", "vpce-data-perimeter": { organizationIds: [exampleOrgId], accountIds: thirdPartyAccountIds } };

const cases: DocumentedCase[] = [
    {
        source: replaceDefaultDoc,
        name: "an association without replaceDefaultAssociation keeps the VPC's default group",
        policy: "vpce-interface-security-groups",
        stack: [vpc(), endpointGroup, { ...interfaceEndpoint("sts", "sts"), deployedOutputs: { securityGroupIds: ["sg-0defaultmain", "sg-0endpoints"] } }, association("sts-sg", "sts", ref("endpoints"))],
        expect: [["sts", /created without `securityGroupIds`.*"sts-sg".*default group stays attached/]],
    },
    {
        source: replaceDefaultDoc,
        name: "an association with replaceDefaultAssociation: true replaces it",
        policy: "vpce-interface-security-groups",
        stack: [vpc(), endpointGroup, interfaceEndpoint("sts", "sts"), association("sts-sg", "sts", ref("endpoints"), { replaceDefaultAssociation: true })],
        expect: [],
    },
    {
        source: replaceDefaultDoc,
        name: "replaceDefaultAssociation not known in preview gives no verdict",
        policy: "vpce-interface-security-groups",
        stack: [vpc(), endpointGroup, interfaceEndpoint("sts", "sts"), association("sts-sg", "sts", ref("endpoints"), { replaceDefaultAssociation: UnknownSentinel.bool })],
        shapes: ["preview"],
        expect: [],
    },
    {
        source: "AWS CodeArtifact User Guide, \"Create a VPC endpoint policy for CodeArtifact\" (https://docs.aws.amazon.com/codeartifact/latest/ug/create-vpc-endoint-policy.html): its example policy includes sts:GetServiceBearerToken",
        name: "AWS's CodeArtifact endpoint policy keeps sts:GetServiceBearerToken",
        policy: "vpce-policy-service-actions",
        stack: [vpc(), endpointGroup, interfaceEndpoint("codeartifact", "codeartifact.api", { securityGroupIds: [ref("endpoints")], policy: JSON.stringify(codeArtifactExample) })],
        expect: [],
    },
    {
        source: "IAM JSON policy grammar (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html): an action block is \"*\" or a list of action strings; vpce-policy-json (SPEC rule 1) rejects an empty one, so advice must never empty a NotAction",
        name: "a NotAction of other services only is explained, not emptied",
        policy: "vpce-policy-service-actions",
        stack: [vpc(), gatewayEndpoint("s3", "s3", { policy: JSON.stringify({ Statement: [{ Sid: "AllButQueues", Effect: "Allow", Principal: "*", NotAction: ["sqs:*"], Resource: "*" }] }) })],
        expect: [["s3", /Statement\[0\] \("AllButQueues"\): NotAction names only "sqs:\*".*every action of "s3:\*".*`"Action": "s3:\*"`/]],
    },
    {
        source: gatewayPrincipalDoc,
        name: "a NotPrincipal in a gateway endpoint's Deny",
        policy: "vpce-gateway-principal",
        stack: [vpc(), gatewayEndpoint("s3", "s3", { policy: gatewayPolicy({ NotPrincipal: { AWS: "arn:aws:iam::111122223333:role/admin" } }) })],
        expect: [["s3", /Statement\[1\] \("NoDeletes"\): NotPrincipal \{"AWS": "arn:aws:iam::111122223333:role\/admin"\} is not supported in a gateway endpoint policy.*"ArnNotLike"/]],
    },
    {
        source: gatewayPrincipalDoc,
        name: "an account principal in a Deny denies only the root user, and the fix keeps the aws-cn partition",
        policy: "vpce-gateway-principal",
        stack: [vpc(), gatewayEndpoint("s3", "s3", { serviceName: "com.amazonaws.cn-north-1.s3", policy: gatewayPolicy({ Principal: { AWS: "arn:aws-cn:iam::111122223333:root" } }) })],
        expect: [["s3", /denies only the root user of account 111122223333.*"arn:aws-cn:iam::111122223333:role\/\*"/]],
    },
    {
        source: "Amazon SES Developer Guide, \"Setting up VPC endpoints with Amazon SES\" (https://docs.aws.amazon.com/ses/latest/dg/send-email-set-up-vpc-endpoints.html): \"You can use any of the following port numbers: 25, 465, 587, 2465, or 2587.\"",
        name: "an SES SMTP endpoint admitting 587 only",
        policy: "vpce-endpoint-ingress",
        stack: [vpc(), sg("smtp-group", { ingress: [tcpIngress(587, { cidrBlocks: ["10.0.0.0/16"] })] }), interfaceEndpoint("smtp", "email-smtp", { securityGroupIds: [ref("smtp-group")] })],
        expect: [],
    },
    {
        source: "Amazon SES Developer Guide (as above): the SMTP endpoint listens on 25, 465, 587, 2465 and 2587, not on HTTPS",
        name: "an SES SMTP endpoint admitting only 443",
        policy: "vpce-endpoint-ingress",
        stack: [vpc(), endpointGroup, interfaceEndpoint("smtp", "email-smtp", { securityGroupIds: [ref("endpoints")] })],
        expect: [["smtp", /no ingress rule that admits TCP 25, 465, 587, 2465 or 2587 from inside the VPC/]],
    },
    {
        source: ipFamilyDoc,
        name: "an ipv4 endpoint (the type not set) admitted only from the VPC's IPv6 block",
        policy: "vpce-endpoint-ingress",
        stack: [dualStackVpc, sg("v6-only", { ingress: [tcpIngress(443, { ipv6CidrBlocks: ["2600:1f18:abc:ff00::/56"] })] }), interfaceEndpoint("sts", "sts", { securityGroupIds: [ref("v6-only")] })],
        expect: [["sts", /admit TCP 443 only from IPv6 sources, but the endpoint's `ipAddressType` is ipv4.*"dualstack"/]],
    },
    {
        source: ipFamilyDoc,
        name: "a dualstack endpoint admitted from the VPC's IPv6 block",
        policy: "vpce-endpoint-ingress",
        stack: [dualStackVpc, sg("v6-only", { ingress: [tcpIngress(443, { ipv6CidrBlocks: ["2600:1f18:abc:ff00::/56"] })] }), interfaceEndpoint("sts", "sts", { securityGroupIds: [ref("v6-only")], ipAddressType: "dualstack" })],
        expect: [],
    },
    {
        source: ipFamilyDoc,
        name: "ipAddressType not known in preview gives no family verdict",
        policy: "vpce-endpoint-ingress",
        stack: [dualStackVpc, sg("v6-only", { ingress: [tcpIngress(443, { ipv6CidrBlocks: ["2600:1f18:abc:ff00::/56"] })] }), interfaceEndpoint("sts", "sts", { securityGroupIds: [ref("v6-only")], ipAddressType: UnknownSentinel.string })],
        shapes: ["preview"],
        expect: [],
    },
    {
        source: "Amazon VPC User Guide, security group rules (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html): a group's rules are aggregated and traffic passes when a rule allows it, so 0.0.0.0/1 and 128.0.0.0/1 together reach every IPv4 address, the S3 prefix list's included",
        name: "egress to 0.0.0.0/1 plus 128.0.0.0/1 reaches the gateway endpoint",
        policy: "vpce-gateway-egress",
        stack: [vpc(), gatewayEndpoint("s3", "s3"), sg("app", { egress: [tcpIngress(443, { cidrBlocks: ["0.0.0.0/1"] }), tcpIngress(443, { cidrBlocks: ["128.0.0.0/1"] })] })],
        expect: [],
    },
    {
        source: "as above: 0.0.0.0/1 plus 128.0.0.0/2 leaves 192.0.0.0/2 out",
        name: "egress to 0.0.0.0/1 plus 128.0.0.0/2 does not",
        policy: "vpce-gateway-egress",
        stack: [vpc(), gatewayEndpoint("s3", "s3"), sg("app", { egress: [tcpIngress(443, { cidrBlocks: ["0.0.0.0/1", "128.0.0.0/2"] })] })],
        expect: [["app", /none admits TCP 443 to "com\.amazonaws\.eu-west-1\.s3"/]],
    },
    ...awsPerimeterExamples().map((example): DocumentedCase => ({
        source: `aws-samples/data-perimeter-policy-examples ${example.path} at ${example.commit}, as it is (placeholders filled)`,
        name: `AWS's ${example.file} passes when configured with its organization and partners`,
        policy: "vpce-data-perimeter",
        stack: [vpc(), gatewayEndpoint("ep", "s3", { policy: JSON.stringify(example.document) })],
        config: perimeterConfig,
        expect: [],
    })),
    {
        source: "as above: AWS's AllowRequestsToAWSOwnedResources statement with a customer bucket added is no longer exempt",
        name: "a customer bucket among AWS-owned ones is named",
        policy: "vpce-data-perimeter",
        stack: [vpc(), gatewayEndpoint("s3", "s3", { policy: JSON.stringify({ Statement: [{ Sid: "Downloads", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: ["arn:aws:s3:::aws-cli/*", "arn:aws:s3:::my-bucket/*"] }] }) })],
        config: perimeterConfig,
        expect: [["s3", /Statement\[0\] \("Downloads"\) allows requests from any principal to "arn:aws:s3:::my-bucket\/\*", which is not a resource AWS owns/]],
    },
    {
        source: "IAM User Guide, aws:PrincipalOrgPaths (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths)",
        name: "aws:PrincipalOrgPaths under the listed organization binds the statement",
        policy: "vpce-data-perimeter",
        stack: [vpc(), gatewayEndpoint("s3", "s3", { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*", Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": [`${exampleOrgId}/r-ab12/ou-ab12-11111111/*`] } } }] }) })],
        config: perimeterConfig,
        expect: [],
    },
    {
        source: "AWS IoT Core Developer Guide, \"Using AWS IoT Core with interface VPC endpoints\", Limitations (https://docs.aws.amazon.com/iot/latest/developerguide/IoTCore-VPC.html): the data plane and credential provider endpoints do not support private DNS names (\"make sure that Enable for this endpoint is not selected\")",
        name: "an IoT Core data endpoint without private DNS is not reported",
        policy: "vpce-private-dns",
        stack: [vpc(), endpointGroup, interfaceEndpoint("iot", "iot.data", { securityGroupIds: [ref("endpoints")], privateDnsEnabled: false })],
        expect: [],
    },
    {
        source: "AWS PrivateLink guide, Amazon S3 interface endpoints beside a gateway endpoint; EC2 DnsOptionsSpecification PrivateDnsOnlyForInboundResolverEndpoint: \"routes traffic that originates from the VPC to the gateway endpoint and traffic that originates from on-premises to the interface endpoint\"",
        name: "an S3 interface endpoint without private DNS beside the VPC's S3 gateway endpoint is not reported; alone it is",
        policy: "vpce-private-dns",
        stack: [vpc(), endpointGroup, gatewayEndpoint("s3-gw", "s3"), interfaceEndpoint("s3-if", "s3", { securityGroupIds: [ref("endpoints")], privateDnsEnabled: false }),
            interfaceEndpoint("s3-alone", "s3", { securityGroupIds: [ref("endpoints")], privateDnsEnabled: false, vpcId: ref("other", "id") }),
            { ...vpc(), name: "other", computed: { ...vpc().computed, id: "vpc-0other", vpcId: "vpc-0other" } }],
        expect: [["s3-alone", /private DNS off/]],
    },
];

async function runStack(pack: PolicyPackProcess, stack: Stack, shape: Shape, config?: PolicyPackConfigFile): Promise<RunResult> {
    await pack.configure(config ?? { all: "mandatory" });
    const resources = stack.engineResources(shape);
    const result: RunResult = { diagnostics: [], notApplicable: [] };
    for (const r of resources) result.diagnostics.push(...(await pack.analyze(r)).diagnostics);
    const s = await pack.analyzeStack(resources);
    result.diagnostics.push(...s.diagnostics);
    result.notApplicable.push(...s.notApplicable);
    return result;
}

const show = (ds: Diagnostic[]) => ds.map((d) => `${d.policyName} @ ${d.urn}: ${d.message}`).join("\n");

describe("rules against AWS's documented behaviour, through the engine", function () {
    this.timeout(120000);
    let pack: PolicyPackProcess;

    before(async function () {
        assert.ok(fs.existsSync(path.join(repoRoot, "bin", "policies", "vpce-interface-security-groups.js")), `the pack is not built: run npx tsc -p tsconfig.json in ${repoRoot}`);
        pack = await PolicyPackProcess.start(repoRoot);
    });
    after(async function () {
        await pack?.close();
    });

    for (const c of cases) {
        for (const shape of c.shapes ?? shapes) {
            it(`${c.policy}: ${c.name} [${shape}]`, async function () {
                const result = await runStack(pack, Stack.of(c.stack), shape, c.config);
                for (const d of result.diagnostics) assert.doesNotMatch(d.message, /can't run policy|could not evaluate/i, show([d]));
                const mine = result.diagnostics.filter((d) => d.policyName === c.policy);
                assert.deepStrictEqual(mine.map((d) => nameFromUrn(d.urn)), c.expect.map(([on]) => on), `${c.source}\n${show(mine)}`);
                c.expect.forEach(([, says], i) => assert.match(mine[i].message, says));
            });
        }
    }
});
