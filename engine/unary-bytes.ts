// Unary gRPC calls whose request is already serialized, straight over node:http2. The Analyze
// calls of a large stack are tens of thousands of tiny RPCs, and @grpc/grpc-js spends ~160 µs of
// client CPU on each (interceptors, resolving and retrying calls, metadata, channelz); this spends
// ~80 µs (measured on 20,000 Analyze requests to the empty pack: 3.3 s → 1.8 s of CPU, see
// bench/RESULTS.md). It speaks only what a unary call to the Node policy server needs: one
// length-prefixed, uncompressed message each way over plaintext HTTP/2 (gRPC's PROTOCOL-HTTP2.md),
// the status from the trailers or from a trailers-only response, `grpc-timeout` for a deadline.
// Everything else (start-up, Configure, GetAnalyzerInfo…) stays on @grpc/grpc-js.

import * as http2 from "http2";
import { Metadata, status, type ServiceError } from "@grpc/grpc-js";

export type UnaryCallback = (err: ServiceError | null, response?: Buffer) => void;

/** A grpc-js-shaped error, so callers handle both transports alike. */
export function callError(code: number, details: string): ServiceError {
    const name = Object.entries(status).find(([, v]) => v === code)?.[0] ?? String(code);
    return Object.assign(new Error(`${code} ${name}: ${details}`), { code, details, metadata: new Metadata() });
}

/** `grpc-message` is percent-encoded (PROTOCOL-HTTP2.md); a malformed one is shown as sent. */
function decodeGrpcMessage(value: unknown): string {
    if (typeof value !== "string") return "";
    try {
        return decodeURIComponent(value);
    } catch {
        return value;
    }
}

/** HTTP status → gRPC code when a response carries no grpc-status (gRPC's http-grpc-status-mapping.md). */
function codeOfHttpStatus(httpStatus: number): number {
    switch (httpStatus) {
        case 400: return status.INTERNAL;
        case 401: return status.UNAUTHENTICATED;
        case 403: return status.PERMISSION_DENIED;
        case 404: return status.UNIMPLEMENTED;
        case 429: case 502: case 503: case 504: return status.UNAVAILABLE;
        default: return status.UNKNOWN;
    }
}

export class UnaryBytesChannel {
    private session: http2.ClientHttp2Session | undefined;
    private active = 0;
    private closed = false;

    /** `authority`: host:port of a plaintext gRPC server. */
    constructor(private readonly authority: string, private readonly maxReceiveBytes: number) {}

    /** Calls `path` with `request` (the serialized message); `deadline` in epoch milliseconds. */
    call(path: string, request: Buffer, deadline: number | undefined, cb: UnaryCallback): void {
        let settled = false;
        let timer: NodeJS.Timeout | undefined;
        const finish = (err: ServiceError | null, response?: Buffer) => {
            if (settled) return;
            settled = true;
            if (timer !== undefined) clearTimeout(timer);
            if (--this.active === 0) this.session?.unref();
            cb(err, response);
        };
        this.active++;
        let stream: http2.ClientHttp2Stream;
        try {
            const session = this.connect();
            session.ref();
            const headers: http2.OutgoingHttpHeaders = {
                ":method": "POST", ":path": path, ":scheme": "http", "content-type": "application/grpc", te: "trailers",
            };
            if (deadline !== undefined) headers["grpc-timeout"] = `${Math.max(1, Math.ceil(deadline - Date.now()))}m`;
            stream = session.request(headers);
        } catch (e) {
            finish(callError(status.UNAVAILABLE, (e as Error).message));
            return;
        }
        if (deadline !== undefined) {
            timer = setTimeout(() => {
                stream.close(http2.constants.NGHTTP2_CANCEL);
                finish(callError(status.DEADLINE_EXCEEDED, "Deadline exceeded"));
            }, Math.max(0, deadline - Date.now()));
        }

        let httpStatus = 0;
        let code: number | undefined;
        let details = "";
        const chunks: Buffer[] = [];
        let received = 0;
        const readStatus = (headers: http2.IncomingHttpHeaders) => {
            const value = headers["grpc-status"];
            if (value === undefined) return;
            const n = Number(value);
            code = Number.isInteger(n) && n >= 0 && n <= 16 ? n : status.UNKNOWN;
            details = decodeGrpcMessage(headers["grpc-message"]);
        };
        stream.on("response", (headers) => {
            httpStatus = Number(headers[":status"]);
            readStatus(headers);
        });
        stream.on("trailers", readStatus);
        stream.on("data", (chunk: Buffer) => {
            received += chunk.length;
            if (received > this.maxReceiveBytes + 5) {
                stream.close(http2.constants.NGHTTP2_CANCEL);
                finish(callError(status.RESOURCE_EXHAUSTED, `Received message larger than max (${received - 5} vs. ${this.maxReceiveBytes})`));
                return;
            }
            chunks.push(chunk);
        });
        stream.on("error", (e: Error) => finish(callError(status.UNAVAILABLE, e.message)));
        stream.on("close", () => {
            if (code === undefined) {
                const why = httpStatus === 0 ? `the stream closed without a response (code ${stream.rstCode})` : `HTTP ${httpStatus} without a gRPC status`;
                finish(callError(httpStatus === 0 || httpStatus === 200 ? status.UNAVAILABLE : codeOfHttpStatus(httpStatus), why));
                return;
            }
            if (code !== status.OK) {
                finish(callError(code, details));
                return;
            }
            const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received);
            if (body.length < 5) {
                finish(callError(status.INTERNAL, "the response carries no message"));
                return;
            }
            if (body[0] !== 0) {
                finish(callError(status.INTERNAL, "the response is compressed, which this client never asked for"));
                return;
            }
            const length = body.readUInt32BE(1);
            if (body.length !== 5 + length) {
                finish(callError(status.INTERNAL, `the response holds ${body.length - 5} bytes after its prefix, which announces ${length}`));
                return;
            }
            finish(null, body.subarray(5));
        });

        const prefix = Buffer.allocUnsafe(5);
        prefix[0] = 0;
        prefix.writeUInt32BE(request.length, 1);
        stream.write(prefix);
        stream.end(request);
    }

    /** Ends the connection; calls in flight fail. */
    close(): void {
        this.closed = true;
        const session = this.session;
        this.session = undefined;
        session?.destroy();
    }

    private connect(): http2.ClientHttp2Session {
        if (this.closed) throw new Error("the channel is closed");
        if (this.session !== undefined && !this.session.closed && !this.session.destroyed) return this.session;
        const session = http2.connect(`http://${this.authority}`, {
            // As @grpc/grpc-js sets it: Node's session-memory check degrades badly on large messages.
            maxSessionMemory: Number.MAX_SAFE_INTEGER,
            maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER,
        });
        // Errors reach the streams in flight; the session itself is replaced on next use.
        session.on("error", () => undefined);
        const forget = () => {
            if (this.session === session) this.session = undefined;
        };
        session.once("close", forget);
        session.once("goaway", forget);
        session.unref();
        this.session = session;
        return session;
    }
}
