// Reading stack files (state/stack-files.ts): what a `pulumi stack export` and a `pulumi preview
// --json` become for the engine, and how a bad file is reported. Pure: no pack process.

import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { decodeStackFile, readStackDocument, type StackDocument, type StackFileError } from "../../state/stack-files";
import { secret, UnknownSentinel, type StackResource } from "../../engine";
import { exampleStack } from "../../examples/stack";
import { repoRoot, fixturesDir } from "../support/paths";
import { urnOf } from "../support/stacks";

const fixtures = path.join(fixturesDir, "cli");
const examples = path.join(repoRoot, "examples");
const unknown = UnknownSentinel.string;
const sig = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

function fixture(name: string): string {
    return fs.readFileSync(path.join(fixtures, name), "utf8");
}

function read(text: string, file = "stack.json"): StackDocument {
    const result = readStackDocument(text, file);
    if (!result.ok) assert.fail(`expected a document, got ${JSON.stringify(result.error)}`);
    return result.document;
}

function failure(text: string, file = "stack.json"): StackFileError {
    const result = readStackDocument(text, file);
    if (result.ok) assert.fail(`expected an error, got a ${result.document.kind} with ${result.document.resources.length} resources`);
    return result.error;
}

function resource(document: StackDocument, name: string): StackResource {
    const found = document.resources.find((r) => r.urn.endsWith(`::${name}`));
    assert.ok(found, `no resource named ${name} in ${document.resources.map((r) => r.urn).join(", ")}`);
    return found;
}

/** The fixtures' project. */
const inThings = { project: "things" };

/** Every property of `expected` is in `actual` with an equal value; objects may hold more keys, at any depth. */
function assertIncludes(actual: unknown, expected: unknown, where: string): void {
    if (Array.isArray(expected)) {
        assert.ok(Array.isArray(actual) && actual.length === expected.length, `${where}: expected a list of ${expected.length}, got ${JSON.stringify(actual)}`);
        expected.forEach((e, i) => assertIncludes((actual as unknown[])[i], e, `${where}[${i}]`));
    } else if (expected !== null && typeof expected === "object") {
        assert.ok(actual !== null && typeof actual === "object", `${where}: expected an object, got ${JSON.stringify(actual)}`);
        for (const [k, v] of Object.entries(expected)) assertIncludes((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
    } else {
        assert.deepEqual(actual, expected, where);
    }
}

/** A minimal export around the given resources. */
function exportOf(resources: unknown[], version = 3): string {
    return JSON.stringify({ version, deployment: { manifest: { time: "2026-11-20T10:00:00Z", magic: "", version: "v3.209.0" }, resources } }, null, 4);
}

describe("stack files: pulumi stack export", function () {
    const document = read(fixture("things-dev.export.json"), "things-dev.export.json");

    it("is recognised by its content, with the stack and project from the URNs, as deployed state", function () {
        assert.equal(document.kind, "export");
        assert.equal(document.stack, "dev");
        assert.equal(document.project, "things");
        assert.equal(document.dryRun, false);
        assert.equal(read(fixture("things-dev.export.json"), "state.txt").kind, "export");
    });

    it("keeps every resource but those pending deletion, the stack and its providers included (as pulumi policy analyze)", function () {
        assert.deepEqual(document.resources.map((r) => r.type), ["pulumi:pulumi:Stack", "pulumi:providers:test", "test:index:Thing", "test:index:Thing"]);
        assert.equal(document.pendingDeletes, 1);
        assert.ok(document.notes.some((n) => /1 resource pending deletion was not analysed/.test(n)), document.notes.join("\n"));
    });

    it("sends inputs to Analyze and outputs to AnalyzeStack, with parent, dependencies and property dependencies", function () {
        const b = resource(document, "b");
        assert.deepEqual(b.inputs, { peer: "a-1" });
        assert.deepEqual(b.outputs, { id: "b-1", peer: "a-1" });
        assert.equal(b.parent, urnOf("pulumi:pulumi:Stack", "things-dev", inThings));
        assert.deepEqual(b.dependencies, [urnOf("test:index:Thing", "a", inThings)]);
        assert.deepEqual(b.propertyDependencies, { peer: [urnOf("test:index:Thing", "a", inThings)] });
        assert.deepEqual(resource(document, "things-dev").outputs, { answer: 42 });
    });

    it("attaches the provider a resource names (URN::ID) with the provider's inputs", function () {
        assert.deepEqual(resource(document, "a").provider, {
            urn: urnOf("pulumi:providers:test", "default", inThings), type: "pulumi:providers:test", properties: { region: "mars-1" },
        });
        assert.equal(resource(document, "things-dev").provider, undefined);
        const withProvider = document.resources.filter((r) => r.provider !== undefined);
        assert.equal(withProvider.length, 2);
        assert.strictEqual(withProvider[0].provider, withProvider[1].provider, "one object per provider, so requests serialize it once");
    });

    it("turns secrets it cannot decrypt into the secret string \"[secret]\", counted once in one note (policy_analyze.go BlindingProvider)", function () {
        const a = resource(document, "a");
        assert.deepEqual(a.inputs.password, secret("[secret]"));
        assert.deepEqual(a.outputs?.password, secret("[secret]"));
        assert.deepEqual(document.secrets, { encrypted: 2, redacted: 0, decrypted: 2 });
        const notes = document.notes.filter((n) => /encrypted secret/.test(n));
        assert.equal(notes.length, 1);
        assert.match(notes[0], /^2 encrypted secret values could not be decrypted and were judged as the string "\[secret\]", as `pulumi policy analyze --file`/);
        assert.match(notes[0], /Set PULUMI_CONFIG_PASSPHRASE \(or PULUMI_CONFIG_PASSPHRASE_FILE\)/, "the export names the passphrase provider");
    });

    it("decodes plaintext secrets (from --show-secrets) and sends them as secrets, at any depth", function () {
        const nested = resource(document, "a").inputs.nested;
        assert.deepEqual(nested, { token: secret("tok"), list: [1, secret({ k: [1, 2] })] });
    });

    it("keeps the engine's own input keys (the engine module drops them on the wire)", function () {
        assert.deepEqual(resource(document, "a").inputs.__defaults, []);
    });

    it("gives the line of each resource in the file", function () {
        const text = fixture("things-dev.export.json");
        const line = document.lines[urnOf("test:index:Thing", "b", inThings)];
        assert.match(text.split("\n")[line - 1], /"urn": "urn:pulumi:dev::things::test:index:Thing::b"/);
    });

    it("reads version 4 (deployments with features) and a file backend's checkpoint", function () {
        const resources = [{ urn: urnOf("test:index:Thing", "x", inThings), custom: true, id: "x-1", type: "test:index:Thing", inputs: { a: 1 }, outputs: { a: 1, id: "x-1" } }];
        assert.equal(read(exportOf(resources, 4)).resources.length, 1);
        const checkpoint = read(JSON.stringify({ version: 3, checkpoint: { stack: "organization/things/dev", latest: JSON.parse(exportOf(resources)).deployment } }));
        assert.equal(checkpoint.kind, "checkpoint");
        assert.deepEqual(checkpoint.resources[0].outputs, { a: 1, id: "x-1" });
    });

    it("reads an empty stack", function () {
        const empty = read(JSON.stringify({ version: 3, deployment: { manifest: { time: "", magic: "", version: "v3.209.0" } } }), "empty.json");
        assert.deepEqual(empty.resources, []);
        assert.equal(empty.stack, undefined);
    });

    it("gives a resource without outputs empty outputs, not its inputs (AnalyzeStack gets the state's outputs)", function () {
        const doc = read(exportOf([{ urn: urnOf("test:index:Thing", "x", inThings), custom: true, type: "test:index:Thing", inputs: { a: 1 } }]));
        assert.deepEqual(doc.resources[0].outputs, {});
    });

    it("reads values nested deeper than an IAM document may be", function () {
        let deep: unknown = "bottom";
        for (let i = 0; i < 200; i++) deep = { d: deep };
        const doc = read(exportOf([{ urn: urnOf("test:index:Thing", "x", inThings), type: "test:index:Thing", inputs: { deep } }]));
        assert.ok(doc.resources[0].inputs.deep);
    });
});

describe("stack files: the bundled examples", function () {
    it("the export is the deployed network/dev stack: known IDs, read-back policies, one encrypted secret", function () {
        const doc = read(fs.readFileSync(path.join(examples, "network-dev.export.json"), "utf8"));
        assert.equal(doc.kind, "export");
        assert.equal(`${doc.project}/${doc.stack}`, "network/dev");
        assert.equal(doc.resources.length, 9);
        assert.equal(doc.secrets.encrypted, 1);
        const sts = resource(doc, "sts");
        assert.equal(sts.inputs.policy, undefined, "no policy input");
        assert.equal(sts.outputs?.policy, '{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2008-10-17"}');
        assert.match(String(resource(doc, "s3").outputs?.prefixListId), /^pl-/);
    });

    it("the preview is examples/stack.ts planned: every input the stack sets, with the engine's unknowns", function () {
        const doc = read(fs.readFileSync(path.join(examples, "network-dev.preview.json"), "utf8"));
        assert.equal(doc.kind, "preview");
        assert.equal(doc.dryRun, true);
        for (const expected of exampleStack) {
            const planned = doc.resources.find((r) => r.urn === expected.urn);
            assert.ok(planned, `${expected.urn} is in the preview`);
            // The engine's inputs after Check also hold the provider's defaults; the program's must all be there.
            assertIncludes(planned.inputs, expected.inputs, expected.urn);
            assert.deepEqual(planned.propertyDependencies && Object.fromEntries(Object.entries(planned.propertyDependencies).filter(([, v]) => v.length > 0)),
                expected.propertyDependencies ?? {}, `${expected.urn} property dependencies`);
            assert.equal(planned.outputs?.id, unknown, `${expected.urn} has no ID yet`);
        }
    });
});

describe("stack files: pulumi preview --json", function () {
    const document = read(fixture("things-dev.preview.json"), "things-dev.preview.json");

    it("is recognised by its content, as planned state with the preview's config (secrets left out)", function () {
        assert.equal(document.kind, "preview");
        assert.equal(document.dryRun, true);
        assert.deepEqual(document.config, { "test:region": "mars-1" });
        assert.equal(read(fixture("things-dev.preview.json"), "plan.txt").kind, "preview");
    });

    it("takes each step's new state; a deleted resource is gone", function () {
        assert.deepEqual(document.resources.map((r) => r.urn.split("::").pop()), ["things-dev", "default", "a", "c"]);
    });

    it("gives a same step its deployed outputs, as the engine does", function () {
        assert.deepEqual(resource(document, "things-dev").outputs, { answer: 42 });
        assert.deepEqual(resource(document, "default").outputs, { region: "mars-1" });
    });

    it("gives an update its deployed outputs with the new inputs over them", function () {
        assert.deepEqual(resource(document, "a").outputs, { arn: "arn:test:a-1", id: "a-1", name: "a", password: unknown, size: 2 });
    });

    it("gives a new resource its inputs and an unknown ID; unknown values stay the engine's sentinel", function () {
        const c = resource(document, "c");
        assert.deepEqual(c.inputs, { peer: unknown, tags: [unknown, "fixed"] });
        assert.deepEqual(c.outputs, { peer: unknown, tags: [unknown, "fixed"], id: unknown });
        assert.deepEqual(c.propertyDependencies, { peer: [urnOf("test:index:Thing", "a", inThings)], tags: [] });
    });

    it("turns \"[secret]\" into an unknown, counted once in one note", function () {
        assert.equal(resource(document, "a").inputs.password, unknown);
        assert.equal(document.secrets.redacted, 1);
        assert.equal(document.notes.filter((n) => /\[secret\]/.test(n)).length, 1);
    });

    it("says when unchanged resources are missing because --show-sames was not given", function () {
        const partial = read(fixture("without-sames.preview.json"));
        assert.ok(partial.notes.some((n) => /without --show-sames: 3 unchanged resources are not in the file/.test(n)), partial.notes.join("\n"));
        assert.ok(!document.notes.some((n) => /show-sames/.test(n)));
    });

    it("keeps one resource per URN when a replacement is shown as several steps", function () {
        const u = urnOf("test:index:Thing", "r", inThings);
        const state = { urn: u, custom: true, type: "test:index:Thing", inputs: { v: 2 } };
        const doc = read(JSON.stringify({ steps: [
            { op: "create-replacement", urn: u, newState: state },
            { op: "replace", urn: u, newState: state, oldState: { ...state, id: "r-1", outputs: { v: 1, id: "r-1" } } },
            { op: "delete-replaced", urn: u, oldState: { ...state, id: "r-1" } },
        ] }));
        assert.equal(doc.resources.length, 1);
        assert.deepEqual(doc.resources[0].outputs, { v: 2, id: unknown });
    });
});

describe("stack files: errors name the file and, for JSON, the line and column", function () {
    const deployment = (resources: unknown) => JSON.stringify({ version: 3, deployment: { manifest: {}, resources } }, null, 2);
    const cases: { name: string; text: string; message: RegExp; line?: number; column?: number }[] = [
        { name: "an empty file", text: "  \n", message: /the file is empty/ },
        { name: "a truncated file", text: '{\n  "version": 3,\n  "deployment": {\n    "resources": [', message: /ends in the middle of the document \(is the file truncated\?\)/, line: 4, column: 19 },
        { name: "a trailing comma", text: '{\n  "steps": [],\n}', message: /expected a property name in double quotes, found "}"/, line: 3, column: 1 },
        { name: "CLI messages before the JSON", text: 'warning: A new version of Pulumi is available\n{"steps": []}', message: /at the start; the file must hold only the JSON document/, line: 1, column: 1 },
        { name: "two documents", text: '{"steps": []}\n{"steps": []}', message: /after the end of the document/, line: 2, column: 1 },
        { name: "a JSON list", text: "[1, 2]", message: /the document is a list; expected the JSON object/, line: 1, column: 1 },
        { name: "a package.json", text: fixture("not-pulumi.json"), message: /this is not a Pulumi document/, line: 1, column: 1 },
        { name: "an engine event stream", text: '{"sequence":0,"timestamp":1732000000,"cancelEvent":{}}\n', message: /engine event of a stream/ },
        { name: "an old deployment version", text: JSON.stringify({ version: 2, deployment: {} }), message: /deployment version 2 is not supported/, line: 1, column: 2 },
        { name: "a resource without a URN", text: deployment([{ type: "test:index:Thing" }]), message: /deployment\.resources\[0\] has no "urn"/, line: 6, column: 7 },
        { name: "a resource URN that is not one", text: deployment([{ urn: "arn:aws:x", type: "t" }]), message: /deployment\.resources\[0\]\.urn is not a Pulumi URN/, line: 7, column: 9 },
        { name: "inputs that are not an object", text: deployment([{ urn: urnOf("t:i:T", "x", inThings), type: "t:i:T", inputs: [1] }]), message: /deployment\.resources\[0\]\.inputs is a list; expected an object of properties/, line: 9, column: 9 },
        { name: "a secret without a value", text: deployment([{ urn: urnOf("t:i:T", "x", inThings), type: "t:i:T", inputs: { p: { [sig]: secretSig } } }]), message: /inputs\.p is a secret with neither "plaintext" nor "ciphertext"/, line: 10, column: 11 },
        { name: "steps that are not a list", text: '{"steps": {}}', message: /"steps" is an object; expected a list/, line: 1, column: 2 },
    ];
    for (const c of cases) {
        it(`${c.name}`, function () {
            const error = failure(c.text, "bad.json");
            assert.equal(error.file, "bad.json");
            assert.match(error.message, c.message);
            if (c.line !== undefined) assert.deepEqual({ line: error.line, column: error.column }, { line: c.line, column: c.column });
        });
    }

    it("the bundled truncated fixture", function () {
        const error = failure(fixture("truncated.export.json"), "truncated.export.json");
        assert.match(error.message, /truncated/);
        assert.equal(error.line, fixture("truncated.export.json").split("\n").length);
    });
});

describe("stack files: bytes to text", function () {
    const json = '{"steps": []}';
    it("reads UTF-8 with or without a byte-order mark, and UTF-16 (Windows PowerShell's `>`)", function () {
        assert.equal(decodeStackFile(Buffer.from(json)), json);
        assert.equal(decodeStackFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)])), json);
        assert.equal(decodeStackFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, "utf16le")])), json);
        const be = Buffer.from(json, "utf16le").swap16();
        assert.equal(decodeStackFile(Buffer.concat([Buffer.from([0xfe, 0xff]), be])), json);
    });
});
