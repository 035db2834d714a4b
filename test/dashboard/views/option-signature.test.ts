// The Chart panel sets an ECharts option only when what it draws changed.

import { describe, expect, it } from 'vitest';
import { optionSignature } from '../../../dashboard/src/charts/option-signature.ts';

describe('optionSignature', () => {
  const option = (data: (number | null)[], name = 'Revenue') => ({
    xAxis: { type: 'category', data: ['a', 'b'] },
    yAxis: { axisLabel: { formatter: (v: number) => `${v} ¥` } },
    series: [{ type: 'bar', name, data }],
  });

  it('is equal for options built twice from the same figures (new objects, new closures)', () => {
    expect(optionSignature(option([1, null]), 'en')).toBe(optionSignature(option([1, null]), 'en'));
  });

  it('differs when a figure, a label, a formatter or the context (locale) differs', () => {
    const base = optionSignature(option([1, 2]), 'en');
    expect(optionSignature(option([1, 3]), 'en')).not.toBe(base);
    expect(optionSignature(option([1, 2], 'Customers'), 'en')).not.toBe(base);
    expect(optionSignature(option([1, 2]), 'zh-CN')).not.toBe(base);
    const other = { ...option([1, 2]), yAxis: { axisLabel: { formatter: (v: number) => `${v} kWh` } } };
    expect(optionSignature(other, 'en')).not.toBe(base);
  });
});
