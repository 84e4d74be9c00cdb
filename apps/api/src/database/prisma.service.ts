import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client';
import { createDatabaseAdapter, type DatabaseAdapter, type DatabaseTarget } from './adapters';
import { applyMigrations, migrationStatus, type MigrationStatus } from './migrator';

export interface PrismaServiceOptions {
  /** Apply pending migrations when the module starts (the server does; migrated test databases do not). */
  migrateOnStart: boolean;
}

/**
 * The application's PrismaClient (inject `PrismaService` and use it like a PrismaClient; repositories are the
 * only place that does). It owns the database connection: PostgreSQL or the embedded PGlite database.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Database');
  private closed = false;

  constructor(
    readonly database: DatabaseAdapter,
    private readonly options: PrismaServiceOptions = { migrateOnStart: true },
  ) {
    super({ adapter: database.client });
  }

  static fromConfig(target: DatabaseTarget, options?: PrismaServiceOptions): PrismaService {
    return new PrismaService(createDatabaseAdapter(target), options);
  }

  async onModuleInit(): Promise<void> {
    if (!this.options.migrateOnStart) return;
    const applied = await applyMigrations(this.database.migrations);
    for (const name of applied) this.logger.log(`applied migration ${name}`);
    this.logger.log(`${this.database.provider} database at ${this.database.location} is migrated`);
  }

  /** Which migrations on disk are applied; for the health check. */
  migrationStatus(): Promise<MigrationStatus> {
    return migrationStatus(this);
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /** Disconnects and closes an embedded database; safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.$disconnect();
    await this.database.close();
  }
}
