import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Offer, OfferKind } from '@liftlab/contracts';
import { ApiError } from '../api/client';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import type { FormErrors } from '../experiments/form';
import { sequencesApi, sequenceKeys } from './api';
import { fieldMessages } from './messages';
import { emptyOfferForm, OFFER_KIND_LABEL, toOfferRequest, type OfferForm } from './offer-form';

/**
 * Creates an offer without leaving the builder; it then appears in every touch's offer picker. A plain group of
 * controls rather than a form, because it sits inside the builder's form.
 */
export function NewOffer({ onCreated }: { onCreated: (offer: Offer) => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<OfferForm>(emptyOfferForm);
  const [errors, setErrors] = useState<FormErrors>({});
  const create = useMutation({
    mutationFn: sequencesApi.createOffer,
    onSuccess: (offer) => {
      void queryClient.invalidateQueries({ queryKey: sequenceKeys.offers });
      setForm(emptyOfferForm());
      setErrors({});
      onCreated(offer);
    },
    onError: (error) => {
      if (error instanceof ApiError) setErrors(fieldMessages(error.fieldErrorMap()));
    },
  });
  const update = (patch: Partial<OfferForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setErrors({});
  };
  const submit = () => {
    const mapped = toOfferRequest(form);
    if (!mapped.ok) {
      setErrors(fieldMessages(mapped.errors));
      return;
    }
    create.mutate(mapped.request);
  };
  const text = (name: keyof OfferForm, label: string, hint?: string) => (
    <Field id={`offer-${name}`} label={label} error={errors[name]} hint={hint}>
      {(p) => (
        <input
          {...p}
          value={form[name]}
          onChange={(e) => update({ [name]: e.target.value })}
          onKeyDown={(e) => {
            // Enter creates the offer; it must not submit the sequence form around it.
            if (e.key === 'Enter') {
              e.preventDefault();
              submit();
            }
          }}
        />
      )}
    </Field>
  );
  return (
    <details className="subgroup" data-testid="new-offer">
      <summary>New offer</summary>
      <div role="group" aria-label="New offer">
        <ErrorNotice error={create.error} shownFields={Object.keys(errors)} />
        <div className="field-row">
          <Field id="offer-kind" label="Kind" error={errors.kind}>
            {(p) => (
              <select
                {...p}
                value={form.kind}
                onChange={(e) => update({ kind: e.target.value as OfferKind })}
              >
                {(Object.keys(OFFER_KIND_LABEL) as OfferKind[]).map((k) => (
                  <option key={k} value={k}>
                    {OFFER_KIND_LABEL[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('key', 'Offer key')}
          {text('name', 'Offer name')}
        </div>
        <div className="field-row">
          {form.kind === 'discount' ? (
            <>
              {text('percent', 'Discount (%)')}
              {text('codePrefix', 'Code prefix', 'Codes look like PREFIX-7K3M9QXT, one per customer.')}
            </>
          ) : null}
          {form.kind === 'tier_upgrade' ? text('targetTier', 'Target tier') : null}
          {form.kind === 'pilot' ? (
            <>
              {text('termsDays', 'Pilot length (days)')}
              {text('description', 'Terms')}
            </>
          ) : null}
          {text(
            'validDays',
            'Valid for (days)',
            form.kind === 'discount' ? 'From the touch that carries it.' : 'Empty: does not expire.',
          )}
        </div>
        <button type="button" className="button" disabled={create.isPending} onClick={submit}>
          {create.isPending ? 'Creating…' : 'Create offer'}
        </button>
      </div>
    </details>
  );
}
