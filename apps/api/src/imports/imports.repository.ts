import { Injectable } from '@nestjs/common';
import type { ImportKind, ImportRowError, ImportStatus } from '@liftlab/contracts';
import { PrismaService } from '../database/prisma.service';
import { uuidv7 } from '../database/ids';
import type { ImportJob as ImportJobRecord } from '../generated/prisma/client';

export type { ImportJobRecord };

export interface AssignmentImportRow {
  externalId: string;
  experimentId: string;
  variantId: string;
  assignedAt: string;
}

/** The only place import jobs and imported assignments touch the database. */
@Injectable()
export class ImportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  createJob(
    workspaceId: string,
    kind: ImportKind,
    fileName: string | null,
    now: Date,
  ): Promise<ImportJobRecord> {
    return this.prisma.importJob.create({
      data: { workspaceId, kind, fileName, status: 'running', createdAt: now },
    });
  }

  finishJob(
    id: string,
    result: {
      status: ImportStatus;
      total: number;
      accepted: number;
      rejected: number;
      errors: ImportRowError[];
    },
    now: Date,
  ): Promise<ImportJobRecord> {
    return this.prisma.importJob.update({
      where: { id },
      data: { ...result, errors: result.errors as unknown as object[], finishedAt: now },
    });
  }

  findJob(workspaceId: string, id: string): Promise<ImportJobRecord | null> {
    return this.prisma.importJob.findFirst({ where: { id, workspaceId } });
  }

  /**
   * Stores imported assignments (source `import`) in one statement; a customer already assigned in that
   * experiment keeps the stored assignment. Returns the variant each (customer, experiment) pair now has.
   */
  async insertAssignments(
    workspaceId: string,
    rows: AssignmentImportRow[],
    now: Date,
  ): Promise<Map<string, string>> {
    if (rows.length === 0) return new Map();
    const input = JSON.stringify(rows.map((r) => ({ ...r, id: uuidv7(now.getTime()) })));
    await this.prisma.$executeRaw`
      INSERT INTO assignments (id, workspace_id, experiment_id, customer_id, variant_id, assigned_at, source)
      SELECT r.id, ${workspaceId}::uuid, r."experimentId", c.id, r."variantId", r."assignedAt", 'import'
        FROM jsonb_to_recordset(${input}::jsonb) AS r(id uuid, "externalId" text, "experimentId" uuid,
                                                      "variantId" uuid, "assignedAt" timestamptz)
        JOIN customers c ON c.workspace_id = ${workspaceId}::uuid AND c.external_id = r."externalId"
      ON CONFLICT (experiment_id, customer_id) DO NOTHING`;
    const current = await this.prisma.$queryRaw<
      { external_id: string; experiment_id: string; variant_id: string }[]
    >`
      SELECT DISTINCT c.external_id, a.experiment_id::text, a.variant_id::text
        FROM jsonb_to_recordset(${input}::jsonb) AS r("externalId" text, "experimentId" uuid)
        JOIN customers c ON c.workspace_id = ${workspaceId}::uuid AND c.external_id = r."externalId"
        JOIN assignments a ON a.customer_id = c.id AND a.experiment_id = r."experimentId"`;
    return new Map(current.map((r) => [assignmentKey(r.external_id, r.experiment_id), r.variant_id]));
  }
}

export function assignmentKey(externalId: string, experimentId: string): string {
  return `${experimentId}\u0000${externalId}`;
}
