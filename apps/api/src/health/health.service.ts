import { Injectable, Logger } from '@nestjs/common';
import type { Health } from '@liftlab/contracts';
import { PrismaService } from '../database/prisma.service';

@Injectable()
export class HealthService {
  private readonly logger = new Logger('Health');

  constructor(private readonly prisma: PrismaService) {}

  async check(): Promise<Health> {
    try {
      await this.prisma.$queryRawUnsafe('SELECT 1');
    } catch (err) {
      this.logger.warn({ err }, 'database unreachable');
      return { status: 'degraded', database: 'down', migrations: 'unknown' };
    }
    try {
      const status = await this.prisma.migrationStatus();
      const current = status.state === 'current' && status.failed.length === 0;
      return {
        status: current ? 'ok' : 'degraded',
        database: 'up',
        migrations: current ? 'current' : 'pending',
      };
    } catch (err) {
      this.logger.warn({ err }, 'migration status unavailable');
      return { status: 'degraded', database: 'up', migrations: 'unknown' };
    }
  }
}
