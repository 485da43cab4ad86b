import * as assert from "assert";
import bucketTable from "../../iam/data/aws-owned-buckets.json";
import { vpceDataPerimeter } from "../../policies/vpce-data-perimeter";
import { ResourceType } from "../../stack/endpoint-policy";
import { UnknownSentinel } from "../../values/unknown-values";
import { carriers, carry, fullAccessPolicy, expectPasses, expectReports, type DocumentCase } from "../support/cases";
import {
    awsPerimeterExamples, dataPerimeterExamples, dynamoDbRolePolicy, exampleAccountId, exampleOrgId, gatewayPrincipalArnPolicy,
    perimeterDefaultPolicy, s3AccountBucketsPolicy, thirdPartyAccountIds,
} from "../support/document-policies";

type Case = DocumentCase;

const org = { organizationIds: [exampleOrgId] };
const orgAndPartners = { organizationIds: [exampleOrgId], accountIds: thirdPartyAccountIds };
const accountsOnly = { accountIds: [exampleAccountId] };
const allow = (extra: Record<string, unknown>) => ({ Effect: "Allow", Principal: "*", Action: "*", Resource: "*", ...extra });
const policy = (...statements: Record<string, unknown>[]) => ({ Version: "2012-10-17", Statement: statements });
const when = (operator: string, key: string, value: unknown, extra: Record<string, unknown> = {}) => allow({ Condition: { [operator]: { [key]: value } }, ...extra });
const denyOutsideOrg = {
    Sid: "DenyOutsideOrg", Effect: "Deny", Principal: "*", Action: "*", Resource: "*",
    Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": exampleOrgId }, BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
};

const valid: Case[] = [
    ...Object.entries(dataPerimeterExamples).map(([file, document]) => ({ name: `AWS data-perimeter example ${file}`, document, config: orgAndPartners })),
    { name: "the default example, configured with the org only", document: perimeterDefaultPolicy, config: org },
    { name: "aws:PrincipalOrgID in the list", document: policy(when("StringEquals", "aws:PrincipalOrgID", exampleOrgId)), config: org },
    { name: "aws:PrincipalOrgID in another case, with ForAnyValue", document: policy(when("ForAnyValue:StringEquals", "AWS:PRINCIPALORGID", [exampleOrgId])), config: org },
    { name: "StringEqualsIgnoreCase on an org ID in upper case", document: policy(when("StringEqualsIgnoreCase", "aws:PrincipalOrgID", exampleOrgId.toUpperCase())), config: org },
    { name: "aws:PrincipalAccount in accountIds", document: policy(when("StringEquals", "aws:PrincipalAccount", [exampleAccountId])), config: accountsOnly },
    { name: "the PrivateLink guide's aws:PrincipalArn example", document: gatewayPrincipalArnPolicy, config: accountsOnly },
    { name: "the DynamoDB guide's ArnEquals aws:PrincipalArn example", document: dynamoDbRolePolicy, config: accountsOnly },
    { name: "a Principal naming only listed accounts' principals", document: policy(allow({ Principal: { AWS: [`arn:aws:iam::${exampleAccountId}:role/app`, exampleAccountId] } })), config: accountsOnly },
    { name: "a service principal in Principal", document: policy(allow({ Principal: { Service: "ec2.amazonaws.com" } })), config: org },
    { name: "Bool aws:PrincipalIsAWSService true (boolean)", document: policy(when("Bool", "aws:PrincipalIsAWSService", true)), config: org },
    { name: "Deny statements are never perimeter violations", document: policy({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" }, s3AccountBucketsPolicy.Statement[0]), config: org },
    { name: "a Deny outside the org with the service exception binds every Allow", document: policy(allow({ Sid: "AllowAll" }), denyOutsideOrg), config: org },
    { name: "an AWS-owned bucket reached without conditions", document: policy(allow({ Action: "s3:GetObject", Resource: "arn:aws:s3:::amazonlinux.eu-west-1.amazonaws.com/*" })), config: org },
    // Amazon SageMaker AI Developer Guide, train-vpc.html, and Amazon Comprehend usingVPC.html: S3 endpoint policies name the
    // Amazon Linux repositories with a Region wildcard (only AWS can own bucket names under amazonaws.com).
    {
        name: "AWS's Region-wildcard Amazon Linux repository buckets",
        document: policy(allow({ Sid: "AmazonLinuxAMIRepositoryAccess", Action: "s3:GetObject", Resource: ["arn:aws:s3:::packages.*.amazonaws.com/*", "arn:aws:s3:::repo.*.amazonaws.com/*", "arn:aws:s3:::amazonlinux.*.amazonaws.com/*"] })),
        config: org,
    },
    // IAM User Guide, aws:PrincipalOrgPaths (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths):
    // multivalued, paths rooted at the organization ID, StringLike for wildcards.
    { name: "aws:PrincipalOrgPaths under a listed organization", document: policy(when("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", [`${exampleOrgId}/r-ab12/ou-ab12-11111111/*`])), config: org },
    { name: "aws:PrincipalOrgPaths with the exact path of an OU", document: policy(when("ForAnyValue:StringEquals", "aws:PrincipalOrgPaths", `${exampleOrgId}/r-ab12/ou-ab12-11111111/ou-ab12-22222222/`)), config: org },
    {
        name: "resource perimeter by aws:ResourceOrgID",
        document: policy(when("StringEquals", "aws:PrincipalOrgID", exampleOrgId, { Condition: { StringEquals: { "aws:PrincipalOrgID": exampleOrgId, "aws:ResourceOrgID": exampleOrgId } } })),
        config: { ...org, requireResourcePerimeter: true },
    },
    {
        name: "resource perimeter by aws:ResourceOrgID = ${aws:PrincipalOrgID}",
        document: policy(allow({ Condition: { StringEquals: { "aws:PrincipalOrgID": exampleOrgId, "aws:ResourceOrgID": "${aws:PrincipalOrgID}" } } })),
        config: { ...org, requireResourcePerimeter: true },
    },
    {
        name: "resource perimeter by resource ARNs of listed accounts",
        document: policy(when("StringEquals", "aws:PrincipalAccount", exampleAccountId, { Resource: [`arn:aws:dynamodb:us-east-1:${exampleAccountId}:table/StockTable`, "arn:aws:iam::aws:policy/ReadOnlyAccess"] })),
        config: { ...accountsOnly, requireResourcePerimeter: true },
    },
    { name: "the service-principal statement needs no resource perimeter", document: policy(when("Bool", "aws:PrincipalIsAWSService", "true")), config: { ...org, requireResourcePerimeter: true } },
];

const invalid: Case[] = [
    { name: "AWS's default full-access policy", document: fullAccessPolicy, config: org, ids: ["identityMissing"], says: ["Statement[0] allows requests from any principal", `"StringEquals": {"aws:PrincipalOrgID": "${exampleOrgId}"}`] },
    { name: "the fix names aws:PrincipalAccount when only accounts are configured", document: fullAccessPolicy, config: { accountIds: [exampleAccountId, "444455556666"] }, ids: ["identityMissing"], says: [`"aws:PrincipalAccount": ["${exampleAccountId}","444455556666"]`] },
    { name: "another organization", document: policy(when("StringEquals", "aws:PrincipalOrgID", ["o-zzzzzzzzzz"], { Sid: "Partner" })), config: org, ids: ["valueOutside"], says: ["Statement[0] (\"Partner\")", "\"o-zzzzzzzzzz\"", "not in organizationIds"] },
    { name: "one value outside among listed ones", document: policy(when("StringEquals", "aws:PrincipalAccount", [exampleAccountId, "999999999999"])), config: accountsOnly, ids: ["valueOutside"], says: ["\"999999999999\"", "accountIds"] },
    { name: "an IfExists operator", document: policy(when("StringEqualsIfExists", "aws:PrincipalOrgID", exampleOrgId)), config: org, ids: ["weakOperator"], says: ["\"StringEqualsIfExists\"", "without the key"] },
    { name: "ForAllValues", document: policy(when("ForAllValues:StringEquals", "aws:PrincipalOrgID", [exampleOrgId])), config: org, ids: ["weakOperator"], says: ["empty set"] },
    { name: "a negated operator in an Allow", document: policy(when("StringNotEquals", "aws:PrincipalOrgID", "o-zzzzzzzzzz")), config: org, ids: ["weakOperator"], says: ["every value except"] },
    { name: "a wildcard org ID", document: policy(when("StringLike", "aws:PrincipalOrgID", "o-*")), config: org, ids: ["valueOutside"], says: ["\"o-*\""] },
    { name: "aws:PrincipalArn of another account", document: policy(when("ArnLike", "aws:PrincipalArn", "arn:aws:iam::999999999999:role/*")), config: accountsOnly, ids: ["valueOutside"] },
    { name: "aws:PrincipalArn with a wildcard account", document: policy(when("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/admin")), config: accountsOnly, ids: ["valueOutside"] },
    { name: "the service exception when service principals are not allowed", document: policy(when("Bool", "aws:PrincipalIsAWSService", "true")), config: { ...org, allowServicePrincipals: false }, ids: ["identityMissing"] },
    { name: "BoolIfExists is not the service exception", document: policy(when("BoolIfExists", "aws:PrincipalIsAWSService", "true")), config: org, ids: ["identityMissing"] },
    { name: "a Principal of an unlisted account", document: policy(allow({ Principal: { AWS: ["arn:aws:iam::111122223333:root", "arn:aws:iam::999999999999:role/x"] } })), config: accountsOnly, ids: ["principalOutside"], says: ["\"AWS: arn:aws:iam::999999999999:role/x\""] },
    { name: "federated principals without a resource binding", document: policy(allow({ Principal: { Federated: "accounts.google.com" }, Action: "sts:AssumeRoleWithWebIdentity" })), config: org, ids: ["federatedUnbound"], says: ["\"accounts.google.com\"", "aws:ResourceOrgID"] },
    { name: "a customer bucket reached without conditions", document: policy(allow({ Action: "s3:PutObject", Resource: "arn:aws:s3:::my-personal-bucket/*" })), config: org, ids: ["identityMissing"] },
    { name: "an AWS-owned bucket name with a wildcard region", document: policy(allow({ Action: "s3:PutObject", Resource: "arn:aws:s3:::aws-ssm-*/*" })), config: org, ids: ["identityMissing"] },
    {
        name: "a statement of AWS-owned buckets with one that is not: the message names it",
        document: policy(allow({ Sid: "Downloads", Action: "s3:GetObject", Resource: ["arn:aws:s3:::aws-cli/*", "arn:aws:s3:::my-personal-bucket/*", "arn:aws:s3:::redshift-downloads/*"] })),
        config: org, ids: ["notAwsOwned"], says: ["Statement[0] (\"Downloads\")", "\"arn:aws:s3:::my-personal-bucket/*\"", "not a resource AWS owns", "aws:PrincipalOrgID"],
    },
    { name: "a wildcard in the Region slot of a bucket name outside amazonaws.com", document: policy(allow({ Action: "s3:GetObject", Resource: "arn:aws:s3:::amazonlinux-2-repos-*/*" })), config: org, ids: ["identityMissing"] },
    { name: "aws:PrincipalOrgPaths under another organization", document: policy(when("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", ["o-zzzzzzzzzz/*"])), config: org, ids: ["valueOutside"], says: ["\"o-zzzzzzzzzz/*\"", "organizationIds"] },
    { name: "aws:PrincipalOrgPaths whose organization part is a wildcard", document: policy(when("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", ["*/r-ab12/ou-ab12-11111111/*"])), config: org, ids: ["valueOutside"] },
    { name: "aws:PrincipalOrgPaths with ForAllValues", document: policy(when("ForAllValues:StringLike", "aws:PrincipalOrgPaths", [`${exampleOrgId}/*`])), config: org, ids: ["weakOperator"] },
    { name: "a Deny with an unrelated extra condition does not bind", document: policy(allow({}), { ...denyOutsideOrg, Condition: { ...denyOutsideOrg.Condition, StringEquals: { "aws:SourceVpc": "vpc-1" } } }), config: org, ids: ["identityMissing"] },
    { name: "a Deny naming another org does not bind", document: policy(allow({}), { ...denyOutsideOrg, Condition: { StringNotEquals: { "aws:PrincipalOrgID": ["o-zzzzzzzzzz"] } } }), config: org, ids: ["identityMissing"] },
    { name: "aws:PrincipalOrgID = ${aws:ResourceOrgID} without a resource binding", document: policy(when("StringEquals", "aws:PrincipalOrgID", "${aws:ResourceOrgID}")), config: org, ids: ["valueOutside"] },
    {
        name: "one violation per leaving statement, by Sid",
        document: policy(allow({ Sid: "A" }), when("StringEquals", "aws:PrincipalOrgID", exampleOrgId, { Sid: "B" }), allow({ Sid: "C" })),
        config: org, ids: ["identityMissing", "identityMissing"], says: ["Statement[0] (\"A\")", "Statement[2] (\"C\")"],
    },
    {
        name: "requireResourcePerimeter: the default example's tag exception reaches any resource",
        document: perimeterDefaultPolicy, config: { ...org, requireResourcePerimeter: true },
        ids: ["resourceMissing"], says: ["Statement[2] (\"AllowRequestsByOrgsIdentitiesToAnyResources\")", `"aws:ResourceOrgID": "${exampleOrgId}"`, "requireResourcePerimeter"],
    },
    {
        name: "requireResourcePerimeter: aws:ResourceAccount outside the lists",
        document: policy(allow({ Condition: { StringEquals: { "aws:PrincipalOrgID": exampleOrgId, "aws:ResourceAccount": "999999999999" } } })),
        config: { ...org, requireResourcePerimeter: true }, ids: ["valueOutside"], says: ["\"aws:ResourceAccount\"", "\"999999999999\""],
    },
    {
        name: "requireResourcePerimeter: identity and resource both missing",
        document: fullAccessPolicy, config: { ...org, requireResourcePerimeter: true }, ids: ["identityMissing", "resourceMissing"],
    },
];

describe("vpce-data-perimeter", () => {
    describe("passes", () => expectPasses(vpceDataPerimeter, valid));

    // aws-samples/data-perimeter-policy-examples, vpc_endpoint_policies/*.json as they are (test/fixtures/data-perimeter/SOURCE.json
    // records repo, path and commit): they pass when configured with their organization and the partner accounts they name.
    describe("passes AWS's examples as they are", () => {
        const examples = awsPerimeterExamples();
        it("all ten files of vpc_endpoint_policies/", () => {
            assert.deepStrictEqual(examples.map((e) => e.file).sort(), [
                "cloudformation_endpoint_policy.json", "default_endpoint_policy.json", "ec2_endpoint_policy.json", "ecr.api_endpoint_policy.json",
                "iam_endpoint_policy.json", "imagebuilder_endpoint_policy.json", "iot_endpoint_policy.json", "lambda_endpoint_policy.json",
                "s3_endpoint_policy.json", "ssm_endpoint_policy.json",
            ]);
            const s3 = examples.find((e) => e.file === "s3_endpoint_policy.json");
            const owned = (s3?.document as { Statement: { Sid: string; Resource: string[] }[] }).Statement.find((st) => st.Sid === "AllowRequestsToAWSOwnedResources");
            assert.strictEqual(owned?.Resource.length, 61);
        });
        for (const example of examples) {
            for (const carrier of carriers) {
                it(`${example.file} (${example.commit.slice(0, 7)}) [${carrier}]`, () => {
                    const { type, props } = carry(carrier, example.document);
                    const verdict = vpceDataPerimeter.evaluate(type, props, orgAndPartners);
                    assert.deepStrictEqual(verdict.violations.map((v) => v.message), []);
                    assert.strictEqual(verdict.notApplicable, undefined);
                });
            }
        }
        it("every AWS-owned bucket of the pack's table cites a source", () => {
            for (const bucket of bucketTable.buckets) assert.ok(Object.hasOwn(bucketTable.sources, bucket.source), bucket.bucket);
        });
        it("every one of the 61 AWS-owned bucket ARNs of the S3 example is recognised alone", () => {
            const s3 = examples.find((e) => e.file === "s3_endpoint_policy.json");
            const owned = (s3?.document as { Statement: { Sid: string; Resource: string[] }[] }).Statement.find((st) => st.Sid === "AllowRequestsToAWSOwnedResources");
            const missed = (owned?.Resource ?? []).filter((arn) => {
                const { type, props } = carry("endpoint", policy(allow({ Action: "s3:GetObject", Resource: arn })));
                return vpceDataPerimeter.evaluate(type, props, org).violations.length > 0;
            });
            assert.deepStrictEqual(missed, []);
        });
    });

    describe("reports", () => {
        expectReports(vpceDataPerimeter, invalid);

        it("an example loses its pass when its org is not the configured one", () => {
            const { type, props } = carry("endpoint", perimeterDefaultPolicy);
            const verdict = vpceDataPerimeter.evaluate(type, props, { organizationIds: ["o-zzzzzzzzzz"] });
            assert.deepStrictEqual(verdict.violations.map((v) => v.messageId), ["valueOutside", "valueOutside"]);
        });
    });

    describe("has no verdict", () => {
        const endpoint = (policy: unknown) => ({ policy: typeof policy === "string" ? policy : JSON.stringify(policy) });
        const cases: [string, string, Record<string, unknown>, unknown, RegExp][] = [
            ["not configured (defaults)", ResourceType.vpcEndpoint, endpoint(fullAccessPolicy), undefined, /no perimeter configured: set organizationIds or accountIds/],
            ["configured with empty lists", ResourceType.vpcEndpoint, endpoint(fullAccessPolicy), { organizationIds: [], accountIds: [], requireResourcePerimeter: true }, /no perimeter configured/],
            ["lists of the wrong type fall back to the defaults", ResourceType.vpcEndpoint, endpoint(fullAccessPolicy), { organizationIds: exampleOrgId }, /no perimeter configured/],
            ["an unknown policy (preview)", ResourceType.vpcEndpoint, { policy: UnknownSentinel.string }, org, /not known until the update/],
            ["an unknown standalone policy (preview)", ResourceType.vpcEndpointPolicy, { vpcEndpointId: UnknownSentinel.string, policy: UnknownSentinel.string }, org, /not known/],
            ["an aws-native document with an unknown org ID", ResourceType.nativeVpcEndpoint, { policyDocument: policy(when("StringEquals", "aws:PrincipalOrgID", UnknownSentinel.string)) }, org, /not known/],
            ["text that is not JSON", ResourceType.vpcEndpoint, { policy: "{\"Statement\": [" }, org, /^not valid JSON; see vpce-policy-json$/],
        ];
        for (const [name, type, props, config, reason] of cases) {
            it(name, () => {
                const verdict = vpceDataPerimeter.evaluate(type, props, config);
                assert.deepStrictEqual(verdict.violations, []);
                assert.match(verdict.notApplicable ?? "", reason);
            });
        }
    });

    describe("never throws", () => {
        const odd: unknown[] = [undefined, null, 0, [], { policyDocument: { Statement: [{ Effect: "Allow", Principal: { AWS: [null] }, Condition: { StringEquals: { "aws:PrincipalOrgID": [null, {}, 1] } }, Resource: [1] }] } }, { policyDocument: { Statement: [{ Effect: "Deny", Principal: "*", Action: ["*"], Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalArn": "x" } } }] } }, new Proxy({}, { get() { throw new Error("boom"); } })];
        const configs: unknown[] = [undefined, null, org, { organizationIds: [1, null, exampleOrgId], accountIds: [{}], requireResourcePerimeter: "yes" }];
        for (const type of Object.values(ResourceType)) {
            it(`for odd props and config of ${type}`, () => {
                for (const props of odd) for (const config of configs) assert.doesNotThrow(() => vpceDataPerimeter.evaluate(type, props, config));
            });
        }
    });
});

// Found by the property tests (test/properties): config a library caller passes without the
// engine's validation. A list with one entry the schema refuses falls back to the default, as a
// list of the wrong type does; before, the entry reached the rule (an empty account ID matched
// every principal that names no account).
describe("vpce-data-perimeter: cases found by the property tests", () => {
    const cases: [string, unknown, Record<string, unknown>, RegExp][] = [
        ["an empty account ID in accountIds", policy(allow({ Principal: { AWS: "AIDAEXAMPLEUSERID" } })), { accountIds: [""] }, /no perimeter configured/],
        ["an org ID that is not one", policy(allow({})), { organizationIds: ["not matching!"] }, /no perimeter configured/],
        ["a number among the org IDs", policy(allow({})), { organizationIds: [exampleOrgId, 1] }, /no perimeter configured/],
    ];
    for (const [name, document, config, reason] of cases) {
        it(name, () => {
            const { type, props } = carry("endpoint", document);
            const verdict = vpceDataPerimeter.evaluate(type, props, config);
            assert.deepStrictEqual(verdict.violations, []);
            assert.match(verdict.notApplicable ?? "", reason);
        });
    }
});
