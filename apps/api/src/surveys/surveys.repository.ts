import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { uuidv7 } from '../database/ids';
import { Prisma } from '../generated/prisma/client';
import { MAX_TEXT_ANSWERS, type AnswerCount, type TextAnswer } from './answers';

export type Db = PrismaService | Prisma.TransactionClient;

const surveyInclude = { _count: { select: { responses: true } } } satisfies Prisma.SurveyInclude;
export type SurveyRecord = Prisma.SurveyGetPayload<{ include: typeof surveyInclude }>;

export interface ResponseRecord {
  id: string;
  submittedAt: Date;
}

/** Which responses a summary counts: all of a survey's, or only those of one sequence's enrollments. */
export interface ResponseScope {
  surveyId: string;
  sequenceId?: string;
}

/** The only place surveys and their responses touch the database. */
@Injectable()
export class SurveysRepository {
  constructor(private readonly prisma: PrismaService) {}

  transaction<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(fn);
  }

  list(workspaceId: string): Promise<SurveyRecord[]> {
    return this.prisma.survey.findMany({
      where: { workspaceId },
      orderBy: { key: 'asc' },
      include: surveyInclude,
    });
  }

  findById(workspaceId: string, id: string, db: Db = this.prisma): Promise<SurveyRecord | null> {
    return db.survey.findFirst({ where: { id, workspaceId }, include: surveyInclude });
  }

  findByKey(workspaceId: string, key: string, db: Db = this.prisma): Promise<SurveyRecord | null> {
    return db.survey.findFirst({ where: { key, workspaceId }, include: surveyInclude });
  }

  async create(
    workspaceId: string,
    row: { key: string; title: string; questions: Prisma.InputJsonValue },
    now: Date,
    db: Db,
  ): Promise<SurveyRecord> {
    const created = await db.survey.create({ data: { workspaceId, ...row, createdAt: now } });
    return (await this.findById(workspaceId, created.id, db))!;
  }

  async update(
    workspaceId: string,
    id: string,
    data: Prisma.SurveyUncheckedUpdateInput,
    db: Db,
  ): Promise<SurveyRecord> {
    await db.survey.update({ where: { id }, data });
    return (await this.findById(workspaceId, id, db))!;
  }

  async remove(id: string, db: Db): Promise<void> {
    await db.survey.delete({ where: { id } });
  }

  async customerExists(workspaceId: string, customerId: string): Promise<boolean> {
    return (await this.prisma.customer.count({ where: { workspaceId, id: customerId } })) > 0;
  }

  async enrollmentOf(workspaceId: string, enrollmentId: string, customerId: string): Promise<boolean> {
    return (await this.prisma.enrollment.count({ where: { workspaceId, id: enrollmentId, customerId } })) > 0;
  }

  /**
   * The response of (survey, customer, enrollment). The transaction-scoped advisory lock serialises
   * submissions of one customer to one survey, which the unique index alone cannot do when the link names no
   * enrollment (NULLs are distinct in a unique index).
   */
  async lockAndFindResponse(
    tx: Prisma.TransactionClient,
    surveyId: string,
    customerId: string,
    enrollmentId: string | null,
  ): Promise<ResponseRecord | null> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`survey:${surveyId}:${customerId}`}))`;
    return this.findResponse(surveyId, customerId, enrollmentId, tx);
  }

  async findResponse(
    surveyId: string,
    customerId: string,
    enrollmentId: string | null,
    db: Db = this.prisma,
  ): Promise<ResponseRecord | null> {
    const rows = await db.$queryRaw<ResponseRecord[]>`
      SELECT id, submitted_at AS "submittedAt" FROM survey_responses
       WHERE survey_id = ${surveyId}::uuid AND customer_id = ${customerId}::uuid
         AND enrollment_id IS NOT DISTINCT FROM ${enrollmentId}::uuid
       LIMIT 1`;
    return rows[0] ?? null;
  }

  async insertResponse(
    tx: Prisma.TransactionClient,
    row: {
      surveyId: string;
      workspaceId: string;
      customerId: string;
      enrollmentId: string | null;
      answers: Record<string, string>;
    },
    now: Date,
  ): Promise<ResponseRecord> {
    const created = await tx.surveyResponse.create({
      data: { id: uuidv7(now.getTime()), ...row, submittedAt: now },
      select: { id: true, submittedAt: true },
    });
    return created;
  }

  private scopeSql(scope: ResponseScope): Prisma.Sql {
    return scope.sequenceId === undefined
      ? Prisma.sql`r.survey_id = ${scope.surveyId}::uuid`
      : Prisma.sql`r.survey_id = ${scope.surveyId}::uuid AND r.enrollment_id IN (
          SELECT id FROM enrollments WHERE sequence_id = ${scope.sequenceId}::uuid)`;
  }

  async responseCount(scope: ResponseScope): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM survey_responses r WHERE ${this.scopeSql(scope)}`;
    return rows[0]?.n ?? 0;
  }

  /** Counts per (question, answer), aggregated by the database. */
  answerCounts(scope: ResponseScope): Promise<AnswerCount[]> {
    return this.prisma.$queryRaw<AnswerCount[]>`
      SELECT a.key AS question, a.value AS answer, count(*)::int AS count
        FROM survey_responses r, jsonb_each_text(r.answers) a
       WHERE ${this.scopeSql(scope)}
       GROUP BY a.key, a.value`;
  }

  /** The newest free-text answers of each of `questionIds`. */
  textAnswers(scope: ResponseScope, questionIds: string[]): Promise<TextAnswer[]> {
    if (questionIds.length === 0) return Promise.resolve([]);
    return this.prisma.$queryRaw<TextAnswer[]>`
      SELECT question, text, "submittedAt" FROM (
        SELECT a.key AS question, a.value AS text, r.submitted_at AS "submittedAt",
               row_number() OVER (PARTITION BY a.key ORDER BY r.submitted_at DESC, r.id DESC) AS rank
          FROM survey_responses r, jsonb_each_text(r.answers) a
         WHERE ${this.scopeSql(scope)} AND a.key = ANY(${questionIds}::text[])) ranked
       WHERE rank <= ${MAX_TEXT_ANSWERS}`;
  }

  /** Surveys answered by customers enrolled in the sequence. */
  async surveysAnsweredIn(workspaceId: string, sequenceId: string): Promise<SurveyRecord[]> {
    const ids = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT r.survey_id AS id
        FROM survey_responses r JOIN enrollments e ON e.id = r.enrollment_id
       WHERE e.sequence_id = ${sequenceId}::uuid AND r.workspace_id = ${workspaceId}::uuid`;
    if (ids.length === 0) return [];
    return this.prisma.survey.findMany({
      where: { workspaceId, id: { in: ids.map((r) => r.id) } },
      orderBy: { key: 'asc' },
      include: surveyInclude,
    });
  }
}
