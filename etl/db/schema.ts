// Kysely's view of the tables created by sql/migrations. Keep in step with the
// SQL: a column added by a migration gets a field here. Table keys carry their
// schema ('core.customer'), as Kysely expects.
//
// Value types follow the parsers in connection.ts:
//   timestamptz → Date · date → 'YYYY-MM-DD' string · numeric → number ·
//   int8 → number (throws beyond 2^53) · jsonb → parsed JSON

import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** timestamptz: read as Date; written as Date or an ISO string. */
export type Timestamptz = ColumnType<Date, Date | string, Date | string>;
/** timestamptz with a server default. */
export type TimestamptzDefault = ColumnType<Date, Date | string | undefined, Date | string>;
/** date: read and written as 'YYYY-MM-DD' (no time zone shift, see connection.ts). */
export type DateString = string;
/** numeric: read as number; written as number or decimal string. */
export type Numeric = ColumnType<number, number | string, number | string>;

export type CustomerClass = 'large_industrial' | 'commercial' | 'residential' | 'agricultural';
export type Tariff = 'flat' | 'tiered' | 'tou';
export type ContractType = 'standard' | 'long_term';
export type Channel = 'hotline' | 'app' | 'web' | 'wechat' | 'sms' | 'email' | 'counter';
export type SurveyChannel = 'phone' | 'sms' | 'app' | 'web' | 'wechat' | 'face_to_face';
export type TicketType = 'inquiry' | 'complaint' | 'outage' | 'service_request' | 'suggestion' | 'praise';
export type OfferType = 'discount' | 'points' | 'green_plan' | 'long_term_contract' | 'energy_audit' | 'smart_home' | 'other';
export type Entity = 'customers' | 'usage' | 'billing' | 'surveys' | 'tickets' | 'campaigns';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'abandoned';

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: TimestamptzDefault;
}

export interface CustomerTable {
  customer_id: string;
  customer_key: Generated<number>;
  customer_class: CustomerClass;
  region: string;
  tariff: Tariff;
  voltage_kv: number | null;
  capacity_kva: number | null;
  contract_type: ColumnType<ContractType, ContractType | undefined, ContractType>;
  contract_end: DateString | null;
  green_plan: ColumnType<boolean, boolean | undefined, boolean>;
  preferred_channel: Channel | null;
  opened_on: DateString;
  closed_on: DateString | null;
  run_id: number | null;
  updated_at: TimestamptzDefault;
}

export interface CustomerHistoryTable {
  customer_id: string;
  valid_from: DateString;
  valid_to: DateString | null;
  customer_class: CustomerClass;
  tariff: Tariff;
  region: string;
  contract_type: ContractType;
  contract_end: DateString | null;
  green_plan: boolean;
  run_id: number | null;
}

export interface CustomerPiiTable {
  customer_id: string;
  name: string | null;
  phone: string | null;
  address: string | null;
  run_id: number | null;
  updated_at: TimestamptzDefault;
}

export interface UsageReadingTable {
  customer_id: string;
  reading_start: Timestamptz;
  interval_minutes: 15 | 30 | 60 | 1440;
  kwh: number;
  quality: ColumnType<'actual' | 'estimated', 'actual' | 'estimated' | undefined, 'actual' | 'estimated'>;
}

export interface BillTable {
  bill_id: string;
  customer_id: string;
  period_start: DateString;
  period_end: DateString;
  kwh: number;
  amount: Numeric;
  issued_on: DateString;
  due_on: DateString;
  paid_on: DateString | null;
  paid_amount: ColumnType<number | null, number | string | null, number | string | null>;
  run_id: number | null;
  updated_at: TimestamptzDefault;
}

export interface SurveyResponseTable {
  response_id: string;
  customer_id: string | null;
  responded_on: DateString;
  wave: string | null;
  channel: SurveyChannel | null;
  nps: number | null;
  overall: number;
  reliability: number | null;
  service: number | null;
  price: number | null;
  billing: number | null;
  communication: number | null;
  run_id: number | null;
  updated_at: TimestamptzDefault;
}

export interface SurveyCommentTable {
  response_id: string;
  comment: string;
}

export interface TicketTable {
  ticket_id: string;
  customer_id: string | null;
  opened_at: Timestamptz;
  channel: Channel;
  type: TicketType;
  category: string | null;
  first_response_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  resolved_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  satisfaction: number | null;
  run_id: number | null;
  updated_at: TimestamptzDefault;
}

export interface CampaignContactTable {
  contact_id: string;
  campaign_id: string;
  campaign_name: string | null;
  offer_type: OfferType;
  customer_id: string;
  sent_on: DateString;
  channel: Channel;
  holdout: ColumnType<boolean, boolean | undefined, boolean>;
  responded_on: DateString | null;
  accepted: boolean | null;
  run_id: number | null;
  updated_at: TimestamptzDefault;
}

export interface EtlRunTable {
  id: Generated<number>;
  started_at: TimestamptzDefault;
  finished_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  status: ColumnType<RunStatus, RunStatus | undefined, RunStatus>;
  error: string | null;
  /** milliseconds per step */
  step_durations: ColumnType<Record<string, number>, Record<string, number> | undefined, Record<string, number>>;
  extract_version: string | null;
}

export interface EtlFileTable {
  id: Generated<number>;
  run_id: number;
  entity: Entity;
  file_name: string;
  sha256: string;
  rows_read: ColumnType<number, number | undefined, number>;
  rows_loaded: ColumnType<number, number | undefined, number>;
  rows_rejected: ColumnType<number, number | undefined, number>;
  rows_superseded: ColumnType<number, number | undefined, number>;
}

export interface RejectedRowTable {
  id: Generated<number>;
  run_id: number;
  entity: Entity;
  file_name: string;
  line: number;
  reason_code: string;
  field: string | null;
  message: string;
  raw_line: string;
}

export interface Database {
  'public.schema_migrations': SchemaMigrationsTable;
  'core.customer': CustomerTable;
  'core.customer_history': CustomerHistoryTable;
  'core.customer_pii': CustomerPiiTable;
  'core.usage_reading': UsageReadingTable;
  'core.bill': BillTable;
  'core.survey_response': SurveyResponseTable;
  'core.survey_comment': SurveyCommentTable;
  'core.ticket': TicketTable;
  'core.campaign_contact': CampaignContactTable;
  'ops.etl_run': EtlRunTable;
  'ops.etl_file': EtlFileTable;
  'ops.rejected_row': RejectedRowTable;
}

export type Customer = Selectable<CustomerTable>;
export type NewCustomer = Insertable<CustomerTable>;
export type EtlRun = Selectable<EtlRunTable>;
export type NewEtlRun = Insertable<EtlRunTable>;
export type EtlRunUpdate = Updateable<EtlRunTable>;
