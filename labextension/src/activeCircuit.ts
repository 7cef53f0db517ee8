import { JupyterFrontEnd } from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';

/**
 * The circuit of a notebook cell or an editor: its text without a `%%synq ...` line.
 */
export function circuitSource(text: string): string {
  const lines = text.split('\n');
  if (lines.length && lines[0].trimStart().startsWith('%%synq')) {
    lines.shift();
  }
  return lines.join('\n');
}

/**
 * The circuit the user is working on: the active cell of the current notebook, or the
 * text of the current editor (a `.synq` or `.qasm` file). `null` when there is none.
 */
export function activeCircuit(
  app: JupyterFrontEnd,
  notebooks: INotebookTracker | null
): string | null {
  const text = activeText(app, notebooks);
  if (text === null) {
    return null;
  }
  const source = circuitSource(text);
  return source.trim() ? source : null;
}

activeCircuit.missing = 'Put the cursor in a cell or file with a circuit.';

function activeText(app: JupyterFrontEnd, notebooks: INotebookTracker | null): string | null {
  const cell = notebooks?.activeCell;
  if (notebooks?.currentWidget && notebooks.currentWidget === app.shell.currentWidget && cell) {
    return cell.model.sharedModel.getSource();
  }
  const current = app.shell.currentWidget as unknown as {
    content?: { model?: { sharedModel?: { getSource(): string } } };
  } | null;
  return current?.content?.model?.sharedModel?.getSource() ?? null;
}
