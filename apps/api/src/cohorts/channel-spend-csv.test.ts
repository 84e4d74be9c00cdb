import { describe, expect, it } from 'vitest';
import { parseSpendCsv } from './channel-spend-csv';

describe('parseSpendCsv', () => {
  it('reads rows, taking a day for its month', () => {
    expect(
      parseSpendCsv('\uFEFFchannel,month,amount,note\nsearch,2025-01-31,12.5,q1\nsocial,2025-02,0,\n'),
    ).toEqual({
      rows: [
        { channel: 'search', month: '2025-01', amount: 12.5, note: 'q1' },
        { channel: 'social', month: '2025-02', amount: 0, note: '' },
      ],
      errors: [],
    });
  });

  it('names every bad cell by line and column', () => {
    const { errors } = parseSpendCsv(
      'channel,month,amount\nsearch,2025-1,5\nsearch,2025-01,-1\nsearch,2025-02,\nsearch,2025-02,3\nsearch,2025-02,4\n',
    );
    expect(errors).toEqual([
      { path: 'rows.2.month', rule: 'format_month' },
      { path: 'rows.3.amount', rule: 'min_0' },
      { path: 'rows.4.amount', rule: 'required' },
      { path: 'rows.6.month', rule: 'duplicate_channel_month' },
    ]);
  });

  it('refuses unknown and missing columns and empty files', () => {
    expect(parseSpendCsv('channel,amount,cost\n').errors).toEqual([
      { path: '(file).cost', rule: 'unknown_column' },
      { path: '(file).month', rule: 'required_column' },
    ]);
    expect(parseSpendCsv('').errors).toEqual([{ path: '(file)', rule: 'empty_file' }]);
    expect(parseSpendCsv('channel,month,amount\n').errors).toEqual([{ path: '(file)', rule: 'no_rows' }]);
  });
});
