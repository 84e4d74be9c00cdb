import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  SurveyFormSchema,
  SurveySubmitResultSchema,
  SurveySubmitSchema,
  type SurveyForm,
  type SurveySubmitResult,
} from '@liftlab/contracts';
import { Public } from '../auth/decorators';
import { DomainError, isFieldErrorList } from '../common/domain-error';
import { ApiZodResponse } from '../common/openapi';
import { ZodPipe } from '../common/zod.pipe';
import { renderSurveyForm, renderSurveyMessage, SURVEY_PAGE_CSP } from './page';
import { SurveysService } from './surveys.service';

const SubmitBody = new ZodPipe(SurveySubmitSchema);

/**
 * The survey behind a signed link. Public: the HMAC-signed token is the credential. Browsers get an HTML page
 * and post the form; other clients get and send JSON. `/v1/surveys/respond/:token` is the path the link
 * signer builds (delivery/links.ts); `/v1/s/:token` is the short form.
 */
@ApiTags('surveys')
@Controller('v1')
export class SurveyLinkController {
  constructor(private readonly surveys: SurveysService) {}

  @Get(['s/:token', 'surveys/respond/:token'])
  @Public()
  @ApiOperation({ summary: 'The survey page of a signed link (HTML, or SurveyForm as JSON)' })
  @ApiZodResponse(200, SurveyFormSchema)
  async show(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!wantsHtml(req)) {
      res.json(await this.surveys.form(token));
      return;
    }
    try {
      const form: SurveyForm = await this.surveys.form(token);
      sendHtml(
        res,
        200,
        form.answered
          ? renderSurveyMessage(form.title, 'Thank you: your answers were already received.')
          : renderSurveyForm(form),
      );
    } catch (error) {
      sendError(res, error);
    }
  }

  @Post(['s/:token', 'surveys/respond/:token'])
  @Public()
  @ApiOperation({
    summary: 'Answer the survey of a signed link (form post or JSON `{answers}`); a second answer is a 409',
  })
  @ApiZodResponse(201, SurveySubmitResultSchema, 'Created')
  async submit(@Param('token') token: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!req.is('application/x-www-form-urlencoded')) {
      const body = SubmitBody.transform(req.body) as { answers: Record<string, unknown> };
      const result: SurveySubmitResult = await this.surveys.submit(token, body.answers);
      res.status(201).json(result);
      return;
    }
    const values = formValues(req.body);
    try {
      const result = await this.surveys.submit(token, values);
      const { title } = await this.surveys.formDefinition(token);
      sendHtml(
        res,
        201,
        renderSurveyMessage(title, `Thank you, your answers were received (${result.submittedAt}).`),
      );
    } catch (error) {
      if (
        error instanceof DomainError &&
        error.code === 'validation_failed' &&
        isFieldErrorList(error.details)
      ) {
        const onAnswers = error.details.some((e) => e.path.startsWith('answers'));
        if (onAnswers) {
          const survey = await this.surveys.formDefinition(token);
          sendHtml(res, 400, renderSurveyForm(survey, values, error.details));
          return;
        }
      }
      sendError(res, error);
    }
  }
}

function wantsHtml(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}

function formValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object')
    for (const [k, v] of Object.entries(body as Record<string, unknown>))
      if (typeof v === 'string') out[k] = v;
  return out;
}

function sendHtml(res: Response, status: number, html: string): void {
  res
    .status(status)
    .setHeader('Content-Security-Policy', SURVEY_PAGE_CSP)
    .setHeader('Cache-Control', 'no-store')
    .setHeader('Referrer-Policy', 'no-referrer')
    .type('html')
    .send(html);
}

/** Errors a reader of the link can meet, as a page; anything else goes to the problem filter. */
function sendError(res: Response, error: unknown): void {
  if (!(error instanceof DomainError)) throw error;
  const message =
    error.code === 'conflict'
      ? 'Thank you: your answers were already received.'
      : error.code === 'not_found'
        ? 'This survey is no longer available.'
        : error.message;
  sendHtml(res, error.status, renderSurveyMessage('Survey', message));
}
