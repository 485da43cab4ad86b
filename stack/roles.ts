// The roles a resource can play for the stack rules, by Pulumi type token. A resource of any other
// type is never read by a stack rule: the graph indexes it by URN only, and the inputs memory does
// not keep its inputs.

export type Role = "endpoint" | "endpointPolicy" | "securityGroup" | "securityGroupRule" | "securityGroupAssociation" | "vpc" | "vpcCidrBlock";

export const roleTypes: Readonly<Record<Role, readonly string[]>> = {
    endpoint: ["aws:ec2/vpcEndpoint:VpcEndpoint", "aws-native:ec2:VpcEndpoint"],
    endpointPolicy: ["aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"],
    securityGroup: ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "aws-native:ec2:SecurityGroup"],
    securityGroupRule: [
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "aws-native:ec2:SecurityGroupIngress",
        "aws-native:ec2:SecurityGroupEgress",
    ],
    securityGroupAssociation: ["aws:ec2/securityGroupAssociation:SecurityGroupAssociation"],
    vpc: ["aws:ec2/vpc:Vpc", "aws-native:ec2:Vpc"],
    /** A VPC's secondary CIDR block. */
    vpcCidrBlock: ["aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation", "aws-native:ec2:VpcCidrBlock"],
};

const roleOfType = new Map<string, Role>(
    (Object.entries(roleTypes) as [Role, readonly string[]][]).flatMap(([role, types]) => types.map((t) => [t, role] as const)),
);

export function roleOf(type: string): Role | undefined {
    return roleOfType.get(type);
}
