import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/client';
import { ruleMessage } from '../api/rules';

type Tone = 'info' | 'warning' | 'error' | 'success';

export function Notice({ tone, title, children }: { tone: Tone; title?: ReactNode; children?: ReactNode }) {
  const role = tone === 'error' || tone === 'warning' ? 'alert' : 'status';
  return (
    <div className={`notice notice--${tone}`} role={role}>
      {title ? <p className="notice__title">{title}</p> : null}
      {children}
    </div>
  );
}

/**
 * Shows a failed request. Field errors that no form input displays (e.g. a path the form does not know)
 * are listed here so nothing the API said is lost.
 */
export function ErrorNotice({ error, shownFields = [] }: { error: unknown; shownFields?: string[] }) {
  if (!error) return null;
  const unshown =
    error instanceof ApiError ? error.fieldErrors.filter((e) => !shownFields.includes(e.path)) : [];
  return (
    <Notice tone="error" title={errorMessage(error)}>
      {unshown.length > 0 ? (
        <ul>
          {unshown.map((e) => (
            <li key={`${e.path}:${e.rule}`}>
              <code>{e.path || 'request'}</code>: {ruleMessage(e.rule)}
            </li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}
