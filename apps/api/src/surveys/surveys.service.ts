import { Inject, Injectable } from '@nestjs/common';
import type {
  Survey,
  SurveyCreate,
  SurveyForm,
  SurveyList,
  SurveyQuestion,
  SurveySubmitResult,
  SurveySummary,
  SurveyUpdate,
} from '@liftlab/contracts';
import type { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { LinkSigner, type LinkClaims } from '../delivery/links';
import type { Prisma } from '../generated/prisma/client';
import { checkAnswers, summarise } from './answers';
import { SurveysRepository, type ResponseScope, type SurveyRecord } from './surveys.repository';

const ENTITY = 'survey';

export function questionsOf(s: SurveyRecord): SurveyQuestion[] {
  return s.questions as unknown as SurveyQuestion[];
}

function toSurveyView(s: SurveyRecord): Survey {
  return {
    id: s.id,
    key: s.key,
    title: s.title,
    questions: questionsOf(s),
    responses: s._count.responses,
    createdAt: s.createdAt.toISOString(),
  };
}

function keyTaken(key: string): DomainError {
  return DomainError.conflict(`A survey with key ${key} already exists.`, [{ path: 'key', rule: 'unique' }]);
}

/** A verified survey link: the survey and who answers it. */
interface SurveyLink {
  survey: SurveyRecord;
  customerId: string;
  enrollmentId: string | null;
}

@Injectable()
export class SurveysService {
  constructor(
    private readonly repo: SurveysRepository,
    private readonly links: LinkSigner,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor): Promise<SurveyList> {
    return { items: (await this.repo.list(actor.workspaceId)).map(toSurveyView) };
  }

  async get(actor: Actor, id: string): Promise<Survey> {
    return toSurveyView(await this.load(actor.workspaceId, id));
  }

  async create(actor: Actor, body: SurveyCreate): Promise<Survey> {
    const ws = actor.workspaceId;
    return this.repo.transaction(async (tx) => {
      if (await this.repo.findByKey(ws, body.key, tx)) throw keyTaken(body.key);
      const created = toSurveyView(
        await this.repo.create(
          ws,
          { key: body.key, title: body.title, questions: body.questions as Prisma.InputJsonValue },
          this.clock.now(),
          tx,
        ),
      );
      await this.audit.record(actor, 'survey.create', { type: ENTITY, id: created.id }, undefined, created, {
        tx,
      });
      return created;
    });
  }

  async update(actor: Actor, id: string, body: SurveyUpdate): Promise<Survey> {
    const ws = actor.workspaceId;
    return this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      // Stored answers name question and option ids: changing the questions would orphan them.
      if (body.questions !== undefined && current._count.responses > 0)
        throw DomainError.conflict('The survey has responses; its questions can no longer change.', [
          { path: 'questions', rule: 'has_responses' },
        ]);
      const data: Prisma.SurveyUncheckedUpdateInput = {};
      if (body.title !== undefined) data.title = body.title;
      if (body.questions !== undefined) data.questions = body.questions as Prisma.InputJsonValue;
      const before = toSurveyView(current);
      const after = toSurveyView(await this.repo.update(ws, id, data, tx));
      await this.audit.record(actor, 'survey.update', { type: ENTITY, id }, before, after, { tx });
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const ws = actor.workspaceId;
    await this.repo.transaction(async (tx) => {
      const current = await this.load(ws, id, tx);
      if (current._count.responses > 0)
        throw DomainError.conflict('The survey has responses; they are kept as results.', [
          { path: 'id', rule: 'has_responses' },
        ]);
      await this.repo.remove(id, tx);
      await this.audit.record(
        actor,
        'survey.delete',
        { type: ENTITY, id },
        toSurveyView(current),
        undefined,
        {
          tx,
        },
      );
    });
  }

  async summary(actor: Actor, id: string): Promise<SurveySummary> {
    return this.summarise(await this.load(actor.workspaceId, id), { surveyId: id });
  }

  /** Summaries of the surveys the sequence's enrolled customers answered, counting only their answers. */
  async summariesForSequence(workspaceId: string, sequenceId: string): Promise<SurveySummary[]> {
    const surveys = await this.repo.surveysAnsweredIn(workspaceId, sequenceId);
    return Promise.all(surveys.map((s) => this.summarise(s, { surveyId: s.id, sequenceId })));
  }

  /** What the signed link shows, and whether this customer already answered. */
  async form(token: string): Promise<SurveyForm> {
    const link = await this.openLink(token, this.clock.now());
    const answered = await this.repo.findResponse(link.survey.id, link.customerId, link.enrollmentId);
    return { title: link.survey.title, questions: questionsOf(link.survey), answered: answered !== null };
  }

  /** The survey behind a link, for re-rendering the page (title and questions only). */
  async formDefinition(token: string): Promise<{ title: string; questions: SurveyQuestion[] }> {
    const link = await this.openLink(token, this.clock.now());
    return { title: link.survey.title, questions: questionsOf(link.survey) };
  }

  /** One response per (survey, customer, enrollment): a second submission is a 409. */
  async submit(token: string, raw: Record<string, unknown>): Promise<SurveySubmitResult> {
    const now = this.clock.now();
    const link = await this.openLink(token, now);
    const checked = checkAnswers(questionsOf(link.survey), raw);
    if (!checked.ok) throw DomainError.validation(checked.errors, 'Some answers are invalid.');
    return this.repo.transaction(async (tx) => {
      const existing = await this.repo.lockAndFindResponse(
        tx,
        link.survey.id,
        link.customerId,
        link.enrollmentId,
      );
      if (existing)
        throw DomainError.conflict('This survey was already answered.', [
          { path: 'token', rule: 'already_answered' },
        ]);
      const created = await this.repo.insertResponse(
        tx,
        {
          surveyId: link.survey.id,
          workspaceId: link.survey.workspaceId,
          customerId: link.customerId,
          enrollmentId: link.enrollmentId,
          answers: checked.answers,
        },
        now,
      );
      return { id: created.id, submittedAt: created.submittedAt.toISOString() };
    });
  }

  private async openLink(token: string, now: Date): Promise<SurveyLink> {
    const verified = this.links.verify(token, 'survey', now);
    if (!verified.ok)
      throw DomainError.validation(
        [{ path: 'token', rule: verified.reason }],
        verified.reason === 'expired' ? 'This survey link has expired.' : 'This survey link is not valid.',
      );
    const claims: LinkClaims = verified.claims;
    if (claims.surveyId === undefined)
      throw DomainError.validation([{ path: 'token', rule: 'malformed' }], 'This survey link is not valid.');
    const survey = await this.repo.findById(claims.workspaceId, claims.surveyId);
    if (!survey) throw DomainError.notFound('Survey');
    if (!(await this.repo.customerExists(claims.workspaceId, claims.customerId)))
      throw DomainError.notFound('Customer');
    const enrollmentId = claims.enrollmentId ?? null;
    if (
      enrollmentId !== null &&
      !(await this.repo.enrollmentOf(claims.workspaceId, enrollmentId, claims.customerId))
    )
      throw DomainError.notFound('Enrollment');
    return { survey, customerId: claims.customerId, enrollmentId };
  }

  private async summarise(survey: SurveyRecord, scope: ResponseScope): Promise<SurveySummary> {
    const questions = questionsOf(survey);
    const textIds = questions.filter((q) => q.type === 'free_text').map((q) => q.id);
    const [responses, counts, texts] = await Promise.all([
      this.repo.responseCount(scope),
      this.repo.answerCounts(scope),
      this.repo.textAnswers(scope, textIds),
    ]);
    return summarise({ ...survey, questions }, responses, counts, texts);
  }

  private async load(ws: string, id: string, db?: Prisma.TransactionClient): Promise<SurveyRecord> {
    const survey = await this.repo.findById(ws, id, db);
    if (!survey) throw DomainError.notFound('Survey', id);
    return survey;
  }
}
