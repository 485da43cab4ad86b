// The Analyze transport (engine/unary-bytes.ts): against a real @grpc/grpc-js server (as the pack
// runs one) for what a pack answers, and against a bare HTTP/2 server for what a broken or slow one
// could send. Every failure comes back as a grpc-js-shaped error with the code grpc-js would give.

import * as assert from "assert";
import * as http2 from "http2";
import type { AddressInfo } from "net";
import { grpc } from "../../engine/proto";
import { UnaryBytesChannel } from "../../engine/unary-bytes";

const asBytes = (b: Buffer) => b;

function call(channel: UnaryBytesChannel, path: string, request: Buffer, deadline?: number): Promise<Buffer> {
    return new Promise((resolve, reject) => channel.call(path, request, deadline, (err, res) => (err ? reject(err) : resolve(res!))));
}

async function rejection(p: Promise<unknown>): Promise<{ code: number; details: string }> {
    try {
        await p;
    } catch (e) {
        return e as { code: number; details: string };
    }
    assert.fail("the call should have failed");
}

describe("engine: unary calls as bytes over HTTP/2", function () {
    this.timeout(20_000);

    describe("against a @grpc/grpc-js server", () => {
        let server: InstanceType<typeof grpc.Server>;
        let port: number;
        before(async () => {
            server = new grpc.Server({ "grpc.max_receive_message_length": 16 * 1024 * 1024 });
            const method = (path: string) => ({ path, requestStream: false, responseStream: false, requestSerialize: asBytes, requestDeserialize: asBytes, responseSerialize: asBytes, responseDeserialize: asBytes });
            server.addService({ echo: method("/t.T/Echo"), fail: method("/t.T/Fail"), big: method("/t.T/Big") }, {
                echo: (c: { request: Buffer }, cb: (e: unknown, r?: Buffer) => void) => cb(null, Buffer.concat([Buffer.from("echo:"), c.request])),
                fail: (_c: unknown, cb: (e: unknown) => void) => cb({ code: grpc.status.INVALID_ARGUMENT, details: "bad input: ümlaut 100% \n next line" }),
                big: (_c: unknown, cb: (e: unknown, r?: Buffer) => void) => cb(null, Buffer.alloc(3 * 1024 * 1024, 7)),
            } as never);
            port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
        });
        after(() => server.forceShutdown());

        it("sends the bytes and returns the response's message, for many calls at once on one connection", async () => {
            const channel = new UnaryBytesChannel(`127.0.0.1:${port}`, 1024);
            const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => call(channel, "/t.T/Echo", Buffer.from(`r${i}`))));
            assert.deepStrictEqual(answers.map((b) => b.toString()), Array.from({ length: 50 }, (_, i) => `echo:r${i}`));
            const empty = await call(channel, "/t.T/Echo", Buffer.alloc(0));
            assert.strictEqual(empty.toString(), "echo:");
            channel.close();
        });

        it("a large request and a large response", async () => {
            const channel = new UnaryBytesChannel(`127.0.0.1:${port}`, 8 * 1024 * 1024);
            const request = Buffer.alloc(5 * 1024 * 1024, 1);
            const echoed = await call(channel, "/t.T/Echo", request);
            assert.strictEqual(echoed.length, 5 + request.length);
            assert.strictEqual((await call(channel, "/t.T/Big", Buffer.alloc(0))).length, 3 * 1024 * 1024);
            channel.close();
        });

        it("an error status comes back with its code and its message decoded", async () => {
            const channel = new UnaryBytesChannel(`127.0.0.1:${port}`, 1024);
            const e = await rejection(call(channel, "/t.T/Fail", Buffer.from("x")));
            assert.strictEqual(e.code, grpc.status.INVALID_ARGUMENT);
            assert.strictEqual(e.details, "bad input: ümlaut 100% \n next line");
            const missing = await rejection(call(channel, "/t.T/Nope", Buffer.from("x")));
            assert.strictEqual(missing.code, grpc.status.UNIMPLEMENTED);
            channel.close();
        });

        it("a response over the limit is refused", async () => {
            const channel = new UnaryBytesChannel(`127.0.0.1:${port}`, 1024 * 1024);
            const e = await rejection(call(channel, "/t.T/Big", Buffer.alloc(0)));
            assert.strictEqual(e.code, grpc.status.RESOURCE_EXHAUSTED);
            channel.close();
        });

        it("a closed channel refuses calls; nothing listening is UNAVAILABLE", async () => {
            const channel = new UnaryBytesChannel(`127.0.0.1:${port}`, 1024);
            channel.close();
            assert.strictEqual((await rejection(call(channel, "/t.T/Echo", Buffer.from("x")))).code, grpc.status.UNAVAILABLE);
            const nowhere = new UnaryBytesChannel("127.0.0.1:1", 1024);
            assert.strictEqual((await rejection(call(nowhere, "/t.T/Echo", Buffer.from("x")))).code, grpc.status.UNAVAILABLE);
            nowhere.close();
        });
    });

    describe("against a server that misbehaves", () => {
        let server: http2.Http2Server;
        let port: number;
        const behaviours: Record<string, (stream: http2.ServerHttp2Stream) => void> = {
            "/slow": () => undefined,
            "/compressed": (s) => {
                s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
                s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "0" }));
                s.end(Buffer.from([1, 0, 0, 0, 1, 9]));
            },
            "/short": (s) => {
                s.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
                s.on("wantTrailers", () => s.sendTrailers({ "grpc-status": "0" }));
                s.end(Buffer.from([0, 0, 0, 0, 9, 1, 2]));
            },
            "/no-status": (s) => {
                s.respond({ ":status": 200, "content-type": "application/grpc" });
                s.end(Buffer.from([0, 0, 0, 0, 0]));
            },
            "/http-503": (s) => {
                s.respond({ ":status": 503 });
                s.end();
            },
            "/reset": (s) => s.close(http2.constants.NGHTTP2_INTERNAL_ERROR),
        };
        before(async () => {
            server = http2.createServer();
            server.on("stream", (stream, headers) => {
                stream.on("data", () => undefined);
                stream.on("error", () => undefined);
                stream.on("end", () => behaviours[headers[":path"] as string]?.(stream));
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            port = (server.address() as AddressInfo).port;
        });
        after(() => server.close());

        const cases: [string, number, number?][] = [
            ["/compressed", grpc.status.INTERNAL],
            ["/short", grpc.status.INTERNAL],
            ["/no-status", grpc.status.UNAVAILABLE],
            ["/http-503", grpc.status.UNAVAILABLE],
            ["/reset", grpc.status.UNAVAILABLE],
            ["/slow", grpc.status.DEADLINE_EXCEEDED, 200],
        ];
        for (const [path, code, deadlineMs] of cases) {
            it(`${path.slice(1)}: ${Object.entries(grpc.status).find(([, v]) => v === code)![0]}`, async () => {
                const channel = new UnaryBytesChannel(`127.0.0.1:${port}`, 1024);
                const e = await rejection(call(channel, path, Buffer.from("x"), deadlineMs === undefined ? undefined : Date.now() + deadlineMs));
                assert.strictEqual(e.code, code, e.details);
                assert.ok(e.details.length > 0);
                channel.close();
            });
        }
    });
});
