import type { SurveyQuestion, SurveySummary } from '@liftlab/contracts';
import type { FieldError } from '../common/domain-error';

/** Free-text answers listed per question in a summary, newest first. */
export const MAX_TEXT_ANSWERS = 200;

export type AnswerCheck = { ok: true; answers: Record<string, string> } | { ok: false; errors: FieldError[] };

/**
 * Checks submitted answers against the survey's questions. Blank answers count as not given (a browser form
 * sends every field), so they are dropped from what is stored. Paths are `answers.<questionId>`.
 */
export function checkAnswers(
  questions: readonly SurveyQuestion[],
  raw: Record<string, unknown>,
): AnswerCheck {
  const errors: FieldError[] = [];
  const answers: Record<string, string> = {};
  const known = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) errors.push({ path: `answers.${key}`, rule: 'unknown_question' });
  }
  for (const q of questions) {
    const path = `answers.${q.id}`;
    const value = raw[q.id];
    if (value !== undefined && typeof value !== 'string') {
      errors.push({ path, rule: 'type_string' });
      continue;
    }
    const text = value?.trim() ?? '';
    if (text === '') {
      if (q.required) errors.push({ path, rule: 'required' });
      continue;
    }
    if (q.type === 'single_choice') {
      if (!q.options.some((o) => o.id === text)) errors.push({ path, rule: 'one_of' });
      else answers[q.id] = text;
    } else if ([...text].length > q.maxLength) {
      errors.push({ path, rule: `max_length_${q.maxLength}` });
    } else {
      answers[q.id] = text;
    }
  }
  if (errors.length === 0 && Object.keys(answers).length === 0)
    errors.push({ path: 'answers', rule: 'at_least_one_answer' });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, answers };
}

/** Answers counted by the database: one row per (question, answer value). */
export interface AnswerCount {
  question: string;
  answer: string;
  count: number;
}

export interface TextAnswer {
  question: string;
  text: string;
  submittedAt: Date;
}

/**
 * Per question: how many responses answered it; per option its count and share of those (0 when nobody
 * answered); free-text answers newest first. Answers to options that no longer exist are not shown.
 */
export function summarise(
  survey: { id: string; key: string; title: string; questions: readonly SurveyQuestion[] },
  responses: number,
  counts: readonly AnswerCount[],
  texts: readonly TextAnswer[],
): SurveySummary {
  return {
    surveyId: survey.id,
    key: survey.key,
    title: survey.title,
    responses,
    questions: survey.questions.map((q) => {
      const mine = counts.filter((c) => c.question === q.id);
      if (q.type === 'single_choice') {
        const byOption = new Map(mine.map((c) => [c.answer, c.count]));
        const answered = q.options.reduce((s, o) => s + (byOption.get(o.id) ?? 0), 0);
        return {
          id: q.id,
          type: q.type,
          prompt: q.prompt,
          answered,
          options: q.options.map((o) => {
            const count = byOption.get(o.id) ?? 0;
            return { id: o.id, label: o.label, count, share: answered > 0 ? count / answered : 0 };
          }),
          textAnswers: null,
        };
      }
      return {
        id: q.id,
        type: q.type,
        prompt: q.prompt,
        answered: mine.reduce((s, c) => s + c.count, 0),
        options: null,
        textAnswers: texts
          .filter((t) => t.question === q.id)
          .sort((a, b) => b.submittedAt.getTime() - a.submittedAt.getTime())
          .slice(0, MAX_TEXT_ANSWERS)
          .map((t) => ({ text: t.text, submittedAt: t.submittedAt.toISOString() })),
      };
    }),
  };
}
