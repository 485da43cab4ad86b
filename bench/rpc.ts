// The Analyzer calls the benchmarks time: requests marshalled by the engine module and serialized
// to bytes before the clock starts, sent as bytes and answered as bytes, so a measurement is the
// pack's work plus the transport, not this process's protobuf encoding (the Pulumi engine does
// that in Go).

import { PolicyPackProcess } from "../engine";
import * as marshal from "../engine/marshal";
import { analyzer as pb, grpc, maxMessageBytes, type ServiceError } from "../engine/proto";
import type { StackResource } from "../engine/types";
import { performance } from "perf_hooks";

const analyzePath = "/pulumirpc.Analyzer/Analyze";
const analyzeStackPath = "/pulumirpc.Analyzer/AnalyzeStack";

const asBytes = (b: Buffer) => b;

/** A serialized `Analyze` request for a resource's inputs. */
export function analyzeBytes(resource: StackResource): Buffer {
    return Buffer.from(marshal.analyzeRequest(resource).serializeBinary());
}

/** A serialized `AnalyzeStack` request for a stack's outputs. */
export function analyzeStackBytes(resources: readonly StackResource[]): Buffer {
    return Buffer.from(marshal.analyzeStackRequest(resources).serializeBinary());
}

export interface Timed {
    ms: number;
    response: Buffer;
}

/** A second client on a started pack's port, for pre-serialized requests. */
export class RawAnalyzer {
    private readonly client: InstanceType<typeof grpc.Client>;

    constructor(readonly pack: PolicyPackProcess) {
        this.client = new grpc.Client(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": maxMessageBytes,
            "grpc.max_send_message_length": maxMessageBytes,
        });
    }

    analyze(request: Buffer): Promise<Timed> {
        return this.call(analyzePath, request);
    }

    analyzeStack(request: Buffer): Promise<Timed> {
        return this.call(analyzeStackPath, request);
    }

    close(): void {
        this.client.close();
    }

    private call(path: string, request: Buffer): Promise<Timed> {
        return new Promise((resolve, reject) => {
            const started = performance.now();
            this.client.makeUnaryRequest(path, asBytes, asBytes, request, (err: ServiceError | null, response?: Buffer) => {
                const ms = performance.now() - started;
                if (err || response === undefined) reject(new Error(`${path.slice(path.lastIndexOf("/") + 1)} failed in ${this.pack.packDir}: ${err?.details ?? err?.message ?? "no response"}`));
                else resolve({ ms, response });
            });
        });
    }
}

/** Diagnostics and not-applicable counts of an `AnalyzeResponse`. */
export function responseCounts(response: Buffer): { diagnostics: number; notApplicable: number } {
    const res = pb.AnalyzeResponse.deserializeBinary(response);
    return { diagnostics: res.getDiagnosticsList().length, notApplicable: res.getNotApplicableList().length };
}
