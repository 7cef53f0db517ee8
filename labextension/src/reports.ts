import { JupyterFrontEnd } from '@jupyterlab/application';
import { Widget } from '@lumino/widgets';

let latest: Widget | null = null;

/**
 * Opens a report (a cost estimate, a transpile) beside the notebook: the first in a column
 * of its own at the right, later ones as tabs in that column, so that each new report does
 * not squeeze the notebook into a narrower column again.
 */
export function openReport(app: JupyterFrontEnd, widget: Widget): void {
  const beside = latest !== null && !latest.isDisposed && latest.isAttached ? latest : null;
  app.shell.add(
    widget,
    'main',
    beside ? { mode: 'tab-after', ref: beside.id } : { mode: 'split-right' }
  );
  latest = widget;
  app.shell.activateById(widget.id);
}
