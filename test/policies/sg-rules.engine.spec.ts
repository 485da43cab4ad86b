// The security-group stack rules (SPEC 11–14) through the path the Pulumi CLI uses: the built pack
// at the repository root (npx tsc -p tsconfig.json), started by run-policy-pack, configured,
// Analyze on every resource's inputs and then AnalyzeStack on the outputs.

import * as assert from "assert";
import { runPolicyPack, type Diagnostic, type RunResult } from "../../engine";
import { UnknownSentinel } from "../../values/unknown-values";
import { gatewayEndpoint, interfaceEndpoint, networkRegion, ref, sg, shapes, Stack, svc, T, tcpIngress as tcp, vpc, type Spec } from "../support/stacks";
import { assertPackBuilt, repoRoot } from "../support/paths";

const account = "111122223333";

const policy = (statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ownAccount = { StringEquals: { "aws:PrincipalAccount": account } };

const s3Policy = policy([{
    Sid: "ArtifactsAndEcrLayers",
    Effect: "Allow",
    Principal: "*",
    Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
    Resource: [`arn:aws:s3:::${account}-artifacts`, `arn:aws:s3:::${account}-artifacts/*`, "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*"],
    Condition: ownAccount,
}]);
const ecrPolicy = policy([{
    Sid: "PullImages", Effect: "Allow", Principal: "*",
    Action: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
    Resource: "*", Condition: ownAccount,
}]);
const logsPolicy = policy([{
    Sid: "WriteAppLogs", Effect: "Allow", Principal: "*",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: `arn:aws:logs:eu-west-1:${account}:log-group:/app/*`, Condition: ownAccount,
}]);
const stsPolicy = policy([{
    Sid: "AssumeOwnRoles", Effect: "Allow", Principal: "*",
    Action: ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"],
    Resource: `arn:aws:iam::${account}:role/app-*`, Condition: ownAccount,
}]);

const interfaceArgs = (policyText: string) => ({ securityGroupIds: [ref("endpoints")], subnetIds: ["subnet-0a", "subnet-0b"], policy: policyText });

/**
 * A production-style network: an S3 gateway endpoint; ECR, CloudWatch Logs and STS interface
 * endpoints behind one endpoint group that admits HTTPS from the application group; the
 * application group reaching S3 through the gateway's prefix list and the endpoints on 443.
 */
const production: Spec[] = [
    vpc(),
    gatewayEndpoint("s3", "s3", { routeTableIds: ["rtb-0private"], policy: s3Policy }),
    sg("endpoints", { description: "Interface endpoints" }),
    sg("app", {
        description: "Application",
        egress: [
            tcp(443, { prefixListIds: [ref("s3", "prefixListId")], description: "S3 through the gateway endpoint" }),
            tcp(443, { securityGroups: [ref("endpoints")], description: "AWS APIs through the interface endpoints" }),
        ],
    }),
    { type: T.ingressRule, name: "endpoints-https-from-app", inputs: { securityGroupId: ref("endpoints"), ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: ref("app") }, computed: { id: "sgr-0https" } },
    interfaceEndpoint("ecr-api", "ecr.api", interfaceArgs(ecrPolicy)),
    interfaceEndpoint("ecr-dkr", "ecr.dkr", interfaceArgs(ecrPolicy)),
    interfaceEndpoint("logs", "logs", interfaceArgs(logsPolicy)),
    interfaceEndpoint("sts", "sts", interfaceArgs(stsPolicy)),
];

/** The same network with one mistake per rule. */
const broken: Spec[] = [
    vpc({ enableDnsHostnames: false }),
    gatewayEndpoint("s3", "s3", { routeTableIds: ["rtb-0private"], policy: s3Policy }),
    sg("endpoints", { description: "Interface endpoints", ingress: [tcp(443, { cidrBlocks: ["0.0.0.0/0"] })] }),
    sg("app", { egress: [tcp(5432, { cidrBlocks: ["10.0.0.0/16"] })] }),
    interfaceEndpoint("sts", "sts", { ...interfaceArgs(stsPolicy), privateDnsEnabled: false }),
    interfaceEndpoint("logs", "logs", { subnetIds: ["subnet-0a"], policy: logsPolicy }),
    { type: T.nativeSecurityGroup, name: "native-endpoints", inputs: { vpcId: ref("main"), groupDescription: "native", securityGroupIngress: [{ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIp: "10.0.0.0/16" }] }, computed: { groupId: "sg-0native" } },
    { type: T.nativeEndpoint, name: "native-ecr", inputs: { vpcId: ref("main"), serviceName: svc("ecr.api", networkRegion), vpcEndpointType: "Interface", privateDnsEnabled: true, securityGroupIds: [ref("native-endpoints", "groupId")], policyDocument: JSON.parse(ecrPolicy) }, computed: { id: "vpce-0native" } },
];

const ours = ["vpce-interface-security-groups", "vpce-endpoint-ingress", "vpce-gateway-egress", "vpce-private-dns"];
const show = (ds: Diagnostic[]) => ds.map((d) => `${d.policyName} @ ${d.urn}: ${d.message}`).join("\n");

describe("security-group rules through the engine", function () {
    this.timeout(120000);
    const results = new Map<string, RunResult>();

    before(async function () {
        assertPackBuilt("vpce-endpoint-ingress");
        for (const shape of shapes) {
            results.set(`production/${shape}`, await runPolicyPack(repoRoot, Stack.of(production).engineResources(shape), { config: { all: "mandatory" } }));
            results.set(`broken/${shape}`, await runPolicyPack(repoRoot, Stack.of(broken).engineResources(shape), { config: { all: "mandatory" } }));
        }
    });

    for (const shape of shapes) {
        describe(`a production-style stack [${shape}]`, () => {
            it("yields no diagnostic at all under { all: \"mandatory\" }", () => {
                const r = results.get(`production/${shape}`) as RunResult;
                assert.deepStrictEqual(r.diagnostics, [], show(r.diagnostics));
            });
            it("never says it can't run a policy", () => {
                const r = results.get(`production/${shape}`) as RunResult;
                const notes = [...r.diagnostics.map((d) => d.message), ...r.notApplicable.map((n) => n.reason)];
                for (const note of notes) {
                    assert.doesNotMatch(note, /can't run policy|could not evaluate/i);
                }
            });
            it("runs all four security-group rules on it", () => {
                const r = results.get(`production/${shape}`) as RunResult;
                const skipped = r.notApplicable.filter((n) => ours.includes(n.policyName) && n.phase === "analyzeStack");
                assert.deepStrictEqual(skipped, []);
            });
        });

        describe(`a stack with one mistake per rule [${shape}]`, () => {
            const expected: [string, string, RegExp][] = [
                ["vpce-interface-security-groups", "aws:ec2/vpcEndpoint:VpcEndpoint::logs", /names no security group/],
                ["vpce-endpoint-ingress", "aws:ec2/securityGroup:SecurityGroup::endpoints", /admits tcp 443 from 0\.0\.0\.0\/0/],
                ["vpce-endpoint-ingress", "aws-native:ec2:VpcEndpoint::native-ecr", /no ingress rule that admits TCP 443/],
                ["vpce-gateway-egress", "aws:ec2/securityGroup:SecurityGroup::app", /none admits TCP 443 to "com\.amazonaws\.eu-west-1\.s3"/],
                ["vpce-private-dns", "aws:ec2/vpcEndpoint:VpcEndpoint::sts", /private DNS off/],
                ["vpce-private-dns", "aws:ec2/vpc:Vpc::main", /`enableDnsHostnames` set to false/],
            ];
            it("reports each on the resource to edit, at the configured level", () => {
                const r = results.get(`broken/${shape}`) as RunResult;
                const mine = r.diagnostics.filter((d) => ours.includes(d.policyName));
                const got = mine.map((d) => `${d.policyName} ${d.urn.split("::").slice(2).join("::")}`).sort();
                assert.deepStrictEqual(got, expected.map(([p, u]) => `${p} ${u}`).sort(), show(mine));
                for (const [policyName, urnTail, says] of expected) {
                    const d = mine.find((x) => x.policyName === policyName && x.urn.endsWith(urnTail));
                    assert.ok(d, `${policyName} on ${urnTail}`);
                    assert.match(d.message, says);
                    assert.strictEqual(d.enforcementLevel, "mandatory");
                    assert.strictEqual(d.phase, "analyzeStack");
                }
            });
        });
    }

    it("has no verdict, and no error, on a stack of unknowns", async () => {
        const unknowns: Spec[] = [
            { type: T.vpc, name: "main", inputs: { cidrBlock: UnknownSentinel.string, enableDnsHostnames: UnknownSentinel.bool } },
            { type: T.securityGroup, name: "endpoints", inputs: { vpcId: UnknownSentinel.string, ingress: UnknownSentinel.array, egress: UnknownSentinel.array } },
            { type: T.securityGroupRule, name: "rule", inputs: { type: UnknownSentinel.string, securityGroupId: UnknownSentinel.string, protocol: UnknownSentinel.string, fromPort: UnknownSentinel.number, toPort: UnknownSentinel.number } },
            { type: T.endpoint, name: "ep", inputs: { vpcId: UnknownSentinel.string, serviceName: UnknownSentinel.string, vpcEndpointType: "Interface", securityGroupIds: UnknownSentinel.array, privateDnsEnabled: UnknownSentinel.bool } },
            { type: T.endpoint, name: "gw", inputs: { vpcId: UnknownSentinel.string, serviceName: svc("s3", networkRegion) } },
        ];
        const r = await runPolicyPack(repoRoot, Stack.of(unknowns).engineResources("preview"), { config: { all: "mandatory" } });
        const mine = r.diagnostics.filter((d) => ours.includes(d.policyName));
        assert.deepStrictEqual(mine, [], show(mine));
        for (const n of r.notApplicable) assert.doesNotMatch(n.reason, /could not evaluate/);
    });
});
