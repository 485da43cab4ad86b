import { vpceSinglePolicy } from "../../policies/vpce-single-policy";
import { UnknownSentinel } from "../../values/unknown-values";
import { s3BucketPolicy } from "../support/cases";
import { svc, stackWith, ref, stackRuleTable, T, type StackCase } from "../support/stacks";

const restrictive = JSON.stringify(s3BucketPolicy);
const other = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::other/*" }] });

const valid: StackCase[] = [
    { name: "an inline policy only", stack: stackWith((s, v) => s.endpoint("s3", v, svc("s3"), { policy: restrictive })) },
    { name: "a standalone policy only: what the endpoint reads back is the same policy", stack: stackWith((s, v) => s.standalone("p", s.endpoint("s3", v, svc("s3")), restrictive)) },
    { name: "a standalone policy of a never-analysed endpoint that reads it back", stack: stackWith((s, v) => s.standalone("p", s.endpoint("s3", v, svc("s3"), {}, { unanalysed: true }), restrictive)) },
    { name: "inline and standalone with the same document, written differently", stack: stackWith((s, v) => s.standalone("p", s.endpoint("s3", v, svc("s3"), { policy: restrictive }), JSON.stringify(JSON.parse(restrictive), null, 4))) },
    { name: "an aws-native object and a standalone text with the same document", stack: stackWith((s, v) => s.standalone("p", s.nativeEndpoint("s3", v, svc("s3"), { policyDocument: s3BucketPolicy }), restrictive)) },
    { name: "an inline policy not yet known next to a standalone one", stack: stackWith((s, v) => s.standalone("p", s.endpoint("s3", v, svc("s3"), { policy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: ref(s.add(T.bucket, "b", {}), "arn") }] } }), restrictive)), shapes: ["preview"] },
    { name: "one standalone policy on each of two endpoints", stack: stackWith((s, v) => { s.standalone("p1", s.endpoint("a", v, svc("s3")), restrictive); s.standalone("p2", s.endpoint("b", v, svc("s3")), other); }) },
    { name: "a standalone policy on an endpoint outside the stack", stack: stackWith((s) => { s.standalone("p1", "vpce-0external0000001", restrictive); s.standalone("p2", "vpce-0external0000002", other); }) },
    { name: "a standalone policy whose endpoint is unknown", stack: stackWith((s, v) => { s.endpoint("s3", v, svc("s3"), { policy: restrictive }); s.standalone("p", UnknownSentinel.string, other); }), shapes: ["preview"] },
];

const invalid: StackCase[] = [
    { name: "inline and standalone documents that differ", stack: stackWith((s, v) => s.standalone("p", s.endpoint("s3", v, svc("s3"), { policy: restrictive }), other)), expect: ["inlineAndStandalone@s3"], says: ["sets `policy`", "VpcEndpointPolicy \"p\""] },
    { name: "an aws-native policyDocument and a different standalone policy", stack: stackWith((s, v) => s.standalone("p", s.nativeEndpoint("s3", v, svc("s3"), { policyDocument: s3BucketPolicy }), other)), expect: ["inlineAndStandalone@s3"], says: ["sets `policyDocument`"] },
    { name: "an inline policy and a VpcEndpointPolicy that resets it to the default", stack: stackWith((s, v) => s.add(T.endpointPolicy, "reset", { vpcEndpointId: ref(s.endpoint("s3", v, svc("s3"), { policy: restrictive })) })), expect: ["inlineAndStandalone@s3"] },
    { name: "two standalone policies for one endpoint, even with the same document", stack: stackWith((s, v) => { const e = s.endpoint("s3", v, svc("s3")); s.standalone("p1", e, restrictive); s.standalone("p2", e, restrictive); }), expect: ["severalStandalone@s3"], says: ["2 VpcEndpointPolicy resources (\"p1\", \"p2\")"] },
    { name: "two standalone policies and a different inline one", stack: stackWith((s, v) => { const e = s.endpoint("s3", v, svc("s3"), { policy: other }); s.standalone("p1", e, restrictive); s.standalone("p2", e, other); }), expect: ["severalStandalone@s3", "inlineAndStandalone@s3"] },
];

describe("vpce-single-policy", () => {
    stackRuleTable(vpceSinglePolicy, valid, invalid);
});
