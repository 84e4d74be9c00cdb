import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Survey, SurveySummary } from '@liftlab/contracts';
import { createTestApp, type Agent, type TestApp } from '../../test/app';
import { LinkSigner } from '../delivery/links';
import { ensureCustomers, insertEnrollment, insertSequence } from '../sequence-results/test-sequence';

/**
 * Surveys through the API: CRUD with field-level errors, the public page behind a signed link (HTML form and
 * JSON), answer validation, one response per (survey, customer, enrollment), and the summary.
 */

const DAY = 86_400_000;
let t: TestApp;
let lifecycle: Agent;
let executive: Agent;
let survey: Survey;
let customers: Map<string, string>;
let enrollments: string[];
let signer: LinkSigner;

const QUESTIONS = [
  {
    id: 'reason',
    type: 'single_choice',
    prompt: 'Why did you stop using us?',
    options: [
      { id: 'price', label: 'Too expensive' },
      { id: 'features', label: 'Missing features' },
      { id: 'other', label: 'Something else' },
    ],
  },
  { id: 'comment', type: 'free_text', prompt: 'Anything else?', maxLength: 40 },
];

function token(customer: string, enrollmentId?: string, surveyId = survey.id): string {
  return signer.sign(
    {
      kind: 'survey',
      workspaceId: t.workspaceId,
      customerId: customers.get(customer)!,
      surveyId,
      ...(enrollmentId ? { enrollmentId } : {}),
    },
    t.clock.now(),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  lifecycle = await t.loginAs('lifecycle');
  executive = await t.loginAs('executive');
  signer = t.app.get(LinkSigner);
  const names = ['alice', 'bob', 'carol', 'dave', 'erin'];
  customers = await ensureCustomers(t.prisma, t.workspaceId, names, t.clock.now());
  const sequence = await insertSequence(t.prisma, t.workspaceId, {
    key: 'survey-seq',
    launchedAt: new Date(t.clock.now().getTime() - 10 * DAY),
    touches: [{ delayDays: 0 }],
  });
  enrollments = [];
  for (const name of names) {
    const e = await insertEnrollment(t.prisma, t.workspaceId, sequence, customers.get(name)!, {
      enrolledAt: new Date(t.clock.now().getTime() - 5 * DAY),
    });
    enrollments.push(e.enrollmentId);
  }
});
afterAll(() => t?.close());

describe('survey CRUD', () => {
  it('creates a survey with defaults filled in', async () => {
    const res = await lifecycle
      .post('/v1/surveys')
      .send({ key: 'why-stop', title: 'Why did you stop?', questions: QUESTIONS });
    expect(res.status).toBe(201);
    survey = res.body as Survey;
    expect(survey.questions[0]).toMatchObject({ id: 'reason', required: true });
    expect(survey.questions[1]).toMatchObject({ id: 'comment', required: false, maxLength: 40 });
    expect(survey.responses).toBe(0);
  });

  it('names the field and the rule of every bad definition', async () => {
    const four = Array.from({ length: 4 }, (_, i) => ({ id: `q${i}`, type: 'free_text', prompt: 'x' }));
    const cases: [object, { path: string; rule: string }][] = [
      [
        { key: 'a', title: 'A', questions: four },
        { path: 'questions', rule: 'max_3' },
      ],
      [
        { key: 'a', title: 'A', questions: [] },
        { path: 'questions', rule: 'min_1' },
      ],
      [
        { key: 'a', title: 'A', questions: [{ ...QUESTIONS[0], options: [{ id: 'x', label: 'X' }] }] },
        { path: 'questions.0.options', rule: 'min_2' },
      ],
      [
        { key: 'a', title: 'A', questions: [QUESTIONS[1], QUESTIONS[1]] },
        { path: 'questions', rule: 'unique_question_ids' },
      ],
      [
        {
          key: 'a',
          title: 'A',
          questions: [
            {
              ...QUESTIONS[0],
              options: [
                { id: 'x', label: 'X' },
                { id: 'x', label: 'Y' },
              ],
            },
          ],
        },
        { path: 'questions.0.options', rule: 'unique_option_ids' },
      ],
      [
        { key: 'a', title: 'A', questions: [{ id: 'q', type: 'rating', prompt: 'x' }] },
        { path: 'questions.0.type', rule: 'one_of' },
      ],
      [
        { key: 'why-stop', title: 'Again', questions: [QUESTIONS[1]] },
        { path: 'key', rule: 'unique' },
      ],
    ];
    for (const [body, error] of cases) {
      const res = await lifecycle.post('/v1/surveys').send(body);
      expect(res.status, JSON.stringify(error)).toBe(error.rule === 'unique' ? 409 : 400);
      expect(res.body.errors).toContainEqual(error);
    }
  });

  it('enforces roles', async () => {
    expect((await executive.get(`/v1/surveys/${survey.id}`)).status).toBe(200);
    expect((await executive.post('/v1/surveys').send({})).status).toBe(403);
    expect((await executive.delete(`/v1/surveys/${survey.id}`)).status).toBe(403);
    expect((await (await t.keyAgent('read')).get('/v1/surveys')).status).toBe(403);
    expect((await t.anonymous().get('/v1/surveys')).status).toBe(401);
    expect((await t.anonymous().get(`/v1/surveys/${survey.id}/summary`)).status).toBe(401);
  });
});

describe('the signed survey link', () => {
  it('shows an HTML form to browsers and the definition to JSON clients', async () => {
    const page = await t
      .anonymous()
      .get(`/v1/s/${token('alice', enrollments[0])}`)
      .set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('Why did you stop using us?');
    expect(page.text).toContain('name="reason" value="features"');
    expect(page.text).toContain('<textarea name="comment" maxlength="40"');

    const json = await t
      .anonymous()
      .get(`/v1/s/${token('alice', enrollments[0])}`)
      .set('Accept', 'application/json');
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ title: 'Why did you stop?', answered: false });
  });

  it('refuses tampered, foreign-kind and expired links, naming token and the rule', async () => {
    const good = token('alice', enrollments[0]);
    const [body, sig] = good.split('.') as [string, string];
    const tampered = `${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const res = await t.anonymous().get(`/v1/s/${tampered}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'token', rule: 'bad_signature' }]);

    const unsubscribe = signer.sign(
      { kind: 'unsubscribe', workspaceId: t.workspaceId, customerId: customers.get('alice')! },
      t.clock.now(),
    );
    expect((await t.anonymous().get(`/v1/s/${unsubscribe}`)).body.errors).toEqual([
      { path: 'token', rule: 'wrong_kind' },
    ]);

    const shortLived = signer.sign(
      {
        kind: 'survey',
        workspaceId: t.workspaceId,
        customerId: customers.get('alice')!,
        surveyId: survey.id,
      },
      t.clock.now(),
      1,
    );
    t.clock.advance(2 * DAY);
    try {
      const expired = await t
        .anonymous()
        .post(`/v1/s/${shortLived}`)
        .send({ answers: { reason: 'price' } });
      expect(expired.status).toBe(400);
      expect(expired.body.errors).toEqual([{ path: 'token', rule: 'expired' }]);
      const html = await t.anonymous().get(`/v1/s/${shortLived}`).set('Accept', 'text/html');
      expect(html.status).toBe(400);
      expect(html.text).toContain('This survey link has expired.');
    } finally {
      t.clock.advance(-2 * DAY);
    }
  });

  it('validates answers against the questions', async () => {
    const link = `/v1/s/${token('alice', enrollments[0])}`;
    const bad = await t
      .anonymous()
      .post(link)
      .send({ answers: { reason: 'boredom', comment: 'x'.repeat(41), why: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      { path: 'answers.why', rule: 'unknown_question' },
      { path: 'answers.reason', rule: 'one_of' },
      { path: 'answers.comment', rule: 'max_length_40' },
    ]);
    const missing = await t
      .anonymous()
      .post(link)
      .send({ answers: { comment: 'hi' } });
    expect(missing.body.errors).toEqual([{ path: 'answers.reason', rule: 'required' }]);
    const shape = await t.anonymous().post(link).send({ reason: 'price' });
    expect(shape.status).toBe(400);
    expect(shape.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'answers', rule: 'required' },
        { path: 'reason', rule: 'unknown_key' },
      ]),
    );
    // A rejected form post re-renders the form with the answers kept.
    const form = await t
      .anonymous()
      .post(link)
      .type('form')
      .send({ reason: 'boredom', comment: 'kept text' });
    expect(form.status).toBe(400);
    expect(form.headers['content-type']).toMatch(/text\/html/);
    expect(form.text).toContain('Please choose one of the options.');
    expect(form.text).toContain('kept text</textarea>');
    expect(await t.prisma.surveyResponse.count()).toBe(0);
  });

  it('stores one response per survey, customer and enrollment; a second submission is a 409', async () => {
    const link = `/v1/s/${token('alice', enrollments[0])}`;
    const form = await t.anonymous().post(link).type('form').send({ reason: 'price', comment: 'Too pricey' });
    expect(form.status).toBe(201);
    expect(form.text).toContain('Thank you');

    const again = await t
      .anonymous()
      .post(link)
      .send({ answers: { reason: 'other' } });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ path: 'token', rule: 'already_answered' }]);
    const againForm = await t.anonymous().post(link).type('form').send({ reason: 'other' });
    expect(againForm.status).toBe(409);
    expect(againForm.text).toContain('already received');
    expect((await t.anonymous().get(link).set('Accept', 'application/json')).body.answered).toBe(true);

    // The link signer's own path serves the same survey.
    const viaSignerPath = await t
      .anonymous()
      .post(`/v1/surveys/respond/${token('bob', enrollments[1])}`)
      .send({ answers: { reason: 'price' } });
    expect(viaSignerPath.status).toBe(201);
    expect(viaSignerPath.body.submittedAt).toBe(t.clock.now().toISOString());

    // Concurrent submissions of one link store one response.
    const carol = `/v1/s/${token('carol', enrollments[2])}`;
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        t
          .anonymous()
          .post(carol)
          .send({ answers: { reason: 'features', comment: 'Need SSO' } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    // Without an enrollment in the link, the customer still answers once.
    const dave = `/v1/s/${token('dave')}`;
    expect(
      (
        await t
          .anonymous()
          .post(dave)
          .send({ answers: { reason: 'features' } })
      ).status,
    ).toBe(201);
    expect(
      (
        await t
          .anonymous()
          .post(dave)
          .send({ answers: { reason: 'features' } })
      ).status,
    ).toBe(409);
    expect(await t.prisma.surveyResponse.count()).toBe(4);
  });

  it('summarises counts and shares per option and the free-text answers', async () => {
    const res = await executive.get(`/v1/surveys/${survey.id}/summary`);
    expect(res.status).toBe(200);
    const summary = res.body as SurveySummary;
    expect(summary.responses).toBe(4);
    expect(summary.questions[0]).toMatchObject({
      answered: 4,
      options: [
        { id: 'price', count: 2, share: 0.5 },
        { id: 'features', count: 2, share: 0.5 },
        { id: 'other', count: 0, share: 0 },
      ],
    });
    expect(summary.questions[1]!.answered).toBe(2);
    expect(summary.questions[1]!.textAnswers!.map((a) => a.text).sort()).toEqual(['Need SSO', 'Too pricey']);
  });

  it('freezes the questions once answered, and keeps answered surveys', async () => {
    const res = await lifecycle.patch(`/v1/surveys/${survey.id}`).send({ questions: [QUESTIONS[1]] });
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([{ path: 'questions', rule: 'has_responses' }]);
    expect((await lifecycle.patch(`/v1/surveys/${survey.id}`).send({ title: 'Why?' })).body.title).toBe(
      'Why?',
    );
    expect((await lifecycle.delete(`/v1/surveys/${survey.id}`)).status).toBe(409);
  });

  it('answers 404 for a link to a deleted survey', async () => {
    const other = await lifecycle
      .post('/v1/surveys')
      .send({ key: 'temp', title: 'Temp', questions: [QUESTIONS[1]] });
    const link = `/v1/s/${token('erin', enrollments[4], other.body.id)}`;
    expect((await lifecycle.delete(`/v1/surveys/${other.body.id}`)).status).toBe(204);
    expect((await t.anonymous().get(link)).status).toBe(404);
  });
});
