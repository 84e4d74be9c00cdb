import { describe, expect, it } from 'vitest';
import { SurveyQuestionSchema, type SurveyQuestion } from '@liftlab/contracts';
import { checkAnswers, summarise } from './answers';
import { escapeHtml, renderSurveyForm } from './page';

const QUESTIONS: SurveyQuestion[] = [
  SurveyQuestionSchema.parse({
    id: 'reason',
    type: 'single_choice',
    prompt: 'Why did you stop?',
    options: [
      { id: 'price', label: 'Too expensive' },
      { id: 'features', label: 'Missing <features>' },
    ],
  }),
  SurveyQuestionSchema.parse({ id: 'comment', type: 'free_text', prompt: 'Anything else?', maxLength: 10 }),
];

describe('checkAnswers', () => {
  it('keeps valid answers, trimmed, and drops blank optional ones', () => {
    expect(checkAnswers(QUESTIONS, { reason: ' price ', comment: '  ' })).toEqual({
      ok: true,
      answers: { reason: 'price' },
    });
    expect(checkAnswers(QUESTIONS, { reason: 'features', comment: 'ten chars!' })).toEqual({
      ok: true,
      answers: { reason: 'features', comment: 'ten chars!' },
    });
  });

  it('names each bad answer and its rule', () => {
    expect(checkAnswers(QUESTIONS, { reason: 'cheap', comment: 'eleven char', extra: 'x' })).toEqual({
      ok: false,
      errors: [
        { path: 'answers.extra', rule: 'unknown_question' },
        { path: 'answers.reason', rule: 'one_of' },
        { path: 'answers.comment', rule: 'max_length_10' },
      ],
    });
    expect(checkAnswers(QUESTIONS, { comment: 'hi' })).toEqual({
      ok: false,
      errors: [{ path: 'answers.reason', rule: 'required' }],
    });
    expect(checkAnswers(QUESTIONS, { reason: 3 })).toEqual({
      ok: false,
      errors: [{ path: 'answers.reason', rule: 'type_string' }],
    });
  });

  it('needs at least one answer even when every question is optional', () => {
    const optional = [QUESTIONS[1]!];
    expect(checkAnswers(optional, {})).toEqual({
      ok: false,
      errors: [{ path: 'answers', rule: 'at_least_one_answer' }],
    });
  });
});

describe('summarise', () => {
  it('counts every option with its share of those who answered, and lists free text newest first', () => {
    const summary = summarise(
      { id: 's1', key: 'why', title: 'Why', questions: QUESTIONS },
      5,
      [
        { question: 'reason', answer: 'price', count: 3 },
        { question: 'reason', answer: 'removed-option', count: 7 },
        { question: 'comment', answer: 'a', count: 1 },
        { question: 'comment', answer: 'b', count: 1 },
      ],
      [
        { question: 'comment', text: 'a', submittedAt: new Date('2025-01-01T00:00:00Z') },
        { question: 'comment', text: 'b', submittedAt: new Date('2025-01-02T00:00:00Z') },
      ],
    );
    expect(summary.responses).toBe(5);
    expect(summary.questions[0]).toEqual({
      id: 'reason',
      type: 'single_choice',
      prompt: 'Why did you stop?',
      answered: 3,
      options: [
        { id: 'price', label: 'Too expensive', count: 3, share: 1 },
        { id: 'features', label: 'Missing <features>', count: 0, share: 0 },
      ],
      textAnswers: null,
    });
    expect(summary.questions[1]).toMatchObject({
      answered: 2,
      options: null,
      textAnswers: [
        { text: 'b', submittedAt: '2025-01-02T00:00:00.000Z' },
        { text: 'a', submittedAt: '2025-01-01T00:00:00.000Z' },
      ],
    });
  });
});

describe('survey page', () => {
  it('escapes everything from the survey definition and re-fills answers after an error', () => {
    const html = renderSurveyForm(
      { title: 'Tell us <why>', questions: QUESTIONS },
      { reason: 'features', comment: '"><script>' },
      [{ path: 'answers.comment', rule: 'max_length_10' }],
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('Tell us &lt;why&gt;');
    expect(html).toContain('Missing &lt;features&gt;');
    expect(html).toContain('value="features" checked');
    expect(html).toContain('&quot;&gt;&lt;script&gt;</textarea>');
    expect(html).toContain('Please keep it under 10 characters.');
    expect(escapeHtml(`&'`)).toBe('&amp;&#39;');
  });
});
