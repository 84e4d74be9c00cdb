import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import {
  ChannelSpendImportResultSchema,
  ChannelSpendInputSchema,
  ChannelSpendListQuerySchema,
  ChannelSpendListSchema,
  ChannelSpendSchema,
  ChannelSpendUpdateSchema,
  CohortExplorerSchema,
  CohortQuerySchema,
  LtvCacQuerySchema,
  LtvCacSchema,
  type ChannelSpend,
  type ChannelSpendImportResult,
  type ChannelSpendList,
  type ChannelSpendListQuery,
  type ChannelSpendParsed,
  type ChannelSpendUpdate,
  type CohortExplorer,
  type CohortQuery,
  type LtvCac,
  type LtvCacQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { DomainError } from '../common/domain-error';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodPipe, ZodQuery } from '../common/zod.pipe';
import { CohortsService } from './cohorts.service';

const IdParam = new ZodPipe(z.uuid('format_uuid'), ['id']);
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];
/** A spend file is small (one row per channel × month); larger uploads are refused before parsing. */
const MAX_CSV_BYTES = 1_000_000;

/** Reads a CSV request body as text, refusing other content types and oversized files. */
async function csvText(req: Request): Promise<string> {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (!type || !CSV_TYPES.includes(type)) {
    req.resume();
    throw DomainError.invalid('(body)', 'content_type_csv', 'Send the file with Content-Type: text/csv.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CSV_BYTES) {
      req.resume();
      throw new DomainError('payload_too_large', `A spend file is at most ${MAX_CSV_BYTES} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Cohort explorer and LTV:CAC: marketers, lifecycle and executives read them. */
@ApiTags('value analytics')
@Controller('v1')
export class CohortsController {
  constructor(private readonly cohorts: CohortsService) {}

  @Get('cohorts')
  @Roles('marketer', 'lifecycle', 'executive')
  @ApiOperation({
    summary: 'Cohort explorer: retention heatmap and cumulative revenue per customer by a dimension',
    description:
      'Groups the customers acquired in [from, to] by acquisition month, channel, segment, plan, country, a ' +
      'trait or a behavioural condition, and returns per group and month since acquisition the share active ' +
      'and the cumulative revenue per customer, plus 30/60/90-day retention.',
  })
  @ApiZodResponse(200, CohortExplorerSchema)
  explore(
    @CurrentActor() actor: Actor,
    @ZodQuery(CohortQuerySchema) q: CohortQuery,
  ): Promise<CohortExplorer> {
    return this.cohorts.explore(actor, q);
  }

  @Get('ltv-cac')
  @Roles('marketer', 'lifecycle', 'executive')
  @ApiOperation({ summary: 'LTV:CAC and payback months by acquisition channel' })
  @ApiZodResponse(200, LtvCacSchema)
  ltvCac(@CurrentActor() actor: Actor, @ZodQuery(LtvCacQuerySchema) q: LtvCacQuery): Promise<LtvCac> {
    return this.cohorts.ltvCac(actor, q);
  }
}

/** Acquisition spend per channel and month: marketers edit, executives read. */
@ApiTags('value analytics')
@Controller('v1/channel-spend')
export class ChannelSpendController {
  constructor(private readonly cohorts: CohortsService) {}

  @Get()
  @Roles('marketer', 'executive')
  @ApiOperation({ summary: 'Channel spend by month' })
  @ApiZodResponse(200, ChannelSpendListSchema)
  list(
    @CurrentActor() actor: Actor,
    @ZodQuery(ChannelSpendListQuerySchema) q: ChannelSpendListQuery,
  ): Promise<ChannelSpendList> {
    return this.cohorts.listSpend(actor, q);
  }

  @Post()
  @Roles('marketer')
  @ApiOperation({ summary: 'Record the spend of a channel in a month' })
  @ApiZodResponse(201, ChannelSpendSchema, 'Created')
  create(
    @CurrentActor() actor: Actor,
    @ZodBody(ChannelSpendInputSchema) body: ChannelSpendParsed,
  ): Promise<ChannelSpend> {
    return this.cohorts.createSpend(actor, body);
  }

  @Post('import')
  @HttpCode(200)
  @Roles('marketer')
  @ApiOperation({
    summary: 'Import channel spend from CSV (columns channel, month, amount, note); replaces existing months',
  })
  @ApiConsumes('text/csv')
  @ApiBody({
    description: 'CSV file, header line first. Columns: channel, month (YYYY-MM), amount, note (optional).',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiZodResponse(200, ChannelSpendImportResultSchema)
  async import(@CurrentActor() actor: Actor, @Req() req: Request): Promise<ChannelSpendImportResult> {
    return this.cohorts.importSpend(actor, await csvText(req));
  }

  @Patch(':id')
  @Roles('marketer')
  @ApiOperation({ summary: 'Change the amount or note of a channel’s month' })
  @ApiZodResponse(200, ChannelSpendSchema)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodBody(ChannelSpendUpdateSchema) body: ChannelSpendUpdate,
  ): Promise<ChannelSpend> {
    return this.cohorts.updateSpend(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('marketer')
  @ApiOperation({ summary: 'Delete a channel’s month of spend' })
  async remove(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<void> {
    await this.cohorts.removeSpend(actor, id);
  }
}
