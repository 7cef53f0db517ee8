import { describe, expect, it } from 'vitest';

import { quality } from '../../labextension/src/components/ConnectivityGraph';
import { mostLikelyToSucceed, rankRows } from '../../labextension/src/components/CostTable';
import { duration, median, money, percent } from '../../labextension/src/format';
import { ICostRow } from '../../labextension/src/targets/api';

function row(target: string, fields: Partial<ICostRow>): ICostRow {
  return {
    target,
    provider: 'ibm',
    simulator: false,
    feasible: true,
    reason: null,
    two_qubit_count: 2,
    depth: 5,
    estimated_success_probability: 0.9,
    circuit_duration_s: 1e-6,
    estimated_run_time_s: 1e-3,
    price: 1,
    currency: 'USD',
    price_model: 'per_second',
    price_formula: null,
    price_source: 'list price',
    price_as_of: '2026-01-01',
    ...fields
  };
}

describe('the cost comparison', () => {
  const rows = [
    row('dear', { price: 30, estimated_success_probability: 0.97 }),
    row('too_small', { feasible: false, reason: 'needs 30 qubits', price: null }),
    row('sim', { simulator: true, price: 0, estimated_success_probability: 1 }),
    row('unpriced', { price: null }),
    row('cheap', { price: 2, estimated_success_probability: 0.8 })
  ];

  it('ranks feasible targets first, cheapest first, unknown prices last', () => {
    expect(rankRows(rows).map(r => r.target)).toEqual([
      'sim',
      'cheap',
      'dear',
      'unpriced',
      'too_small'
    ]);
  });

  it('names the hardware target most likely to succeed, never a simulator', () => {
    expect(mostLikelyToSucceed(rows)).toBe('dear');
    expect(mostLikelyToSucceed([rows[2]])).toBeNull();
  });
});

describe('formatting and error classes', () => {
  it('writes rates, times and prices for people', () => {
    expect(percent(0.01234)).toBe('1.23%');
    expect(percent(null)).toBe('n/a');
    expect(duration(2.38e-4)).toBe('238 µs');
    expect(duration(3.18)).toBe('3.18 s');
    expect(duration(7200)).toBe('2 h');
    expect(money(96, 'USD')).toBe('$96.00');
    expect(money(0.00003, 'USD')).toBe('$0.00003');
  });

  it("classes an error against the device's median", () => {
    expect(median([0.3, null, 0.1, 0.2])).toBe(0.2);
    expect(median([0.1, 0.3])).toBeCloseTo(0.2);
    expect(median([null])).toBeNull();
    expect(quality(0.01, 0.02)).toBe('good');
    expect(quality(0.03, 0.02)).toBe('fair');
    expect(quality(0.05, 0.02)).toBe('poor');
    expect(quality(null, 0.02)).toBe('unknown');
  });
});
