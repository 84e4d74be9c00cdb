import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import {
  AudiencePreviewRequestSchema,
  AudiencePreviewSchema,
  EnrollmentListQuerySchema,
  EnrollmentListSchema,
  SequenceCreateSchema,
  SequenceLaunchResultSchema,
  SequenceListQuerySchema,
  SequenceListSchema,
  SequenceUpdateSchema,
  SequenceViewSchema,
  type AudiencePreview,
  type EnrollmentList,
  type EnrollmentListQuery,
  type SequenceCreateParsed,
  type SequenceLaunchResult,
  type SequenceList,
  type SequenceListQuery,
  type SequenceUpdateParsed,
  type SequenceView,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/decorators';
import { ApiZodResponse } from '../common/openapi';
import { ZodBody, ZodPipe, ZodQuery } from '../common/zod.pipe';
import { SequencesService } from './sequences.service';

const IdParam = new ZodPipe(z.uuid('format_uuid'), ['id']);

/** Win-back sequences: the lifecycle team (and marketers) build and run them; executives see them. */
@ApiTags('sequences')
@Controller('v1/sequences')
export class SequencesController {
  constructor(private readonly sequences: SequencesService) {}

  @Get()
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({ summary: 'List sequences, newest first' })
  @ApiZodResponse(200, SequenceListSchema)
  list(
    @CurrentActor() actor: Actor,
    @ZodQuery(SequenceListQuerySchema) query: SequenceListQuery,
  ): Promise<SequenceList> {
    return this.sequences.list(actor, query);
  }

  @Post()
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Create a draft sequence: audience rules, holdout share and ordered touches' })
  @ApiZodResponse(201, SequenceViewSchema, 'Created')
  create(
    @CurrentActor() actor: Actor,
    @ZodBody(SequenceCreateSchema) body: SequenceCreateParsed,
  ): Promise<SequenceView> {
    return this.sequences.create(actor, body);
  }

  @Post('audience-preview')
  @HttpCode(200)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Audience counts for rules that are not saved yet' })
  @ApiZodResponse(200, AudiencePreviewSchema)
  previewRules(
    @CurrentActor() actor: Actor,
    @ZodBody(AudiencePreviewRequestSchema) body: z.output<typeof AudiencePreviewRequestSchema>,
  ): Promise<AudiencePreview> {
    return this.sequences.previewRules(actor, body);
  }

  @Get(':id')
  @Roles('lifecycle', 'marketer', 'executive')
  @ApiOperation({ summary: 'One sequence with its touches and enrollment counts' })
  @ApiZodResponse(200, SequenceViewSchema)
  get(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<SequenceView> {
    return this.sequences.get(actor, id);
  }

  @Patch(':id')
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Edit a sequence (after launch: no holdout change, same touches and channels)' })
  @ApiZodResponse(200, SequenceViewSchema)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodBody(SequenceUpdateSchema) body: SequenceUpdateParsed,
  ): Promise<SequenceView> {
    return this.sequences.update(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Delete a draft sequence' })
  async remove(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<void> {
    await this.sequences.remove(actor, id);
  }

  @Get(':id/audience-preview')
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Audience counts of a saved sequence, as its next run would see them' })
  @ApiZodResponse(200, AudiencePreviewSchema)
  previewSequence(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<AudiencePreview> {
    return this.sequences.previewSequence(actor, id);
  }

  @Post(':id/launch')
  @HttpCode(200)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({
    summary: 'Create the holdout experiment, start the sequence and enroll the first audience',
  })
  @ApiZodResponse(200, SequenceLaunchResultSchema)
  launch(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<SequenceLaunchResult> {
    return this.sequences.launch(actor, id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Stop enrolling and sending until resumed' })
  @ApiZodResponse(200, SequenceViewSchema)
  pause(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<SequenceView> {
    return this.sequences.pause(actor, id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Resume a paused sequence' })
  @ApiZodResponse(200, SequenceViewSchema)
  resume(@CurrentActor() actor: Actor, @Param('id', IdParam) id: string): Promise<SequenceView> {
    return this.sequences.resume(actor, id);
  }

  @Get(':id/enrollments')
  @Roles('lifecycle', 'marketer')
  @ApiOperation({ summary: 'Enrollments, newest first; filter by arm and status' })
  @ApiZodResponse(200, EnrollmentListSchema)
  enrollments(
    @CurrentActor() actor: Actor,
    @Param('id', IdParam) id: string,
    @ZodQuery(EnrollmentListQuerySchema) query: EnrollmentListQuery,
  ): Promise<EnrollmentList> {
    return this.sequences.listEnrollments(actor, id, query);
  }
}
