import * as React from 'react';

import { Histogram } from './Histogram';

/**
 * A batch job's counts, one circuit at a time: which circuit (numbered from 1, with its
 * place in `sources`), arrows to step through them, and that circuit's histogram.
 */
export function BatchCounts(props: { counts: Record<string, number>[] }): JSX.Element {
  const { counts } = props;
  const [index, setIndex] = React.useState(0);
  const shown = Math.max(0, Math.min(index, counts.length - 1));
  const go = (next: number) => setIndex(Math.max(0, Math.min(next, counts.length - 1)));
  return (
    <div className="synq-Batch" data-testid="synq-batch-counts">
      <div className="synq-Batch-nav">
        <button
          type="button"
          className="synq-Button"
          aria-label="Previous circuit"
          disabled={shown === 0}
          onClick={() => go(shown - 1)}
        >
          ‹
        </button>
        <label className="synq-Batch-label">
          Circuit{' '}
          <input
            type="number"
            className="synq-Batch-input"
            min={1}
            max={counts.length}
            value={shown + 1}
            onChange={event => {
              const typed = Number(event.target.value);
              if (Number.isInteger(typed)) {
                go(typed - 1);
              }
            }}
          />{' '}
          of {counts.length.toLocaleString()}
        </label>
        <button
          type="button"
          className="synq-Button"
          aria-label="Next circuit"
          disabled={shown >= counts.length - 1}
          onClick={() => go(shown + 1)}
        >
          ›
        </button>
        <code className="synq-Batch-source">sources[{shown}]</code>
      </div>
      {counts.length ? <Histogram counts={counts[shown]} /> : null}
    </div>
  );
}
