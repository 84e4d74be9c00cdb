import { describe, expect, it } from 'vitest';
import { can, navFor } from '../auth/permissions';

const SEQUENCE_PAGES = ['Sequences', 'Outbox', 'Tasks', 'Signals'];
const shown = (role: Parameters<typeof navFor>[0]) =>
  navFor(role)
    .map((n) => n.label)
    .filter((l) => SEQUENCE_PAGES.includes(l));

describe('sequence pages in the navigation', () => {
  it('shows every sequence page to the roles that run sequences', () => {
    expect(shown('admin')).toEqual(SEQUENCE_PAGES);
    expect(shown('marketer')).toEqual(SEQUENCE_PAGES);
    expect(shown('lifecycle')).toEqual(SEQUENCE_PAGES);
  });

  it('shows executives the read-only ones: sequences (with results) and the signals board', () => {
    expect(shown('executive')).toEqual(['Sequences', 'Signals']);
    for (const c of ['sequences.write', 'messages.read', 'tasks.work', 'signals.resolve'] as const) {
      expect(can('executive', c)).toBe(false);
    }
    expect(shown(null)).toEqual([]);
  });

  it('keeps money away from lifecycle while giving them the sequence work', () => {
    for (const c of ['sequences.write', 'messages.read', 'tasks.work', 'signals.resolve'] as const) {
      expect(can('lifecycle', c)).toBe(true);
    }
    expect(can('lifecycle', 'campaigns.read')).toBe(false);
    expect(can('lifecycle', 'results.read')).toBe(false);
  });
});
