import type { SurveyQuestion } from '@liftlab/contracts';
import type { FieldError } from '../common/domain-error';

/**
 * The survey page behind a signed link: plain HTML with no script, so it works in any mail client's browser.
 * Everything shown comes from the survey definition and is escaped.
 */

/** No script, no external resources; the form may only post back to this server. */
export const SURVEY_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1f2933}
fieldset{border:1px solid #d9e2ec;border-radius:6px;margin:0 0 1rem;padding:1rem}
legend{font-weight:600}label{display:block;margin:.3rem 0}textarea{width:100%;min-height:5rem}
.error{color:#b42318}button{padding:.5rem 1.2rem}`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

const RULE_TEXT: Record<string, string> = {
  required: 'Please answer this question.',
  one_of: 'Please choose one of the options.',
};

function errorText(rule: string): string {
  if (rule.startsWith('max_length_'))
    return `Please keep it under ${rule.slice('max_length_'.length)} characters.`;
  return RULE_TEXT[rule] ?? 'Please check this answer.';
}

/** The form; `values` and `errors` re-fill it after a rejected submission. */
export function renderSurveyForm(
  survey: { title: string; questions: readonly SurveyQuestion[] },
  values: Record<string, string> = {},
  errors: readonly FieldError[] = [],
): string {
  const errorOf = (id: string) => errors.find((e) => e.path === `answers.${id}`);
  const general = errors.filter((e) => !survey.questions.some((q) => e.path === `answers.${q.id}`));
  const fields = survey.questions
    .map((q) => {
      const err = errorOf(q.id);
      const errHtml = err ? `<p class="error">${escapeHtml(errorText(err.rule))}</p>` : '';
      const legend = `<legend>${escapeHtml(q.prompt)}${q.required ? '' : ' (optional)'}</legend>`;
      if (q.type === 'single_choice') {
        const options = q.options
          .map(
            (o) =>
              `<label><input type="radio" name="${escapeHtml(q.id)}" value="${escapeHtml(o.id)}"${
                values[q.id] === o.id ? ' checked' : ''
              }${q.required ? ' required' : ''}> ${escapeHtml(o.label)}</label>`,
          )
          .join('');
        return `<fieldset>${legend}${errHtml}${options}</fieldset>`;
      }
      return `<fieldset>${legend}${errHtml}<textarea name="${escapeHtml(q.id)}" maxlength="${q.maxLength}"${
        q.required ? ' required' : ''
      }>${escapeHtml(values[q.id] ?? '')}</textarea></fieldset>`;
    })
    .join('');
  const generalHtml = general.length
    ? `<p class="error">${escapeHtml(general.map((e) => errorText(e.rule)).join(' '))}</p>`
    : '';
  return layout(
    survey.title,
    `<h1>${escapeHtml(survey.title)}</h1>${generalHtml}<form method="post">${fields}<button type="submit">Send</button></form>`,
  );
}

export function renderSurveyMessage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}
