// The resource name at the end of a Pulumi URN (`urn:pulumi:<stack>::<project>::<types>::<name>`),
// read as the engine reads it: everything after the third `::`, so a name may itself hold `::`.

export function nameOfUrn(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts.slice(3).join("::") : parts[parts.length - 1];
}
