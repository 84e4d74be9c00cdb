import { Suspense } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useSession } from '../auth/session';
import { navFor, ROLE_LABEL } from '../auth/permissions';

export function Layout() {
  const { user, role, signOut } = useSession();
  const navigate = useNavigate();
  const items = navFor(role);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" end className="brand" aria-label="Liftlab home">
          <svg viewBox="0 0 32 32" width="24" height="24" aria-hidden="true">
            <rect width="32" height="32" rx="6" fill="currentColor" />
            <path
              d="M8 22 L14 14 L18 18 L24 9"
              stroke="#fff"
              strokeWidth="3"
              fill="none"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <span>Liftlab</span>
        </NavLink>
        <nav aria-label="Main">
          <ul className="nav">
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        {user ? (
          <div className="whoami">
            <span className="whoami__name">{user.name || user.email}</span>
            <span className={`role role--${user.role}`}>{role ? ROLE_LABEL[role] : ''}</span>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                void signOut().then(() => navigate('/login'));
              }}
            >
              Sign out
            </button>
          </div>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense
          fallback={
            <p className="loading" role="status">
              Loading…
            </p>
          }
        >
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
