import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ImportJobSchema,
  ImportQuerySchema,
  type ImportJob,
  type ImportKind,
  type ImportQuery,
} from '@liftlab/contracts';
import type { Request } from 'express';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodPipe, ZodQuery } from '../common/zod.pipe';
import { ImportsService } from './imports.service';

const IdParam = new ZodPipe(z.uuid('format_uuid'), ['id']);

const csvBody = (columns: string) =>
  ApiBody({
    description: `CSV file (UTF-8, comma separated, header line first). Columns: ${columns}.`,
    schema: { type: 'string', format: 'binary' },
  });

@ApiTags('imports')
@Controller('v1/imports')
// Uploads also take ingest keys: loading data from another system (`liftlab import`) is server-to-server.
@Roles('marketer')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post('customers')
  @HttpCode(200)
  @KeyScopes('ingest')
  @ApiOperation({ summary: 'Import customers from CSV (create or update by externalId)' })
  @ApiConsumes('text/csv')
  @csvBody(
    'externalId (required), segment, acquisitionDate, acquisitionChannel, plan, country, timezone, trait.<name>',
  )
  @ApiZodResponse(200, ImportJobSchema, 'Import report')
  customers(@CurrentActor() actor: Actor, @Req() req: Request, @ZodQuery(ImportQuerySchema) q: ImportQuery) {
    return this.run(actor, 'customers', req, q);
  }

  @Post('orders')
  @HttpCode(200)
  @KeyScopes('ingest')
  @ApiOperation({ summary: 'Import orders from CSV (idempotent per orderId)' })
  @ApiConsumes('text/csv')
  @csvBody(
    'orderId, customerId, amount, currency, occurredAt (required), revenueStream, experimentKey, variantKey',
  )
  @ApiZodResponse(200, ImportJobSchema, 'Import report')
  orders(@CurrentActor() actor: Actor, @Req() req: Request, @ZodQuery(ImportQuerySchema) q: ImportQuery) {
    return this.run(actor, 'orders', req, q);
  }

  @Post('experiment')
  @HttpCode(200)
  @KeyScopes('ingest')
  @ApiOperation({ summary: 'Import assignments of an experiment run outside Liftlab from CSV' })
  @ApiConsumes('text/csv')
  @csvBody('customerId, experimentKey, variantKey (required), assignedAt')
  @ApiZodResponse(200, ImportJobSchema, 'Import report')
  experiment(@CurrentActor() actor: Actor, @Req() req: Request, @ZodQuery(ImportQuerySchema) q: ImportQuery) {
    return this.run(actor, 'experiment', req, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The report of an import' })
  @ApiZodResponse(200, ImportJobSchema)
  get(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<ImportJob> {
    return this.imports.get(actor, id);
  }

  private run(actor: Actor, kind: ImportKind, req: Request, q: ImportQuery): Promise<ImportJob> {
    return this.imports.run(actor, kind, req, req.headers['content-type'], q.fileName);
  }
}
