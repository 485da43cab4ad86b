// The protocol modules. gRPC and google-protobuf are loaded from where @pulumi/pulumi's generated
// stubs load them, so the client, its credentials and the `Empty`/`Struct` messages are the very
// copies the stubs check with `instanceof`, however the packages were installed.

import * as path from "path";
import type * as GrpcModule from "@grpc/grpc-js";
import type * as EmptyModule from "google-protobuf/google/protobuf/empty_pb";
import type * as StructModule from "google-protobuf/google/protobuf/struct_pb";

export * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
export { AnalyzerClient, AnalyzerService } from "@pulumi/pulumi/proto/analyzer_grpc_pb";

const stubDir = path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb"));

function loadBesideStubs<T>(id: string): T {
    return require(require.resolve(id, { paths: [stubDir] })) as T;
}

export const grpc = loadBesideStubs<typeof GrpcModule>("@grpc/grpc-js");
export const { Empty } = loadBesideStubs<typeof EmptyModule>("google-protobuf/google/protobuf/empty_pb");
export const { Struct } = loadBesideStubs<typeof StructModule>("google-protobuf/google/protobuf/struct_pb");
export type Struct = StructModule.Struct;
export type ServiceError = GrpcModule.ServiceError;
export type CallOptions = GrpcModule.CallOptions;

/** The pack's server accepts 400 MB messages; the client matches so 50,000-resource stacks fit. */
export const maxMessageBytes = 400 * 1024 * 1024;
