import type { Role } from '../api/types';

/**
 * What each role may do in the admin app. It mirrors the API's role table so that people never see a control
 * the API would refuse: the API stays the authority, the UI only avoids offering what will fail.
 *
 * admin: everything. marketer: experiments, metrics and campaigns (write), results (read and refresh), imports.
 * lifecycle: reads experiments and customers, runs sequences (outbox, tasks, signals); the API does not show them
 * experiment results or money. executive: reads results, campaigns, reports, sequences and signals; edits nothing.
 */
export type Capability =
  | 'experiments.read'
  | 'experiments.write'
  | 'experiments.transition'
  | 'results.read'
  | 'results.refresh'
  | 'campaigns.read'
  | 'campaigns.write'
  | 'reports.read'
  | 'customers.read'
  | 'imports.write'
  | 'audit.read'
  | 'settings.manage'
  | 'sequences.read'
  | 'sequences.write'
  | 'messages.read'
  | 'tasks.work'
  | 'signals.read'
  | 'signals.resolve';

const GRANTS: Record<Role, readonly Capability[]> = {
  admin: [
    'experiments.read',
    'experiments.write',
    'experiments.transition',
    'results.read',
    'results.refresh',
    'campaigns.read',
    'campaigns.write',
    'reports.read',
    'customers.read',
    'imports.write',
    'audit.read',
    'settings.manage',
    'sequences.read',
    'sequences.write',
    'messages.read',
    'tasks.work',
    'signals.read',
    'signals.resolve',
  ],
  marketer: [
    'experiments.read',
    'experiments.write',
    'experiments.transition',
    'results.read',
    'results.refresh',
    'campaigns.read',
    'campaigns.write',
    'reports.read',
    'customers.read',
    'imports.write',
    'audit.read',
    'sequences.read',
    'sequences.write',
    'messages.read',
    'tasks.work',
    'signals.read',
    'signals.resolve',
  ],
  lifecycle: [
    'experiments.read',
    'customers.read',
    'sequences.read',
    'sequences.write',
    'messages.read',
    'tasks.work',
    'signals.read',
    'signals.resolve',
  ],
  executive: [
    'experiments.read',
    'results.read',
    'campaigns.read',
    'reports.read',
    'sequences.read',
    'signals.read',
  ],
};

export function can(role: Role | undefined | null, capability: Capability): boolean {
  if (!role) return false;
  return GRANTS[role]?.includes(capability) ?? false;
}

export interface NavItem {
  to: string;
  label: string;
  requires: Capability;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/reports/portfolio', label: 'Portfolio', requires: 'reports.read' },
  { to: '/experiments', label: 'Experiments', requires: 'experiments.read' },
  { to: '/campaigns', label: 'Campaigns', requires: 'campaigns.read' },
  { to: '/value/cohorts', label: 'Customer value', requires: 'results.read' },
  { to: '/value/clv', label: 'Value segments', requires: 'experiments.read' },
  { to: '/customers', label: 'Customers', requires: 'customers.read' },
  { to: '/sequences', label: 'Sequences', requires: 'sequences.read' },
  { to: '/outbox', label: 'Outbox', requires: 'messages.read' },
  { to: '/tasks', label: 'Tasks', requires: 'tasks.work' },
  { to: '/signals', label: 'Signals', requires: 'signals.read' },
  { to: '/imports', label: 'Imports', requires: 'imports.write' },
  { to: '/settings', label: 'Settings', requires: 'settings.manage' },
];

export function navFor(role: Role | undefined | null): NavItem[] {
  return NAV_ITEMS.filter((item) => can(role, item.requires));
}

/** Where a person lands after signing in: executives on the portfolio, everyone else on the experiments. */
export function homeFor(role: Role | undefined | null): string {
  return role === 'executive' ? '/reports/portfolio' : '/experiments';
}

export const ROLE_LABEL: Record<Role, string> = {
  admin: 'Admin',
  marketer: 'Marketer',
  lifecycle: 'Lifecycle',
  executive: 'Executive',
};
