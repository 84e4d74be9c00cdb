import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../auth/session';
import { ApiError } from '../api/client';
import { Field } from '../components/Field';
import { ErrorNotice } from '../components/Notice';
import { safeNext } from '../lib/navigation';
import { homeFor } from '../auth/permissions';

export function LoginPage() {
  const { user, loading, signIn } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  // Without a page to return to, each role starts where its work is (executives: the portfolio).
  const requested = params.get('next');
  const next = requested ? safeNext(requested) : null;

  if (!loading && user) return <Navigate to={next ?? homeFor(user.role)} replace />;

  const fieldErrors = error instanceof ApiError ? error.fieldErrorMap() : {};

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      const signedIn = await signIn(email.trim(), password);
      navigate(next ?? homeFor(signedIn.role), { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <main className="login" id="main">
      <form className="card login__card" onSubmit={onSubmit} noValidate aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Liftlab</h1>
        <p className="muted">Prove the incremental return of every retention campaign.</p>
        <ErrorNotice error={error} shownFields={['email', 'password']} />
        <Field id="email" label="Email" error={fieldErrors.email}>
          {(p) => (
            <input
              {...p}
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field id="password" label="Password" error={fieldErrors.password}>
          {(p) => (
            <input
              {...p}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button className="button button--primary" type="submit" disabled={submitting}>
          {submitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
