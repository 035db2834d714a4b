// Locale formats: 万/亿 for large Chinese figures, K/M/B-free grouping and
// M/B in English, percentages and points, months and the browser's language.

import { describe, expect, it } from 'vitest';
import { formatChange, formatLarge, formatMonth, formatValue, preferredLocale } from '../../../dashboard/src/i18n/format.ts';
import { toCsv, fileNameOf } from '../../../dashboard/src/export/csv.ts';
import { makeI18n } from '../../../dashboard/src/i18n/i18n.tsx';
import { MESSAGES } from '../../../dashboard/src/i18n/messages.ts';

describe('number formats', () => {
  it('counts large Chinese figures in 万 and 亿', () => {
    expect(formatLarge(123_456_789, 'zh-CN')).toBe('1.23亿');
    expect(formatLarge(45_000, 'zh-CN')).toBe('4.5万');
    expect(formatLarge(9_999, 'zh-CN')).toBe('9,999');
    expect(formatValue(123_456_789, 'kwh', 'zh-CN')).toBe('1.23亿千瓦时');
    expect(formatValue(-56_780, 'money', 'zh-CN')).toBe('-5.68万元');
  });

  it('groups English figures and abbreviates millions', () => {
    expect(formatLarge(45_000, 'en')).toBe('45,000');
    expect(formatLarge(1_234_567, 'en')).toBe('1.23M');
    expect(formatValue(2_500_000_000, 'money', 'en')).toBe('2.5B CNY');
  });

  it('formats percentages, rates, prices, scores; null as a dash', () => {
    expect(formatValue(87.25, 'pct', 'en')).toBe('87.3%');
    expect(formatValue(0.0342, 'rate', 'zh-CN')).toBe('3.4%');
    expect(formatValue(0.6418, 'price', 'en')).toBe('0.6418 CNY/kWh');
    expect(formatValue(4.2, 'score', 'en')).toBe('4.20');
    expect(formatValue(null, 'kwh', 'en')).toBe('–');
    expect(formatValue(Number.NaN, 'kwh', 'en')).toBe('–');
  });

  it('changes: relative for amounts, points for percentages', () => {
    expect(formatChange(110, 100, 'money', 'en')).toBe('+10.0%');
    expect(formatChange(90, 100, 'kwh', 'en')).toBe('−10.0%');
    expect(formatChange(85, 80, 'pct', 'en')).toBe('+5.0 pp');
    expect(formatChange(85, 80, 'pct', 'zh-CN')).toBe('+5.0个百分点');
    expect(formatChange(0.05, 0.04, 'rate', 'en')).toBe('+1.0 pp');
    expect(formatChange(1, 0, 'count', 'en')).toBe('–');
    expect(formatChange(null, 1, 'count', 'en')).toBe('–');
  });

  it('months and the browser language', () => {
    expect(formatMonth('2026-10-01', 'en')).toBe('Oct 2026');
    expect(formatMonth('2026-10', 'zh-CN')).toBe('2026年10月');
    expect(preferredLocale(['zh-TW', 'en'])).toBe('zh-CN');
    expect(preferredLocale(['de-DE', 'en-GB'])).toBe('en');
    expect(preferredLocale(['fr'])).toBe('en');
  });
});

describe('i18n', () => {
  it('has every message in both languages, none empty', () => {
    const en = Object.keys(MESSAGES.en).sort();
    expect(Object.keys(MESSAGES['zh-CN']).sort()).toEqual(en);
    for (const [k, v] of Object.entries(MESSAGES['zh-CN'])) expect(v, k).not.toBe('');
  });

  it('uses the glossary words for codes and fills in variables', () => {
    const zh = makeI18n('zh-CN');
    expect(zh.code('large_industrial')).toBe('大工业用电');
    expect(zh.code('hotline')).toBe('95598热线');
    expect(zh.code('云岭县')).toBe('云岭县');
    expect(zh.kpi('complaints_per_10k')).toBe('万户投诉率');
    expect(zh.t('view.segments')).toBe('客户细分');
    expect(makeI18n('en').t('segments.list_count', { n: '12' })).toBe('12 customers');
  });
});

describe('csv export', () => {
  it('quotes per RFC 4180 and leads with a BOM for Excel', () => {
    const csv = toCsv([{ key: 'a', label: '区域' }, { key: 'b', label: 'x,y' }], [{ a: '云岭县', b: 'say "hi"' }, { a: null, b: 1.5 }]);
    expect(csv).toBe('\uFEFF区域,"x,y"\r\n云岭县,"say ""hi"""\r\n,1.5\r\n');
    expect(fileNameOf('Tickets by channel / 渠道', 'png')).toBe('gridlens-Tickets-by-channel-渠道.png');
  });
});
