import * as React from 'react';

import { duration, money, percent } from '../format';
import { ICostComparison, ICostRow } from '../targets/api';

/**
 * Feasible targets first, cheapest first (free before priced; unknown prices last),
 * then the targets the circuit cannot run on.
 */
export function rankRows(rows: ICostRow[]): ICostRow[] {
  const price = (row: ICostRow) => (row.price === null ? Infinity : row.price);
  return [...rows].sort((a, b) => {
    if (a.feasible !== b.feasible) {
      return a.feasible ? -1 : 1;
    }
    return price(a) - price(b) || a.target.localeCompare(b.target);
  });
}

/**
 * The target with the highest estimated success probability on real hardware, if any.
 */
export function mostLikelyToSucceed(rows: ICostRow[]): string | null {
  let best: ICostRow | null = null;
  for (const row of rows) {
    const p = row.estimated_success_probability;
    if (row.feasible && !row.simulator && p !== null) {
      if (!best || p > (best.estimated_success_probability ?? -1)) {
        best = row;
      }
    }
  }
  return best?.target ?? null;
}

/**
 * The cost comparison as a table: one row per target.
 */
export function CostTable(props: { comparison: ICostComparison }): JSX.Element {
  const rows = rankRows(props.comparison.rows);
  const best = mostLikelyToSucceed(rows);
  // The table scrolls sideways on its own in a narrow sidebar, not the panel around it.
  return (
    <div className="synq-TableScroll">
      <table className="synq-CostTable" data-testid="synq-cost-table">
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Price</th>
            <th scope="col" title="Two-qubit gates after transpiling for the target">
              2q gates
            </th>
            <th scope="col">Depth</th>
            <th scope="col" title="Estimated probability that a shot runs without error">
              Success
            </th>
            <th scope="col" title="Shots times the scheduled circuit duration">
              Run time
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(row => (
            <tr
              key={row.target}
              data-testid="synq-cost-row"
              data-target={row.target}
              data-feasible={row.feasible}
              className={row.feasible ? undefined : 'synq-CostTable-infeasible'}
            >
              <th scope="row">
                <code>{row.target}</code>
                {row.target === best ? (
                  <span className="synq-Badge" title="Highest estimated success on hardware">
                    best
                  </span>
                ) : null}
              </th>
              {row.feasible ? (
                <>
                  <td title={row.price_formula ?? `${row.price_source}, ${row.price_as_of}`}>
                    {money(row.price, row.currency)}
                  </td>
                  <td>{row.two_qubit_count ?? 'n/a'}</td>
                  <td>{row.depth ?? 'n/a'}</td>
                  <td>
                    <SuccessBar probability={row.estimated_success_probability} />
                  </td>
                  <td>{duration(row.estimated_run_time_s)}</td>
                </>
              ) : (
                <td colSpan={5} data-testid="synq-cost-reason">
                  Cannot run: {row.reason}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SuccessBar(props: { probability: number | null }): JSX.Element {
  const p = props.probability;
  return (
    <span className="synq-SuccessBar">
      <span className="synq-Histogram-track">
        <span
          className="synq-Histogram-bar"
          style={{ width: `${p === null ? 0 : Math.round(100 * p)}%` }}
        />
      </span>
      <span>{percent(p, 1)}</span>
    </span>
  );
}
