import { describe, expect, it } from 'vitest';
import { can, homeFor, navFor, type Capability } from './permissions';
import { ROLES } from '../api/types';

const WRITES: Capability[] = [
  'experiments.write',
  'experiments.transition',
  'results.refresh',
  'campaigns.write',
  'imports.write',
  'settings.manage',
];

describe('role gating', () => {
  it('lets an executive read results, campaigns and reports, and change nothing', () => {
    for (const c of ['experiments.read', 'results.read', 'campaigns.read', 'reports.read'] as const) {
      expect(can('executive', c)).toBe(true);
    }
    for (const c of WRITES) expect(can('executive', c)).toBe(false);
    expect(can('executive', 'customers.read')).toBe(false);
  });

  it('lets lifecycle read experiments and customers but not results, money or changes', () => {
    expect(can('lifecycle', 'experiments.read')).toBe(true);
    expect(can('lifecycle', 'customers.read')).toBe(true);
    for (const c of ['results.read', 'campaigns.read', 'reports.read', ...WRITES] as const) {
      expect(can('lifecycle', c)).toBe(false);
    }
  });

  it('lets marketers run experiments and campaigns but not manage users and keys', () => {
    for (const c of [
      'experiments.write',
      'experiments.transition',
      'results.refresh',
      'campaigns.write',
    ] as const) {
      expect(can('marketer', c)).toBe(true);
    }
    expect(can('marketer', 'settings.manage')).toBe(false);
  });

  it('gives admins everything and nobody anything without a role', () => {
    for (const c of [...WRITES, 'customers.read', 'reports.read'] as const) {
      expect(can('admin', c)).toBe(true);
      expect(can(null, c)).toBe(false);
    }
  });

  it('builds the navigation from the same rules', () => {
    expect(navFor('executive').map((n) => n.label)).toEqual([
      'Portfolio',
      'Experiments',
      'Campaigns',
      'Customer value',
      'Value segments',
      'Sequences',
      'Signals',
    ]);
    expect(navFor('lifecycle').map((n) => n.label)).toEqual([
      'Experiments',
      'Value segments',
      'Customers',
      'Sequences',
      'Outbox',
      'Tasks',
      'Signals',
    ]);
    expect(navFor('admin').map((n) => n.label)).toEqual([
      'Portfolio',
      'Experiments',
      'Campaigns',
      'Customer value',
      'Value segments',
      'Customers',
      'Sequences',
      'Outbox',
      'Tasks',
      'Signals',
      'Imports',
      'Settings',
    ]);
    for (const role of ROLES) {
      for (const item of navFor(role)) expect(can(role, item.requires)).toBe(true);
    }
  });

  it('starts executives on the portfolio and everyone else on the experiments', () => {
    expect(homeFor('executive')).toBe('/reports/portfolio');
    for (const role of ['admin', 'marketer', 'lifecycle'] as const)
      expect(homeFor(role)).toBe('/experiments');
    expect(homeFor(null)).toBe('/experiments');
  });
});
