import { JupyterFrontEnd } from '@jupyterlab/application';
import { InputDialog, MainAreaWidget, showErrorMessage } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { activeCircuit, inCellLines } from './activeCircuit';
import { fetchTargets } from './api';
import { ITranspileReport, TranspileFacts } from './components/TranspileFacts';
import { synqIcon } from './icons';
import { errorMessage, requestAPI } from './request';
import { openReport } from './reports';

/**
 * `POST /synq/api/circuits/transpile`.
 */
export interface ITranspileResult {
  qasm3: string;
  cached: boolean;
  report: ITranspileReport;
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
  const circuit = activeCircuit(app, notebooks);
  if (circuit === null) {
    await showErrorMessage('Transpile for…', activeCircuit.missing);
    return;
  }
  // The cell's own --target (offered first), -O and --format, as the cell would run it.
  const { source, options } = circuit;
  const preferred = options.target ?? defaults.target;
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
    current: Math.max(0, names.indexOf(preferred))
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
        optimization_level: options.optimizationLevel ?? defaults.optimizationLevel,
        ...(options.format ? { format: options.format } : {})
      })
    });
    const content = ReactWidget.create(<TranspileReport result={result} />);
    content.addClass('synq-ReportWidget');
    const widget = new MainAreaWidget({ content });
    widget.id = `synq-transpile-${Date.now()}`;
    widget.title.label = `Transpiled for ${choice.value}`;
    widget.title.icon = synqIcon;
    widget.title.closable = true;
    openReport(app, widget);
  } catch (error) {
    const message = inCellLines(error, circuit.firstLine);
    await showErrorMessage(`Transpile for ${choice.value}`, message);
  }
}

/**
 * The transpile report: what the circuit became on the target, and the output.
 */
export function TranspileReport(props: { result: ITranspileResult }): JSX.Element {
  const { report, qasm3, cached } = props.result;
  return (
    <div className="synq-Report" data-testid="synq-transpile-report">
      <h2>
        Transpiled for <span data-testid="synq-report-target">{report.target}</span>
      </h2>
      <TranspileFacts report={report} cached={cached} />
      <h3>OpenQASM 3</h3>
      <pre className="synq-Qasm">{qasm3}</pre>
    </div>
  );
}
