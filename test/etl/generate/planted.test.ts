// The facts the generator plants, and states in truth.json, are really in the
// CSVs: later features (marts, dashboard, campaign results) are tested by
// finding them, so they must be findable from the data alone.

import { beforeAll, describe, expect, it } from 'vitest';
import { generatedInbox, loadCustomers, readTruth, scanEntity } from '../../helpers/generated.ts';
import { MAIN_FIXTURE } from './fixtures.ts';

type Row = Record<string, any>;
let truth: any;
let customers: Map<string, Row>;
const tickets: Row[] = [];
const surveys: Row[] = [];
const contacts: Row[] = [];

beforeAll(() => {
  const dir = generatedInbox(MAIN_FIXTURE);
  truth = readTruth(dir);
  customers = loadCustomers(dir);
  scanEntity(dir, 'tickets', (r) => tickets.push(r));
  scanEntity(dir, 'surveys', (r) => surveys.push(r));
  scanEntity(dir, 'campaigns', (r) => contacts.push(r));
}, 300_000);

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const localMonth = (epochMs: number): string => new Date(epochMs + 8 * 3_600_000).toISOString().slice(0, 7);

describe('planted reliability incident', () => {
  it('is stated in truth.json', () => {
    const incident = truth.planted.reliability_incident;
    expect(incident.district).toBe('云岭县');
    expect(incident.wave_before < incident.wave_after).toBe(true);
  });

  /** Tickets of a type opened in the incident month: the district's count and the largest other district's. */
  const incidentMonthTickets = (type: string): { district: number; maxOther: number } => {
    const { district, month } = truth.planted.reliability_incident;
    const counts = new Map<string, number>();
    for (const t of tickets) {
      if (t.type !== type || !t.customer_id || localMonth(t.opened_at) !== month) continue;
      const region = customers.get(t.customer_id)!.region;
      counts.set(region, (counts.get(region) ?? 0) + 1);
    }
    const others = [...counts].filter(([r]) => r !== district).map(([, n]) => n);
    return { district: counts.get(district) ?? 0, maxOther: Math.max(0, ...others) };
  };

  it('shows as a burst of outage tickets in that district and month', () => {
    const { district, maxOther } = incidentMonthTickets('outage');
    expect(maxOther).toBeGreaterThan(0);
    expect(district).toBeGreaterThan(3 * maxOther);
  });

  it('brings complaints after the outages: the district files several times more complaints that month than any other', () => {
    const { district, maxOther } = incidentMonthTickets('complaint');
    expect(district).toBeGreaterThan(3 * maxOther);
  });

  it('lowers reliability scores and NPS of the district in the next wave, worst of all districts', () => {
    const { district, wave_before, wave_after } = truth.planted.reliability_incident;
    const scores = (wave: string, region: string, item: 'reliability' | 'nps'): number[] =>
      surveys.filter((s) => s.wave === wave && s.customer_id && customers.get(s.customer_id)!.region === region && s[item] !== null).map((s) => s[item]);
    const regions = new Set([...customers.values()].map((c) => c.region));
    const reliabilityAfter = new Map([...regions].map((r) => [r, mean(scores(wave_after, r, 'reliability'))]));
    const worst = [...reliabilityAfter].sort((a, b) => a[1] - b[1])[0][0];
    expect(worst).toBe(district);
    expect(scores(wave_after, district, 'reliability').length).toBeGreaterThanOrEqual(10);
    expect(mean(scores(wave_before, district, 'reliability')) - reliabilityAfter.get(district)!).toBeGreaterThan(0.5);
    expect(mean(scores(wave_after, district, 'nps'))).toBeLessThan(mean(scores(wave_before, district, 'nps')));
  });
});

describe('planted campaign effects', () => {
  it('matches truth.json counts, and the true uplift lies inside the 99% interval measured from the CSV', () => {
    expect(truth.planted.campaigns.length).toBeGreaterThanOrEqual(4);
    let checked = 0;
    for (const c of truth.planted.campaigns) {
      const rows = contacts.filter((r) => r.campaign_id === c.campaign_id);
      const treated = rows.filter((r) => !r.holdout);
      const holdout = rows.filter((r) => r.holdout);
      expect(rows.length, c.campaign_id).toBe(c.targeted);
      expect(holdout.length, c.campaign_id).toBe(c.holdout);
      const pt = treated.filter((r) => r.accepted).length / treated.length;
      const ph = holdout.filter((r) => r.accepted).length / holdout.length;
      expect(treated.filter((r) => r.accepted).length).toBe(c.treated_accepted);
      if (treated.length < 50 || holdout.length < 20) continue;
      const se = Math.sqrt((pt * (1 - pt)) / treated.length + (Math.max(ph, 0.5 / holdout.length) * (1 - ph)) / holdout.length);
      expect(Math.abs(pt - ph - c.true_uplift), c.campaign_id).toBeLessThan(2.576 * se);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});

describe('truth.json segment statements', () => {
  it('match the accounts in the customers files', () => {
    for (const [cls, s] of Object.entries<any>(truth.segments)) {
      const n = [...customers.values()].filter((c) => c.customer_class === cls).length;
      expect(n, cls).toBe(s.accounts);
    }
  });
});

describe('experience drives churn', () => {
  it('customers who complained close their account at least 1.5× as often as those who did not', () => {
    const complained = new Set(tickets.filter((t) => t.type === 'complaint' && t.customer_id).map((t) => t.customer_id));
    const rate = (inGroup: boolean): number => {
      const group = [...customers].filter(([id]) => complained.has(id) === inGroup);
      return group.filter(([, c]) => c.closed_on).length / group.length;
    };
    expect(complained.size).toBeGreaterThan(100);
    expect(rate(true) / rate(false)).toBeGreaterThan(1.5);
  });
});
