import type { Role } from '../api/types';

/**
 * What each role may do in the admin app. It mirrors the API's role table so that people never see a control
 * the API would refuse: the API stays the authority, the UI only avoids offering what will fail.
 *
 * admin: everything. marketer: experiments and metrics (write), results (read), imports.
 * lifecycle: reads experiments and customers (runs sequences). executive: reads results and reports only.
 */
export type Capability =
  | 'experiments.read'
  | 'experiments.write'
  | 'experiments.transition'
  | 'customers.read'
  | 'imports.write'
  | 'audit.read'
  | 'settings.manage';

const GRANTS: Record<Role, readonly Capability[]> = {
  admin: [
    'experiments.read',
    'experiments.write',
    'experiments.transition',
    'customers.read',
    'imports.write',
    'audit.read',
    'settings.manage',
  ],
  marketer: [
    'experiments.read',
    'experiments.write',
    'experiments.transition',
    'customers.read',
    'imports.write',
    'audit.read',
  ],
  lifecycle: ['experiments.read', 'customers.read'],
  executive: ['experiments.read'],
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
  { to: '/experiments', label: 'Experiments', requires: 'experiments.read' },
  { to: '/customers', label: 'Customers', requires: 'customers.read' },
  { to: '/imports', label: 'Imports', requires: 'imports.write' },
  { to: '/settings', label: 'Settings', requires: 'settings.manage' },
];

export function navFor(role: Role | undefined | null): NavItem[] {
  return NAV_ITEMS.filter((item) => can(role, item.requires));
}

export const ROLE_LABEL: Record<Role, string> = {
  admin: 'Admin',
  marketer: 'Marketer',
  lifecycle: 'Lifecycle',
  executive: 'Executive',
};
