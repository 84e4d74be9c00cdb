import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  DEFAULT_OUTCOME_EVENT,
  ExperimentImportQuerySchema,
  ImportJobSchema,
  ImportQuerySchema,
  type ExperimentImportQuery,
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
import { ImportsService, type ImportOptions } from './imports.service';

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
  @ApiOperation({
    summary: 'Import an experiment run outside Liftlab from CSV: assignments and, optionally, outcomes',
    description:
      `Each row assigns a customer to a variant. A non-zero \`outcome\` (0/1 conversion or a value such as ` +
      `revenue) is stored as a conversion event named \`outcomeEvent\` (default \`${DEFAULT_OUTCOME_EVENT}\`) ` +
      'with the outcome as its value, at `outcomeAt` (default: assignedAt); re-importing the file adds nothing. ' +
      '`experimentKey` in the query stands for the column when the file has none.',
  })
  @ApiConsumes('text/csv')
  @csvBody(
    'customerId (or customer), experimentKey (or experiment; required unless given in the query), ' +
      'variantKey (or variant) (required), assignedAt, outcome, outcomeAt',
  )
  @ApiZodResponse(200, ImportJobSchema, 'Import report')
  experiment(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @ZodQuery(ExperimentImportQuerySchema) q: ExperimentImportQuery,
  ) {
    return this.run(actor, 'experiment', req, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The report of an import' })
  @ApiZodResponse(200, ImportJobSchema)
  get(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<ImportJob> {
    return this.imports.get(actor, id);
  }

  private run(actor: Actor, kind: ImportKind, req: Request, q: ImportOptions): Promise<ImportJob> {
    return this.imports.run(actor, kind, req, req.headers['content-type'], q);
  }
}
