// The source data contract (docs: /work/shared/data-contract.md, v1) as data.
// The ingest validates against these specs and the demo-data generator's
// conformance tests check its output against them, so the contract lives in
// exactly one place. Specs are `as const` so row types can be derived from them
// (see RowOf) instead of being written a second time by hand.

export type ColumnType = 'text' | 'int' | 'number' | 'date' | 'timestamp' | 'bool' | 'enum';

/** One allowed enum value and the labels accepted for it (matched case-insensitively). */
export interface EnumValue {
  readonly value: string;
  readonly synonyms: readonly string[];
}

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly required: boolean;
  /** Value used when the field is empty or the column is absent. */
  readonly default?: string | boolean;
  readonly values?: readonly EnumValue[];
  /** Maximum length in UTF-16 code units (ids are ASCII in practice). */
  readonly maxLength?: number;
  /**
   * Inclusive bounds for int/number columns and the reason used when broken
   * (negative_kwh applies below min only; above max is always out_of_range).
   */
  readonly range?: { readonly min?: number; readonly max?: number; readonly code: 'out_of_range' | 'negative_kwh' };
  /** Closed set of allowed numbers (interval_minutes). */
  readonly oneOf?: { readonly values: readonly number[]; readonly code: 'bad_interval' };
  /** Personal data: never leaves the warehouse (extracts and logs omit it). */
  readonly personal?: boolean;
  /** The value must name a row of another entity (checked through a hook: the validator holds no data). */
  readonly references?: 'customers';
}

/** `later` must not be earlier than `earlier` when both are present (reason `date_order`). */
export interface OrderRule {
  readonly later: string;
  readonly earlier: string;
}

export interface EntitySpec {
  readonly name: EntityName;
  readonly key: readonly string[];
  readonly columns: readonly ColumnSpec[];
  readonly order: readonly OrderRule[];
}

export const ENTITY_NAMES = ['customers', 'usage', 'billing', 'surveys', 'tickets', 'campaigns'] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

/**
 * Customers load first because every other entity refers to them; the rest have
 * no dependencies between each other and follow the contract's order.
 */
export const ENTITY_LOAD_ORDER: readonly EntityName[] = ENTITY_NAMES;

/** Inbox sub-folder per entity: `<inbox>/<folder>/*.csv[.gz]`. */
export const INBOX_FOLDERS: { readonly [E in EntityName]: string } = {
  customers: 'customers',
  usage: 'usage',
  billing: 'billing',
  surveys: 'surveys',
  tickets: 'tickets',
  campaigns: 'campaigns',
};

// Shared by customers.preferred_channel, tickets.channel and campaigns.channel.
// 掌上电力 and 网上国网 are two generations of State Grid's app; the contract lists
// them as "掌上电力/网上国网", so each name and the combined label are accepted.
const CHANNELS = [
  { value: 'hotline', synonyms: ['95598热线'] },
  { value: 'app', synonyms: ['掌上电力/网上国网', '掌上电力', '网上国网'] },
  { value: 'web', synonyms: [] },
  { value: 'wechat', synonyms: ['微信'] },
  { value: 'sms', synonyms: [] },
  { value: 'email', synonyms: [] },
  { value: 'counter', synonyms: ['营业厅'] },
] as const;

// Survey channels are their own list in the contract, without Chinese labels.
const SURVEY_CHANNELS = [
  { value: 'phone', synonyms: [] },
  { value: 'sms', synonyms: [] },
  { value: 'app', synonyms: [] },
  { value: 'web', synonyms: [] },
  { value: 'wechat', synonyms: [] },
  { value: 'face_to_face', synonyms: [] },
] as const;

// Every entity's customer_id is the same identifier, so the customers table's
// length limit applies to all of them (a longer id cannot match a customer).
export const CUSTOMER_ID_MAX = 32;

// Ten billion CNY either way, far beyond any real bill. The bound was the
// warehouse's numeric(14,2) (999,999,999,999.99), but rollup.bill_month adds up
// a customer's bills of a month in the same type: two bills of 600 billion
// overflowed it and failed the whole run ("numeric field overflow"). Now it
// takes more than 100 bills of the maximum in one customer-month.
const MONEY_RANGE = { min: -9_999_999_999.99, max: 9_999_999_999.99, code: 'out_of_range' } as const;

/**
 * Largest kWh accepted in one reading or bill: 10^15 (a million TWh, thirty
 * times the world's yearly electricity). The contract only says ≥ 0, but a
 * finite absurd value (1e308) passed every check and then overflowed the
 * rollups' float64 sums, failing the whole run ("value out of range:
 * overflow"); below this bound no sum of readings or bills can overflow.
 * Above it: out_of_range.
 */
export const KWH_MAX = 1e15;
const KWH_RANGE = { min: 0, max: KWH_MAX, code: 'negative_kwh' } as const;

// Generic so the column name stays a literal type (RowOf needs it).
const score = <N extends string, R extends boolean>(name: N, required: R) =>
  ({ name, type: 'int', required, range: { min: 1, max: 5, code: 'out_of_range' } }) as const;

export const CUSTOMERS = {
  name: 'customers',
  key: ['customer_id'],
  columns: [
    { name: 'customer_id', type: 'text', required: true, maxLength: CUSTOMER_ID_MAX },
    { name: 'name', type: 'text', required: false, personal: true },
    { name: 'phone', type: 'text', required: false, personal: true },
    { name: 'address', type: 'text', required: false, personal: true },
    {
      name: 'customer_class',
      type: 'enum',
      required: true,
      values: [
        { value: 'large_industrial', synonyms: ['大工业'] },
        { value: 'commercial', synonyms: ['一般工商业'] },
        { value: 'residential', synonyms: ['居民生活'] },
        { value: 'agricultural', synonyms: ['农业生产'] },
      ],
    },
    { name: 'region', type: 'text', required: true },
    {
      name: 'tariff',
      type: 'enum',
      required: true,
      values: [
        { value: 'flat', synonyms: ['单一制'] },
        { value: 'tiered', synonyms: ['阶梯'] },
        { value: 'tou', synonyms: ['分时'] },
      ],
    },
    { name: 'voltage_kv', type: 'number', required: false },
    { name: 'capacity_kva', type: 'number', required: false },
    {
      name: 'contract_type',
      type: 'enum',
      required: false,
      default: 'standard',
      values: [
        { value: 'standard', synonyms: [] },
        { value: 'long_term', synonyms: [] },
      ],
    },
    { name: 'contract_end', type: 'date', required: false },
    // Empty = not enrolled: the warehouse keeps a plain yes/no (core.customer.green_plan not null).
    { name: 'green_plan', type: 'bool', required: false, default: false },
    { name: 'preferred_channel', type: 'enum', required: false, values: CHANNELS },
    { name: 'opened_on', type: 'date', required: true },
    { name: 'closed_on', type: 'date', required: false },
  ],
  order: [],
} as const satisfies EntitySpec;

export const USAGE = {
  name: 'usage',
  key: ['customer_id', 'reading_start', 'interval_minutes'],
  columns: [
    { name: 'customer_id', type: 'text', required: true, maxLength: CUSTOMER_ID_MAX, references: 'customers' },
    { name: 'reading_start', type: 'timestamp', required: true },
    { name: 'interval_minutes', type: 'int', required: true, oneOf: { values: [15, 30, 60, 1440], code: 'bad_interval' } },
    { name: 'kwh', type: 'number', required: true, range: KWH_RANGE },
    {
      name: 'quality',
      type: 'enum',
      required: false,
      default: 'actual',
      values: [
        { value: 'actual', synonyms: [] },
        { value: 'estimated', synonyms: [] },
      ],
    },
  ],
  order: [],
} as const satisfies EntitySpec;

export const BILLING = {
  name: 'billing',
  key: ['bill_id'],
  columns: [
    { name: 'bill_id', type: 'text', required: true },
    { name: 'customer_id', type: 'text', required: true, maxLength: CUSTOMER_ID_MAX, references: 'customers' },
    { name: 'period_start', type: 'date', required: true },
    { name: 'period_end', type: 'date', required: true },
    { name: 'kwh', type: 'number', required: true, range: KWH_RANGE },
    // Negative for a credit note. Bounded (MONEY_RANGE): a value beyond the
    // warehouse's numeric(14,2) would fail the whole file instead of one row.
    { name: 'amount', type: 'number', required: true, range: MONEY_RANGE },
    { name: 'issued_on', type: 'date', required: true },
    { name: 'due_on', type: 'date', required: true },
    { name: 'paid_on', type: 'date', required: false },
    { name: 'paid_amount', type: 'number', required: false, range: MONEY_RANGE },
  ],
  order: [{ later: 'period_end', earlier: 'period_start' }],
} as const satisfies EntitySpec;

export const SURVEYS = {
  name: 'surveys',
  key: ['response_id'],
  columns: [
    { name: 'response_id', type: 'text', required: true },
    // Empty for anonymous responses; when present it must be a known customer.
    { name: 'customer_id', type: 'text', required: false, maxLength: CUSTOMER_ID_MAX, references: 'customers' },
    { name: 'responded_on', type: 'date', required: true },
    { name: 'wave', type: 'text', required: false },
    { name: 'channel', type: 'enum', required: false, values: SURVEY_CHANNELS },
    { name: 'nps', type: 'int', required: false, range: { min: 0, max: 10, code: 'out_of_range' } },
    score('overall', true),
    score('reliability', false),
    score('service', false),
    score('price', false),
    score('billing', false),
    score('communication', false),
    { name: 'comment', type: 'text', required: false, personal: true },
  ],
  order: [],
} as const satisfies EntitySpec;

export const TICKETS = {
  name: 'tickets',
  key: ['ticket_id'],
  columns: [
    { name: 'ticket_id', type: 'text', required: true },
    { name: 'customer_id', type: 'text', required: false, maxLength: CUSTOMER_ID_MAX, references: 'customers' },
    { name: 'opened_at', type: 'timestamp', required: true },
    { name: 'channel', type: 'enum', required: true, values: CHANNELS },
    {
      name: 'type',
      type: 'enum',
      required: true,
      values: [
        { value: 'inquiry', synonyms: ['咨询'] },
        { value: 'complaint', synonyms: ['投诉'] },
        { value: 'outage', synonyms: ['故障报修'] },
        { value: 'service_request', synonyms: ['业务办理'] },
        { value: 'suggestion', synonyms: ['意见建议'] },
        { value: 'praise', synonyms: ['表扬'] },
      ],
    },
    { name: 'category', type: 'text', required: false },
    { name: 'first_response_at', type: 'timestamp', required: false },
    { name: 'resolved_at', type: 'timestamp', required: false },
    score('satisfaction', false),
  ],
  order: [
    { later: 'first_response_at', earlier: 'opened_at' },
    { later: 'resolved_at', earlier: 'opened_at' },
  ],
} as const satisfies EntitySpec;

export const CAMPAIGNS = {
  name: 'campaigns',
  key: ['contact_id'],
  columns: [
    { name: 'contact_id', type: 'text', required: true },
    { name: 'campaign_id', type: 'text', required: true },
    { name: 'campaign_name', type: 'text', required: false },
    {
      name: 'offer_type',
      type: 'enum',
      required: true,
      values: [
        { value: 'discount', synonyms: [] },
        { value: 'points', synonyms: [] },
        { value: 'green_plan', synonyms: [] },
        { value: 'long_term_contract', synonyms: [] },
        { value: 'energy_audit', synonyms: [] },
        { value: 'smart_home', synonyms: [] },
        { value: 'other', synonyms: [] },
      ],
    },
    { name: 'customer_id', type: 'text', required: true, maxLength: CUSTOMER_ID_MAX, references: 'customers' },
    { name: 'sent_on', type: 'date', required: true },
    { name: 'channel', type: 'enum', required: true, values: CHANNELS },
    { name: 'holdout', type: 'bool', required: false, default: false },
    { name: 'responded_on', type: 'date', required: false },
    { name: 'accepted', type: 'bool', required: false },
  ],
  order: [],
} as const satisfies EntitySpec;

export const ENTITIES = {
  customers: CUSTOMERS,
  usage: USAGE,
  billing: BILLING,
  surveys: SURVEYS,
  tickets: TICKETS,
  campaigns: CAMPAIGNS,
} as const;

export type Entities = typeof ENTITIES;

// ---- Row types derived from the specs -------------------------------------

/** Canonical value of one column: dates stay `YYYY-MM-DD`, timestamps are epoch ms (UTC). */
type ColumnValue<C> = C extends { type: 'enum'; values: readonly { value: infer V }[] }
  ? V
  : C extends { type: 'int' | 'number' | 'timestamp' }
    ? number
    : C extends { type: 'bool' }
      ? boolean
      : string;

type Nullable<C> = C extends { required: true } ? never : C extends { default: unknown } ? never : null;

/** A validated row of entity spec S: one property per contract column; empty optional fields are null. */
export type RowOf<S extends EntitySpec> = {
  -readonly [C in S['columns'][number] as C['name']]: ColumnValue<C> | Nullable<C>;
};

export type CustomerRow = RowOf<typeof CUSTOMERS>;
export type UsageRow = RowOf<typeof USAGE>;
export type BillingRow = RowOf<typeof BILLING>;
export type SurveyRow = RowOf<typeof SURVEYS>;
export type TicketRow = RowOf<typeof TICKETS>;
export type CampaignRow = RowOf<typeof CAMPAIGNS>;

/** Names of the personal-data columns of an entity (for extracts and log redaction). */
export function personalColumns(spec: EntitySpec): string[] {
  return spec.columns.filter((c) => c.personal === true).map((c) => c.name);
}
