import { JupyterFrontEnd } from '@jupyterlab/application';
import { INotebookTracker } from '@jupyterlab/notebook';

import { errorMessage, ProblemError } from './request';

/**
 * The circuit of a notebook cell or an editor: its text without a `%%synq ...` line.
 */
export function circuitSource(text: string): string {
  if (magicLine(text) === null) {
    return text;
  }
  const end = text.indexOf('\n');
  return end === -1 ? '' : text.slice(end + 1);
}

/** The cell's first line when it is a `%%synq` line, else `null`. */
function magicLine(text: string): string | null {
  const first = text.split('\n', 1)[0].trimStart();
  return first.startsWith('%%synq') ? first : null;
}

/** The options of a `%%synq` line that say how to run its circuit. */
export interface IMagicOptions {
  target?: string;
  shots?: number;
  optimizationLevel?: number;
  format?: string;
}

const FLAGS: Record<string, keyof IMagicOptions> = {
  '--target': 'target',
  '-t': 'target',
  '--shots': 'shots',
  '-s': 'shots',
  '--optimization-level': 'optimizationLevel',
  '-O': 'optimizationLevel',
  '--format': 'format',
  '-f': 'format'
};

/**
 * What the cell's `%%synq` line asks for (`--shots 2000 -t ibm_torino`, `--shots=2000`,
 * quoted values as the magic reads them), so that the panel's commands run the circuit as
 * the cell would. Values the magic would refuse are left out: the defaults apply.
 */
export function magicOptions(text: string): IMagicOptions {
  const first = magicLine(text);
  if (first === null) {
    return {};
  }
  const words = (first.slice('%%synq'.length).match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map(word =>
    word.replace(/^(["'])(.*)\1$/, '$2')
  );
  const options: IMagicOptions = {};
  for (let i = 0; i < words.length; i++) {
    const [flag, inline] = words[i].startsWith('--') ? words[i].split(/=(.*)/s) : [words[i]];
    const name = FLAGS[flag];
    if (!name) {
      continue;
    }
    const value = inline ?? words[++i];
    if (value === undefined) {
      break;
    }
    if (name === 'shots' || name === 'optimizationLevel') {
      if (/^\d+$/.test(value)) {
        options[name] = Number(value);
      }
    } else {
      options[name] = value;
    }
  }
  return options;
}

/**
 * The circuit the user is working on, with its cell's `%%synq` options: the active cell
 * of the current notebook when it is a `%%synq` cell, or the text of the current editor (a
 * `.synq` or `.qasm` file). `null` when there is none: a Python or Markdown cell is no
 * circuit, and sending it would only be refused at its first character.
 *
 * `firstLine` is the line of the cell the source starts on (2 below a `%%synq` line): the
 * server counts lines in the source it is sent, the notebook and the magic in the cell.
 */
export function activeCircuit(
  app: JupyterFrontEnd,
  notebooks: INotebookTracker | null
): { source: string; options: IMagicOptions; firstLine: number } | null {
  const active = activeText(app, notebooks);
  if (active === null) {
    return null;
  }
  const magic = magicLine(active.text) !== null;
  if (active.inCell && !magic) {
    return null;
  }
  const source = circuitSource(active.text);
  return source.trim()
    ? { source, options: magicOptions(active.text), firstLine: magic ? 2 : 1 }
    : null;
}

activeCircuit.missing =
  'Put the cursor in a %%synq cell, or in a .synq or .qasm file, with a circuit.';

/**
 * What a refusal of a cell's circuit says, its line counted as the cell counts (from
 * `firstLine`), not as the source sent without its `%%synq` line: the server gives the
 * place as numbers beside the message.
 */
export function inCellLines(error: unknown, firstLine: number): string {
  const placed =
    error instanceof ProblemError ? error.problem.errors?.filter(e => e.line) : undefined;
  if (placed?.length !== 1) {
    return errorMessage(error);
  }
  const { line, column, message } = placed[0];
  const where = `line ${(line ?? 1) + firstLine - 1}` + (column ? `, column ${column}` : '');
  return `${where}: ${message}`;
}

function activeText(
  app: JupyterFrontEnd,
  notebooks: INotebookTracker | null
): { text: string; inCell: boolean } | null {
  const cell = notebooks?.activeCell;
  if (notebooks?.currentWidget && notebooks.currentWidget === app.shell.currentWidget && cell) {
    return { text: cell.model.sharedModel.getSource(), inCell: true };
  }
  const current = app.shell.currentWidget as unknown as {
    content?: { model?: { sharedModel?: { getSource(): string } } };
  } | null;
  const text = current?.content?.model?.sharedModel?.getSource();
  return text === undefined ? null : { text, inCell: false };
}
