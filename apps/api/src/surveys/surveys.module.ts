import { Module } from '@nestjs/common';
import { LinkSigner } from '../delivery/links';
import { SurveyLinkController } from './survey-link.controller';
import { SurveysController } from './surveys.controller';
import { SurveysRepository } from './surveys.repository';
import { SurveysService } from './surveys.service';

/** Surveys, their signed-link page and answers, and summaries (also per sequence, for its results). */
@Module({
  controllers: [SurveysController, SurveyLinkController],
  providers: [SurveysRepository, SurveysService, LinkSigner],
  exports: [SurveysService],
})
export class SurveysModule {}
