// The hostile corpus: inputs no policy may throw on, hang on, or echo. Small items are JSON files
// in this directory (written by `npx ts-node test/corpus/hostile.ts`); big ones (megabytes,
// thousands of levels, 100,000 statements) are built here at test time from their recipe.

import * as fs from "fs";
import * as path from "path";
import { UnknownSentinel } from "../../values/unknown-values";

/** A corpus item: a policy text (tried on every carrier and in a stack), a document object, or a stack. */
export interface CorpusItem {
    name: string;
    /** An endpoint policy as text. */
    policy?: string;
    /** A document given as an object (aws-native `policyDocument`); also sent as its JSON text where it has one. */
    document?: unknown;
    /** A stack (inputs; outputs default to the inputs), for the stack rules and each resource's Analyze. */
    resources?: CorpusResource[];
}

export interface CorpusResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    propertyDependencies?: Record<string, string[]>;
}

export const corpusDir = __dirname;
const itemsDir = path.join(corpusDir, "items");

/** The small items, as committed JSON files. */
export function smallItems(): CorpusItem[] {
    return fs.readdirSync(itemsDir).filter((f) => f.endsWith(".json")).sort()
        .map((f) => JSON.parse(fs.readFileSync(path.join(itemsDir, f), "utf8")) as CorpusItem);
}

/**
 * The big items, built at test time. `all`: every one at full size (`npm run fuzz`); otherwise the
 * issue's own (10,000 levels, 100,000 statements) and one of each other kind, smaller.
 */
export function bigItems(all: boolean): CorpusItem[] {
    const many = all ? 100_000 : 5_000;
    const minimal = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}";
    const items: CorpusItem[] = [
        { name: "10,000 levels of arrays", policy: "[".repeat(10_000) + "]".repeat(10_000) },
        { name: "10,000 levels of objects", policy: "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) },
        { name: "10,000 levels inside a statement", policy: `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":${"{\"a\":".repeat(10_000)}1${"}".repeat(10_000)}}]}` },
        { name: "10,000 levels of an aws-native object", document: deepObject(10_000) },
        { name: "100,000 statements", policy: `{"Version":"2012-10-17","Statement":[${Array.from({ length: 100_000 }, () => minimal).join(",")}]}` },
        { name: "100,000 statements with Sids and wildcards", policy: JSON.stringify({ Statement: Array.from({ length: 100_000 }, (_, i) => ({ Sid: `S${i % 50_000}`, Effect: "Allow", Principal: "*", Action: `s3:G*${i}`, Resource: "*" })) }) },
        { name: "a 5 MB Sid", policy: JSON.stringify({ Statement: [{ Sid: "x".repeat(fiveMegabytes), Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] }) },
        { name: "a 5 MB key", policy: `{"Statement":[{"${"k".repeat(fiveMegabytes)}":1,"${"k".repeat(fiveMegabytes)}":2}]}` },
        { name: "5 MB of duplicate keys", policy: fiveMegabyteDocument("duplicate-keys") },
        { name: "5 MB of wildcard actions", policy: fiveMegabyteDocument("wildcards") },
        { name: "5 MB of conditions", policy: fiveMegabyteDocument("conditions") },
        { name: "5 MB of unterminated statements", policy: fiveMegabyteDocument("garbage") },
        { name: `a security group with ${many.toLocaleString("en-US")} ingress and egress rules`, resources: [
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "e", inputs: { serviceName: "com.amazonaws.us-east-1.sts", vpcEndpointType: "Interface", vpcId: "vpc-1", securityGroupIds: ["sg-1"] } },
            { type: "aws:ec2/securityGroup:SecurityGroup", name: "g", inputs: { vpcId: "vpc-1", ingress: Array.from({ length: many }, (_, i) => ({ protocol: "tcp", fromPort: i % 65536, toPort: i % 65536, cidrBlocks: ["0.0.0.0/0"] })), egress: Array.from({ length: many }, () => ({ protocol: "udp", fromPort: 53, toPort: 53, cidrBlocks: ["10.0.0.0/8"] })) }, outputs: { id: "sg-1", vpcId: "vpc-1" } },
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "gw", inputs: { serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway", vpcId: "vpc-1" } },
        ] },
        { name: `an endpoint with ${many.toLocaleString("en-US")} security groups`, resources: [
            { type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "e", inputs: { serviceName: "com.amazonaws.us-east-1.sts", vpcEndpointType: "Interface", vpcId: "vpc-1", securityGroupIds: Array.from({ length: many }, (_, i) => `sg-${i}`) } },
            ...Array.from({ length: many / 50 }, (_, i) => ({ type: "aws:ec2/securityGroupAssociation:SecurityGroupAssociation", name: `a${i}`, inputs: { vpcEndpointId: UnknownSentinel.string, securityGroupId: `sg-${i}` } })),
        ] },
    ];
    // Under `npm test`, the 5 MB shapes other than two run in the document properties instead.
    const fullOnly = new Set(["100,000 statements with Sids and wildcards", "a 5 MB key", "5 MB of wildcard actions", "5 MB of conditions", "5 MB of unterminated statements"]);
    return all ? items : items.filter((i) => !fullOnly.has(i.name));
}

function deepObject(depth: number): unknown {
    let value: unknown = { Effect: "Allow" };
    for (let i = 0; i < depth; i++) value = { Statement: value };
    return value;
}

export const fiveMegabytes = 5_000_000;

/** Documents of at least 5 MB, each stressing another part of the rules. */
export function fiveMegabyteDocument(shape: string): string {
    const statement = (i: number) => ({ Sid: `S${i}`, Effect: i % 3 === 0 ? "Deny" : "Allow", Principal: i % 2 === 0 ? "*" : { AWS: `arn:aws:iam::${String(111122223333 + i).padStart(12, "0")}:root` }, Action: ["s3:GetObject", `s3:Get*${i}`], Resource: `arn:aws:s3:::bucket-${i}/*`, Condition: { StringLike: { "aws:PrincipalArn": `arn:aws:iam::1111*:role/${i}` } } });
    const fill = (unit: (i: number) => unknown, wrap: (items: unknown[]) => unknown) => {
        const items: unknown[] = [];
        let size = 0;
        for (let i = 0; size < fiveMegabytes * 1.1; i++) {
            const item = unit(i);
            items.push(item);
            size += JSON.stringify(item).length + 1;
        }
        return JSON.stringify(wrap(items));
    };
    switch (shape) {
        case "statements": return fill(statement, (s) => ({ Version: "2012-10-17", Statement: s }));
        case "actions": return fill((i) => `s3:Get${i.toString(36)}*`, (a) => ({ Statement: [{ Effect: "Allow", Principal: "*", Action: a, Resource: "*" }] }));
        case "wildcards": return fill((i) => `s3:${"*?".repeat(8)}${i.toString(36)}`, (a) => ({ Statement: [{ Effect: "Deny", Principal: "*", Action: a, Resource: "*" }] }));
        case "resources": return fill((i) => `arn:aws:iam::1${i % 10}*:role/r${i}`, (r) => ({ Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: r }] }));
        case "conditions": return fill((i) => [`aws:k${i}`, [`a${i}*`, "o-*"]], (kv) => ({ Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringLike: Object.fromEntries(kv as [string, unknown][]), "aws:PrincipalOrgID": 1 } }] }));
        case "principals": return fill((i) => `arn:aws:iam::${String(i).padStart(12, "0")}:root`, (p) => ({ Statement: [{ Effect: "Allow", Principal: { AWS: p }, Action: "*", Resource: "*" }] }));
        case "one-string": return JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: `s3:${"a".repeat(fiveMegabytes)}`, Resource: "*" }] });
        case "sid": return JSON.stringify({ Statement: [{ Sid: "x".repeat(fiveMegabytes), Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] });
        case "duplicate-keys": {
            const parts: string[] = [];
            for (let i = 0; parts.length * 17 < fiveMegabytes; i++) parts.push(`"Effect":"Allow${i % 7}"`);
            return `{"Statement":[{${parts.join(",")},"Principal":"*","Action":"*","Resource":"*"}]}`;
        }
        default: return `{"Statement":[${"{\"Effect\":\"Allow\",".repeat(fiveMegabytes / 18)}`;
    }
}

// ---------------------------------------------------------------------------------------------
// The small items: written to items/*.json by running this file.

const u = UnknownSentinel;
const endpoint = "aws:ec2/vpcEndpoint:VpcEndpoint";
const sg = "aws:ec2/securityGroup:SecurityGroup";
const statement = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" };
const doc = (s: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [{ ...statement, ...s }] });
const ruleOf = (extra: Record<string, unknown>) => ({ protocol: "tcp", fromPort: 443, toPort: 443, ...extra });
const sgStack = (rules: Record<string, unknown>[], egress: Record<string, unknown>[] = []): CorpusResource[] => [
    { type: "aws:ec2/vpc:Vpc", name: "vpc", inputs: { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true }, outputs: { id: "vpc-1", cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, defaultSecurityGroupId: "sg-default" } },
    { type: endpoint, name: "sts", inputs: { serviceName: "com.amazonaws.us-east-1.sts", vpcEndpointType: "Interface", vpcId: "vpc-1", securityGroupIds: ["sg-1"], privateDnsEnabled: true }, propertyDependencies: { vpcId: ["urn:pulumi:dev::corpus::aws:ec2/vpc:Vpc::vpc"] } },
    { type: endpoint, name: "s3", inputs: { serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway", vpcId: "vpc-1" }, outputs: { prefixListId: "pl-1" } },
    { type: sg, name: "g", inputs: { vpcId: "vpc-1", ingress: rules, egress }, outputs: { id: "sg-1" } },
];

export const smallItemDefinitions: CorpusItem[] = [
    { name: "duplicate keys", policy: "{\"Statement\":[{\"Effect\":\"Allow\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"*\",\"Resource\":\"*\"}],\"Statement\":[]}" },
    { name: "duplicate Sids and keys at every level", policy: "{\"Version\":\"2012-10-17\",\"Version\":\"2008-10-17\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a\",\"aws:PrincipalOrgID\":\"o-b\"},\"StringEquals\":{}}},{\"Sid\":\"A\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}" },
    { name: "a byte-order mark", policy: `\ufeff${doc({})}` },
    { name: "a byte-order mark inside a string", policy: doc({ Sid: "\ufeffA" }) },
    { name: "a raw NUL in the text", policy: `{"Statement":[{"Sid":"a\u0000b","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}` },
    { name: "an escaped NUL in every value", policy: doc({ Sid: "\u0000", Action: "s3:\u0000", Resource: "arn:aws:s3:::\u0000/*", Condition: { "StringEquals\u0000": { "aws:PrincipalOrgID\u0000": "\u0000" } } }) },
    { name: "lone surrogates in values and keys", policy: doc({ Sid: "\ud800", Action: ["s3:\udfff", "\ud83d"], Condition: { StringLike: { "aws:PrincipalArn\udc00": "arn:aws:iam::\ud800:role/*" } } }) },
    { name: "lone surrogates as raw text", policy: "{\"Statement\":[{\"Sid\":\"\ud800\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"\udfff\"}]}" },
    { name: "numbers and objects where strings belong", policy: JSON.stringify({ Version: 2012.1017, Id: {}, Statement: [{ Sid: 1, Effect: 1, Principal: 5, Action: {}, Resource: [1, null, {}], Condition: { StringEquals: { "aws:PrincipalOrgID": { o: 1 }, "aws:SourceVpc": [[1]] }, 7: 8 } }, { Sid: [], Effect: true, NotPrincipal: { AWS: [{}, 1] }, NotAction: [[]], NotResource: null, Condition: [] }] }) },
    { name: "numbers and objects where strings belong (aws-native object)", document: { Version: 2012, Statement: [{ Sid: 1, Effect: { Allow: true }, Principal: { AWS: 111122223333 }, Action: 5, Resource: { "*": "*" }, Condition: { Bool: { "aws:PrincipalIsAWSService": [true, { x: 1 }] } } }] } },
    { name: "__proto__ and constructor keys", policy: "{\"__proto__\":{\"Statement\":[]},\"constructor\":{\"prototype\":{\"Effect\":\"Deny\"}},\"Statement\":[{\"__proto__\":{\"Effect\":\"Deny\"},\"constructor\":\"x\",\"toString\":1,\"hasOwnProperty\":2,\"Effect\":\"Allow\",\"Principal\":{\"__proto__\":\"*\",\"AWS\":\"*\"},\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"__proto__\":{\"aws:PrincipalOrgID\":\"o-a\"},\"StringEquals\":{\"constructor\":\"x\",\"__proto__\":\"y\"}}}]}" },
    { name: "__proto__ keys in an aws-native object", document: JSON.parse("{\"__proto__\":{\"polluted\":1},\"Statement\":[{\"__proto__\":{\"Effect\":\"Deny\"},\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}]}") },
    { name: "a policy that is a JSON string containing JSON", policy: JSON.stringify(doc({})) },
    { name: "a JSON string containing a JSON string containing JSON", policy: JSON.stringify(JSON.stringify(doc({}))) },
    { name: "empty, blank and scalar texts", resources: ["", " ", "\n", "null", "true", "0", "[]", "{}", "\"\"", "1e400", "-0"].map((policy, i) => ({ type: endpoint, name: `e${i}`, inputs: { serviceName: "com.amazonaws.us-east-1.s3", policy } })) },
    { name: "numbers AWS cannot read", policy: "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"NumericLessThan\":{\"s3:max-keys\":1e400,\"s3:x\":-1e-400,\"s3:y\":123456789012345678901234567890}}}]}" },
    { name: "invalid and IPv6 CIDRs", resources: sgStack(
        ["300.0.0.0/8", "10.0.0.0/33", "10.0.0.0/-1", "0x0a.0.0.0/8", "010.0.0.0/8", "1.2.3.4", "10.0.0.0/16/1", "", " 10.0.0.0/8", "10.0.0.0/8 "].map((c) => ruleOf({ cidrBlocks: [c] }))
            .concat(["::/0", "fe80::/10", "2001:db8::/129", "fe80::1%eth0/64", "::ffff:10.0.0.0/104", "2600:1f18::/56", ":::/0", "fd00::/8"].map((c) => ruleOf({ ipv6CidrBlocks: [c] }))),
        [ruleOf({ cidrBlocks: ["0.0.0.0/00"] }), ruleOf({ ipv6CidrBlocks: ["::/0"] })],
    ) },
    { name: "negative and >65535 ports", resources: sgStack(
        [-1, -5, 65536, 99999, 1e10, 443.5, "443", "-1", "0x1bb", null, Number.MAX_SAFE_INTEGER].map((p) => ruleOf({ fromPort: p, toPort: p, cidrBlocks: ["10.0.0.0/8"] }))
            .concat([ruleOf({ fromPort: 444, toPort: 442, cidrBlocks: ["10.0.0.0/8"] }), ruleOf({ protocol: "-1", fromPort: -7, toPort: 99999, cidrBlocks: ["0.0.0.0/0"] })]),
        [-1, 65536].map((p) => ruleOf({ fromPort: p, toPort: p, cidrBlocks: ["0.0.0.0/0"] })),
    ) },
    { name: "odd protocols", resources: sgStack(["TCP", "Tcp", "6", "06", "256", "-2", "all", "ALL", "icmp", "58", "", "tcp ", 6.5, true].map((protocol) => ruleOf({ protocol, cidrBlocks: ["10.0.0.0/8"] }))) },
    { name: "unknowns of every kind at every level", resources: [
        { type: endpoint, name: "e", inputs: { serviceName: u.string, vpcEndpointType: u.string, vpcId: u.string, policy: u.string, securityGroupIds: u.array, privateDnsEnabled: u.bool } },
        { type: endpoint, name: "f", inputs: { serviceName: "com.amazonaws.us-east-1.sts", vpcEndpointType: "Interface", vpcId: "vpc-1", securityGroupIds: [u.string, u.object, u.number], privateDnsEnabled: u.bool } },
        { type: "aws-native:ec2:VpcEndpoint", name: "n", inputs: { serviceName: "com.amazonaws.us-east-1.s3", policyDocument: { Statement: [{ Effect: u.string, Principal: { AWS: u.array }, Action: u.asset, Resource: u.archive, Condition: u.object }] } } },
        { type: sg, name: "g", inputs: { vpcId: u.string, ingress: [u.object, { protocol: u.string, fromPort: u.number, toPort: u.number, cidrBlocks: u.array, self: u.bool }], egress: u.array } },
        { type: "aws:ec2/securityGroupRule:SecurityGroupRule", name: "r", inputs: { type: u.string, securityGroupId: u.string, protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] } },
        { type: "aws:ec2/vpc:Vpc", name: "v", inputs: { cidrBlock: u.string, enableDnsSupport: u.bool, enableDnsHostnames: u.bool } },
        { type: "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", name: "p", inputs: { vpcEndpointId: u.string, policy: u.string } },
        { type: "aws:ec2/securityGroupAssociation:SecurityGroupAssociation", name: "a", inputs: { vpcEndpointId: u.string, securityGroupId: u.string } },
    ] },
    { name: "dangling, self and junk dependencies, odd URNs", resources: [
        { type: endpoint, name: "e", inputs: { serviceName: "com.amazonaws.us-east-1.sts", vpcEndpointType: "Interface", vpcId: u.string, securityGroupIds: [u.string] }, propertyDependencies: { vpcId: ["urn:pulumi:dev::corpus::aws:ec2/vpc:Vpc::gone", "urn:pulumi:dev::corpus::aws:ec2/vpcEndpoint:VpcEndpoint::e"], securityGroupIds: ["", "urn", "urn:pulumi:dev::corpus::aws:ec2/vpcEndpoint:VpcEndpoint::e"] } },
        { type: "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", name: "p", inputs: { vpcEndpointId: u.string, policy: doc({ Principal: { AWS: "111122223333" } }) }, propertyDependencies: { vpcEndpointId: ["urn:pulumi:dev::corpus::aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy::p"] } },
        { type: "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", name: "p::q::r", inputs: { vpcEndpointId: u.string, policy: "" }, propertyDependencies: { vpcEndpointId: ["urn:pulumi:dev::corpus::aws:ec2/vpcEndpoint:VpcEndpoint::e", "urn:pulumi:dev::corpus::aws:ec2/vpcEndpoint:VpcEndpoint::e"] } },
    ] },
    { name: "service names that are not service names", resources: ["s3", "com.amazonaws..s3", "com.amazonaws.us-east-1.", "com.amazonaws.vpce.us-east-1.vpce-svc-", `com.amazonaws.us-east-1.${"a".repeat(300)}`, "COM.AMAZONAWS.US-EAST-1.S3", "com.amazonaws.us-east-1.s3\u0000", "aws.api.us-east-1.bedrock", "\ud800"]
        .map((serviceName, i) => ({ type: endpoint, name: `e${i}`, inputs: { serviceName, vpcEndpointType: i % 2 === 0 ? "Interface" : "Gateway", policy: doc({ Action: "ec2:*" }) } })) },
    { name: "endpoint types in every case", resources: ["interface", "GATEWAY", "GatewayLoadBalancer", "gatewayloadbalancer", "Resource", "ServiceNetwork", "", 7, null]
        .map((vpcEndpointType, i) => ({ type: endpoint, name: `e${i}`, inputs: { serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType, policy: doc({}) } })) },
    { name: "principals of every shape on a gateway endpoint", resources: [
        { type: endpoint, name: "gw", inputs: { serviceName: "com.amazonaws.us-east-1.s3", policy: JSON.stringify({ Statement: [
            "111122223333", "arn:aws:iam::111122223333:root", { AWS: ["*", "111122223333", 1, null] }, { AWS: "arn:aws:iam::111122223333:root\u0000" }, { Service: ["s3.amazonaws.com", {}] }, { "": "" }, [], "", { CanonicalUser: "x" },
        ].map((Principal, i) => ({ ...statement, Sid: `P${i}`, Principal })) }) } },
    ] },
    { name: "config-looking policy keys", policy: JSON.stringify({ enforcementLevel: "disabled", Statement: [statement], organizationIds: ["o-a1b2c3d4e5"] }) },
];

if (require.main === module) {
    fs.mkdirSync(itemsDir, { recursive: true });
    smallItemDefinitions.forEach((item, i) => {
        const file = path.join(itemsDir, `${String(i).padStart(2, "0")}-${item.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}.json`);
        fs.writeFileSync(file, `${JSON.stringify(item, null, 1)}\n`);
    });
    console.log(`wrote ${smallItemDefinitions.length} items to ${itemsDir}`);
}
