import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog, MainAreaWidget, showErrorMessage } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { activeCircuit } from './activeCircuit';
import { fetchTargets } from './api';
import { synqIcon } from './icons';
import { errorMessage, requestAPI } from './request';

/**
 * `POST /synq/api/circuits/transpile`.
 */
export interface ITranspileResult {
  qasm3: string;
  cached: boolean;
  report: {
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
  };
}

/**
 * The user's settings the commands start from.
 */
export interface ISynqDefaults {
  target: string;
  optimizationLevel: number;
  shots: number;
}

/**
 * Asks for a target, transpiles the active cell's (or editor's) circuit for it and opens
 * the report in the main area.
 */
export async function transpileFor(
  app: JupyterFrontEnd,
  notebooks: INotebookTracker | null,
  defaults: ISynqDefaults
): Promise<void> {
  const source = activeCircuit(app, notebooks);
  if (source === null) {
    await showErrorMessage('Transpile for…', activeCircuit.missing);
    return;
  }
  let names: string[];
  try {
    names = (await fetchTargets()).map(target => target.name);
  } catch (error) {
    await showErrorMessage('Transpile for…', errorMessage(error));
    return;
  }
  const choice = await InputDialog.getItem({
    title: 'Transpile for…',
    label: 'Target',
    items: names,
    current: Math.max(0, names.indexOf(defaults.target))
  });
  if (!choice.button.accept || !choice.value) {
    return;
  }
  try {
    const result = await requestAPI<ITranspileResult>('circuits/transpile', {
      method: 'POST',
      body: JSON.stringify({
        source,
        target: choice.value,
        optimization_level: defaults.optimizationLevel
      })
    });
    const content = ReactWidget.create(<TranspileReport result={result} />);
    content.addClass('synq-ReportWidget');
    const widget = new MainAreaWidget({ content });
    widget.id = `synq-transpile-${Date.now()}`;
    widget.title.label = `Transpiled for ${choice.value}`;
    widget.title.icon = synqIcon;
    widget.title.closable = true;
    app.shell.add(widget, 'main', { mode: 'split-right' });
    app.shell.activateById(widget.id);
  } catch (error) {
    await showErrorMessage(`Transpile for ${choice.value}`, errorMessage(error));
  }
}

/**
 * The transpile report: what the circuit became on the target, and the output.
 */
export function TranspileReport(props: { result: ITranspileResult }): JSX.Element {
  const { report, qasm3, cached } = props.result;
  const ops = Object.entries(report.ops).sort((a, b) => b[1] - a[1]);
  return (
    <div className="synq-Report" data-testid="synq-transpile-report">
      <h2>
        Transpiled for <span data-testid="synq-report-target">{report.target}</span>
      </h2>
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
        <dd data-testid="synq-report-success">
          {(100 * report.estimated_success_probability).toFixed(2)}%
        </dd>
        <dt>Estimated duration</dt>
        <dd>
          {report.estimated_duration_s === null
            ? 'n/a (simulator)'
            : `${(report.estimated_duration_s * 1e6).toFixed(1)} µs`}
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
      <h3>Operations</h3>
      <ul className="synq-Ops" data-testid="synq-report-ops">
        {ops.map(([name, count]) => (
          <li key={name}>
            <code>{name}</code> {count}
          </li>
        ))}
      </ul>
      <h3>OpenQASM 3</h3>
      <pre className="synq-Qasm">{qasm3}</pre>
    </div>
  );
}
