import { Controller, Delete, Get, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiKey,
  ApiKeyList,
  ApiKeyListSchema,
  ApiKeySchema,
  CreateApiKeyRequest,
  CreateApiKeyRequestSchema,
  CreateApiKeyResponse,
  CreateApiKeyResponseSchema,
} from '@liftlab/contracts';
import { IdParam } from '../common/id-param';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody } from '../common/zod.pipe';
import type { Actor } from './actor';
import { ApiKeysService } from './api-keys.service';
import { CurrentActor } from './decorators';

/** Admin only (no @Roles). */
@ApiTags('api-keys')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: 'API keys of the workspace (prefix only, never the key)' })
  @ApiZodResponse(200, ApiKeyListSchema)
  async list(@CurrentActor() actor: Actor): Promise<ApiKeyList> {
    return { items: await this.keys.list(actor) };
  }

  @Post()
  @ApiOperation({
    summary: 'Create an API key (scope ingest or read); the full key is in this response only',
  })
  @ApiZodResponse(201, CreateApiKeyResponseSchema, 'Created')
  create(
    @CurrentActor() actor: Actor,
    @ZodBody(CreateApiKeyRequestSchema) body: CreateApiKeyRequest,
  ): Promise<CreateApiKeyResponse> {
    return this.keys.create(actor, body);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiZodResponse(200, ApiKeySchema)
  revoke(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<ApiKey> {
    return this.keys.revoke(actor, id);
  }
}
