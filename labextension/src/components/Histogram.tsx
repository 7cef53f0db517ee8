import * as React from 'react';

const MAX_BARS = 16;

/**
 * The bars of a histogram: the `maxBars` most frequent outcomes, in bitstring order, as the
 * notebook's job widget draws them, so the same job reads the same in both.
 */
export function shownOutcomes(
  counts: Record<string, number>,
  maxBars = MAX_BARS
): [string, number][] {
  const byOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const frequent = Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || byOrder(a[0], b[0]))
    .slice(0, maxBars);
  return frequent.sort((a, b) => byOrder(a[0], b[0]));
}

/**
 * Measured counts as horizontal bars in bitstring order (the 16 most frequent when there
 * are more outcomes), each labelled with its bitstring and count.
 */
export function Histogram(props: { counts: Record<string, number> }): JSX.Element {
  const entries = Object.entries(props.counts);
  const shown = shownOutcomes(props.counts);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const top = Math.max(1, ...shown.map(([, n]) => n));
  return (
    <figure className="synq-Histogram" data-testid="synq-histogram">
      <figcaption className="synq-Histogram-caption">
        {entries.length} outcome{entries.length === 1 ? '' : 's'} over {total.toLocaleString()}{' '}
        shots
        {entries.length > MAX_BARS ? ` (top ${MAX_BARS})` : ''}
      </figcaption>
      <ul className="synq-Histogram-bars" aria-label="Counts per outcome">
        {shown.map(([bits, count]) => (
          <li key={bits} className="synq-Histogram-row" data-outcome={bits}>
            <code className="synq-Histogram-label">{bits}</code>
            <span className="synq-Histogram-track" aria-hidden="true">
              <span
                className="synq-Histogram-bar"
                style={{ width: `${Math.max(1, (100 * count) / top)}%` }}
              />
            </span>
            <span className="synq-Histogram-count">{count}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
