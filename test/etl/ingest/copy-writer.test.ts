// COPY text format: escaping and the generated row serializer.

import { describe, expect, it } from 'vitest';
import { BILLING, CAMPAIGNS, USAGE } from '../../../etl/contract/entities.ts';
import { copyEscape, makeCopySerializer, stagingColumns } from '../../../etl/ingest/copy-writer.ts';

describe('copyEscape', () => {
  it('escapes backslash, tab, newline and carriage return; NUL becomes U+FFFD', () => {
    expect(copyEscape('plain 文本')).toBe('plain 文本');
    expect(copyEscape('a\\b\tc\nd\re\0f')).toBe('a\\\\b\\tc\\nd\\re\ufffdf');
    expect(copyEscape('\\N')).toBe('\\\\N'); // the text "\N" is not NULL
  });
});

describe('makeCopySerializer', () => {
  it('writes file_seq, line, then the columns in spec order; null as \\N', () => {
    const usage = makeCopySerializer(USAGE, 4);
    expect(usage({ customer_id: 'C\t1', reading_start: 1767196800000, interval_minutes: 15, kwh: 0.25, quality: 'actual' }, 12)).toBe(
      '4\t12\tC\\t1\t1767196800000\t15\t0.25\tactual\n',
    );
    const billing = makeCopySerializer(BILLING, 1);
    const line = billing({ bill_id: 'B', customer_id: 'C', period_start: '2026-01-01', period_end: '2026-01-31', kwh: 0, amount: -12.5, issued_on: '2026-02-01', due_on: '2026-02-15', paid_on: null, paid_amount: null }, 2);
    expect(line).toBe('1\t2\tB\tC\t2026-01-01\t2026-01-31\t0\t-12.5\t2026-02-01\t2026-02-15\t\\N\t\\N\n');
    expect(line.split('\t')).toHaveLength(stagingColumns(BILLING).length);
  });

  it('writes booleans as t/f', () => {
    const campaigns = makeCopySerializer(CAMPAIGNS, 1);
    const fields = campaigns({ contact_id: 'K', campaign_id: 'C', campaign_name: null, offer_type: 'points', customer_id: 'X', sent_on: '2026-01-01', channel: 'sms', holdout: true, responded_on: null, accepted: false }, 2).split('\t');
    expect(fields[stagingColumns(CAMPAIGNS).indexOf('holdout')]).toBe('t');
    expect(fields[stagingColumns(CAMPAIGNS).indexOf('accepted')]).toBe('f\n');
  });
});
