// Which DuckDB answers may travel in the manifest: only rows JSON gives back exactly.
import { describe, expect, it } from 'vitest';
import { jsonProblem } from '../../../etl/extract/first-answers.ts';

describe('first answers: rows that survive JSON', () => {
  it('accepts plain rows of strings, finite numbers, booleans and nulls', () => {
    expect(jsonProblem([{ kpi: 'kwh', value: 1234.5678901234, change: -3, flag: true, note: null }, { kpi: '用电量', value: 0, change: 1e-300, flag: false, note: 'x' }])).toBeNull();
    expect(jsonProblem([])).toBeNull();
  });

  it('refuses what JSON would change, naming the row and column', () => {
    expect(jsonProblem([{ a: 1 }, { a: Number.NaN }])).toMatch(/row 1, column a: NaN/);
    expect(jsonProblem([{ a: Number.POSITIVE_INFINITY }])).toMatch(/column a: Infinity/);
    expect(jsonProblem([{ a: -0 }])).toMatch(/column a/);
    expect(jsonProblem([{ d: new Date(0) }])).toMatch(/column d/);
    expect(jsonProblem([{ u: undefined }])).toMatch(/column u/);
    expect(jsonProblem([{ n: 1n }])).toMatch(/not JSON/);
  });
});
