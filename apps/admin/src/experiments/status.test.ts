import { describe, expect, it } from 'vitest';
import { availableActions, canEdit, isLocked } from './status';

describe('status actions', () => {
  it('follows draft → running → stopped → concluded for roles that may change experiments', () => {
    expect(availableActions('draft', 'marketer')).toEqual(['start']);
    expect(availableActions('running', 'admin')).toEqual(['ramp', 'stop']);
    expect(availableActions('stopped', 'marketer')).toEqual(['conclude']);
    expect(availableActions('concluded', 'admin')).toEqual([]);
  });

  it('offers no action to executives and lifecycle, whatever the status', () => {
    for (const status of ['draft', 'running', 'stopped'] as const) {
      expect(availableActions(status, 'executive')).toEqual([]);
      expect(availableActions(status, 'lifecycle')).toEqual([]);
    }
  });

  it('allows edits only while draft or running and only to writers', () => {
    expect(canEdit('draft', 'marketer')).toBe(true);
    expect(canEdit('running', 'marketer')).toBe(true);
    expect(canEdit('stopped', 'admin')).toBe(false);
    expect(canEdit('draft', 'executive')).toBe(false);
  });

  it('locks the design once started but not the description', () => {
    expect(isLocked('variants', 'draft')).toBe(false);
    expect(isLocked('variants', 'running')).toBe(true);
    expect(isLocked('metrics', 'running')).toBe(true);
    expect(isLocked('coverage', 'running')).toBe(true);
    expect(isLocked('hypothesis', 'running')).toBe(false);
    expect(isLocked('name', 'running')).toBe(false);
  });
});
