import { useEffect, useState } from 'react';
import type { SequenceStatus, TargetingOperator } from '@liftlab/contracts';
import { Field } from '../components/Field';
import {
  OPERATOR_LABEL,
  operatorTakesValue,
  TARGETING_ATTRIBUTES,
  type FormErrors,
  type TargetingForm,
} from '../experiments/form';
import { SEQUENCE_STATUS_LABEL } from './form';
import './sequences.css';

const OPERATORS = Object.keys(OPERATOR_LABEL) as TargetingOperator[];

/** The value after it has stopped changing for `ms` (live previews call the API once typing pauses). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function SequenceStatusBadge({ status }: { status: SequenceStatus }) {
  return (
    <span className={`badge seq-badge--${status}`} data-testid="sequence-status">
      {SEQUENCE_STATUS_LABEL[status]}
    </span>
  );
}

/**
 * Conditions on customer columns and traits (all must hold), the same rows as experiment targeting. `prefix` is
 * the request path of the list (`audience.conditions`, `touches.2.conditions`): inputs carry it as their id so
 * errors from the API land on them.
 */
export function ConditionRows({
  prefix,
  rules,
  errors,
  onChange,
  legend,
  emptyText,
  disabled = false,
}: {
  prefix: string;
  rules: TargetingForm[];
  errors: FormErrors;
  onChange: (rules: TargetingForm[]) => void;
  legend: string;
  emptyText: string;
  disabled?: boolean;
}) {
  const update = (i: number, patch: Partial<TargetingForm>) =>
    onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const listId = `${prefix}-attributes`;
  return (
    <fieldset className="subgroup" disabled={disabled}>
      <legend>{legend}</legend>
      {rules.length === 0 ? <p className="muted">{emptyText}</p> : null}
      {rules.map((rule, i) => (
        <div className="rule-row" key={i}>
          <Field id={`${prefix}.${i}.attribute`} label="Attribute" error={errors[`${prefix}.${i}.attribute`]}>
            {(p) => (
              <input
                {...p}
                list={listId}
                value={rule.attribute}
                onChange={(e) => update(i, { attribute: e.target.value })}
              />
            )}
          </Field>
          <Field id={`${prefix}.${i}.operator`} label="Condition" error={errors[`${prefix}.${i}.operator`]}>
            {(p) => (
              <select
                {...p}
                value={rule.operator}
                onChange={(e) => update(i, { operator: e.target.value as TargetingOperator })}
              >
                {OPERATORS.map((op) => (
                  <option key={op} value={op}>
                    {OPERATOR_LABEL[op]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {operatorTakesValue(rule.operator) ? (
            <Field
              id={`${prefix}.${i}.value`}
              label="Value"
              error={errors[`${prefix}.${i}.value`]}
              hint={
                rule.operator === 'in' || rule.operator === 'not_in'
                  ? 'Separate values with commas.'
                  : undefined
              }
            >
              {(p) => (
                <input {...p} value={rule.value} onChange={(e) => update(i, { value: e.target.value })} />
              )}
            </Field>
          ) : null}
          <button
            type="button"
            className="button button--quiet"
            aria-label={`Remove ${legend.toLowerCase()} condition ${i + 1}`}
            onClick={() => onChange(rules.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      <datalist id={listId}>
        {[...TARGETING_ATTRIBUTES, 'traits.'].map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <button
        type="button"
        className="button button--small"
        onClick={() => onChange([...rules, { attribute: 'segment', operator: 'in', value: '' }])}
      >
        Add condition
      </button>
    </fieldset>
  );
}
