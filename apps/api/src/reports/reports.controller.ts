import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  DigestResultSchema,
  DigestSendSchema,
  PortfolioQuerySchema,
  PortfolioSchema,
  type DigestResult,
  type DigestSend,
  type Portfolio,
  type PortfolioQuery,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodQuery } from '../common/zod.pipe';
import { portfolioCsv, portfolioHtml } from './render';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Controller('v1/reports')
export class PortfolioController {
  constructor(private readonly reports: ReportsService) {}

  @Get('portfolio')
  @Roles('marketer', 'executive')
  @KeyScopes('read')
  @ApiOperation({
    summary:
      'Executive portfolio of the campaigns launched in a period: proven margin (shrunk), ROI distribution, what to scale or stop, trend',
  })
  @ApiProduces('application/json', 'text/csv', 'text/html')
  @ApiZodResponse(200, PortfolioSchema)
  async portfolio(
    @CurrentActor() actor: Actor,
    @ZodQuery(PortfolioQuerySchema) query: PortfolioQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Portfolio | string> {
    const portfolio = await this.reports.portfolio(actor, query);
    if (query.format === 'json') return portfolio;
    const name = `portfolio-${portfolio.period.from}-to-${portfolio.period.to}`;
    if (query.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      return portfolioCsv(portfolio);
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Disposition', `inline; filename="${name}.html"`);
    return portfolioHtml(portfolio);
  }

  @Post('digest/send')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send the executive digest now (admin)' })
  @ApiZodResponse(200, DigestResultSchema)
  sendDigest(
    @CurrentActor() actor: Actor,
    @ZodBody(DigestSendSchema) body: DigestSend,
  ): Promise<DigestResult> {
    return this.reports.sendDigest(actor, body);
  }
}
