import { Controller, Get, Header, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UnsubscribeResultSchema, type UnsubscribeResult } from '@liftlab/contracts';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators';
import { DomainError } from '../common/domain-error';
import { ApiZodResponse } from '../common/openapi';
import { SuppressionService } from './suppression.service';
import {
  confirmationPage,
  donePage,
  ONE_CLICK_FIELD,
  ONE_CLICK_VALUE,
  oneClickValue,
  refusedPage,
} from './unsubscribe-page';

/** Most a one-click body may weigh; it carries one short field. */
const MAX_RAW_BODY = 16 * 1024;

/**
 * Signed unsubscribe links (public: the token is the credential). GET shows a confirmation page; POST
 * unsubscribes, both from that page and as the RFC 8058 one-click POST a mail client sends.
 */
@ApiTags('suppressions')
@Controller('v1/unsubscribe')
@Public()
export class UnsubscribeController {
  constructor(private readonly suppressions: SuppressionService) {}

  @Get(':token')
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  @ApiOperation({ summary: 'Confirmation page of an unsubscribe link (does not unsubscribe by itself)' })
  async confirm(
    @Param('token') token: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    res.type('html');
    const check = await this.suppressions.checkUnsubscribeToken(token);
    if (!check.ok) {
      res.status(404);
      return refusedPage(check.reason);
    }
    return confirmationPage(req.originalUrl.split('?')[0] ?? req.originalUrl);
  }

  @Post(':token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Referrer-Policy', 'no-referrer')
  @ApiOperation({
    summary: 'Unsubscribe (RFC 8058 one-click): body List-Unsubscribe=One-Click, no sign-in',
    description: 'Answers an HTML page to browsers (Accept: text/html) and JSON to everyone else.',
  })
  @ApiZodResponse(200, UnsubscribeResultSchema)
  async unsubscribe(
    @Param('token') token: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UnsubscribeResult | string> {
    const raw = req.body === undefined ? await readRaw(req) : undefined;
    const value = oneClickValue(req.headers['content-type'], req.body, raw);
    if (value === undefined)
      throw DomainError.invalid(
        ONE_CLICK_FIELD,
        'required',
        `The body must be ${ONE_CLICK_FIELD}=${ONE_CLICK_VALUE}.`,
      );
    if (value !== ONE_CLICK_VALUE)
      throw DomainError.invalid(
        ONE_CLICK_FIELD,
        'one_click',
        `The body must be ${ONE_CLICK_FIELD}=${ONE_CLICK_VALUE}.`,
      );
    const html = req.accepts(['json', 'html']) === 'html';
    const result = await this.suppressions.unsubscribe(token);
    if (!result.ok) {
      if (html) {
        res.status(404).type('html');
        return refusedPage(result.reason);
      }
      throw new DomainError('not_found', `The unsubscribe link is not valid (${result.reason}).`, {
        reason: result.reason,
      });
    }
    if (html) {
      res.type('html');
      return donePage();
    }
    return { unsubscribed: true, createdAt: result.suppression.createdAt };
  }
}

/** The unparsed body (multipart one-click POSTs); nothing beyond MAX_RAW_BODY is kept. */
async function readRaw(req: Request): Promise<string | undefined> {
  if (req.readableEnded) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_RAW_BODY) throw new DomainError('payload_too_large', 'The unsubscribe body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
