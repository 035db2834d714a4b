import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type BillingRow,
  type CampaignRow,
  type CustomerRow,
  ENTITIES,
  ENTITY_LOAD_ORDER,
  ENTITY_NAMES,
  type EntitySpec,
  INBOX_FOLDERS,
  type TicketRow,
  type UsageRow,
  personalColumns,
} from '../../../etl/contract/entities.ts';
import { makeEnumParser } from '../../../etl/contract/fields.ts';
import { REASONS } from '../../../etl/contract/reasons.ts';

const column = (spec: EntitySpec, name: string) => {
  const found = spec.columns.find((c) => c.name === name);
  if (found === undefined) throw new Error(`${spec.name} has no column ${name}`);
  return found;
};

const parseEnum = (spec: EntitySpec, name: string) => makeEnumParser(column(spec, name).values ?? []);

describe('entity specs', () => {
  it('cover the six contract entities, customers first in load order', () => {
    expect(Object.keys(ENTITIES)).toEqual([...ENTITY_NAMES]);
    expect(ENTITY_LOAD_ORDER[0]).toBe('customers');
    expect([...ENTITY_LOAD_ORDER].sort()).toEqual([...ENTITY_NAMES].sort());
    expect(INBOX_FOLDERS).toEqual({ customers: 'customers', usage: 'usage', billing: 'billing', surveys: 'surveys', tickets: 'tickets', campaigns: 'campaigns' });
  });

  it('list the contract columns in contract order', () => {
    const names = (spec: EntitySpec) => spec.columns.map((c) => c.name);
    expect(names(ENTITIES.customers)).toEqual(['customer_id', 'name', 'phone', 'address', 'customer_class', 'region', 'tariff', 'voltage_kv', 'capacity_kva', 'contract_type', 'contract_end', 'green_plan', 'preferred_channel', 'opened_on', 'closed_on']);
    expect(names(ENTITIES.usage)).toEqual(['customer_id', 'reading_start', 'interval_minutes', 'kwh', 'quality']);
    expect(names(ENTITIES.billing)).toEqual(['bill_id', 'customer_id', 'period_start', 'period_end', 'kwh', 'amount', 'issued_on', 'due_on', 'paid_on', 'paid_amount']);
    expect(names(ENTITIES.surveys)).toEqual(['response_id', 'customer_id', 'responded_on', 'wave', 'channel', 'nps', 'overall', 'reliability', 'service', 'price', 'billing', 'communication', 'comment']);
    expect(names(ENTITIES.tickets)).toEqual(['ticket_id', 'customer_id', 'opened_at', 'channel', 'type', 'category', 'first_response_at', 'resolved_at', 'satisfaction']);
    expect(names(ENTITIES.campaigns)).toEqual(['contact_id', 'campaign_id', 'campaign_name', 'offer_type', 'customer_id', 'sent_on', 'channel', 'holdout', 'responded_on', 'accepted']);
  });

  it('have keys made of required columns', () => {
    for (const spec of Object.values(ENTITIES) as EntitySpec[]) {
      for (const key of spec.key) expect(column(spec, key).required, `${spec.name}.${key}`).toBe(true);
    }
    expect(ENTITIES.usage.key).toEqual(['customer_id', 'reading_start', 'interval_minutes']);
  });

  it('mark name, phone, address and comment as personal data', () => {
    expect(personalColumns(ENTITIES.customers)).toEqual(['name', 'phone', 'address']);
    expect(personalColumns(ENTITIES.surveys)).toEqual(['comment']);
    for (const name of ['usage', 'billing', 'tickets', 'campaigns'] as const) expect(personalColumns(ENTITIES[name])).toEqual([]);
  });

  it('carry the contract defaults', () => {
    expect(column(ENTITIES.customers, 'contract_type').default).toBe('standard');
    expect(column(ENTITIES.campaigns, 'holdout').default).toBe(false);
    expect(column(ENTITIES.usage, 'quality').default).toBe('actual');
  });

  it('order rules name existing date/timestamp columns of the same type', () => {
    for (const spec of Object.values(ENTITIES) as EntitySpec[]) {
      for (const rule of spec.order) expect(column(spec, rule.later).type).toBe(column(spec, rule.earlier).type);
    }
  });

  it('use only known reason codes', () => {
    for (const spec of Object.values(ENTITIES) as EntitySpec[]) {
      for (const c of spec.columns) {
        if (c.range) expect(REASONS).toHaveProperty(c.range.code);
        if (c.oneOf) expect(REASONS).toHaveProperty(c.oneOf.code);
      }
    }
  });
});

describe('every Chinese label of the contract', () => {
  it.each([
    ['customers', 'customer_class', '大工业', 'large_industrial'],
    ['customers', 'customer_class', '一般工商业', 'commercial'],
    ['customers', 'customer_class', '居民生活', 'residential'],
    ['customers', 'customer_class', '农业生产', 'agricultural'],
    ['customers', 'tariff', '单一制', 'flat'],
    ['customers', 'tariff', '阶梯', 'tiered'],
    ['customers', 'tariff', '分时', 'tou'],
    ['tickets', 'type', '咨询', 'inquiry'],
    ['tickets', 'type', '投诉', 'complaint'],
    ['tickets', 'type', '故障报修', 'outage'],
    ['tickets', 'type', '业务办理', 'service_request'],
    ['tickets', 'type', '意见建议', 'suggestion'],
    ['tickets', 'type', '表扬', 'praise'],
    ...(['customers.preferred_channel', 'tickets.channel', 'campaigns.channel'] as const).flatMap((where) => {
      const [entity, name] = where.split('.');
      return [
        [entity, name, '95598热线', 'hotline'],
        [entity, name, '掌上电力/网上国网', 'app'],
        [entity, name, '掌上电力', 'app'],
        [entity, name, '网上国网', 'app'],
        [entity, name, '微信', 'wechat'],
        [entity, name, '营业厅', 'counter'],
      ];
    }),
  ])('%s.%s: %s → %s', (entity, name, label, canonical) => {
    expect(parseEnum(ENTITIES[entity as keyof typeof ENTITIES], name)(label)).toEqual({ ok: true, value: canonical });
  });

  it('and every canonical value, in any case', () => {
    for (const spec of Object.values(ENTITIES) as EntitySpec[]) {
      for (const c of spec.columns.filter((col) => col.type === 'enum')) {
        const parse = makeEnumParser(c.values ?? []);
        for (const { value } of c.values ?? []) {
          expect(parse(value.toUpperCase())).toEqual({ ok: true, value });
        }
      }
    }
  });

  it('survey channels have no Chinese labels (the contract lists none)', () => {
    expect(parseEnum(ENTITIES.surveys, 'channel')('face_to_face')).toEqual({ ok: true, value: 'face_to_face' });
    expect(parseEnum(ENTITIES.surveys, 'channel')('微信').ok).toBe(false);
  });
});

describe('row types derived from the specs', () => {
  it('are precise', () => {
    expectTypeOf<UsageRow>().toEqualTypeOf<{
      customer_id: string;
      reading_start: number;
      interval_minutes: number;
      kwh: number;
      quality: 'actual' | 'estimated';
    }>();
    expectTypeOf<CustomerRow['customer_class']>().toEqualTypeOf<'large_industrial' | 'commercial' | 'residential' | 'agricultural'>();
    expectTypeOf<CustomerRow['contract_type']>().toEqualTypeOf<'standard' | 'long_term'>();
    expectTypeOf<CustomerRow['name']>().toEqualTypeOf<string | null>();
    expectTypeOf<CustomerRow['green_plan']>().toEqualTypeOf<boolean>();
    expectTypeOf<BillingRow['paid_on']>().toEqualTypeOf<string | null>();
    expectTypeOf<TicketRow['first_response_at']>().toEqualTypeOf<number | null>();
    expectTypeOf<TicketRow['channel']>().toEqualTypeOf<'hotline' | 'app' | 'web' | 'wechat' | 'sms' | 'email' | 'counter'>();
    expectTypeOf<CampaignRow['holdout']>().toEqualTypeOf<boolean>();
  });
});
