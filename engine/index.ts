// The engine module: runs a policy pack directory exactly as the Pulumi CLI does. The protocol
// stays in here; callers see only the types of ./types.

export { UnknownSentinel } from "../values/unknown-values";
export * from "./types";
export { secret, nameFromUrn } from "./marshal";
export { PolicyConfigError, reconcileConfig, readPolicyPackConfigFile, enforcementLevels } from "./config";
export { PolicyPackProcess, PolicyPackStartError, PolicyPackRpcError, StartOptions } from "./process";
export { runPolicyPack, type RunProgress } from "./run";
