import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLogPage, AuditLogPageSchema, AuditLogQuery, AuditLogQuerySchema } from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodQuery } from '../common/zod.pipe';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('v1/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('marketer')
  @ApiOperation({ summary: 'Audit trail, newest first; filter by entity' })
  @ApiZodResponse(200, AuditLogPageSchema)
  list(
    @CurrentActor() actor: Actor,
    @ZodQuery(AuditLogQuerySchema) query: AuditLogQuery,
  ): Promise<AuditLogPage> {
    return this.audit.list(actor.workspaceId, query);
  }
}
