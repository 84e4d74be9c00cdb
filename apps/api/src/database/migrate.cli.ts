/**
 * `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL, or the embedded
 * PGlite database under DATA_DIR). The api does the same at start; this is for deployments that migrate first.
 */
import { loadConfig } from '../config/config';
import { createDatabaseAdapter } from './adapters';
import { applyMigrations, migrationStatus } from './migrator';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDatabaseAdapter(config);
  try {
    const applied = await applyMigrations(db.migrations);
    const adapter = await db.migrations.connect();
    const status = await migrationStatus(adapter).finally(() => adapter.dispose());
    for (const name of applied) console.log(`applied ${name}`);
    console.log(
      `${db.provider} ${db.location}: ${status.applied.length} migrations applied, ${status.pending.length} pending` +
        (applied.length === 0 ? ' (nothing to do)' : ''),
    );
    if (status.state !== 'current') process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
