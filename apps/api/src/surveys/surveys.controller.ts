import { Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  SurveyCreateSchema,
  SurveyListSchema,
  SurveySchema,
  SurveySummarySchema,
  SurveyUpdateSchema,
  type Survey,
  type SurveyCreate,
  type SurveyList,
  type SurveySummary,
  type SurveyUpdate,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { IdParam } from '../common/id-param';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody } from '../common/zod.pipe';
import { SurveysService } from './surveys.service';

/** Surveys (1–3 questions): the lifecycle team and marketers edit them; executives read the summaries. */
@ApiTags('surveys')
@Controller('v1/surveys')
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Get()
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({ summary: 'List surveys by key' })
  @ApiZodResponse(200, SurveyListSchema)
  list(@CurrentActor() actor: Actor): Promise<SurveyList> {
    return this.surveys.list(actor);
  }

  @Post()
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Create a survey of 1–3 single-choice or free-text questions' })
  @ApiZodResponse(201, SurveySchema, 'Created')
  create(@CurrentActor() actor: Actor, @ZodBody(SurveyCreateSchema) body: SurveyCreate): Promise<Survey> {
    return this.surveys.create(actor, body);
  }

  @Get(':id')
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({ summary: 'One survey' })
  @ApiZodResponse(200, SurveySchema)
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<Survey> {
    return this.surveys.get(actor, id);
  }

  @Patch(':id')
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Edit a survey (its questions only until the first response)' })
  @ApiZodResponse(200, SurveySchema)
  update(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @ZodBody(SurveyUpdateSchema) body: SurveyUpdate,
  ): Promise<Survey> {
    return this.surveys.update(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Delete a survey nobody answered' })
  async remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    await this.surveys.remove(actor, id);
  }

  @Get(':id/summary')
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({ summary: 'Counts and shares per option, and the free-text answers' })
  @ApiZodResponse(200, SurveySummarySchema)
  summary(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<SurveySummary> {
    return this.surveys.summary(actor, id);
  }
}
