"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm run db:diff -- --name <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql with the
 * changes in prisma/schema.prisma that the existing migrations do not cover yet. Needs no database.
 */
const node_util_1 = require("node:util");
const migrator_1 = require("./migrator");
async function main() {
    const { values } = (0, node_util_1.parseArgs)({ options: { name: { type: 'string', short: 'n' } } });
    if (!values.name) {
        console.error('usage: npm run db:diff -- --name <migration_name>');
        process.exitCode = 2;
        return;
    }
    const created = await (0, migrator_1.createMigration)(values.name);
    if (created === null)
        console.log('schema.prisma matches the migrations; nothing to write.');
    else
        console.log(`wrote ${created.dir}/migration.sql`);
}
main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
});
//# sourceMappingURL=diff.cli.js.map