// vpce-interface-security-groups: every Interface endpoint names its own security groups, none of
// them the VPC's default group, and none both inline and in an association (SPEC rule 11).

import { quote, truncate } from "../iam/policy-document";
import { allReferences, defaultGroupIn, endpointGroups, keepsDefaultGroup, type GroupReference } from "../network/security-group-links";
import { stackPolicy } from "../framework/stack-rule";
import type { StackNode } from "../stack/stack-graph";
import { describeEndpoint, vpcEndpoints } from "../stack/vpc-endpoint";

const messages = {
    noGroups: "This {{endpoint}} names no security group (`securityGroupIds` is not set and no SecurityGroupAssociation links one), so AWS attaches the VPC's default security group. Create a security group for the endpoint that admits the service port from the VPC's workloads, and list it in `securityGroupIds`.",
    defaultGroup: "This {{endpoint}} uses {{group}} through {{where}}. The default group is shared by everything in the VPC that names no group of its own, so the endpoint's access follows whatever else uses it. Give the endpoint a security group of its own instead.",
    defaultKept: "This {{endpoint}} is created without `securityGroupIds`, so AWS attaches the VPC's default security group, and no SecurityGroupAssociation of it ({{associations}}) sets `replaceDefaultAssociation: true`: the default group stays attached beside the associated groups. Set `replaceDefaultAssociation: true` on one association, or list the groups in the endpoint's `securityGroupIds`.",
    both: "Security group {{group}} is attached to this {{endpoint}} both in `securityGroupIds` and by SecurityGroupAssociation {{association}}; the aws provider then shows a perpetual difference. Keep only one of the two.",
};

export const vpceInterfaceSecurityGroups = stackPolicy<typeof messages, Record<string, never>>({
    meta: {
        name: "vpce-interface-security-groups",
        displayName: "Interface endpoints have their own security groups",
        description: "Every Interface VPC endpoint names its security groups (securityGroupIds, or a linked SecurityGroupAssociation) instead of falling back to the VPC's default security group; an endpoint created without securityGroupIds keeps the default group beside its associations unless one sets replaceDefaultAssociation: true; none of its groups is the VPC's default group; and no group is both in securityGroupIds and in an association.",
        enforcementLevel: "advisory",
        severity: "medium",
        remediationSteps: "Create an aws.ec2.SecurityGroup for the endpoint in the endpoint's VPC with an ingress rule for the service port (TCP 443; 9142 for Amazon Keyspaces) from the workloads that use it, and set the endpoint's `securityGroupIds` to it (or attach it with an aws.ec2.SecurityGroupAssociation that sets `replaceDefaultAssociation: true`, which removes the default group AWS attached when the endpoint was created without groups). Do not use the VPC's default group (aws.ec2.DefaultSecurityGroup or `vpc.defaultSecurityGroupId`), and attach each group either in `securityGroupIds` or with an aws.ec2.SecurityGroupAssociation, not both.",
        configProperties: {},
    },
    messages,
    check(graph, _config, findings) {
        const endpoints = vpcEndpoints(graph).filter((v) => v.type === "Interface");
        if (endpoints.length === 0) return "the stack has no Interface endpoints";
        for (const view of endpoints) {
            const endpoint = describeEndpoint(view);
            const groups = endpointGroups(graph, view.node);
            const named = groups.inline.resolution.kind !== "absent" || groups.associations.length > 0 || groups.associationsUncertain;
            if (!named) {
                findings.report(view.node.urn, "noGroups", { endpoint });
                continue;
            }
            let namesDefault = false;
            for (const ref of allReferences(groups)) {
                const group = defaultGroupIn(graph, ref);
                if (group === undefined) continue;
                namesDefault = true;
                findings.report(view.node.urn, "defaultGroup", { endpoint, group, where: whereNamed(ref, view.node) });
            }
            // An association that names the default group itself is already reported above.
            if (!namesDefault && keepsDefaultGroup(groups) === true) {
                findings.report(view.node.urn, "defaultKept", { endpoint, associations: associationNames(groups.associations) });
            }
            // AWS's read-back lists the associations' groups too: only a list the user wrote can double one.
            if (groups.inlineIsReadBack) continue;
            for (const association of groups.associations) {
                for (const group of sharedGroups(groups.inline, association)) {
                    findings.report(view.node.urn, "both", { endpoint, group, association: quote(association.holder.name) });
                }
            }
        }
        return undefined;
    },
});

function associationNames(associations: readonly GroupReference[]): string {
    const names = associations.slice(0, 3).map((a) => quote(a.holder.name)).join(", ");
    return associations.length > 3 ? `${names} and ${associations.length - 3} more` : names;
}

function whereNamed(ref: GroupReference, endpoint: StackNode): string {
    return ref.holder === endpoint ? "`securityGroupIds`" : `SecurityGroupAssociation ${quote(ref.holder.name)}`;
}

/** Groups (by stack resource or known ID) that both references name. */
function sharedGroups(a: GroupReference, b: GroupReference): string[] {
    const shared: string[] = [];
    for (const n of b.resolution.linked) if (a.resolution.linked.includes(n)) shared.push(quote(n.name));
    for (const id of b.resolution.external) if (a.resolution.external.includes(id)) shared.push(truncate(id));
    return shared;
}
