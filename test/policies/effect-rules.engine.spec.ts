// vpce-policy-no-access and vpce-policy-dead-grants (SPEC rules 15 and 16) through the path the
// Pulumi CLI uses: the built pack started once by run-policy-pack, Analyze on every resource's
// inputs, then AnalyzeStack, in preview and deployed shapes — with the engine's unknown sentinels
// in every place the effect model reads, where they must give no verdict and no "can't run" note.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess, UnknownSentinel, type Diagnostic } from "../../engine";
import { allow, deny, doc, judgeThroughEngine, when, type EngineDocumentCase } from "../support/effect-cases";
import { repoRoot } from "../support/paths";
import { ref, Stack, svc, T, urnOf, type Shape } from "../support/stacks";

const u = UnknownSentinel.string;
const rules = ["vpce-policy-no-access", "vpce-policy-dead-grants"];
const live = allow({ Sid: "Live", Action: "s3:PutObject" });

interface Reporting extends EngineDocumentCase {
    policy: string;
    level: "advisory" | "mandatory";
    /** Unprefixed name and type of the resource reported on. */
    on: [string, string];
    says: RegExp;
    shapes?: Shape[];
}

const reporting: Reporting[] = [
    { name: "deny-only", policy: "vpce-policy-no-access", level: "mandatory", document: doc(deny(when("StringNotEquals", "aws:PrincipalAccount", "111122223333"))), on: [T.endpoint, "ep"], says: /no Allow statement, so no request passes the endpoint to "com\.amazonaws\.us-east-1\.s3"/ },
    { name: "princpal", policy: "vpce-policy-no-access", level: "mandatory", carrier: "standalone", document: doc(allow(when("StringEquals", "aws:PrincpalAccount", "111122223333"))), on: [T.endpointPolicy, "pol"], says: /every Allow statement can never apply.*Did you mean `aws:PrincipalAccount`\?/ },
    { name: "source-ip", policy: "vpce-policy-dead-grants", level: "advisory", carrier: "native", document: doc(live, allow(when("IpAddress", "aws:SourceIp", "10.0.0.0/8"))), on: [T.nativeEndpoint, "ep"], says: /Statement\[1\] \(Allow\) never applies.*aws:VpcSourceIp/ },
    { name: "other-vpce", policy: "vpce-policy-dead-grants", level: "advisory", endpointId: "vpce-0123456789abcdef0", document: doc(live, allow(when("StringEquals", "aws:SourceVpce", "vpce-0fedcba987654321a"))), on: [T.endpoint, "ep"], says: /"aws:SourceVpce" "vpce-0123456789abcdef0"/, shapes: ["deployed"] },
];

/** Documents whose verdict an unknown decides: neither rule may report, nor fail to run. */
const undecided: EngineDocumentCase[] = [
    { name: "unknown-action", document: doc(allow({ Action: u }), deny({ Action: "s3:DeleteBucket" })) },
    { name: "unknown-notaction", document: doc(allow(), deny({ Action: undefined, NotAction: ["ec2:*", u] })) },
    { name: "unknown-resource", document: doc(allow({ Action: "s3:ListAllMyBuckets", Resource: ["arn:aws:s3:::b", u] })) },
    { name: "unknown-notresource", document: doc(allow(), deny({ Resource: undefined, NotResource: u })) },
    { name: "unknown-principal", document: doc(allow({ Principal: { AWS: ["arn:aws:iam:us-east-1:111122223333:root", u] } })) },
    { name: "unknown-principal-element", document: doc(allow({ Principal: u })) },
    { name: "unknown-condition-key", document: doc(allow(when("StringEquals", u, "x"))) },
    { name: "unknown-condition-value", document: doc(allow(when("Null", "aws:PrincpalAccount", u))) },
    { name: "unknown-condition-block", document: doc(allow({ Condition: { StringEquals: u } })) },
    { name: "unknown-sid", document: doc(deny({ Sid: u }), deny({ Sid: "B" })) },
    { name: "unknown-deny-condition", document: doc(allow(), deny({ Action: "*", ...when("StringEquals", "aws:PrincipalAccount", u) })) },
    { name: "unknown-vpc", vpc: "stack", document: doc(live, allow(when("StringEquals", "aws:SourceVpc", "vpc-0fedcba9"))) },
    { name: "unknown-vpce", endpointId: "vpce-0123456789abcdef0", document: doc(live, allow(when("StringEquals", "aws:SourceVpce", "vpce-0fedcba987654321a"))) },
    { name: "unknown-vpc-value", vpc: "vpc-0abc1234", document: doc(live, allow(when("StringEquals", "aws:SourceVpc", [u]))) },
];

function cannotRun(diagnostics: Diagnostic[]): Diagnostic[] {
    return diagnostics.filter((d) => /can't run policy|could not evaluate/.test(d.message));
}

describe("what a document lets through, through the engine", function () {
    let pack: PolicyPackProcess;
    let counter = 0;
    const prefix = () => `e${counter++}-`;

    before(async function () {
        assert.ok(fs.existsSync(path.join(repoRoot, "bin", "policies", "vpce-policy-no-access.js")), `the pack is not built: run npx tsc -p tsconfig.json in ${repoRoot}`);
        pack = await PolicyPackProcess.start(repoRoot);
    });
    after(async function () {
        await pack?.close();
    });

    it("registers both policies after vpce-private-dns, as stack policies with their levels", function () {
        const names = pack.info.policies.map((p) => p.name);
        assert.deepStrictEqual(names.slice(names.indexOf("vpce-private-dns")), ["vpce-private-dns", ...rules]);
        const registered = pack.info.policies.filter((p) => rules.includes(p.name)).map((p) => [p.name, p.policyType, p.enforcementLevel, Object.keys(p.configSchema?.properties ?? {})]);
        // Their own config is none; every policy takes the exemption settings.
        const exemptionKeys = ["allowTagExemptions", "exemptions"];
        assert.deepStrictEqual(registered, [["vpce-policy-no-access", "stack", "mandatory", exemptionKeys], ["vpce-policy-dead-grants", "stack", "advisory", exemptionKeys]]);
    });

    for (const c of reporting) {
        for (const shape of c.shapes ?? (["preview", "deployed"] as Shape[])) {
            it(`${c.policy}: ${c.name} [${shape}]`, async function () {
                const p = prefix();
                const diagnostics = await judgeThroughEngine(pack, { ...c, prefix: p }, shape);
                assert.deepStrictEqual(cannotRun(diagnostics), []);
                const found = diagnostics.filter((d) => rules.includes(d.policyName));
                assert.strictEqual(found.length, 1, JSON.stringify(found, null, 2));
                assert.strictEqual(found[0].policyName, c.policy);
                assert.strictEqual(found[0].urn, urnOf(c.on[0], p + c.on[1]));
                assert.strictEqual(found[0].enforcementLevel, c.level);
                assert.match(found[0].message, c.says);
            });
        }
    }

    for (const c of undecided) {
        for (const shape of ["preview", "deployed"] as Shape[]) {
            if (shape === "deployed" && (c.name === "unknown-vpc" || c.name === "unknown-vpce")) continue;
            it(`an unknown decides, no verdict: ${c.name} [${shape}]`, async function () {
                const diagnostics = await judgeThroughEngine(pack, { ...c, prefix: prefix() }, shape);
                assert.deepStrictEqual(cannotRun(diagnostics), []);
                assert.deepStrictEqual(diagnostics.filter((d) => rules.includes(d.policyName)).map((d) => d.message), []);
            });
        }
    }

    it("an unknown service name, endpoint type or policy gives no verdict and no \"can't run\" note", async function () {
        const s = new Stack();
        const vpc = s.vpc("unk-vpc");
        const bucket = s.add(T.bucket, "unk-bucket", {});
        const denyOnly = JSON.stringify(doc(deny()));
        s.endpoint("unk-service", vpc, ref(bucket, "serviceName"), { policy: denyOnly });
        s.endpoint("unk-type", vpc, svc("s3"), { vpcEndpointType: ref(bucket, "type"), policy: denyOnly });
        s.endpoint("unk-policy", vpc, svc("s3"), { policy: doc(deny({ Resource: ref(bucket, "arn") })) });
        s.standalone("unk-link", u, denyOnly);
        const resources = s.engineResources("preview");
        await pack.configure();
        const diagnostics: Diagnostic[] = [];
        for (const r of resources) diagnostics.push(...(await pack.analyze(r)).diagnostics);
        diagnostics.push(...(await pack.analyzeStack(resources)).diagnostics);
        assert.deepStrictEqual(cannotRun(diagnostics), []);
        assert.deepStrictEqual(diagnostics.filter((d) => rules.includes(d.policyName)).map((d) => d.message), []);
    });
});
