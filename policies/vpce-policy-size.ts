// vpce-policy-size: the endpoint policy, as AWS receives it, fits AWS's 20,480-character limit (SPEC rule 2).

import { characterCount, compactPolicyLength } from "../iam/compact-policy";
import type { EndpointPolicyInput } from "../stack/endpoint-policy";
import { endpointDocumentPolicy } from "../framework/rule";

/** AWS PrivateLink: "The size of an endpoint policy cannot exceed 20,480 characters, including white space." Not adjustable. */
export const endpointPolicyMaxLength = 20480;

const messages = {
    tooLarge: "The endpoint policy is {{length}} characters as AWS receives it ({{form}}); the limit is {{limit}}, so remove at least {{over}}.{{note}} Shorten it: merge statements that share Effect, Principal and Condition, use action wildcards such as \"s3:Get*\", or move fine-grained rules to IAM and resource policies.",
    tooLargeAsWritten: "The endpoint policy text is {{length}} characters ({{why}}); the limit is {{limit}}, so remove at least {{over}}. Fix the document (see vpce-policy-json), then shorten it.",
};

const format = (n: number) => n.toLocaleString("en-US");

export const vpcePolicySize = endpointDocumentPolicy<typeof messages, Record<string, never>>({
    meta: {
        name: "vpce-policy-size",
        displayName: "Endpoint policy fits the 20,480-character limit",
        description: "The VPC endpoint policy, in the form AWS receives it (the aws provider sends it compacted: no white space, keys sorted, <, > and & as six-character escapes), is at most 20,480 characters. A document that is not valid JSON is measured as written.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: "Make the document shorter: merge statements with the same Effect, Principal and Condition, replace long action lists with wildcards (\"s3:Get*\") or NotAction, list fewer resources by using wildcards, and keep fine-grained rules in IAM and resource policies (an endpoint policy is one more filter, not the only one). White space written in the program does not count with the aws provider.",
        configProperties: {},
    },
    messages,
    check(input, _config, findings) {
        if (input.status === "wrong-type") return `${input.property} is ${input.found}, not a policy document; see vpce-policy-json`;
        const measured = measure(input);
        if (typeof measured === "string") return measured;
        const length = measured.length;
        if (length <= endpointPolicyMaxLength) return undefined;
        const data = { length: format(length), limit: format(endpointPolicyMaxLength), over: format(length - endpointPolicyMaxLength) };
        if (measured.asWritten !== undefined) {
            findings.report("tooLargeAsWritten", { ...data, why: measured.asWritten });
            return undefined;
        }
        const written = measured.text === undefined ? undefined : characterCount(measured.text);
        let note = "";
        if (written !== undefined && written > length) {
            note = ` The text in ${input.property} is ${format(written)} characters; its white space does not count, the rest is still too long.`;
        } else if (written !== undefined && written < length) {
            note = ` The text in ${input.property} is only ${format(written)} characters: escapes added on the way make up the difference${input.property === "policy" ? " (the aws provider sends each <, > and & as six characters)" : ""}.`;
        }
        findings.report("tooLarge", { ...data, form: measured.form, note });
        return undefined;
    },
});

interface Measured {
    /** Characters of what AWS receives. */
    length: number;
    form: string;
    /** The text as the program wrote it, when there was one. */
    text?: string;
    /** Set when `sent` is the text as written, with the reason. */
    asWritten?: string;
}

/** The document as AWS receives it from the carrier, or a not-applicable reason. */
function measure(input: Extract<EndpointPolicyInput, { status: "parsed" | "syntax-error" }>): Measured | string {
    if (input.status === "syntax-error") {
        return { length: characterCount(input.text), form: "as written", asWritten: "it is not valid JSON, so it is measured as written" };
    }
    if (input.property === "policyDocument") {
        // aws-native goes through Cloud Control: CloudFormation passes the document as a JSON
        // object, which reaches the EC2 API as compact JSON in the order written, without the Go
        // provider's key sorting or HTML escapes. A document given as a string is parsed first.
        const sent = safeStringify(input.document);
        if (sent === undefined) return "the document cannot be written as JSON; see vpce-policy-json";
        return { length: characterCount(sent), form: "compact JSON, as CloudFormation passes the object", text: input.text };
    }
    const length = compactPolicyLength(input.document);
    if (length === undefined) {
        // The provider fails on a number outside float64's range before calling AWS.
        return { length: characterCount(input.text ?? ""), form: "as written", asWritten: "it holds a number the aws provider cannot read, so it is measured as written" };
    }
    return { length, form: "compacted by the aws provider: no white space, <, > and & as six-character \\u escapes", text: input.text };
}

function safeStringify(value: unknown): string | undefined {
    try {
        const text = JSON.stringify(value);
        return typeof text === "string" ? text : undefined;
    } catch {
        return undefined;
    }
}
