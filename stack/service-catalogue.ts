// The endpoint service catalogue: what a VPC endpoint service name says (the service, its Region,
// whether it is a customer or partner endpoint service), which IAM service prefixes make sense in
// that endpoint's policy, whether the service is known to take an endpoint policy, and the port
// an interface endpoint listens on. Facts from AWS-FACTS.md; config overrides are suffix lists.

import { iamPrefixKnown } from "../iam/actions";
import crossServiceTable from "./data/cross-service-actions.json";
import portTable from "./data/interface-ports.json";

export interface ServiceName {
    /** The name as given. */
    name: string;
    /**
     * What identifies the service, lower case, `-fips` removed from every label:
     * `s3`, `ecr.dkr`, `s3-global.accesspoint`, `notebook`; for a customer service its `vpce-svc-…` ID.
     */
    suffix: string;
    /** Absent for global names (`com.amazonaws.iam`). */
    region?: string;
    /** A customer or partner endpoint service (`com.amazonaws.vpce.<region>.vpce-svc-…`). */
    customer: boolean;
    /** The name asked for a FIPS endpoint (`kms-fips`, `iot-fips.data`). */
    fips: boolean;
}

// Longest first: `cn.com.amazonaws.` before `com.amazonaws.`.
const namePrefixes = ["gov.sgov.sc2s.", "cn.com.amazonaws.", "aws.sagemaker.", "gov.ic.c2s.", "com.amazonaws.", "aws.api."];
const regionPattern = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const labelPattern = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const customerServicePattern = /^vpce-svc-[0-9a-z]+$/;

/** Reads an endpoint service name; undefined for anything that is not one of AWS's forms. */
export function parseServiceName(name: unknown): ServiceName | undefined {
    if (typeof name !== "string" || name.length > 255) return undefined;
    const lower = name.trim().toLowerCase();
    const prefix = namePrefixes.find((p) => lower.startsWith(p));
    if (prefix === undefined) return undefined;
    const labels = lower.slice(prefix.length).split(".");
    if (labels.length === 0 || !labels.every((l) => labelPattern.test(l))) return undefined;

    if (labels[0] === "vpce" && labels.length === 3 && regionPattern.test(labels[1]) && customerServicePattern.test(labels[2])) {
        return { name, suffix: labels[2], region: labels[1], customer: true, fips: false };
    }
    let region: string | undefined;
    if (regionPattern.test(labels[0])) {
        region = labels.shift();
        if (labels.length === 0) return undefined;
    }
    const fips = labels.some((l) => l.endsWith("-fips"));
    const suffix = labels.map((l) => (l.endsWith("-fips") ? l.slice(0, -"-fips".length) : l)).join(".");
    if (suffix === "" || suffix.startsWith(".") || suffix.includes("..")) return undefined;
    return { name, suffix, ...(region === undefined ? {} : { region }), customer: false, fips };
}

/** Region prefixes of the partitions other than `aws`, longest first. */
const regionPartitions: readonly [string, string][] = [
    ["us-isob-", "aws-iso-b"], ["us-isof-", "aws-iso-f"], ["eu-isoe-", "aws-iso-e"], ["us-iso-", "aws-iso"], ["us-gov-", "aws-us-gov"], ["cn-", "aws-cn"],
];

/** The ARN partition of an AWS service's endpoint (`aws`, `aws-cn`, `aws-us-gov`, …), from its Region or name. */
export function partitionOf(service: ServiceName): string {
    const lower = service.name.trim().toLowerCase();
    if (lower.startsWith("cn.com.amazonaws.")) return "aws-cn";
    if (lower.startsWith("gov.ic.c2s.")) return "aws-iso";
    if (lower.startsWith("gov.sgov.sc2s.")) return "aws-iso-b";
    const region = service.region ?? "";
    return regionPartitions.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

/**
 * What a key of a config map keyed by service may look like (a suffix such as `ecr.dkr`, a full
 * name, a `vpce-svc-…` ID): such maps use it as `patternProperties` with `additionalProperties:
 * false`, so the engine refuses a key that cannot name a service.
 */
export const serviceKeyPattern = "^[A-Za-z0-9][A-Za-z0-9.-]*$";

/** A config suffix as the catalogue compares it: lower case, without `-fips`. */
export function normaliseSuffix(suffix: string): string {
    return suffix.trim().toLowerCase().split(".").map((l) => (l.endsWith("-fips") ? l.slice(0, -"-fips".length) : l)).join(".");
}

/** True when `suffix` is in a config list of suffixes (compared normalised). */
export function suffixListed(suffix: string, list: readonly unknown[] | undefined): boolean {
    if (!Array.isArray(list)) return false;
    return list.some((entry) => typeof entry === "string" && normaliseSuffix(entry) === suffix);
}

/** Suffix → IAM prefixes, where the prefix is not simply the suffix's first label. */
const prefixTable: Readonly<Record<string, readonly string[]>> = {
    "s3": ["s3"],
    "s3-global.accesspoint": ["s3"],
    "dynamodb": ["dynamodb"],
    "dynamodb-streams": ["dynamodb"],
    "ecr.api": ["ecr"],
    "ecr.dkr": ["ecr"],
    "monitoring": ["cloudwatch"],
    "kinesis-streams": ["kinesis"],
    "kinesis-firehose": ["firehose"],
    "sagemaker.api": ["sagemaker"],
    "sagemaker.runtime": ["sagemaker"],
    "sagemaker.featurestore-runtime": ["sagemaker"],
    "sagemaker.metrics": ["sagemaker"],
    "notebook": ["sagemaker"],
    "studio": ["sagemaker"],
    "codecommit": ["codecommit"],
    "git-codecommit": ["codecommit"],
    "execute-api": ["execute-api"],
    "apigateway": ["apigateway"],
    "states": ["states"],
    "sync-states": ["states"],
    "email-smtp": ["ses"],
    "cloudcontrolapi": ["cloudformation"],
    "appconfigdata": ["appconfig"],
    "bedrock-runtime": ["bedrock"],
    "bedrock-agent": ["bedrock"],
    "bedrock-agent-runtime": ["bedrock"],
    "transcribestreaming": ["transcribe"],
    "streaming-rekognition": ["rekognition"],
    "iot.data": ["iot"],
    "iot.credentials": ["iot"],
    // ECS vpc-endpoints.html: "The ecs-agent endpoint uses the ecs:poll API, and the ecs-telemetry
    // endpoint uses the ecs:poll and ecs:StartTelemetrySession API".
    "ecs-agent": ["ecs"],
    "ecs-telemetry": ["ecs"],
    "airflow.api": ["airflow"],
    "airflow.env": ["airflow"],
    "airflow.ops": ["airflow"],
};

/** The table's prefixes for a suffix, without asking the IAM catalogue; undefined when not in the table. */
export function tablePrefixes(suffix: string): readonly string[] | undefined {
    return Object.hasOwn(prefixTable, suffix) ? prefixTable[suffix] : undefined;
}

/**
 * The IAM service prefixes (lower case) whose actions make sense in this endpoint's policy: the
 * table's, else the suffix's first label when the IAM catalogue knows it, plus config
 * `extraPrefixes[suffix]`. Empty for customer services and services the catalogue cannot place.
 */
export async function iamPrefixesFor(service: ServiceName, extraPrefixes?: Readonly<Record<string, unknown>>): Promise<string[]> {
    const prefixes = new Set<string>();
    if (!service.customer) {
        const fromTable = tablePrefixes(service.suffix);
        if (fromTable !== undefined) {
            for (const p of fromTable) prefixes.add(p);
        } else {
            const first = service.suffix.split(".")[0];
            if (await iamPrefixKnown(first)) prefixes.add(first);
        }
    }
    for (const [suffix, extra] of Object.entries(extraPrefixes ?? {})) {
        if (normaliseSuffix(suffix) !== service.suffix || !Array.isArray(extra)) continue;
        for (const p of extra) if (typeof p === "string" && p.trim() !== "") prefixes.add(p.trim().toLowerCase());
    }
    return [...prefixes];
}

/** One documented cross-service entry: actions of another service that pass through this service's endpoint. */
export interface CrossServiceActions {
    suffix: string;
    actions: readonly string[];
    /** The AWS page that shows them in this endpoint's policy. */
    source: string;
}

const crossServiceEntries: readonly CrossServiceActions[] = crossServiceTable.entries;

/**
 * Actions of other services that AWS's endpoint-policy examples for this service include (e.g.
 * CodeArtifact's `sts:GetServiceBearerToken`), from stack/data/cross-service-actions.json.
 */
export function crossServiceActions(service: ServiceName): readonly CrossServiceActions[] {
    return service.customer ? [] : crossServiceEntries.filter((e) => e.suffix === service.suffix);
}

/** Suffixes of services known to take endpoint policies (AWS-FACTS.md). */
export const knownSupportedServices: readonly string[] = [
    "execute-api", "application-autoscaling", "autoscaling-plans", "monitoring", "events", "logs", "codebuild",
    "codecommit", "git-codecommit", "autoscaling", "elasticfilesystem", "elasticloadbalancing", "ecr.api", "ecr.dkr",
    "elasticmapreduce", "kinesis-firehose", "kinesis-streams", "rekognition", "sagemaker.api", "sagemaker.runtime",
    "notebook", "secretsmanager", "sts", "sns", "sqs", "states", "s3", "dynamodb", "athena", "rds", "rds-data",
    "redshift", "acm-pca", "clouddirectory", "codeartifact.api", "codeartifact.repositories", "codedeploy",
    "comprehend", "dataexchange", "ec2", "imagebuilder", "elasticbeanstalk", "frauddetector", "kendra", "kms",
    "cassandra", "lambda", "license-manager", "qldb.session", "transcribe", "cloudformation", "ssm",
];

/** Suffixes of services documented not to take endpoint policies (AWS-FACTS.md). */
export const knownUnsupportedServices: readonly string[] = [
    "appmesh-envoy-management", "apprunner.requests", "appstream.api", "appstream.streaming", "awsconnector",
    "transfer.server", "email-smtp",
    // AWS IoT Core, "Using AWS IoT Core with interface VPC endpoints", Limitations: "VPC endpoint
    // policies are not supported" for the data plane and the credential provider
    // (https://docs.aws.amazon.com/iot/latest/developerguide/IoTCore-VPC.html).
    "iot.data", "iot.credentials",
];

/**
 * FIPS endpoints documented not to take endpoint policies, by suffix: "VPC endpoint policies aren't
 * supported for Federal Information Processing Standard (FIPS) SageMaker AI runtime endpoints"
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html).
 */
const fipsUnsupportedServices: readonly string[] = ["sagemaker.runtime"];

/**
 * Interface endpoints documented not to support private DNS names: AWS IoT Core's data plane and
 * credential provider ("Neither … supports private DNS names yet"; they need a private hosted zone,
 * https://docs.aws.amazon.com/iot/latest/developerguide/IoTCore-VPC.html).
 */
const noPrivateDnsServices: readonly string[] = ["iot.data", "iot.credentials"];

/** Whether AWS lets this Interface endpoint turn private DNS on (false only where AWS documents it). */
export function privateDnsSupported(service: ServiceName): boolean {
    return service.customer || !noPrivateDnsServices.includes(service.suffix);
}

export type PolicySupport = "supported" | "unsupported" | "unknown";

export interface PolicySupportOverrides {
    supportedServices?: readonly unknown[];
    unsupportedServices?: readonly unknown[];
}

/**
 * Whether an AWS service takes an endpoint policy: config first (a suffix in both lists counts as
 * supported, the claim that blocks nothing), then the built-in lists, else unknown. Customer
 * services are not in this catalogue: they take only the full-access policy.
 */
export function policySupport(service: ServiceName, overrides: PolicySupportOverrides = {}): PolicySupport {
    if (service.customer) return "unknown";
    if (suffixListed(service.suffix, overrides.supportedServices)) return "supported";
    if (suffixListed(service.suffix, overrides.unsupportedServices)) return "unsupported";
    if (service.fips && fipsUnsupportedServices.includes(service.suffix)) return "unsupported";
    if (knownSupportedServices.includes(service.suffix)) return "supported";
    if (knownUnsupportedServices.includes(service.suffix)) return "unsupported";
    return "unknown";
}

/** The ports an interface endpoint must admit: all of them, or (`anyOne`) any one. */
export interface PortRequirement {
    ports: number[];
    anyOne: boolean;
    /** Where AWS documents them; undefined for config ports. */
    source?: string;
}

const portEntries: readonly { suffix: string; ports: readonly number[]; anyOne: boolean; source: string }[] = portTable.entries;
export const defaultInterfacePorts: readonly number[] = portTable.default.ports;

/**
 * What an interface endpoint to `service` must admit: config `ports[suffix]` first (every port
 * listed), else the port table (stack/data/interface-ports.json: SES SMTP on any of 25, 465, 587,
 * 2465, 2587; Keyspaces 9142; …), else HTTPS 443. Undefined for a customer service without config
 * (its NLB listener decides).
 */
export function interfacePortRequirement(service: ServiceName, overrides?: Readonly<Record<string, unknown>>): PortRequirement | undefined {
    for (const [suffix, ports] of Object.entries(overrides ?? {})) {
        const key = normaliseSuffix(suffix);
        if (key !== service.suffix && key !== service.name.toLowerCase()) continue;
        const list = (Array.isArray(ports) ? ports : [ports]).filter((p): p is number => Number.isInteger(p) && p >= 0 && p <= 65535);
        if (list.length > 0) return { ports: list, anyOne: false };
    }
    if (service.customer) return undefined;
    const entry = portEntries.find((e) => e.suffix === service.suffix);
    return entry === undefined
        ? { ports: [...defaultInterfacePorts], anyOne: false, source: portTable.default.source }
        : { ports: [...entry.ports], anyOne: entry.anyOne, source: entry.source };
}

/** The ports of `interfacePortRequirement`. */
export function interfacePorts(service: ServiceName, overrides?: Readonly<Record<string, unknown>>): number[] | undefined {
    return interfacePortRequirement(service, overrides)?.ports;
}
