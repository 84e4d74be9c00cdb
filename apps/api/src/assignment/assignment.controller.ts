import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  AssignRequestSchema,
  AssignResponseSchema,
  SdkPayloadQuerySchema,
  SdkPayloadSchema,
  type AssignRequest,
  type AssignResponse,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, KeyScopes, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodQuery } from '../common/zod.pipe';
import { AssignmentService, etagMatches } from './assignment.service';

@ApiTags('assignment')
@Controller('v1')
export class AssignmentController {
  constructor(private readonly assignment: AssignmentService) {}

  @Post('assign')
  @HttpCode(200)
  @Roles('marketer')
  @KeyScopes('ingest')
  @ApiOperation({
    summary:
      'Assign customers to running experiments (sticky: the first assignment is stored and returned ever after)',
  })
  @ApiZodResponse(200, AssignResponseSchema)
  assign(
    @CurrentActor() actor: Actor,
    @ZodBody(AssignRequestSchema) body: AssignRequest,
  ): Promise<AssignResponse> {
    return this.assignment.assign(actor, body);
  }

  @Get('sdk/payload')
  @Roles('marketer')
  @KeyScopes('ingest')
  @ApiOperation({ summary: 'Running experiments for local SDK evaluation; revalidate with If-None-Match' })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiZodResponse(200, SdkPayloadSchema)
  @ApiResponse({ status: 304, description: 'Not modified' })
  async payload(
    @CurrentActor() actor: Actor,
    @ZodQuery(SdkPayloadQuerySchema) query: { customers: string[] },
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { payload, etag } = await this.assignment.payload(actor, query.customers);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    if (etagMatches(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    res.status(200).json(payload);
  }
}
