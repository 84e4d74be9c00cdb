import { Inject, Injectable } from '@nestjs/common';
import type { ApiKey, CreateApiKeyRequest, CreateApiKeyResponse } from '@liftlab/contracts';
import { AuditService } from '../audit/audit.service';
import { CLOCK, Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import type { Actor } from './actor';
import { AuthRepository } from './auth.repository';
import { apiKeyHash, apiKeyPrefix, newApiKey } from './tokens';
import { toApiKeyView } from './views';

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly repo: AuthRepository,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor): Promise<ApiKey[]> {
    return (await this.repo.listApiKeys(actor.workspaceId)).map(toApiKeyView);
  }

  /** The full key is returned here and never again: only its SHA-256 and first characters are stored. */
  async create(actor: Actor, input: CreateApiKeyRequest): Promise<CreateApiKeyResponse> {
    const key = newApiKey(input.scope);
    const row = await this.repo.createApiKey({
      workspaceId: actor.workspaceId,
      name: input.name,
      scope: input.scope,
      prefix: apiKeyPrefix(key),
      hash: apiKeyHash(key),
      createdAt: this.clock.now(),
    });
    const view = toApiKeyView(row);
    await this.audit.record(actor, 'api_key.create', { type: 'api_key', id: row.id }, undefined, view);
    return { apiKey: view, key };
  }

  /** Revoking is permanent and idempotent; the row stays for the audit trail. */
  async revoke(actor: Actor, id: string): Promise<ApiKey> {
    const row = await this.repo.findApiKey(actor.workspaceId, id);
    if (!row) throw DomainError.notFound('API key', id);
    if (row.revokedAt) return toApiKeyView(row);
    const revoked = await this.repo.revokeApiKey(row.id, this.clock.now());
    const view = toApiKeyView(revoked);
    await this.audit.record(
      actor,
      'api_key.revoke',
      { type: 'api_key', id: row.id },
      toApiKeyView(row),
      view,
    );
    return view;
  }
}
