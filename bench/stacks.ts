// Synthetic but realistic stacks for the benchmarks (and for tests that need a big stack): a
// landing zone of VPCs, each with its subnets, route table, interface and gateway endpoints,
// standalone endpoint policies, an endpoint security group with separate ingress rules, workload
// groups with egress rules, and a security-group association. Deployed state, as `pulumi stack
// export` holds it: known IDs, AWS's read-back of each policy in the outputs, every reference also
// in `propertyDependencies`. Deterministic: the same size and seed give the same stack.
//
// Endpoint policy documents are 1–20 KB of plausible IAM (actions of the endpoint's service,
// resource ARNs, organisation conditions), skewed small as real ones are: 70 % 1–3 KB, 20 % 3–8 KB,
// 8 % 8–15 KB, 2 % 15–20 KB; a few carry the mistakes the pack exists to catch.

import type { StackResource } from "../engine/types";

export const BenchType = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    endpointPolicy: "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    association: "aws:ec2/securityGroupAssociation:SecurityGroupAssociation",
} as const;

export interface GeneratedStack {
    stack: string;
    project: string;
    region: string;
    /** In creation order: every reference points at an earlier resource. */
    resources: StackResource[];
    /** The provider resource every resource names (also attached to each as `provider`). */
    provider: { urn: string; type: string; id: string; properties: Record<string, unknown> };
}

export interface StackOptions {
    seed?: number;
    stack?: string;
    project?: string;
    region?: string;
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Services and real actions of their IAM prefixes (a sample of each). */
const interfaceServices: readonly { suffix: string; actions: readonly string[]; arn: (account: string, region: string, n: number) => string }[] = [
    { suffix: "sts", actions: ["sts:AssumeRole", "sts:GetCallerIdentity", "sts:AssumeRoleWithWebIdentity", "sts:TagSession"], arn: (a, _r, n) => `arn:aws:iam::${a}:role/app-${n}-runtime` },
    { suffix: "ecr.api", actions: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:DescribeImages", "ecr:ListImages", "ecr:DescribeRepositories"], arn: (a, r, n) => `arn:aws:ecr:${r}:${a}:repository/team-${n}/service` },
    { suffix: "ecr.dkr", actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], arn: (a, r, n) => `arn:aws:ecr:${r}:${a}:repository/team-${n}/worker` },
    { suffix: "logs", actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup", "logs:DescribeLogStreams"], arn: (a, r, n) => `arn:aws:logs:${r}:${a}:log-group:/app/service-${n}:*` },
    { suffix: "monitoring", actions: ["cloudwatch:PutMetricData", "cloudwatch:GetMetricData", "cloudwatch:ListMetrics"], arn: () => "*" },
    { suffix: "kms", actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ReEncryptFrom"], arn: (a, r, n) => `arn:aws:kms:${r}:${a}:key/0b1c2d3e-${String(n).padStart(4, "0")}-4f5a-8b9c-0d1e2f3a4b5c` },
    { suffix: "secretsmanager", actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecrets"], arn: (a, r, n) => `arn:aws:secretsmanager:${r}:${a}:secret:app/service-${n}-AbCdEf` },
    { suffix: "ssm", actions: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:DescribeParameters"], arn: (a, r, n) => `arn:aws:ssm:${r}:${a}:parameter/app/service-${n}/*` },
    { suffix: "sqs", actions: ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], arn: (a, r, n) => `arn:aws:sqs:${r}:${a}:orders-${n}` },
    { suffix: "sns", actions: ["sns:Publish", "sns:Subscribe", "sns:ListTopics"], arn: (a, r, n) => `arn:aws:sns:${r}:${a}:events-${n}` },
    { suffix: "lambda", actions: ["lambda:InvokeFunction", "lambda:GetFunction", "lambda:ListFunctions"], arn: (a, r, n) => `arn:aws:lambda:${r}:${a}:function:handler-${n}` },
    { suffix: "execute-api", actions: ["execute-api:Invoke"], arn: (a, r, n) => `arn:aws:execute-api:${r}:${a}:api${n}abc/prod/GET/*` },
    { suffix: "states", actions: ["states:StartExecution", "states:DescribeExecution", "states:SendTaskSuccess"], arn: (a, r, n) => `arn:aws:states:${r}:${a}:stateMachine:flow-${n}` },
];

const gatewayServices: readonly { suffix: string; actions: readonly string[]; arn: (account: string, region: string, n: number) => string; prefixList: string }[] = [
    {
        suffix: "s3",
        actions: ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:DeleteObject", "s3:GetObjectVersion", "s3:AbortMultipartUpload"],
        arn: (a, _r, n) => `arn:aws:s3:::${a}-data-${n}/*`,
        prefixList: "pl-6da54004",
    },
    {
        suffix: "dynamodb",
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"],
        arn: (a, r, n) => `arn:aws:dynamodb:${r}:${a}:table/orders-${n}`,
        prefixList: "pl-b3a742da",
    },
];

const organizationId = "o-a1b2c3d4e5";
const accounts = ["111122223333", "444455556666", "777788889999"];

/** A document size in bytes, skewed small: 70 % 1–3 KB, 20 % 3–8 KB, 8 % 8–15 KB, 2 % 15–20 KB. */
function documentSize(random: () => number): number {
    const u = random();
    const [lo, hi] = u < 0.7 ? [1024, 3072] : u < 0.9 ? [3072, 8192] : u < 0.98 ? [8192, 15360] : [15360, 20000];
    return Math.round(lo + (hi - lo) * random());
}

type Service = { suffix: string; actions: readonly string[]; arn: (account: string, region: string, n: number) => string };

/**
 * An endpoint policy of about `target` bytes for `service`: one statement per workload (Sid,
 * organisation condition, its actions and resources), grown by statements and resources until it
 * reaches the size, and a closing Deny outside the organisation. `flaw` adds a mistake.
 */
function endpointDocument(service: Service, gateway: boolean, region: string, target: number, n: number, random: () => number, flaw: number): Record<string, unknown> {
    const statements: Record<string, unknown>[] = [];
    const size = () => JSON.stringify({ Version: "2012-10-17", Statement: statements }).length;
    let k = 0;
    while (statements.length === 0 || size() < target - 300) {
        const account = accounts[(n + k) % accounts.length];
        const actions = service.actions.filter((_, i) => (i + k) % 3 !== 2);
        const resources: string[] = [];
        const perStatement = 2 + Math.floor(random() * 12);
        for (let r = 0; r < perStatement; r++) resources.push(service.arn(account, region, n * 100 + k * 16 + r));
        statements.push({
            Sid: `Workload${k}Access`,
            Effect: "Allow",
            Principal: "*",
            Action: actions.length > 0 ? actions : [service.actions[0]],
            Resource: [...new Set(resources)],
            Condition: { StringEquals: { "aws:PrincipalOrgID": organizationId } },
        });
        k++;
        if (size() > target + 2048) break;
    }
    statements.push({
        Sid: "DenyOutsideOrganisation",
        Effect: "Deny",
        Principal: "*",
        Action: "*",
        Resource: "*",
        Condition: { StringNotEquals: { "aws:PrincipalOrgID": organizationId } },
    });
    // The mistakes the pack reports, in a few per cent of documents.
    const first = statements[0];
    if (flaw < 0.02) first.Principal = gateway ? { AWS: `arn:aws:iam::${accounts[0]}:root` } : { AWS: accounts[1] };
    else if (flaw < 0.035) first.Condition = { StringLike: { "aws:PrincipalAccount": "1111*" } };
    else if (flaw < 0.05) first.Action = [...(first.Action as string[]), "s3:GetObjekt"];
    return { Version: "2012-10-17", Statement: statements };
}

function shuffled<T>(list: readonly T[], random: () => number): T[] {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
}

/** AWS's read-back of a policy: compact, keys sorted. */
function readBack(document: unknown): string {
    return JSON.stringify(sortKeys(document));
}

function sortKeys(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
        return out;
    }
    return v;
}

/**
 * A stack of exactly `size` resources (not counting the provider), in creation order. Per VPC
 * (28 resources): the VPC, 3 subnets, a route table, 3 security groups, 6 separate rules,
 * 8 interface and 2 gateway endpoints, 3 standalone endpoint policies, 1 group association. The
 * last VPC is cut short to make the count.
 */
export function generateStack(size: number, opts: StackOptions = {}): GeneratedStack {
    const random = prng(opts.seed ?? 0x5eed);
    const stack = opts.stack ?? "bench";
    const project = opts.project ?? "landing-zone";
    const region = opts.region ?? "eu-west-1";
    const urnOf = (type: string, name: string) => `urn:pulumi:${stack}::${project}::${type}::${name}`;
    const provider = {
        urn: urnOf("pulumi:providers:aws", "default_7_48_0"),
        type: "pulumi:providers:aws",
        id: "9a3c0e4e-2b0d-4d8e-a2c5-6f1e0b7d4c21",
        properties: { region, skipCredentialsValidation: "false", skipRegionValidation: "true", version: "7.48.0" },
    };
    const resources: StackResource[] = [];
    let serial = 0;
    const hexId = (prefix: string) => `${prefix}-${(0x0a00000000000000n + BigInt(++serial) * 7919n).toString(16).padStart(17, "0").slice(-17)}`;

    interface Made { urn: string; id: string }
    const add = (
        type: string, name: string, id: string, inputs: Record<string, unknown>, computed: Record<string, unknown>,
        refs: Record<string, Made[]>,
    ): Made => {
        const urn = urnOf(type, name);
        const propertyDependencies: Record<string, string[]> = {};
        for (const key of Object.keys(inputs)) propertyDependencies[key] = [];
        const dependencies: string[] = [];
        for (const [key, made] of Object.entries(refs)) {
            propertyDependencies[key] = made.map((m) => m.urn);
            for (const m of made) if (!dependencies.includes(m.urn)) dependencies.push(m.urn);
        }
        resources.push({
            urn, type, inputs: { __defaults: [], ...inputs }, outputs: { id, ...inputs, ...computed, tagsAll: inputs.tags ?? {} },
            dependencies, propertyDependencies,
            provider: { urn: provider.urn, type: provider.type, properties: provider.properties },
        });
        return { urn, id };
    };

    for (let v = 0; resources.length < size; v++) {
        const account = accounts[v % accounts.length];
        const cidr = `10.${Math.floor(v / 250) % 250}.${(v % 250)}.0/24`;
        const tags = { Name: `vpc-${v}`, team: `team-${v % 40}` };
        const arn = (kind: string, id: string) => `arn:aws:ec2:${region}:${account}:${kind}/${id}`;

        const vpcId = hexId("vpc");
        const defaultSg = hexId("sg");
        const vpc = add(BenchType.vpc, `vpc-${v}`, vpcId, {
            cidrBlock: cidr, enableDnsHostnames: v % 17 !== 0, enableDnsSupport: true, instanceTenancy: "default", tags,
        }, { arn: arn("vpc", vpcId), defaultSecurityGroupId: defaultSg, ownerId: account, mainRouteTableId: hexId("rtb") }, {});

        const subnets: Made[] = [];
        for (let s = 0; s < 3; s++) {
            const id = hexId("subnet");
            subnets.push(add(BenchType.subnet, `vpc-${v}-private-${s}`, id, {
                vpcId, cidrBlock: cidr.replace(/\.0\/24$/, `.${s * 64}/26`), availabilityZone: `${region}${"abc"[s]}`, tags,
            }, { arn: arn("subnet", id), ownerId: account }, { vpcId: [vpc] }));
        }
        const rtbId = hexId("rtb");
        const routeTable = add(BenchType.routeTable, `vpc-${v}-private`, rtbId, { vpcId, tags }, { arn: arn("route-table", rtbId), ownerId: account }, { vpcId: [vpc] });

        const sgIds = [hexId("sg"), hexId("sg"), hexId("sg")];
        const endpointSg = add(BenchType.securityGroup, `vpc-${v}-endpoints`, sgIds[0], {
            name: `endpoints-${v}`, description: "Interface endpoints", vpcId, revokeRulesOnDelete: false, tags,
        }, { arn: arn("security-group", sgIds[0]), ownerId: account, ingress: [], egress: [] }, { vpcId: [vpc] });
        const workloadSgs = [1, 2].map((w) => add(BenchType.securityGroup, `vpc-${v}-workload-${w}`, sgIds[w], {
            name: `workload-${v}-${w}`, description: `Workload ${w}`, vpcId, revokeRulesOnDelete: false, tags,
            // Every other workload group keeps its egress inline.
            ...(w === 2 ? { egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS out" }] } : {}),
        }, { arn: arn("security-group", sgIds[w]), ownerId: account, ingress: [] }, { vpcId: [vpc] }));

        const rule = (type: string, name: string, inputs: Record<string, unknown>, group: Made, extra: Record<string, Made[]> = {}) => {
            const id = hexId("sgr");
            return add(type, name, id, { ...inputs, securityGroupId: group.id }, { arn: arn("security-group-rule", id), securityGroupRuleId: id }, { securityGroupId: [group], ...extra });
        };
        // Ingress to the endpoints: from the VPC, and from each workload group (one of them a world-open mistake now and then).
        rule(BenchType.ingressRule, `vpc-${v}-endpoints-https-vpc`, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: cidr, description: "HTTPS from the VPC" }, endpointSg);
        rule(BenchType.ingressRule, `vpc-${v}-endpoints-https-w1`, { ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: workloadSgs[0].id }, endpointSg, { referencedSecurityGroupId: [workloadSgs[0]] });
        rule(BenchType.securityGroupRule, `vpc-${v}-endpoints-https-w2`, {
            type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443,
            ...(v % 23 === 0 ? { cidrBlocks: ["0.0.0.0/0"] } : { sourceSecurityGroupId: workloadSgs[1].id }),
        }, endpointSg, v % 23 === 0 ? {} : { sourceSecurityGroupId: [workloadSgs[1]] });

        const endpoints: Made[] = [];
        const policyLater: { endpoint: Made; document: Record<string, unknown>; name: string }[] = [];
        const interfaces = shuffled(interfaceServices, random).slice(0, 8);
        const all = [...interfaces.map((s) => ({ service: s, gateway: false })), ...gatewayServices.map((s) => ({ service: s, gateway: true }))];
        for (const [e, { service, gateway }] of all.entries()) {
            const id = hexId("vpce");
            const serviceName = `com.amazonaws.${region}.${service.suffix}`;
            const u = random();
            // 60 % inline, 30 % standalone (three per VPC), 10 % none (AWS's default).
            const placement = e >= 7 && policyLater.length < 3 ? "standalone" : u < 0.85 ? "inline" : "none";
            const document = placement === "none" ? undefined : endpointDocument(service, gateway, region, documentSize(random), v * 16 + e, random, random());
            const inputs: Record<string, unknown> = { serviceName, vpcEndpointType: gateway ? "Gateway" : "Interface", vpcId, tags };
            const refs: Record<string, Made[]> = { vpcId: [vpc] };
            if (gateway) {
                inputs.routeTableIds = [rtbId];
                refs.routeTableIds = [routeTable];
            } else {
                inputs.privateDnsEnabled = v % 29 !== 0;
                inputs.subnetIds = subnets.map((s) => s.id);
                inputs.securityGroupIds = [endpointSg.id];
                refs.subnetIds = subnets;
                refs.securityGroupIds = [endpointSg];
            }
            if (placement === "inline") inputs.policy = JSON.stringify(document);
            const computed: Record<string, unknown> = {
                arn: arn("vpc-endpoint", id), ownerId: account, state: "available", requesterManaged: false,
                policy: document === undefined ? readBack({ Version: "2008-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] }) : readBack(document),
                dnsEntries: gateway ? [] : [{ dnsName: `${id}.${service.suffix}.${region}.vpce.amazonaws.com`, hostedZoneId: "Z7HUB22UULQXV" }],
                networkInterfaceIds: gateway ? [] : subnets.map(() => hexId("eni")),
                ...(gateway ? { prefixListId: (service as (typeof gatewayServices)[number]).prefixList, cidrBlocks: ["3.5.64.0/21", "52.218.0.0/17"] } : {}),
            };
            const endpoint = add(BenchType.endpoint, `vpc-${v}-${service.suffix}`, id, inputs, computed, refs);
            endpoints.push(endpoint);
            if (placement === "standalone") policyLater.push({ endpoint, document: document!, name: `vpc-${v}-${service.suffix}-policy` });
        }
        for (const p of policyLater) {
            add(BenchType.endpointPolicy, p.name, p.endpoint.id, { vpcEndpointId: p.endpoint.id, policy: JSON.stringify(p.document) }, { policy: readBack(p.document) }, { vpcEndpointId: [p.endpoint] });
        }

        // Workload egress: HTTPS to each gateway endpoint's prefix list, and to the endpoints' group.
        const gatewayEndpoints = endpoints.slice(-2);
        for (const [g, gw] of gatewayEndpoints.entries()) {
            rule(BenchType.egressRule, `vpc-${v}-workload-1-to-${gatewayServices[g].suffix}`, {
                ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: gatewayServices[g].prefixList,
            }, workloadSgs[0], { prefixListId: [gw] });
        }
        rule(BenchType.egressRule, `vpc-${v}-workload-1-to-endpoints`, { ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: endpointSg.id }, workloadSgs[0], { referencedSecurityGroupId: [endpointSg] });

        // One interface endpoint also gets the second workload group through an association.
        add(BenchType.association, `vpc-${v}-assoc`, `${endpoints[0].id}/${workloadSgs[1].id}`, {
            vpcEndpointId: endpoints[0].id, securityGroupId: workloadSgs[1].id,
        }, {}, { vpcEndpointId: [endpoints[0]], securityGroupId: [workloadSgs[1]] });
    }
    resources.length = size;
    return { stack, project, region, resources, provider };
}

/**
 * The stack as `pulumi stack export` writes it (deployment version 3): the stack resource, the
 * provider, then every resource with its provider reference and the stack as parent.
 */
export function stackExport(generated: GeneratedStack): unknown {
    const stackUrn = `urn:pulumi:${generated.stack}::${generated.project}::pulumi:pulumi:Stack::${generated.project}-${generated.stack}`;
    const time = "2026-11-19T09:05:18.227604Z";
    const providerRef = `${generated.provider.urn}::${generated.provider.id}`;
    return {
        version: 3,
        deployment: {
            manifest: { time, magic: "", version: "v3.209.0" },
            resources: [
                { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: {}, created: time, modified: time },
                {
                    urn: generated.provider.urn, custom: true, id: generated.provider.id, type: generated.provider.type,
                    inputs: { __internal: {}, ...generated.provider.properties }, outputs: { __internal: {}, ...generated.provider.properties },
                    parent: stackUrn, created: time, modified: time,
                },
                ...generated.resources.map((r) => ({
                    urn: r.urn,
                    custom: true,
                    id: (r.outputs ?? r.inputs).id,
                    type: r.type,
                    inputs: r.inputs,
                    outputs: r.outputs,
                    parent: stackUrn,
                    dependencies: r.dependencies,
                    provider: providerRef,
                    propertyDependencies: r.propertyDependencies,
                    created: time,
                    modified: time,
                })),
            ],
        },
    };
}

/** How many resources of each type, and the sizes of the documents (for the results). */
export function describeStack(resources: readonly StackResource[]): { types: Record<string, number>; documents: { count: number; medianBytes: number; maxBytes: number } } {
    const types: Record<string, number> = {};
    const sizes: number[] = [];
    for (const r of resources) {
        const short = r.type.slice(r.type.lastIndexOf(":") + 1);
        types[short] = (types[short] ?? 0) + 1;
        const policy = r.inputs.policy;
        if (typeof policy === "string") sizes.push(policy.length);
    }
    sizes.sort((a, b) => a - b);
    return { types, documents: { count: sizes.length, medianBytes: sizes[Math.floor(sizes.length / 2)] ?? 0, maxBytes: sizes[sizes.length - 1] ?? 0 } };
}
