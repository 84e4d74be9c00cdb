import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators';
import { DomainError } from '../common/domain-error';
import { OutboxService } from './outbox.service';

/** The smallest transparent GIF (1×1). */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * Open pixel and click redirect of e-mails (public: the signed token is the credential). A click redirects
 * only to the URL signed into its token, so the endpoint cannot be used as an open redirect.
 */
@ApiTags('outbox')
@Controller('v1/t')
@Public()
export class TrackingController {
  constructor(private readonly outbox: OutboxService) {}

  @Get('o/:token')
  @Header('Cache-Control', 'no-store, max-age=0')
  @Header('Referrer-Policy', 'no-referrer')
  @ApiOperation({ summary: 'Open pixel: records the first open and answers a 1×1 GIF' })
  async open(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const result = await this.outbox.open(token);
    if (!result.ok) throw notFound(result.reason);
    res.status(200).type('image/gif').send(PIXEL_GIF);
  }

  @Get('c/:token')
  @Header('Cache-Control', 'no-store, max-age=0')
  @Header('Referrer-Policy', 'no-referrer')
  @ApiOperation({ summary: 'Click: records the first click and redirects (302) to the signed URL' })
  async click(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const result = await this.outbox.click(token);
    if (!result.ok || result.redirectTo === undefined)
      throw notFound(result.ok ? 'malformed' : result.reason);
    res.redirect(302, result.redirectTo);
  }
}

function notFound(reason: string): DomainError {
  return new DomainError('not_found', `The tracking link is not valid (${reason}).`, { reason });
}
