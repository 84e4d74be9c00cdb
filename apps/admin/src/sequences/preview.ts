import { TOUCH_CONTENT_SCHEMAS, toFieldErrors } from '@liftlab/contracts';
import type { AudiencePreview, TemplatePreviewRequest } from '@liftlab/contracts';
import { ApiError } from '../api/client';
import type { FormErrors, MappingResult } from '../experiments/form';
import { contentOf, normaliseErrorPath, type TouchForm } from './form';

/**
 * Live previews of the builder: the audience counts and a touch rendered on a real customer. Both only call the
 * API with input it would accept, and both turn the API's answer into something shown next to the right field.
 */

/**
 * The template preview request of one touch, or the content errors that keep it from being sent. Errors are
 * keyed like the API's (`content.subject`, `content.variants.1.text`), relative to the touch.
 */
export function templatePreviewRequest(
  touch: TouchForm,
  customerExternalId: string,
): MappingResult<TemplatePreviewRequest> {
  const errors: FormErrors = {};
  const externalId = customerExternalId.trim();
  if (!externalId) errors.customerExternalId = 'required';
  const content = contentOf(touch);
  const parsed = TOUCH_CONTENT_SCHEMAS[touch.channel].safeParse(content);
  if (!parsed.success) {
    for (const { path, rule } of toFieldErrors(parsed.error)) {
      const field = path ? `content.${path}` : 'content';
      if (!(field in errors)) errors[field] = rule;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const offerKey = touch.offerKey.trim();
  return {
    ok: true,
    request: {
      channel: touch.channel,
      content: content as Record<string, unknown>,
      customerExternalId: externalId,
      ...(offerKey ? { offerKey } : {}),
    },
  };
}

export interface RenderProblem {
  /** Rule code from the API (`template_syntax`, `template_undefined_variable`, `unknown_customer`, …). */
  rule: string;
  /** The renderer's own words (line, column, the variable it could not find), when the API sent them. */
  detail: string | undefined;
}

/**
 * A failed preview as problems keyed by field (relative to the touch, dotted). A template error names one field;
 * its detail ("content.subject: undefined variable: customer.fist_name, line:1, col:9") is kept without the
 * field prefix, which the page already shows by placing it under that field.
 */
export function renderProblems(error: unknown): Record<string, RenderProblem> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, RenderProblem> = {};
  for (const e of error.fieldErrors) {
    const field = normaliseErrorPath(e.path);
    if (field in out) continue;
    let detail = error.detail;
    if (detail) {
      const prefix = /^[\w.[\]]+:\s*/.exec(detail)?.[0];
      if (prefix && normaliseErrorPath(prefix.replace(/:\s*$/, '')) === field)
        detail = detail.slice(prefix.length);
    }
    out[field] = { rule: e.rule, detail: error.fieldErrors.length === 1 ? detail : undefined };
  }
  return out;
}

export const EXCLUSION_LABEL: Record<keyof AudiencePreview['excluded'], string> = {
  suppressed: 'Suppressed (bounced or blocked)',
  unsubscribed: 'Unsubscribed',
  recentlyContacted: 'Contacted recently',
  globalHoldout: 'In the global holdout',
  alreadyEnrolled: 'Already enrolled',
};

export interface ExclusionRow {
  reason: keyof AudiencePreview['excluded'];
  label: string;
  count: number;
}

/** Exclusions in the API's order of precedence (a customer is counted under the first reason that applies). */
export function exclusionRows(preview: AudiencePreview): ExclusionRow[] {
  return (Object.keys(EXCLUSION_LABEL) as (keyof AudiencePreview['excluded'])[]).map((reason) => ({
    reason,
    label: EXCLUSION_LABEL[reason],
    count: preview.excluded[reason],
  }));
}

/** Customers matched by the rules but left out for any reason. */
export function totalExcluded(preview: AudiencePreview): number {
  return exclusionRows(preview).reduce((s, r) => s + r.count, 0);
}
