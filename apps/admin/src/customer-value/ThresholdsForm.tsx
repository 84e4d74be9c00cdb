import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CustomerValueSettings, CustomerValueSettingsUpdate } from '@liftlab/contracts';
import { ApiError } from '../api/client';
import { Field } from '../components/Field';
import { ErrorNotice, Notice } from '../components/Notice';
import { clvApi, clvKeys } from './api';

const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/** Segment thresholds and prediction horizon; the API validates and names the field of a bad value. */
export function ThresholdsForm({
  settings,
  canWrite,
}: {
  settings: CustomerValueSettings;
  canWrite: boolean;
}) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState(settings.thresholdKind);
  const [quantile, setQuantile] = useState(String(settings.clvQuantile));
  const [amount, setAmount] = useState(settings.clvAmount === null ? '' : String(settings.clvAmount));
  const [alive, setAlive] = useState(String(settings.aliveThreshold));
  const [horizon, setHorizon] = useState(String(settings.horizonMonths));
  const [rate, setRate] = useState(String(settings.annualDiscountRate));
  const [holdout, setHoldout] = useState(String(settings.holdoutDays));
  const save = useMutation({
    mutationFn: (body: CustomerValueSettingsUpdate) => clvApi.saveSettings(body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: clvKeys.summary }),
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrorMap() : {};

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save.mutate({
      thresholdKind: kind,
      ...(kind === 'quantile' ? { clvQuantile: num(quantile) } : {}),
      clvAmount: amount.trim() === '' ? null : num(amount),
      aliveThreshold: num(alive),
      horizonMonths: num(horizon),
      annualDiscountRate: num(rate),
      holdoutDays: num(holdout),
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="thresholds-title" data-testid="thresholds-form">
      <h2 id="thresholds-title">Segment thresholds</h2>
      <p className="muted">Changes apply from the next fit.</p>
      <fieldset disabled={!canWrite} className="field-row" style={{ flexWrap: 'wrap' }}>
        <Field id="clv-kind" label="High value is" error={errors.thresholdKind}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
              <option value="quantile">a quantile of predicted CLV</option>
              <option value="absolute">an amount of predicted CLV</option>
            </select>
          )}
        </Field>
        {kind === 'quantile' ? (
          <Field id="clv-quantile" label="CLV quantile (0.8 = top 20%)" error={errors.clvQuantile}>
            {(p) => (
              <input
                {...p}
                inputMode="decimal"
                value={quantile}
                onChange={(e) => setQuantile(e.target.value)}
              />
            )}
          </Field>
        ) : (
          <Field id="clv-amount" label="Predicted CLV from" error={errors.clvAmount}>
            {(p) => (
              <input {...p} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />
            )}
          </Field>
        )}
        <Field id="alive-threshold" label="Alive from P(alive)" error={errors.aliveThreshold}>
          {(p) => (
            <input {...p} inputMode="decimal" value={alive} onChange={(e) => setAlive(e.target.value)} />
          )}
        </Field>
        <Field id="clv-horizon" label="Horizon (months)" error={errors.horizonMonths}>
          {(p) => (
            <input {...p} inputMode="numeric" value={horizon} onChange={(e) => setHorizon(e.target.value)} />
          )}
        </Field>
        <Field id="clv-rate" label="Discount rate a year" error={errors.annualDiscountRate}>
          {(p) => <input {...p} inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} />}
        </Field>
        <Field id="clv-holdout" label="Calibration holdout (days)" error={errors.holdoutDays}>
          {(p) => (
            <input {...p} inputMode="numeric" value={holdout} onChange={(e) => setHoldout(e.target.value)} />
          )}
        </Field>
        <div className="field field--button">
          <button type="submit" className="button" disabled={save.isPending}>
            Save thresholds
          </button>
        </div>
      </fieldset>
      {save.isSuccess ? <Notice tone="success" title="Saved: refit to apply." /> : null}
      <ErrorNotice error={save.error} shownFields={Object.keys(errors)} />
    </form>
  );
}
