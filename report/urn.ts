// Reading a Pulumi URN for display: `urn:pulumi:<stack>::<project>::<parent types$type>::<name>`.

/** The resource's own type (the last of a child's qualified type) and its name. */
export function describeUrn(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4) return { type: "", name: urn || "(stack)" };
    const typePath = parts[2].split("$");
    return { type: typePath[typePath.length - 1], name: parts.slice(3).join("::") };
}
