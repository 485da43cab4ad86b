// Properties of what a document lets through (SPEC rules 15 and 16, and rule 6's "full access"),
// over generated endpoint policies on an S3 endpoint: documents of Allow and Deny statements whose
// actions, resources, principals and conditions come from pools that reach every clause of the
// effect model (misspelt and absent keys, IfExists, Null, negated and set operators, the endpoint's
// VPC, actions without a resource type, ARNs of other services, principals that name nobody).

import * as assert from "assert";
import * as fc from "fast-check";
import { vpcePolicyDeadGrants } from "../../policies/vpce-policy-dead-grants";
import { vpcePolicyExplicit } from "../../policies/vpce-policy-explicit";
import { vpcePolicyNoAccess } from "../../policies/vpce-policy-no-access";
import type { StackPolicy } from "../../framework/stack-rule";
import { UnknownSentinel } from "../../values/unknown-values";
import { endpointWith, type EndpointOptions, type Statement } from "../support/effect-cases";
import { verdictOn, type Shape } from "../support/stacks";
import { check } from "../fuzz/budget";

const vpcId = "vpc-0abc1234";
const rules: StackPolicy[] = [vpcePolicyNoAccess, vpcePolicyDeadGrants, vpcePolicyExplicit];

const actionPool = ["*", "s3:*", "s3:GetObject", "s3:Get*", "s3:ListAllMyBuckets", "s3:GetObjekt", "ec2:*", "dynamodb:GetItem", "S3:PutObject"];
const resourcePool = ["*", "arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:aws:dynamodb:us-east-1:111122223333:table/t", "arn:aws:s3:::*"];
const principalPool: unknown[] = ["*", { AWS: "*" }, { AWS: "111122223333" }, { AWS: ["arn:aws:iam:us-east-1:111122223333:root"] }, { AWS: ["*", "arn:aws:iam::111122223333:root"] }, { AWS: "1111" }];
const operatorPool = ["StringEquals", "StringNotEquals", "StringLike", "StringEqualsIfExists", "StringNotEqualsIfExists", "ForAnyValue:StringEquals", "ForAllValues:StringEquals", "Null", "IpAddress", "NotIpAddress", "IpAddressIfExists", "Bool", "NumericEquals", "ArnLike"];
const keyPool = ["aws:PrincipalAccount", "aws:PrincpalAccount", "aws:SourceIp", "aws:VpcSourceIp", "aws:SourceVpc", "aws:PrincipalArn", "aws:SecureTransport", "s3:prefix", "s3:prefx", "aws:PrincipalTag/team", "saml:aud"];
const valuePool: unknown[] = ["111122223333", "true", "false", "10.0.0.0/8", vpcId, "vpc-0other", "arn:aws:iam::111122223333:role/x", "home/*", ["true", "false"]];

const condition = fc.dictionary(fc.constantFrom(...operatorPool), fc.dictionary(fc.constantFrom(...keyPool), fc.constantFrom(...valuePool), { minKeys: 1, maxKeys: 2 }), { maxKeys: 2 });

const statement = (effect: fc.Arbitrary<string>): fc.Arbitrary<Statement> => fc.record({
    Effect: effect,
    Principal: fc.constantFrom(...principalPool),
    actions: fc.tuple(fc.boolean(), fc.uniqueArray(fc.constantFrom(...actionPool), { minLength: 1, maxLength: 3 })),
    resources: fc.tuple(fc.boolean(), fc.uniqueArray(fc.constantFrom(...resourcePool), { minLength: 1, maxLength: 2 })),
    Condition: fc.option(condition, { nil: undefined }),
}).map(({ actions, resources, Condition, ...rest }) => ({
    ...rest,
    [actions[0] ? "NotAction" : "Action"]: actions[1],
    [resources[0] ? "NotResource" : "Resource"]: resources[1],
    ...(Condition === undefined ? {} : { Condition }),
}));

const anyStatements = fc.array(statement(fc.constantFrom("Allow", "Deny")), { minLength: 1, maxLength: 4 });
const denyStatements = fc.array(statement(fc.constant("Deny")), { minLength: 1, maxLength: 4 });
const shape = fc.constantFrom<Shape>("preview", "deployed");

const fullAllow = { Effect: "Allow", Principal: "*", Action: "*", Resource: "*" };
const onEndpoint: EndpointOptions = { vpc: vpcId };

async function verdicts(statements: Statement[], s: Shape, options: EndpointOptions = onEndpoint): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const rule of rules) {
        const v = await verdictOn(rule, endpointWith({ Statement: statements }, options)(), s);
        assert.ok(v.notApplicable === undefined || !v.notApplicable.includes("could not evaluate"), v.notApplicable);
        out.set(rule.name, v.violations.map((x) => x.messageId));
    }
    return out;
}

/** The same document with every condition key in another letter case. */
function recased(statements: Statement[], upper: boolean): Statement[] {
    return statements.map((s) => {
        if (s.Condition === undefined) return s;
        const condition: Record<string, Record<string, unknown>> = {};
        for (const [op, block] of Object.entries(s.Condition as Record<string, Record<string, unknown>>)) {
            condition[op] = Object.fromEntries(Object.entries(block).map(([k, v]) => [upper ? k.toUpperCase() : k.toLowerCase(), v]));
        }
        return { ...s, Condition: condition };
    });
}

/** Every place in the statements where a value can stand, as a path of keys and indexes. */
function valuePaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value)) return [path, ...value.flatMap((v, i) => valuePaths(v, [...path, i]))];
    if (value !== null && typeof value === "object") return [path, ...Object.entries(value).flatMap(([k, v]) => valuePaths(v, [...path, k]))];
    return [path];
}

function withUnknownAt(value: unknown, path: (string | number)[]): unknown {
    if (path.length === 0) return UnknownSentinel.string;
    const [head, ...rest] = path;
    if (Array.isArray(value)) return value.map((v, i) => (i === head ? withUnknownAt(v, rest) : v));
    const obj = value as Record<string, unknown>;
    return { ...obj, [head]: withUnknownAt(obj[head], rest) };
}

describe("properties: what a document lets through", function () {
    it("a document without an Allow is always reported by vpce-policy-no-access", async function () {
        await check("no Allow → no access", fc.asyncProperty(denyStatements, shape, async (statements, s) => {
            const v = await verdicts(statements, s);
            assert.deepStrictEqual(v.get("vpce-policy-no-access"), ["noAllow"]);
            assert.deepStrictEqual(v.get("vpce-policy-dead-grants"), []);
        }), { quick: 40, full: 1500 });
    });

    it("adding the full-access Allow clears vpce-policy-no-access unless a Deny blocks everything", async function () {
        await check("full Allow clears no access", fc.asyncProperty(anyStatements, shape, async (statements, s) => {
            const ids = (await verdicts([...statements, fullAllow], s)).get("vpce-policy-no-access") ?? [];
            assert.ok(ids.every((id) => id === "blanketDeny"), JSON.stringify(ids));
            // Without a Deny at all nothing can block it.
            if (statements.every((st) => st.Effect !== "Deny")) assert.deepStrictEqual(ids, []);
        }), { quick: 40, full: 1500 });
    });

    it("changing the letter case of condition keys never changes a verdict", async function () {
        await check("key case never matters", fc.asyncProperty(anyStatements, shape, fc.boolean(), async (statements, s, upper) => {
            assert.deepStrictEqual(await verdicts(recased(statements, upper), s), await verdicts(statements, s));
        }), { quick: 40, full: 1500 });
    });

    it("an unknown anywhere in the document never turns into a violation", async function () {
        const withPath = anyStatements.chain((statements) => fc.tuple(fc.constant(statements), fc.constantFrom(...valuePaths(statements).filter((p) => p.length > 0)), shape));
        await check("unknown in the document", fc.asyncProperty(withPath, async ([statements, path, s]) => {
            const before = await verdicts(statements, s);
            const after = await verdicts(withUnknownAt(statements, path) as Statement[], s);
            for (const rule of rules) {
                const b = before.get(rule.name) ?? [];
                const a = after.get(rule.name) ?? [];
                assert.ok(a.length <= b.length, `${rule.name} at ${JSON.stringify(path)}: ${JSON.stringify(b)} → ${JSON.stringify(a)}`);
            }
        }), { quick: 60, full: 2500 });
    });

    it("an endpoint VPC not known yet never turns into a violation", async function () {
        await check("unknown VPC", fc.asyncProperty(anyStatements, async (statements) => {
            const known = await verdicts(statements, "preview", { vpc: vpcId });
            const unknown = await verdicts(statements, "preview", { vpc: "stack" });
            for (const rule of rules) {
                const k = known.get(rule.name) ?? [];
                const n = unknown.get(rule.name) ?? [];
                assert.ok(n.length <= k.length, `${rule.name}: ${JSON.stringify(k)} → ${JSON.stringify(n)}`);
            }
        }), { quick: 30, full: 1000 });
    });
});
