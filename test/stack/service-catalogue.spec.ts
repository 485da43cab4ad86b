import * as assert from "assert";
import { actionPatternMatches, splitAction } from "../../iam/actions";
import crossServiceTable from "../../stack/data/cross-service-actions.json";
import portTable from "../../stack/data/interface-ports.json";
import {
    crossServiceActions, iamPrefixesFor, interfacePortRequirement, interfacePorts, parseServiceName, policySupport, type ServiceName,
} from "../../stack/service-catalogue";

const names: [string, Partial<ServiceName> | undefined][] = [
    ["com.amazonaws.us-east-1.s3", { suffix: "s3", region: "us-east-1", customer: false, fips: false }],
    ["com.amazonaws.eu-west-2.ecr.dkr", { suffix: "ecr.dkr", region: "eu-west-2" }],
    ["com.amazonaws.us-gov-west-1.kms-fips", { suffix: "kms", region: "us-gov-west-1", fips: true }],
    ["com.amazonaws.us-east-1.iot-fips.data", { suffix: "iot.data", fips: true }],
    ["com.amazonaws.us-east-1.ecr-fips.api", { suffix: "ecr.api", fips: true }],
    ["aws.sagemaker.us-west-2.notebook", { suffix: "notebook", region: "us-west-2" }],
    ["aws.sagemaker.us-west-2.studio", { suffix: "studio" }],
    ["aws.api.us-east-1.kendra-ranking", { suffix: "kendra-ranking", region: "us-east-1" }],
    ["com.amazonaws.s3-global.accesspoint", { suffix: "s3-global.accesspoint", region: undefined }],
    ["com.amazonaws.iam", { suffix: "iam", region: undefined }],
    ["com.amazonaws.route53", { suffix: "route53", region: undefined }],
    ["cn.com.amazonaws.cn-north-1.ecr.api", { suffix: "ecr.api", region: "cn-north-1" }],
    ["com.amazonaws.cn-northwest-1.s3", { suffix: "s3", region: "cn-northwest-1" }],
    ["gov.ic.c2s.us-iso-east-1.s3", { suffix: "s3", region: "us-iso-east-1" }],
    ["gov.sgov.sc2s.us-isob-east-1.sts", { suffix: "sts", region: "us-isob-east-1" }],
    ["com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", { suffix: "vpce-svc-0123456789abcdef0", region: "us-east-1", customer: true }],
    ["COM.AMAZONAWS.US-EAST-1.S3", { suffix: "s3", region: "us-east-1" }],
    ["s3", undefined],
    ["com.amazonaws.us-east-1.", undefined],
    ["com.amazonaws.us-east-1", undefined],
    ["com.amazonaws..s3", undefined],
    ["org.example.us-east-1.s3", undefined],
    ["", undefined],
];

describe("service catalogue", () => {
    describe("parseServiceName", () => {
        for (const [name, expected] of names) {
            it(`${JSON.stringify(name)} → ${expected ? expected.suffix : "not a service name"}`, () => {
                const parsed = parseServiceName(name);
                if (expected === undefined) {
                    assert.strictEqual(parsed, undefined);
                    return;
                }
                assert.ok(parsed, "parsed");
                for (const [k, v] of Object.entries(expected)) assert.deepStrictEqual(parsed[k as keyof ServiceName], v, k);
            });
        }
        it("never throws for odd values", () => {
            for (const v of [undefined, null, 3, {}, [], "x".repeat(10000), "com.amazonaws." + "a.".repeat(500)]) {
                assert.doesNotThrow(() => parseServiceName(v));
            }
        });
    });

    describe("IAM prefixes", () => {
        const prefixes: [string, string[]][] = [
            ["com.amazonaws.us-east-1.s3", ["s3"]],
            ["com.amazonaws.s3-global.accesspoint", ["s3"]],
            ["com.amazonaws.us-east-1.s3-outposts", ["s3-outposts"]],
            ["com.amazonaws.us-east-1.s3express", ["s3express"]],
            ["com.amazonaws.us-east-1.git-codecommit", ["codecommit"]],
            ["com.amazonaws.us-east-1.git-codecommit-fips", ["codecommit"]],
            ["com.amazonaws.us-east-1.monitoring", ["cloudwatch"]],
            ["com.amazonaws.us-east-1.kinesis-streams", ["kinesis"]],
            ["com.amazonaws.us-east-1.kinesis-firehose", ["firehose"]],
            ["com.amazonaws.us-east-1.ecr.dkr", ["ecr"]],
            ["com.amazonaws.us-east-1.dynamodb-streams", ["dynamodb"]],
            ["com.amazonaws.us-east-1.email-smtp", ["ses"]],
            ["com.amazonaws.us-east-1.kms-fips", ["kms"]],
            ["com.amazonaws.us-east-1.iot-fips.data", ["iot"]],
            ["com.amazonaws.us-east-1.secretsmanager", ["secretsmanager"]],
            ["com.amazonaws.us-east-1.codeartifact.repositories", ["codeartifact"]],
            ["aws.sagemaker.us-east-1.notebook", ["sagemaker"]],
            ["com.amazonaws.us-east-1.cassandra", ["cassandra"]],
            ["com.amazonaws.us-east-1.not-a-real-service", []],
            ["com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", []],
        ];
        for (const [name, expected] of prefixes) {
            it(`${name} → ${expected.join(", ") || "none"}`, async () => {
                const service = parseServiceName(name);
                assert.ok(service);
                assert.deepStrictEqual(await iamPrefixesFor(service), expected);
            });
        }
        it("extraPrefixes add prefixes by suffix (FIPS and case aside)", async () => {
            const service = parseServiceName("com.amazonaws.us-east-1.execute-api-fips");
            assert.ok(service);
            assert.deepStrictEqual(await iamPrefixesFor(service, { "Execute-API": ["APIGateway"], "s3": ["x"] }), ["execute-api", "apigateway"]);
            const unknown = parseServiceName("com.amazonaws.us-east-1.new-thing");
            assert.ok(unknown);
            assert.deepStrictEqual(await iamPrefixesFor(unknown, { "new-thing": ["newthing", 3] }), ["newthing"]);
        });
    });

    describe("cross-service actions (stack/data/cross-service-actions.json)", () => {
        it("gives CodeArtifact's sts:GetServiceBearerToken on both CodeArtifact endpoints, and nothing to a customer service", () => {
            for (const name of ["com.amazonaws.us-east-1.codeartifact.api", "com.amazonaws.us-east-1.codeartifact.repositories"]) {
                const service = parseServiceName(name);
                assert.ok(service);
                assert.deepStrictEqual(crossServiceActions(service).flatMap((e) => e.actions), ["sts:GetServiceBearerToken"]);
            }
            const customer = parseServiceName("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0");
            assert.ok(customer);
            assert.deepStrictEqual(crossServiceActions(customer), []);
        });
        it("every entry cites an AWS page and names real actions of another service", async () => {
            const table = crossServiceTable.entries;
            assert.ok(table.length > 0);
            for (const entry of table) {
                assert.match(entry.source, /^https:\/\/docs\.aws\.amazon\.com\//, entry.suffix);
                const service = parseServiceName(`com.amazonaws.us-east-1.${entry.suffix}`);
                assert.ok(service);
                const own = await iamPrefixesFor(service);
                for (const action of entry.actions) {
                    const split = splitAction(action);
                    assert.ok(split, action);
                    assert.ok(!own.includes(split.prefix.toLowerCase()), `${action} is the endpoint's own service`);
                    assert.strictEqual(await actionPatternMatches(split.prefix.toLowerCase(), split.action), true, `${action} is not in the IAM catalogue`);
                }
            }
        });
    });

    describe("policy support", () => {
        const support = (name: string, overrides = {}) => {
            const service = parseServiceName(name);
            assert.ok(service);
            return policySupport(service, overrides);
        };
        it("knows the documented lists", () => {
            assert.strictEqual(support("com.amazonaws.us-east-1.s3"), "supported");
            assert.strictEqual(support("com.amazonaws.us-east-1.ecr.dkr"), "supported");
            assert.strictEqual(support("com.amazonaws.us-east-1.kms-fips"), "supported");
            assert.strictEqual(support("com.amazonaws.us-east-1.email-smtp"), "unsupported");
            assert.strictEqual(support("com.amazonaws.us-east-1.transfer.server"), "unsupported");
            assert.strictEqual(support("com.amazonaws.us-east-1.bedrock-runtime"), "unknown");
            assert.strictEqual(support("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"), "unknown");
        });
        it("config overrides the tables; a suffix in both lists counts as supported", () => {
            assert.strictEqual(support("com.amazonaws.us-east-1.email-smtp", { supportedServices: ["email-smtp"] }), "supported");
            assert.strictEqual(support("com.amazonaws.us-east-1.s3", { unsupportedServices: ["S3"] }), "unsupported");
            assert.strictEqual(support("com.amazonaws.us-east-1.bedrock-runtime", { unsupportedServices: ["bedrock-runtime-fips"] }), "unsupported");
            assert.strictEqual(support("com.amazonaws.us-east-1.sqs", { supportedServices: ["sqs"], unsupportedServices: ["sqs"] }), "supported");
            assert.strictEqual(support("com.amazonaws.us-east-1.sqs", { unsupportedServices: "sqs" as unknown as string[] }), "supported");
        });
    });

    describe("interface ports", () => {
        const ports = (name: string, overrides?: Record<string, unknown>) => {
            const service = parseServiceName(name);
            assert.ok(service);
            return interfacePorts(service, overrides);
        };
        it("443 for AWS services, 9142 for Keyspaces, none for a customer service", () => {
            assert.deepStrictEqual(ports("com.amazonaws.us-east-1.sts"), [443]);
            assert.deepStrictEqual(ports("com.amazonaws.us-east-1.cassandra"), [9142]);
            assert.deepStrictEqual(ports("com.amazonaws.us-east-1.cassandra-fips"), [9142]);
            assert.strictEqual(ports("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"), undefined);
        });
        it("AWS-documented ports from the table, each with its source; SES SMTP on any one of five", () => {
            const requirement = (name: string) => {
                const service = parseServiceName(name);
                assert.ok(service);
                return interfacePortRequirement(service);
            };
            const smtp = requirement("com.amazonaws.us-east-1.email-smtp");
            assert.deepStrictEqual(smtp && { ports: smtp.ports, anyOne: smtp.anyOne }, { ports: [25, 465, 587, 2465, 2587], anyOne: true });
            assert.strictEqual(smtp?.source, "https://docs.aws.amazon.com/ses/latest/dg/send-email-set-up-vpc-endpoints.html");
            assert.deepStrictEqual(requirement("com.amazonaws.us-east-1.transfer.server")?.ports, [22]);
            assert.deepStrictEqual(requirement("com.amazonaws.us-east-1.iot.data")?.ports, [8883, 443, 8443]);
            assert.strictEqual(requirement("com.amazonaws.us-east-1.sts")?.anyOne, false);
            // Config lists ports that must each be admitted.
            const service = parseServiceName("com.amazonaws.us-east-1.email-smtp");
            assert.ok(service);
            assert.deepStrictEqual(interfacePortRequirement(service, { "email-smtp": [587] }), { ports: [587], anyOne: false });
        });
        it("every entry of the port table cites an AWS page", () => {
            for (const entry of [portTable.default, ...portTable.entries]) {
                assert.match(entry.source, /^https:\/\/docs\.aws\.amazon\.com\//);
                assert.ok(entry.quote.length > 0);
                assert.ok(entry.ports.length > 0 && entry.ports.every((p: number) => Number.isInteger(p) && p > 0 && p < 65536));
            }
        });
        it("config ports by suffix (or full customer service name) win", () => {
            assert.deepStrictEqual(ports("com.amazonaws.us-east-1.sts", { sts: [8443] }), [8443]);
            assert.deepStrictEqual(ports("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", { "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0": [5432] }), [5432]);
            assert.deepStrictEqual(ports("com.amazonaws.us-east-1.sts", { sts: ["x", 70000] }), [443]);
        });
    });
});
