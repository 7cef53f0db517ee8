import * as React from 'react';

const MAX_BARS = 16;

/**
 * Measured counts as horizontal bars, most frequent first (the top 16 when there are
 * more outcomes), each labelled with its bitstring and count.
 */
export function Histogram(props: { counts: Record<string, number> }): JSX.Element {
  const entries = Object.entries(props.counts).sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)
  );
  const shown = entries.slice(0, MAX_BARS);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const top = shown.length ? shown[0][1] : 1;
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
