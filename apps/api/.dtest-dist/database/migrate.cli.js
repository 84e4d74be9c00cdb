"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL, or the embedded
 * PGlite database under DATA_DIR). The api does the same at start; this is for deployments that migrate first.
 */
const config_1 = require("../config/config");
const adapters_1 = require("./adapters");
const migrator_1 = require("./migrator");
async function main() {
    const config = (0, config_1.loadConfig)();
    const db = (0, adapters_1.createDatabaseAdapter)(config);
    try {
        const applied = await (0, migrator_1.applyMigrations)(db.migrations);
        const adapter = await db.migrations.connect();
        const status = await (0, migrator_1.migrationStatus)(adapter).finally(() => adapter.dispose());
        for (const name of applied)
            console.log(`applied ${name}`);
        console.log(`${db.provider} ${db.location}: ${status.applied.length} migrations applied, ${status.pending.length} pending` +
            (applied.length === 0 ? ' (nothing to do)' : ''));
        if (status.state !== 'current')
            process.exitCode = 1;
    }
    finally {
        await db.close();
    }
}
main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
});
//# sourceMappingURL=migrate.cli.js.map