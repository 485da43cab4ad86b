// Configuration of the wrong type or shape. Through the engine, the CLI's validation refuses it at
// Configure, naming the policy and the key — for every policy with config properties, every value
// derived from the schemas GetAnalyzerInfo returns. As a library (no engine validation), a rule
// that receives such a value anyway uses the property's default and never throws: its verdict is
// the default's, judged against an independent validator (ajv, the engine's).

import * as assert from "assert";
import { isDeepStrictEqual } from "util";
import Ajv, { type ValidateFunction } from "ajv";
import * as fc from "fast-check";
import { PolicyConfigError, PolicyPackProcess, reconcileConfig, type AnalyzerDescription } from "../../engine";
import { policies } from "../../policies";
import { forgetInputs } from "../../stack/inputs-memory";
import type { DocumentPolicy } from "../../framework/rule";
import type { StackPolicy } from "../../framework/stack-rule";
import {
    carrierProps, Doc, documentCase, hostileJson, networkProgram, plainText, program, programOf, Ref, render, type GeneratedDocumentCase, type Program,
} from "../support/arbitraries";
import { carriers, carrierInputs } from "../support/cases";
import { exampleOrgId, perimeterDefaultPolicy } from "../support/document-policies";
import { shapes, svc, T, urnOf } from "../support/stacks";
import { check } from "../fuzz/budget";
import { documentPolicies, looseOf, runDocumentPolicy, runStackPolicy } from "../properties/harness";
import { repoRoot } from "../support/paths";


type Schema = Record<string, unknown>;

/** Values that violate `schema`, derived from its keywords: wrong types, and wrong entries at every level. */
export function badValues(schema: Schema): unknown[] {
    const out: unknown[] = [];
    const types = ([] as unknown[]).concat(schema.type ?? []);
    const samples: [string, unknown][] = [["string", "x"], ["integer", 7], ["number", 1.5], ["boolean", true], ["array", []], ["object", {}], ["null", null]];
    for (const [type, sample] of samples) {
        const fits = types.includes(type) || (type === "integer" && types.includes("number")) || (type === "number" && types.includes("integer") && Number.isInteger(sample));
        if (!fits && !(type === "number" && types.includes("integer"))) out.push(sample);
    }
    if (types.includes("integer")) out.push(1.5);
    if (typeof schema.minimum === "number") out.push(schema.minimum - 1);
    if (typeof schema.maximum === "number") out.push(schema.maximum + 1);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test("not matching!")) out.push("not matching!");
    if (types.includes("array")) {
        if (typeof schema.minItems === "number" && schema.minItems > 0) out.push([]);
        const items = schema.items;
        if (items !== null && typeof items === "object" && !Array.isArray(items)) {
            for (const bad of badValues(items as Schema)) out.push([bad]);
        }
    }
    if (types.includes("object")) {
        const extra = schema.additionalProperties;
        if (extra !== null && typeof extra === "object") {
            for (const bad of badValues(extra as Schema)) out.push({ s3: bad });
        }
        // A map keyed by service: bad values under a good key, and a key no service has.
        for (const valueSchema of Object.values((schema.patternProperties ?? {}) as Record<string, Schema>)) {
            for (const bad of badValues(valueSchema)) out.push({ s3: bad });
        }
        if (extra === false && schema.patternProperties !== undefined) out.push({ "not a service!": [] });
    }
    return out;
}

/** The config properties of each policy, as GetAnalyzerInfo describes them. */
function configurable(info: AnalyzerDescription): [string, Record<string, Schema>][] {
    return info.policies
        .map((p) => [p.name, (p.configSchema?.properties ?? {}) as Record<string, Schema>] as [string, Record<string, Schema>])
        .filter(([, properties]) => Object.keys(properties).length > 0);
}

/** AWS's data-perimeter example (AWS service principals in a statement of their own) on every carrier, judged for one organization. */
const perimeterCases: GeneratedDocumentCase[] = carriers.map((carrier) => ({
    carrier, doc: new Doc(perimeterDefaultPolicy, plainText), others: { ...carrierInputs }, config: { organizationIds: [exampleOrgId] },
}));

/** A document over AWS's size limit on the first carrier, so vpce-policy-size has something to say. */
const oversizedCase: GeneratedDocumentCase = {
    carrier: carriers[0], others: { ...carrierInputs }, config: {},
    doc: new Doc({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::reaching-the-size-limit-of-an-endpoint-policy-${i}/*`) }] }, plainText),
};

/**
 * A stack whose verdicts depend on the properties random samples seldom reach: an endpoint to a
 * service the built-in table says takes no policy, one whose policy names another service's and a
 * made-up action, and a Gateway endpoint whose groups reach a prefix list known only from config.
 */
const reachingProgram: Program = programOf([
    { type: T.vpc, name: "", inputs: { cidrBlock: "10.0.0.0/16" }, existing: false, analysed: true },
    {
        type: T.endpoint, name: "", existing: false, analysed: true,
        inputs: { vpcId: new Ref("vpc", 0, "id"), serviceName: svc("email-smtp"), vpcEndpointType: "Interface", policy: new Doc({ Statement: [{ Effect: "Allow", Principal: "*", Action: "ses:SendEmail", Resource: "*" }] }, plainText) },
    },
    {
        type: T.endpoint, name: "", existing: false, analysed: true,
        inputs: { vpcId: new Ref("vpc", 0, "id"), serviceName: svc("s3"), vpcEndpointType: "Gateway", policy: new Doc({ Statement: [{ Effect: "Allow", Principal: "*", Action: ["ec2:DescribeInstances", "s3:NoSuchAction"], Resource: "*" }] }, plainText) },
    },
    {
        type: T.securityGroup, name: "", existing: false, analysed: true,
        inputs: { vpcId: new Ref("vpc", 0, "id"), egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: ["pl-0abc"] }] },
    },
    // A second Allow that never applies (a misspelt key) beside one that does (vpce-policy-dead-grants).
    {
        type: T.endpoint, name: "", existing: false, analysed: true,
        inputs: {
            vpcId: new Ref("vpc", 0, "id"), serviceName: svc("sqs"), vpcEndpointType: "Interface",
            policy: new Doc({ Statement: [
                { Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" },
                { Effect: "Allow", Principal: "*", Action: "sqs:ReceiveMessage", Resource: "*", Condition: { StringEquals: { "aws:PrincpalAccount": "111122223333" } } },
            ] }, plainText),
        },
    },
    // A second policy for the first endpoint (vpce-single-policy) and one over AWS's size limit (vpce-policy-size).
    {
        type: T.endpointPolicy, name: "", existing: false, analysed: true,
        inputs: { vpcEndpointId: new Ref("endpoint", 0, "id"), policy: new Doc({ Statement: [{ Effect: "Allow", Principal: "*", Action: "ses:SendRawEmail", Resource: "*" }] }, plainText) },
    },
    {
        type: T.endpoint, name: "", existing: false, analysed: true,
        inputs: {
            vpcId: new Ref("vpc", 0, "id"), serviceName: svc("sts"), vpcEndpointType: "Interface",
            policy: new Doc({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Resource: Array.from({ length: 400 }, (_, i) => `arn:aws:iam::111122223333:role/reaching-the-size-limit-${i}`) }] }, plainText),
        },
    },
]);

describe("configuration of the wrong type or shape", function () {
    this.timeout(120_000);

    describe("through the engine: refused at Configure, naming the policy and the key", () => {
        let info: AnalyzerDescription;

        before(async () => {
            const pack = await PolicyPackProcess.start(repoRoot);
            try {
                info = pack.info;
                await pack.configure(); // the defaults are accepted
            } finally {
                await pack.close();
            }
        });

        it("has policies with config properties (from GetAnalyzerInfo)", () => {
            assert.ok(configurable(info).length >= 7, JSON.stringify(configurable(info).map(([n]) => n)));
        });

        it("every policy refuses every derived bad value of every property", () => {
            let tried = 0;
            for (const [policy, properties] of configurable(info)) {
                for (const [key, schema] of Object.entries(properties)) {
                    const bad = badValues(schema);
                    assert.ok(bad.length > 0, `${policy}.${key}: no bad value derived from ${JSON.stringify(schema)}`);
                    for (const value of bad) {
                        tried++;
                        const err = (() => {
                            try {
                                reconcileConfig(info, { [policy]: { [key]: value } as never });
                            } catch (e) {
                                return e;
                            }
                            return undefined;
                        })();
                        assert.ok(err instanceof PolicyConfigError, `${policy}.${key} = ${JSON.stringify(value)} was accepted`);
                        assert.strictEqual(err.policy, policy, err.message);
                        assert.strictEqual(err.key, key, err.message);
                        assert.match(err.message, new RegExp(`${policy}: property "${key}`));
                    }
                }
            }
            assert.ok(tried >= 30, `only ${tried} bad values`);
        });

        it("PolicyPackProcess.configure refuses bad values for every policy at once, naming each policy and key", async () => {
            // One bad value per policy (a nested one where the schema has a list or map): the error
            // lists every problem; the first names its policy and key.
            const config: Record<string, Record<string, unknown>> = {};
            const expected: [string, string][] = [];
            for (const [policy, properties] of configurable(info)) {
                const [key, schema] = Object.entries(properties).find(([, s]) => s.items !== undefined || s.additionalProperties !== undefined) ?? Object.entries(properties)[0];
                const bad = badValues(schema);
                config[policy] = { [key]: bad[bad.length - 1] };
                expected.push([policy, key]);
            }
            const pack = await PolicyPackProcess.start(repoRoot);
            try {
                await assert.rejects(pack.configure(config as never), (e: unknown) => {
                    assert.ok(e instanceof PolicyConfigError, String(e));
                    for (const [policy, key] of expected) {
                        assert.ok(e.problems.some((p) => p.startsWith(`${policy}: property "${key}`)), `no problem names ${policy}.${key}:\n${e.message}`);
                    }
                    assert.ok(expected.some(([policy, key]) => e.policy === policy && e.key === key), `${e.policy}.${e.key}`);
                    return true;
                });
            } finally {
                await pack.close();
            }
        });
    });

    describe("as a library: a bad value falls back to the property's default, and nothing throws", () => {
        const ajv = new Ajv({ strict: false, allErrors: false, logger: false });
        const validators = new Map<string, ValidateFunction>();
        const valid = (policy: string, key: string, schema: unknown, value: unknown): boolean => {
            const id = `${policy}.${key}`;
            let v = validators.get(id);
            if (v === undefined) validators.set(id, (v = ajv.compile(schema as object)));
            try {
                return v(JSON.parse(JSON.stringify(value)) as unknown) && JSON.stringify(value) === JSON.stringify(JSON.parse(JSON.stringify(value)));
            } catch {
                return false;
            }
        };
        const withConfig = policies.filter((p) => Object.keys(p.configSchema?.properties ?? {}).length > 0);

        // Fixed samples: documents, stacks of every type, and networks (where the security-group rules judge).
        const doc = [...fc.sample(documentCase, { numRuns: 40, seed: 42 }), ...perimeterCases, oversizedCase];
        const stacks = [...fc.sample(program(10), { numRuns: 8, seed: 42 }), ...fc.sample(networkProgram(8, true), { numRuns: 30, seed: 42 }), reachingProgram];

        it("the samples reach every property: a valid value other than the default changes some verdict", async () => {
            const unreached: string[] = [];
            for (const policy of withConfig) {
                for (const [key, schema] of Object.entries(policy.configSchema!.properties)) {
                    // Tag exemptions need a tagged resource, which no sample has; the exemptions spec
                    // (test/framework/exemptions.engine.spec.ts) shows the flag deciding verdicts.
                    if (key === "allowTagExemptions") continue;
                    const values = key === "exemptions" ? [[{ resources: ["*"], reason: "every resource, for this test" }]] : reaching[`${policy.name}.${key}`];
                    assert.ok(values !== undefined && values.length > 0, `${policy.name}.${key}: no value to reach it with`);
                    let changed = false;
                    for (const value of values) {
                        assert.ok(valid(policy.name, key, schema, value), `${policy.name}.${key} = ${JSON.stringify(value)} is not valid`);
                        assert.notDeepStrictEqual(value, (schema as Schema).default, `${policy.name}.${key} = ${JSON.stringify(value)} is the default`);
                        for await (const [a, b] of withAndWithout(policy, key, value, doc, stacks)) {
                            if (!isDeepStrictEqual(a.violations, b.violations) || a.notApplicable !== b.notApplicable) changed = true;
                            if (changed) break;
                        }
                        if (changed) break;
                    }
                    if (!changed) unreached.push(`${policy.name}.${key} (tried ${JSON.stringify(values)})`);
                }
            }
            assert.deepStrictEqual(unreached, [], "no verdict on the samples changes with these properties, so falling back to the default would go unseen");
        });

        it("every derived bad value gives the default's verdict, through evaluate and the framework's calls", async () => {
            for (const policy of withConfig) {
                for (const [key, schema] of Object.entries(policy.configSchema!.properties)) {
                    for (const value of [...badValues(schema as Schema), undefined, Array.from({ length: 100_000 }, () => 1)]) {
                        await sameAsDefault(policy, key, value, doc, stacks);
                    }
                }
            }
        });

        it("garbage of any shape (wrong types, nested wrong types, huge arrays, null) gives the default's verdict", async () => {
            const configured = fc.record({
                policy: fc.constantFrom(...withConfig),
                pick: fc.nat(),
                garbage: fc.oneof(
                    hostileJson({ hugeTimes: 2_000, deepDepth: 200, nonJson: false }),
                    fc.dictionary(fc.constantFrom("s3", "cassandra", "com.amazonaws.us-east-1.s3", "sts", ""), hostileJson({ hugeTimes: 200, deepDepth: 80, nonJson: false })),
                    fc.array(fc.oneof(fc.constantFrom("o-a1b2c3d4e5", "111122223333", "", "s3", "pl-6da54004"), hostileJson({ hugeTimes: 200, deepDepth: 80, nonJson: false }))),
                ),
                doc: documentCase,
                p: program(8),
            });
            await check("config: garbage falls back to the default", fc.asyncProperty(configured, async ({ policy, pick, garbage, doc, p }) => {
                const keys = Object.keys(policy.configSchema!.properties);
                const key = keys[pick % keys.length];
                if (valid(policy.name, key, policy.configSchema!.properties[key], garbage)) return;
                await sameAsDefault(policy, key, garbage, [doc], [p]);
            }), { quick: 150, full: 6_000 });
        });

        it("a whole config of the wrong type (getConfig returning garbage) is the default config", async () => {
            const doc = fc.sample(documentCase, { numRuns: 10, seed: 7 });
            const stacks = fc.sample(program(10), { numRuns: 6, seed: 7 });
            for (const policy of policies) {
                for (const garbage of [null, "x", 5, [], [1, 2], true, { enforcementLevel: "x" }, new Map(), Object.create(null)]) {
                    if (isDocumentPolicy(policy)) {
                        for (const c of doc) {
                            const { type, props } = carrierProps(c);
                            const a = await runDocumentPolicy(policy, type, urnOf(type, "r"), props, garbage);
                            const b = await runDocumentPolicy(policy, type, urnOf(type, "r"), props, {});
                            assert.deepStrictEqual(a.violations, b.violations, `${policy.name} with config ${describeValue(garbage)}`);
                            assert.deepStrictEqual(a.framework, b.framework);
                        }
                    } else {
                        for (const p of stacks) {
                            const resources = looseOf(render(p, "preview"));
                            const a = await runStackPolicy(policy as StackPolicy, resources, garbage);
                            const b = await runStackPolicy(policy as StackPolicy, resources, {});
                            assert.deepStrictEqual(a.violations, b.violations, `${policy.name} with config ${describeValue(garbage)}`);
                            assert.deepStrictEqual(a.framework, b.framework);
                        }
                    }
                }
            }
            forgetInputs();
        });
    });
});

function describeValue(v: unknown): string {
    try {
        return JSON.stringify(v) ?? Object.prototype.toString.call(v);
    } catch {
        return Object.prototype.toString.call(v);
    }
}

function isDocumentPolicy(p: unknown): p is DocumentPolicy {
    return documentPolicies.includes(p as DocumentPolicy);
}

/** Values of each property, valid and not its default, that some sample's verdict depends on. */
const reaching: Record<string, unknown[]> = {
    "vpce-data-perimeter.organizationIds": [["o-a1b2c3d4e5"], ["o-exampleorgid11"]],
    "vpce-data-perimeter.accountIds": [["111122223333"], ["444455556666"]],
    "vpce-data-perimeter.allowServicePrincipals": [false],
    "vpce-data-perimeter.requireResourcePerimeter": [true],
    "vpce-policy-explicit.exemptServices": [["s3"], ["sts"], ["dynamodb", "logs", "execute-api", "cassandra", "ssm", "sqs", "kms-fips", "ecr.dkr"]],
    "vpce-policy-supported.supportedServices": [["email-smtp"], ["notebook", "unknownsvc", "bedrock-runtime", "transfer.server", "monitoring"]],
    "vpce-policy-supported.unsupportedServices": [["s3"], ["sts"], ["dynamodb", "logs", "execute-api", "ssm", "sqs", "kms-fips", "ecr.dkr"]],
    "vpce-policy-service-actions.extraPrefixes": [{ s3: ["ec2", "dynamodb", "sts", "kms", "logs", "iam", "sqs", "ses"] }, { sts: ["s3", "ec2"] }],
    "vpce-policy-service-actions.checkActionsExist": [false],
    "vpce-endpoint-ingress.ports": [{ sts: [8443] }, { s3: [8443] }, { cassandra: [443] }, { "vpce-svc-0123456789abcdef0": [80] }],
    "vpce-endpoint-ingress.allowWorldIngress": [true],
    "vpce-gateway-egress.ports": [{ s3: [80] }, { dynamodb: [80] }],
    "vpce-gateway-egress.prefixListIds": [{ "com.amazonaws.us-east-1.s3": "pl-0abc" }, { "com.amazonaws.us-east-1.dynamodb": "pl-0abc" }],
    "vpce-private-dns.exemptServices": [["sts"], ["s3", "logs", "execute-api", "ssm", "sqs", "monitoring", "kms-fips", "ecr.dkr"]],
};

interface Run {
    violations: unknown[];
    notApplicable?: string;
    framework: unknown;
}

/**
 * Pairs of runs of `policy` on every given input: with `{[key]: value}`, and without the key. A
 * document case keeps the other properties it configured, so the one property is read next to good ones.
 */
async function* withAndWithout(policy: (typeof policies)[number], key: string, value: unknown, docs: readonly GeneratedDocumentCase[], stacks: readonly Program[]): AsyncGenerator<[Run, Run]> {
    if (isDocumentPolicy(policy)) {
        for (const c of docs) {
            const { type, props } = carrierProps(c);
            const base = c.config !== null && typeof c.config === "object" ? { ...(c.config as object) } : {};
            delete (base as Record<string, unknown>)[key];
            yield [await runDocumentPolicy(policy, type, urnOf(type, "r"), props, { ...base, [key]: value }), await runDocumentPolicy(policy, type, urnOf(type, "r"), props, base)];
        }
        return;
    }
    try {
        for (const p of stacks) {
            for (const shape of shapes) {
                const resources = looseOf(render(p, shape));
                yield [await runStackPolicy(policy as StackPolicy, resources, { [key]: value }), await runStackPolicy(policy as StackPolicy, resources, {})];
            }
        }
    } finally {
        forgetInputs();
    }
}

/** The verdicts with `{[key]: value}` equal the verdicts without the key, on every given input. */
async function sameAsDefault(policy: (typeof policies)[number], key: string, value: unknown, docs: readonly GeneratedDocumentCase[], stacks: readonly Program[]): Promise<void> {
    const what = () => `${policy.name} with ${key} = ${JSON.stringify(value)?.slice(0, 200)}`;
    for await (const [a, b] of withAndWithout(policy, key, value, docs, stacks)) {
        assert.deepStrictEqual(a.violations, b.violations, what());
        assert.strictEqual(a.notApplicable, b.notApplicable, what());
        assert.deepStrictEqual(a.framework, b.framework, what());
    }
}
