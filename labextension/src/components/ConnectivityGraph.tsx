import * as React from 'react';

import { median, percent } from '../format';
import { IConnectivity } from '../targets/api';

/**
 * How an error compares with the device's own median: the colour classes of the drawing.
 */
export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export function quality(error: number | null, median: number | null): Quality {
  if (error === null || median === null) {
    return 'unknown';
  }
  if (error <= median) {
    return 'good';
  }
  return error <= 2 * median ? 'fair' : 'poor';
}

const PAD = 0.04;

/**
 * A device's coupling graph as SVG: qubits coloured by readout error and links by
 * two-qubit gate error, each against the device's median. Hovering shows the numbers.
 */
export function ConnectivityGraph(props: { name: string; graph: IConnectivity }): JSX.Element {
  const { graph, name } = props;
  const n = graph.positions.length;
  const height = Math.max(0, ...graph.positions.map(p => p[1]));
  const width = Math.max(0, ...graph.positions.map(p => p[0]));
  // Qubits shrink as devices grow; a lattice's links are its spacing, so nodes stay apart.
  const radius = Math.min(0.035, 0.28 / Math.sqrt(Math.max(n, 1)));
  const qubitMedian = median(graph.qubit_errors);
  const linkMedian = median(graph.link_errors);
  const dense = graph.layout === 'circle' && graph.links.length > 3 * n;
  return (
    <figure className="synq-Connectivity" data-testid="synq-connectivity">
      <svg
        role="img"
        aria-label={`Connectivity of ${name}: ${n} qubits, ${graph.links.length} links`}
        viewBox={`${-PAD} ${-PAD} ${width + 2 * PAD} ${height + 2 * PAD}`}
        preserveAspectRatio="xMidYMid meet"
      >
        <g className={dense ? 'synq-Links synq-Links-dense' : 'synq-Links'}>
          {graph.links.map(([a, b], i) => {
            const error = graph.link_errors[i];
            return (
              <line
                key={`${a}-${b}`}
                data-link={`${a}-${b}`}
                className={`synq-Link synq-Quality-${quality(error, linkMedian)}`}
                x1={graph.positions[a][0]}
                y1={graph.positions[a][1]}
                x2={graph.positions[b][0]}
                y2={graph.positions[b][1]}
              >
                <title>{`q${a}–q${b}: two-qubit error ${percent(error)}`}</title>
              </line>
            );
          })}
        </g>
        <g className="synq-Qubits">
          {graph.positions.map(([x, y], q) => {
            const error = graph.qubit_errors[q];
            return (
              <circle
                key={q}
                data-qubit={q}
                className={`synq-Qubit synq-Quality-${quality(error, qubitMedian)}`}
                cx={x}
                cy={y}
                r={radius}
              >
                <title>{`q${q}: readout error ${percent(error)}`}</title>
              </circle>
            );
          })}
        </g>
      </svg>
      <figcaption className="synq-Connectivity-legend">
        {qubitMedian === null && linkMedian === null ? (
          <span>No calibration: every qubit and link is ideal.</span>
        ) : (
          <>
            <span>
              <span className="synq-Swatch synq-Quality-good" /> at most the median
            </span>
            <span>
              <span className="synq-Swatch synq-Quality-fair" /> up to twice
            </span>
            <span>
              <span className="synq-Swatch synq-Quality-poor" /> worse
            </span>
            <span>
              Medians: readout {percent(qubitMedian)}, two-qubit {percent(linkMedian)}
            </span>
          </>
        )}
      </figcaption>
    </figure>
  );
}
