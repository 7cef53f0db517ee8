import * as React from 'react';

import { duration, percent } from '../format';

/**
 * What transpiling did to a circuit on one target (a transpile, or a sample job's result).
 */
export interface ITranspileReport {
  target: string;
  optimization_level: number;
  num_qubits: number;
  ops: Record<string, number>;
  depth: number;
  two_qubit_count: number;
  two_qubit_depth: number;
  layout: number[];
  final_layout: number[];
  estimated_success_probability: number;
  estimated_duration_s: number | null;
  seed: number;
  versions: Record<string, string>;
  fingerprint: string;
}

/**
 * The transpile report's facts and operation counts.
 */
export function TranspileFacts(props: { report: ITranspileReport; cached?: boolean }): JSX.Element {
  const { report, cached } = props;
  const ops = Object.entries(report.ops).sort((a, b) => b[1] - a[1]);
  return (
    <>
      <dl className="synq-Facts">
        <dt>Optimization level</dt>
        <dd>{report.optimization_level}</dd>
        <dt>Qubits</dt>
        <dd>{report.num_qubits}</dd>
        <dt>Depth</dt>
        <dd data-testid="synq-report-depth">{report.depth}</dd>
        <dt>Two-qubit gates</dt>
        <dd data-testid="synq-report-2q">
          {report.two_qubit_count} (depth {report.two_qubit_depth})
        </dd>
        <dt>Estimated success</dt>
        <dd data-testid="synq-report-success">{percent(report.estimated_success_probability)}</dd>
        <dt>Estimated duration</dt>
        <dd>
          {report.estimated_duration_s === null
            ? 'n/a (simulator)'
            : duration(report.estimated_duration_s)}
        </dd>
        <dt>Layout</dt>
        <dd>{report.layout.map((physical, virtual) => `q${virtual}→${physical}`).join(', ')}</dd>
        <dt>Seed</dt>
        <dd>{report.seed}</dd>
        <dt>Fingerprint</dt>
        <dd>
          <code>{report.fingerprint.slice(0, 16)}</code>
          {cached ? ' (cached)' : ''}
        </dd>
        <dt>Versions</dt>
        <dd>
          {Object.entries(report.versions)
            .map(([name, version]) => `${name} ${version}`)
            .join(', ')}
        </dd>
      </dl>
      <h5 className="synq-Detail-subtitle">Operations</h5>
      <ul className="synq-Ops" data-testid="synq-report-ops">
        {ops.map(([name, count]) => (
          <li key={name}>
            <code>{name}</code> {count}
          </li>
        ))}
      </ul>
    </>
  );
}
