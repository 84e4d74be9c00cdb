import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

/** The only place reports read the database directly: who receives the digest. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** E-mail addresses of the workspace's active executives. */
  async executiveEmails(workspaceId: string): Promise<string[]> {
    const rows = await this.prisma.user.findMany({
      where: { workspaceId, role: 'executive', disabledAt: null },
      select: { email: true },
      orderBy: { email: 'asc' },
    });
    return rows.map((r) => r.email);
  }

  async workspaceIds(): Promise<string[]> {
    const rows = await this.prisma.workspace.findMany({
      select: { id: true },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => r.id);
  }
}
