import { NavLink } from 'react-router';

const TABS = [
  { to: '/value/cohorts', label: 'Cohort explorer' },
  { to: '/value/ltv-cac', label: 'LTV:CAC & payback' },
  { to: '/value/attribution', label: 'Attribution' },
  { to: '/value/segments', label: 'Segment finder' },
];

/** The customer value pages, one tab each. */
export function ValueTabs() {
  return (
    <nav aria-label="Customer value">
      <ul
        role="list"
        style={{ display: 'flex', gap: '0.5rem', listStyle: 'none', padding: 0, flexWrap: 'wrap' }}
      >
        {TABS.map((t) => (
          <li key={t.to}>
            <NavLink
              to={t.to}
              className={({ isActive }) => `button button--small${isActive ? ' button--primary' : ''}`}
            >
              {t.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
