import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, queryKeys } from '../api/endpoints';
import { ApiError } from '../api/client';
import {
  ROLES,
  type ApiKeyScope,
  type CreateApiKeyResponse,
  type CreateUserResponse,
  type Role,
} from '../api/types';
import { ROLE_LABEL } from '../auth/permissions';
import { useSession } from '../auth/session';
import { Field } from '../components/Field';
import { ErrorNotice, Notice } from '../components/Notice';
import { formatDateTime } from '../lib/format';

export function SettingsPage() {
  return (
    <section className="page" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <ApiKeysSection />
      <UsersSection />
    </section>
  );
}

function ApiKeysSection() {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: queryKeys.apiKeys, queryFn: api.listApiKeys });
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiKeyScope>('ingest');
  const [created, setCreated] = useState<CreateApiKeyResponse | null>(null);
  const create = useMutation({
    mutationFn: api.createApiKey,
    onSuccess: (key) => {
      setCreated(key);
      setName('');
      void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys });
    },
  });
  const revoke = useMutation({
    mutationFn: api.revokeApiKey,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
  const fieldErrors = create.error instanceof ApiError ? create.error.fieldErrorMap() : {};

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    create.mutate({ name: name.trim(), scope });
  }

  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p className="muted">
        <strong>Ingest</strong> keys send events, assign customers and fetch the SDK payload.{' '}
        <strong>Read</strong> keys read results. An ingest key can never read results.
      </p>
      {created ? (
        <Notice tone="success" title="Copy this key now: it will not be shown again.">
          <p>
            <code className="secret" data-testid="new-api-key">
              {created.key}
            </code>
          </p>
        </Notice>
      ) : null}
      <form className="field-row" onSubmit={onSubmit} noValidate>
        <Field id="key-name" label="Name" error={fieldErrors.name}>
          {(p) => (
            <input
              {...p}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="Web shop events"
            />
          )}
        </Field>
        <Field id="key-scope" label="Scope" error={fieldErrors.scope}>
          {(p) => (
            <select {...p} value={scope} onChange={(e) => setScope(e.target.value as ApiKeyScope)}>
              <option value="ingest">Ingest</option>
              <option value="read">Read</option>
            </select>
          )}
        </Field>
        <div className="field field--button">
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            Create key
          </button>
        </div>
      </form>
      <ErrorNotice
        error={create.error ?? revoke.error ?? keys.error}
        shownFields={Object.keys(fieldErrors)}
      />
      {keys.data && keys.data.items.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Scope</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((k) => (
              <tr key={k.id} className={k.revokedAt ? 'row--muted' : undefined}>
                <td>{k.name}</td>
                <td className="mono">{k.prefix}…</td>
                <td>{k.scope}</td>
                <td>{formatDateTime(k.createdAt)}</td>
                <td>{formatDateTime(k.lastUsedAt)}</td>
                <td>
                  {k.revokedAt ? (
                    `Revoked ${formatDateTime(k.revokedAt)}`
                  ) : (
                    <button
                      type="button"
                      className="button button--danger button--small"
                      onClick={() => {
                        if (window.confirm(`Revoke “${k.name}”? Clients using it stop working at once.`)) {
                          revoke.mutate(k.id);
                        }
                      }}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : keys.data ? (
        <p className="muted">No API keys yet.</p>
      ) : null}
    </section>
  );
}

function UsersSection() {
  const session = useSession();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: queryKeys.users, queryFn: api.listUsers });
  const [draft, setDraft] = useState({ email: '', name: '', role: 'marketer' as Role, password: '' });
  const [created, setCreated] = useState<CreateUserResponse | null>(null);
  const create = useMutation({
    mutationFn: api.createUser,
    onSuccess: (res) => {
      setCreated(res);
      setDraft({ email: '', name: '', role: 'marketer', password: '' });
      void queryClient.invalidateQueries({ queryKey: queryKeys.users });
    },
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: { role?: Role; disabled?: boolean } }) =>
      api.updateUser(id, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
  const fieldErrors = create.error instanceof ApiError ? create.error.fieldErrorMap() : {};

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    create.mutate({
      email: draft.email.trim(),
      name: draft.name.trim(),
      role: draft.role,
      ...(draft.password ? { password: draft.password } : {}),
    });
  }

  return (
    <section className="card" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <p className="muted">
        Admins do everything; marketers run experiments; lifecycle reads experiments and customers; executives
        read results only.
      </p>
      {created ? (
        <Notice tone="success" title={`${created.user.email} can now sign in.`}>
          {created.initialPassword ? (
            <p>
              Initial password (shown once): <code className="secret">{created.initialPassword}</code>
            </p>
          ) : null}
        </Notice>
      ) : null}
      <form className="field-row" onSubmit={onSubmit} noValidate>
        <Field id="user-email" label="Email" error={fieldErrors.email}>
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="off"
              value={draft.email}
              onChange={(e) => setDraft({ ...draft, email: e.target.value })}
            />
          )}
        </Field>
        <Field id="user-name" label="Name" error={fieldErrors.name}>
          {(p) => (
            <input {...p} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
          )}
        </Field>
        <Field id="user-role" label="Role" error={fieldErrors.role}>
          {(p) => (
            <select
              {...p}
              value={draft.role}
              onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="user-password"
          label="Initial password"
          error={fieldErrors.password}
          hint="At least 12 characters. Leave empty to generate one."
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              value={draft.password}
              onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            />
          )}
        </Field>
        <div className="field field--button">
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            Add user
          </button>
        </div>
      </form>
      <ErrorNotice
        error={create.error ?? update.error ?? users.error}
        shownFields={Object.keys(fieldErrors)}
      />
      {users.data ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => {
              const self = u.id === session.user?.id;
              return (
                <tr key={u.id} className={u.disabledAt ? 'row--muted' : undefined}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>
                    <label className="visually-hidden" htmlFor={`role-${u.id}`}>
                      Role of {u.email}
                    </label>
                    <select
                      id={`role-${u.id}`}
                      value={u.role}
                      disabled={self || update.isPending}
                      onChange={(e) => update.mutate({ id: u.id, body: { role: e.target.value as Role } })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_LABEL[r]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    {self ? (
                      'You'
                    ) : (
                      <button
                        type="button"
                        className="button button--small"
                        disabled={update.isPending}
                        onClick={() => update.mutate({ id: u.id, body: { disabled: !u.disabledAt } })}
                      >
                        {u.disabledAt ? 'Enable' : 'Disable'}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
