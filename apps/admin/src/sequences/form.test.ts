import { describe, expect, it } from 'vitest';
import { SequenceCreateSchema, type SequenceView } from '@liftlab/contracts';
import {
  addTouch,
  addVariant,
  actionsFor,
  buildCreateRequest,
  emptySequenceForm,
  fromSequence,
  mapServerErrors,
  moveTouch,
  newTouch,
  removeTouch,
  removeVariant,
  setSplit,
  toCreateRequest,
  toPreviewRequest,
  toUpdateRequest,
  type SequenceForm,
  type TouchForm,
} from './form';

function email(delay: number, subject: string): TouchForm {
  const t = newTouch('email', delay);
  return { ...t, content: { ...t.content, subject, text: `Body of ${subject}` } };
}

function validForm(): SequenceForm {
  const form = emptySequenceForm();
  return {
    ...form,
    key: 'win-back-60',
    name: 'Win-back 60',
    touches: [email(0, 'We miss you, {{ customer.externalId }}'), email(3, 'Still there?')],
  };
}

describe('touch list', () => {
  it('adds touches three days apart, the first on day 0', () => {
    let touches: TouchForm[] = [];
    touches = addTouch(touches);
    touches = addTouch(touches, 'call_task');
    touches = addTouch(touches, 'webhook');
    expect(touches.map((t) => [t.channel, t.delayDays])).toEqual([
      ['email', '0'],
      ['call_task', '3'],
      ['webhook', '6'],
    ]);
    expect(new Set(touches.map((t) => t.uid)).size).toBe(3);
  });

  it('falls back to day 0 + gap when the last delay is not a number yet', () => {
    const t = { ...newTouch('email', 0), delayDays: 'x' };
    expect(addTouch([t])[1]?.delayDays).toBe('3');
  });

  it('reorders touches through a fixed schedule, so the cadence stays increasing', () => {
    const touches = [email(0, 'A'), email(3, 'B'), email(7, 'C')];
    const moved = moveTouch(touches, 2, -1);
    expect(moved.map((t) => [t.content.subject, t.delayDays])).toEqual([
      ['A', '0'],
      ['C', '3'],
      ['B', '7'],
    ]);
    // Identities travel with the content (React keeps each card's state).
    expect(moved[1]?.uid).toBe(touches[2]?.uid);
    expect(moveTouch(touches, 0, -1)).toBe(touches);
    expect(moveTouch(touches, 2, 1)).toBe(touches);
  });

  it('removes a touch by position', () => {
    const touches = [email(0, 'A'), email(3, 'B'), email(7, 'C')];
    expect(removeTouch(touches, 1).map((t) => t.content.subject)).toEqual(['A', 'C']);
  });

  it('splits a touch into two 50/50 variants starting from its content, and back', () => {
    const split = setSplit(email(0, 'Hello'), true);
    expect(split.variants.map((v) => [v.key, v.weightPercent, v.subject])).toEqual([
      ['a', '50', 'Hello'],
      ['b', '50', 'Hello'],
    ]);
    const three = addVariant(split);
    expect(three.variants.map((v) => v.key)).toEqual(['a', 'b', 'c']);
    expect(three.variants.map((v) => Number(v.weightPercent)).reduce((s, w) => s + w, 0)).toBeCloseTo(100, 9);
    expect(three.variants.map((v) => v.weightPercent)).toEqual(['33.33', '33.33', '33.34']);
    expect(removeVariant(three, 0).variants.map((v) => [v.key, v.weightPercent])).toEqual([
      ['b', '50'],
      ['c', '50'],
    ]);
    expect(setSplit(three, false)).toMatchObject({ split: false, variants: [] });
  });
});

describe('payload building', () => {
  it('builds the create request the API schema accepts, with the 10% holdout default', () => {
    const form = validForm();
    form.audience.segments = 'lapsed, vip ,';
    form.audience.conditions = [{ attribute: 'traits.tier', operator: 'in', value: 'gold, silver' }];
    form.touches[1] = { ...form.touches[1]!, offerKey: 'winback20' };
    const mapped = toCreateRequest(form);
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(mapped.request).toMatchObject({
      key: 'win-back-60',
      holdoutPercent: 10,
      maxEnrollmentsPerRun: null,
      audience: {
        minDaysInactive: 60,
        maxDaysInactive: 120,
        segments: ['lapsed', 'vip'],
        conditions: [
          { type: 'attribute', attribute: 'traits.tier', operator: 'in', value: ['gold', 'silver'] },
        ],
        excludeContactedWithinDays: 14,
        excludeGlobalHoldout: true,
      },
    });
    expect(mapped.request.touches).toEqual([
      {
        channel: 'email',
        delayDays: 0,
        conditions: [],
        offerKey: null,
        content: {
          subject: 'We miss you, {{ customer.externalId }}',
          text: 'Body of We miss you, {{ customer.externalId }}',
        },
      },
      {
        channel: 'email',
        delayDays: 3,
        conditions: [],
        offerKey: 'winback20',
        content: { subject: 'Still there?', text: 'Body of Still there?' },
      },
    ]);
    expect(SequenceCreateSchema.safeParse(mapped.request).success).toBe(true);
  });

  it('sends only the fields of the touch channel, and variant weights as fractions', () => {
    const form = validForm();
    const task = newTouch('call_task', 7);
    form.touches.push({
      ...task,
      content: {
        ...task.content,
        owner: 'ops@shop.example',
        title: 'Call {{ customer.externalId }}',
        subject: 'ignored',
      },
      conditions: [{ attribute: 'segment', operator: 'eq', value: 'vip' }],
    });
    form.touches[0] = setSplit(form.touches[0]!, true);
    form.touches[0].variants[1]!.subject = 'Come back for 20% off';
    const request = buildCreateRequest(form);
    expect(request.touches[2]).toEqual({
      channel: 'call_task',
      delayDays: 7,
      offerKey: null,
      conditions: [{ type: 'attribute', attribute: 'segment', operator: 'eq', value: 'vip' }],
      content: {
        owner: 'ops@shop.example',
        title: 'Call {{ customer.externalId }}',
        instructions: '',
        dueInDays: 2,
      },
    });
    const content = request.touches[0]!.content as {
      variants: { key: string; weight: number; subject: string }[];
    };
    expect(content.variants.map((v) => [v.key, v.weight, v.subject])).toEqual([
      ['a', 0.5, 'We miss you, {{ customer.externalId }}'],
      ['b', 0.5, 'Come back for 20% off'],
    ]);
    expect(toCreateRequest(form).ok).toBe(true);
  });

  it('leaves the holdout share out of an update once the sequence is launched', () => {
    const draft = toUpdateRequest(validForm(), 'draft');
    const running = toUpdateRequest(validForm(), 'running');
    if (!draft.ok || !running.ok) throw new Error('expected valid');
    expect(draft.request).toHaveProperty('holdoutPercent', 10);
    expect(draft.request).not.toHaveProperty('key');
    expect(running.request).not.toHaveProperty('holdoutPercent');
  });

  it('builds the audience preview request from the audience alone', () => {
    const form = emptySequenceForm();
    form.maxEnrollmentsPerRun = '500';
    const mapped = toPreviewRequest(form);
    expect(mapped).toEqual({
      ok: true,
      request: {
        audience: {
          minDaysInactive: 60,
          maxDaysInactive: 120,
          minPriorSpend: 0,
          segments: [],
          conditions: [],
          excludeContactedWithinDays: 14,
          excludeGlobalHoldout: true,
        },
        holdoutPercent: 10,
        maxEnrollmentsPerRun: 500,
      },
    });
  });
});

describe('validation messages', () => {
  it('names every field that needs attention at once', () => {
    const form = validForm();
    form.key = 'Not A Key';
    form.name = '';
    form.holdoutPercent = '';
    form.audience.minDaysInactive = '90';
    form.audience.maxDaysInactive = '30';
    form.touches[0] = { ...form.touches[0]!, content: { ...form.touches[0]!.content, subject: ' ' } };
    form.touches[1] = { ...form.touches[1]!, delayDays: '0' };
    const mapped = toCreateRequest(form);
    expect(mapped.ok).toBe(false);
    if (mapped.ok) return;
    expect(mapped.errors).toMatchObject({
      key: 'key_format',
      name: 'required',
      holdoutPercent: 'required',
      'audience.maxDaysInactive': 'at_least_min_days_inactive',
      'touches.0.content.subject': 'required',
    });
  });

  it('rejects delays that do not increase along the sequence', () => {
    const form = validForm();
    form.touches[1] = { ...form.touches[1]!, delayDays: '0' };
    const mapped = toCreateRequest(form);
    expect(mapped.ok ? {} : mapped.errors).toEqual({ 'touches.1.delayDays': 'strictly_increasing' });
  });

  it('checks the typed numbers and the split before the schema', () => {
    const form = validForm();
    form.touches[0] = { ...form.touches[0]!, delayDays: '' };
    form.touches[1] = setSplit(form.touches[1]!, true);
    form.touches[1].variants[0]!.weightPercent = '70';
    form.touches[1].variants[1]!.key = 'a';
    form.holdoutPercent = '60';
    form.audience.conditions = [{ attribute: 'plan', operator: 'eq', value: '' }];
    const mapped = toCreateRequest(form);
    expect(mapped.ok ? {} : mapped.errors).toMatchObject({
      'touches.0.delayDays': 'required',
      'touches.1.content.variants': 'weights_sum_to_1',
      'touches.1.content.variants.1.key': 'unique',
      holdoutPercent: 'max_50',
      'audience.conditions.0.value': 'required',
    });
  });

  it('needs at least one touch', () => {
    const form = validForm();
    form.touches = [];
    const mapped = toCreateRequest(form);
    expect(mapped.ok ? {} : mapped.errors).toMatchObject({ touches: 'at_least_1' });
  });

  it('does not preview an audience whose window is upside down', () => {
    const form = emptySequenceForm();
    form.audience.maxDaysInactive = '10';
    expect(toPreviewRequest(form)).toEqual({
      ok: false,
      errors: { 'audience.maxDaysInactive': 'at_least_min_days_inactive' },
    });
  });

  it('shows API errors written with brackets on the same field as local ones', () => {
    expect(
      mapServerErrors({ 'touches[1].content.subject': 'template_syntax', 'audience.segments': 'max_100' }),
    ).toEqual({ 'touches.1.content.subject': 'template_syntax', 'audience.segments': 'max_100' });
  });
});

describe('stored sequence to form', () => {
  it('round-trips through the request', () => {
    const form = validForm();
    form.touches[1] = setSplit({ ...form.touches[1]!, offerKey: 'winback20' }, true);
    form.maxEnrollmentsPerRun = '250';
    const request = buildCreateRequest(form);
    const parsed = SequenceCreateSchema.parse(request);
    const view: SequenceView = {
      id: '0190c0de-0000-7000-8000-000000000001',
      key: parsed.key,
      name: parsed.name,
      status: 'draft',
      audience: parsed.audience,
      holdoutPercent: parsed.holdoutPercent,
      maxEnrollmentsPerRun: parsed.maxEnrollmentsPerRun ?? null,
      reentryDays: parsed.reentryDays,
      exitEventTypes: parsed.exitEventTypes,
      measurementDays: parsed.measurementDays,
      experimentId: null,
      experimentKey: null,
      launchedAt: null,
      lastAudienceRunAt: null,
      createdAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:00:00.000Z',
      // Stored in reverse to show the form orders by position.
      touches: parsed.touches
        .map((t, i) => ({
          id: `0190c0de-0000-7000-8000-00000000001${i}`,
          position: i,
          delayDays: t.delayDays,
          channel: t.channel,
          conditions: t.conditions,
          content: t.content as Record<string, unknown>,
          offerId: null,
          offerKey: t.offerKey ?? null,
        }))
        .reverse(),
      enrollments: { total: 0, treated: 0, holdout: 0, active: 0, completed: 0, exited: 0 },
    };
    expect(buildCreateRequest(fromSequence(view))).toEqual(request);
  });
});

describe('actions', () => {
  it('offers launch on drafts, pause while running, resume while paused', () => {
    expect(actionsFor('draft')).toEqual(['launch']);
    expect(actionsFor('running')).toEqual(['pause']);
    expect(actionsFor('paused')).toEqual(['resume']);
    expect(actionsFor('archived')).toEqual([]);
  });
});
