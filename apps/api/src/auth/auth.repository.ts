import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { PrismaService } from '../database/prisma.service';
import type { ApiKey, Session, User } from '../generated/prisma/client';
import type { KeyScope, Role } from './actor';

export type { ApiKey, Session, User };
export type SessionWithUser = Session & { user: User };

/** The only place the auth module talks to the database. */
@Injectable()
export class AuthRepository {
  constructor(private readonly prisma: PrismaService) {}

  // ---------------------------------------------------------------- users

  findUserByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email } });
  }

  findUser(workspaceId: string, id: string): Promise<User | null> {
    return this.prisma.user.findFirst({ where: { id, workspaceId } });
  }

  listUsers(workspaceId: string): Promise<User[]> {
    return this.prisma.user.findMany({
      where: { workspaceId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  countUsers(): Promise<number> {
    return this.prisma.user.count();
  }

  countActiveAdmins(workspaceId: string): Promise<number> {
    return this.prisma.user.count({ where: { workspaceId, role: 'admin', disabledAt: null } });
  }

  createUser(data: {
    workspaceId: string;
    email: string;
    name: string;
    role: Role;
    passwordHash: string;
    createdAt: Date;
  }): Promise<User> {
    return this.prisma.user.create({ data });
  }

  updateUser(
    id: string,
    data: { name?: string; role?: Role; passwordHash?: string; disabledAt?: Date | null },
  ): Promise<User> {
    return this.prisma.user.update({ where: { id }, data });
  }

  // ---------------------------------------------------------------- sessions

  createSession(data: { id: string; userId: string; createdAt: Date; expiresAt: Date }): Promise<Session> {
    return this.prisma.session.create({ data: { ...data, lastSeenAt: data.createdAt } });
  }

  findSession(id: string): Promise<SessionWithUser | null> {
    return this.prisma.session.findUnique({ where: { id }, include: { user: true } });
  }

  async touchSession(id: string, at: Date): Promise<void> {
    await this.prisma.session.updateMany({ where: { id }, data: { lastSeenAt: at } });
  }

  async deleteSession(id: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id } });
  }

  async deleteUserSessions(userId: string, exceptId?: string): Promise<void> {
    await this.prisma.session.deleteMany({
      where: { userId, ...(exceptId ? { id: { not: exceptId } } : {}) },
    });
  }

  async deleteExpiredSessions(userId: string, now: Date): Promise<void> {
    await this.prisma.session.deleteMany({ where: { userId, expiresAt: { lte: now } } });
  }

  // ---------------------------------------------------------------- api keys

  createApiKey(data: {
    workspaceId: string;
    name: string;
    prefix: string;
    hash: string;
    scope: KeyScope;
    createdAt: Date;
  }): Promise<ApiKey> {
    return this.prisma.apiKey.create({ data });
  }

  findApiKeyByHash(hash: string): Promise<ApiKey | null> {
    return this.prisma.apiKey.findUnique({ where: { hash } });
  }

  findApiKey(workspaceId: string, id: string): Promise<ApiKey | null> {
    return this.prisma.apiKey.findFirst({ where: { id, workspaceId } });
  }

  listApiKeys(workspaceId: string): Promise<ApiKey[]> {
    return this.prisma.apiKey.findMany({
      where: { workspaceId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  revokeApiKey(id: string, at: Date): Promise<ApiKey> {
    return this.prisma.apiKey.update({ where: { id }, data: { revokedAt: at } });
  }

  async touchApiKey(id: string, at: Date): Promise<void> {
    await this.prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
  }

  // ---------------------------------------------------------------- workspace (first run)

  /** The oldest workspace, or a new one when the database has none yet. */
  async firstWorkspaceId(): Promise<string> {
    const existing = await this.prisma.workspace.findFirst({
      orderBy: { createdAt: 'asc' },
      select: { id: true },
    });
    if (existing) return existing.id;
    const created = await this.prisma.workspace.create({
      data: { name: 'Liftlab', globalHoldoutSeed: randomBytes(8).toString('hex') },
      select: { id: true },
    });
    return created.id;
  }
}
