import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IStatusBar } from '@jupyterlab/statusbar';
import { listIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { JobsPanel } from './components/JobsPanel';
import { openSocket, streamUrl } from './jobs/api';
import { JobsModel } from './jobs/model';
import { JobStream } from './jobs/stream';
import { ISynqJobs } from './jobs/token';

const PANEL_ID = 'synq-jobs';

namespace CommandIDs {
  export const openJobs = 'synq:open-jobs';
  export const openJob = 'synq:open-job';
}

/**
 * The jobs panel (left sidebar) and the queue depth in the status bar, both fed by
 * one job event stream.
 */
export const jobsPlugin: JupyterFrontEndPlugin<JobsModel> = {
  id: 'synq-jupyter:jobs',
  description: 'My SynQ jobs, live: a sidebar panel and the queue depth in the status bar.',
  autoStart: true,
  provides: ISynqJobs,
  optional: [ILayoutRestorer, ICommandPalette, IStatusBar],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    statusBar: IStatusBar | null
  ): JobsModel => {
    const stream = new JobStream({ url: after => streamUrl(after), connect: openSocket });
    const model = new JobsModel({ stream });
    const panel = new JobsPanel(model);
    panel.id = PANEL_ID;
    panel.title.icon = listIcon;
    panel.title.caption = 'SynQ Jobs';
    panel.disposed.connect(() => model.dispose());
    app.shell.add(panel, 'left', { rank: 901 });
    if (restorer) {
      restorer.add(panel, PANEL_ID);
    }

    app.commands.addCommand(CommandIDs.openJobs, {
      label: 'Open SynQ Jobs',
      caption: 'Show my SynQ jobs, live',
      icon: listIcon,
      execute: () => app.shell.activateById(PANEL_ID)
    });
    app.commands.addCommand(CommandIDs.openJob, {
      label: args => (args.id ? `Open SynQ Job ${String(args.id).slice(0, 8)}` : 'Open SynQ Job'),
      execute: args => {
        app.shell.activateById(PANEL_ID);
        model.start();
        panel.open(args.id ? String(args.id) : null);
      }
    });
    // The job widget's "Show in SynQ Jobs" button, in any notebook: handled here, since
    // JupyterLab's command linker would first ask to trust a notebook from elsewhere.
    document.body.addEventListener('click', event => {
      const target = event.target instanceof Element ? event.target : null;
      const button = target?.closest<HTMLElement>('.synq-OpenInPanel[data-synq-job-id]');
      if (button?.dataset.synqJobId) {
        event.preventDefault();
        void app.commands.execute(CommandIDs.openJob, { id: button.dataset.synqJobId });
      }
    });
    if (palette) {
      palette.addItem({ command: CommandIDs.openJobs, category: 'SynQ' });
    }

    if (statusBar) {
      const item = new QueueDepth(model, () => app.commands.execute(CommandIDs.openJobs));
      statusBar.registerStatusItem('synq-jupyter:queue-depth', {
        item,
        align: 'left',
        rank: 50
      });
      // The status bar counts from the stream too, so it starts with the app.
      model.start();
    }
    return model;
  }
};

/**
 * "SynQ: 2 active": my jobs queued or running; a click opens the jobs panel.
 */
class QueueDepth extends Widget {
  constructor(model: JobsModel, onClick: () => void) {
    super({ node: document.createElement('button') });
    this.addClass('synq-QueueDepth');
    this.node.setAttribute('type', 'button');
    this.node.dataset.testid = 'synq-queue-depth';
    this.node.addEventListener('click', onClick);
    model.changed.connect(() => this._show(model));
    this._show(model);
  }

  private _show(model: JobsModel): void {
    const active = model.active;
    this.node.textContent = `SynQ: ${active} active`;
    this.node.title = `${active} of my SynQ jobs queued or running; click for the jobs panel`;
  }
}
