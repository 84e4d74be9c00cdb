import type { ReactNode } from 'react';
import { ruleMessage } from '../api/rules';

export interface FieldControlProps {
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

interface FieldProps {
  id: string;
  label: ReactNode;
  /** Rule code from local validation or the API's problem `errors[].rule`. */
  error?: string | undefined;
  hint?: ReactNode;
  children: (control: FieldControlProps) => ReactNode;
  className?: string;
}

/** A labelled control whose error and hint are announced with it (aria-describedby). */
export function Field({ id, label, error, hint, children, className }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field__error" id={errorId} data-field-error={id}>
          {ruleMessage(error)}
        </p>
      ) : null}
    </div>
  );
}

/** Error for a group of controls (variant rows, metric list) that has no single input. */
export function GroupError({ id, error }: { id: string; error?: string | undefined }) {
  if (!error) return null;
  return (
    <p className="field__error" id={id} role="alert" tabIndex={-1} data-field-error={id}>
      {ruleMessage(error)}
    </p>
  );
}
