// The engine module: runs a policy pack directory as the Pulumi CLI (3.221 and later) does. The protocol
// stays in here; callers see only the types of ./types.

export { UnknownSentinel } from "../values/unknown-values";
export * from "./types";
export { secret, nameFromUrn, rootStackUrn } from "./marshal";
export { PolicyConfigError, reconcileConfig, configWarnings, readPolicyPackConfigFile, enforcementLevels } from "./config";
export { PolicyPackProcess, PolicyPackStartError, PolicyPackRpcError, StartOptions, type OutputLine } from "./process";
export { runPolicyPack, type RunProgress } from "./run";
