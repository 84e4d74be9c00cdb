import { useState, type FormEvent } from 'react';
import type { CostCategory, CostLineInput } from '../api/types';
import { ApiError } from '../api/client';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { formatAmount } from '../lib/format';
import type { FormErrors } from '../experiments/form';
import { CATEGORY_LABEL, COST_CATEGORIES } from './money';
import { changeCategory, COST_FIELDS, costLineTotal, toCostLineInput, type CostForm } from './forms';

const CATEGORY_HINT: Record<CostCategory, string> = {
  technology: 'A shared subscription, charged by the share of customers the campaign touches.',
  people: 'Staff time at its fully loaded rate.',
  content: 'Creative with a life beyond this campaign, spread over its useful life.',
  media: 'Paid media, charged as spent.',
  incentives: 'Discounts and vouchers, charged when redeemed.',
};

function safeTotal(line: CostLineInput): number | null {
  try {
    return costLineTotal(line);
  } catch {
    return null;
  }
}

/**
 * One ledger line: the kind of cost decides the inputs. Checked locally with the API's schema before sending;
 * the API's own field errors land under the same inputs.
 */
export function CostLineForm({
  idPrefix,
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  title,
}: {
  idPrefix: string;
  initial: CostForm;
  submitLabel: string;
  onSubmit: (line: CostLineInput) => Promise<unknown>;
  onCancel?: () => void;
  title: string;
}) {
  const [form, setForm] = useState<CostForm>(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [serverError, setServerError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const mapped = toCostLineInput(form);
  const preview = mapped.ok ? safeTotal(mapped.request) : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setServerError(null);
    if (!mapped.ok) {
      setErrors(mapped.errors);
      return;
    }
    setErrors({});
    setPending(true);
    try {
      await onSubmit(mapped.request);
    } catch (error) {
      setServerError(error);
      if (error instanceof ApiError) setErrors(error.fieldErrorMap());
    } finally {
      setPending(false);
    }
  }

  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <form className="cost-form" onSubmit={submit} noValidate aria-label={title}>
      <ErrorNotice error={serverError} shownFields={Object.keys(errors)} />
      <div className="field-row">
        <Field
          id={id('category')}
          label="Kind of cost"
          error={errors.category}
          hint={CATEGORY_HINT[form.category]}
        >
          {(p) => (
            <select
              {...p}
              value={form.category}
              onChange={(e) => setForm(changeCategory(form, e.target.value as CostCategory))}
            >
              {COST_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABEL[c]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={id('label')} label="Label" error={errors.label}>
          {(p) => (
            <input
              {...p}
              value={form.label}
              placeholder="e.g. CRM manager, voucher, paid social"
              onChange={(e) => setForm({ ...form, label: e.target.value })}
            />
          )}
        </Field>
      </div>
      <div className="field-row">
        {COST_FIELDS[form.category].map((f) => (
          <Field key={f.name} id={id(f.name)} label={f.label} error={errors[f.name]} hint={f.hint}>
            {(p) => (
              <input
                {...p}
                inputMode="decimal"
                value={form.values[f.name] ?? ''}
                onChange={(e) => setForm({ ...form, values: { ...form.values, [f.name]: e.target.value } })}
              />
            )}
          </Field>
        ))}
      </div>
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button button--quiet" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <span className="muted" aria-live="polite">
          {preview !== null ? `Charges ${formatAmount(preview)} in total, before discounting.` : ''}
        </span>
      </div>
    </form>
  );
}
