import { describe, expect, it } from 'vitest';
import { can, navFor } from './permissions';
import { ROLES } from '../api/types';

describe('role gating', () => {
  it('never offers an executive an edit, a transition, imports or settings', () => {
    expect(can('executive', 'experiments.read')).toBe(true);
    for (const c of [
      'experiments.write',
      'experiments.transition',
      'imports.write',
      'settings.manage',
    ] as const) {
      expect(can('executive', c)).toBe(false);
    }
  });

  it('lets lifecycle read experiments and customers but not change experiments', () => {
    expect(can('lifecycle', 'experiments.read')).toBe(true);
    expect(can('lifecycle', 'customers.read')).toBe(true);
    expect(can('lifecycle', 'experiments.write')).toBe(false);
    expect(can('lifecycle', 'experiments.transition')).toBe(false);
  });

  it('lets marketers run experiments but not manage users and keys', () => {
    expect(can('marketer', 'experiments.write')).toBe(true);
    expect(can('marketer', 'experiments.transition')).toBe(true);
    expect(can('marketer', 'settings.manage')).toBe(false);
  });

  it('gives admins everything and nobody anything without a role', () => {
    for (const c of ['experiments.write', 'settings.manage', 'imports.write', 'customers.read'] as const) {
      expect(can('admin', c)).toBe(true);
      expect(can(null, c)).toBe(false);
    }
  });

  it('builds the navigation from the same rules', () => {
    expect(navFor('executive').map((n) => n.label)).toEqual(['Experiments']);
    expect(navFor('lifecycle').map((n) => n.label)).toEqual(['Experiments', 'Customers']);
    expect(navFor('admin').map((n) => n.label)).toEqual(['Experiments', 'Customers', 'Imports', 'Settings']);
    for (const role of ROLES) {
      for (const item of navFor(role)) expect(can(role, item.requires)).toBe(true);
    }
  });
});
