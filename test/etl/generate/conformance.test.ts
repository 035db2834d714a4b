// Every generated file follows the data contract: the contract's columns, rows
// that validate, keys unique within a file, and every reference to a customer
// resolving to a customer of the customers files.

import { beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES, ENTITY_NAMES } from '../../../etl/contract/entities.ts';
import { entityFiles, generatedInbox, loadCustomers, scanEntity, type FileReport } from '../../helpers/generated.ts';
import { MAIN_FIXTURE } from './fixtures.ts';

let dir: string;
let customers: Map<string, Record<string, any>>;
const reports: Record<string, FileReport[]> = {};
const openedOn = new Map<string, string>();
let usageOutsideAccountLife = 0;
let usageRows = 0;

beforeAll(() => {
  dir = generatedInbox(MAIN_FIXTURE);
  customers = loadCustomers(dir);
  for (const [id, c] of customers) openedOn.set(id, c.opened_on);
  const known = (id: string): boolean => customers.has(id);
  for (const entity of ENTITY_NAMES) {
    reports[entity] = scanEntity(dir, entity, (row) => {
      if (entity !== 'usage') return;
      usageRows++;
      // A reading must fall within the account's life (opened_on … closed_on).
      const c = customers.get(row.customer_id)!;
      const day = new Date(row.reading_start + 8 * 3_600_000).toISOString().slice(0, 10);
      if (day < c.opened_on || (c.closed_on && day > c.closed_on)) usageOutsideAccountLife++;
    }, known);
  }
}, 300_000);

describe('generated files follow the data contract', () => {
  it('writes every entity, in the inbox layout', () => {
    for (const entity of ENTITY_NAMES) expect(entityFiles(dir, entity).length, entity).toBeGreaterThan(0);
  });

  it('has exactly the contract columns in every header', () => {
    for (const entity of ENTITY_NAMES) {
      const expected = ENTITIES[entity].columns.map((c) => c.name).sort();
      for (const r of reports[entity]) expect([...r.header].sort(), r.file).toEqual(expected);
    }
  });

  it('has no rejected row, no whole-file rejection and no repeated key in any file', () => {
    for (const entity of ENTITY_NAMES) {
      for (const r of reports[entity]) {
        expect(r.fileRejection, r.file).toBeNull();
        expect(r.rejected, r.file).toEqual({});
        expect(r.superseded, r.file).toBe(0);
        expect(r.read, r.file).toBeGreaterThan(0);
      }
    }
  });

  it('refers only to known customers, and reads meters only while an account is open', () => {
    // scanEntity rejected unknown customers as `unknown_customer`; none above.
    expect(customers.size).toBe(MAIN_FIXTURE.customers);
    expect(usageRows).toBeGreaterThan(1_000_000);
    expect(usageOutsideAccountLife).toBe(0);
  });
});
