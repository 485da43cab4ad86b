// What the pack saw in `Analyze`: each resource's inputs, by URN. The engine calls Analyze on
// inputs in the same pack process before AnalyzeStack sends outputs, where a computed property
// that was not an input (a VpcEndpoint's `policy`) shows as unknown in preview and as AWS's
// read-back after deployment. Stack rules ask here to tell "absent" from "unknown" and "set
// inline" from "read back". Filled by every resource policy of the pack (see rule.ts).

import { unwrapProps } from "../values/unknown-values";

const seen = new Map<string, Readonly<Record<string, unknown>>>();
// Bumped on every change, so a stack graph can tell in one comparison that what it read is current.
let generation = 0;

/** Records a resource's inputs (the latest Analyze call for a URN wins). */
export function rememberInputs(urn: string, props: unknown): void {
    if (typeof urn !== "string" || urn === "") return;
    const inputs = unwrapProps(props);
    if (seen.get(urn) === inputs) return;
    seen.set(urn, inputs);
    generation++;
}

/** The inputs Analyze saw for `urn`, or undefined when the pack never saw that resource's inputs. */
export function rememberedInputs(urn: string): Readonly<Record<string, unknown>> | undefined {
    return seen.get(urn);
}

/** Forgets everything (tests; a long-lived process analysing several stacks). */
export function forgetInputs(): void {
    seen.clear();
    generation++;
}

/** A number that changes whenever the remembered inputs do. */
export function inputsGeneration(): number {
    return generation;
}
