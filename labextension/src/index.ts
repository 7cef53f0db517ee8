import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { SynqSidebar } from './components/SynqSidebar';
import { estimateCircuit } from './estimate';
import { synqIcon } from './icons';
import { JobsModel } from './jobs/model';
import { ISynqJobs } from './jobs/token';
import { jobsPlugin } from './jobsPlugin';
import { languagePlugin } from './languagePlugin';
import { SynqModel } from './model';
import { ISynqDefaults, transpileFor } from './transpile';

const PLUGIN_ID = 'synq-jupyter:plugin';
const SIDEBAR_ID = 'synq-sidebar';
const DEFAULT_REFRESH_INTERVAL = 30;

namespace CommandIDs {
  export const openSidebar = 'synq:open-sidebar';
  export const refresh = 'synq:refresh';
  export const transpileFor = 'synq:transpile-for';
  export const estimate = 'synq:estimate-circuit';
}

/**
 * The SynQ sidebar (server health and the quantum targets panel) and the commands that
 * work on the active cell's circuit: "Transpile for…" and "Estimate this circuit".
 */
const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: 'A SynQ sidebar with the server health and the quantum target catalogue.',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette, ISettingRegistry, INotebookTracker, ISynqJobs],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null,
    notebooks: INotebookTracker | null,
    jobs: JobsModel | null
  ): void => {
    const defaults: ISynqDefaults = {
      target: 'aer_simulator',
      optimizationLevel: 2,
      shots: 1024
    };
    // The poll stands by while the panel is collapsed or the browser tab is hidden.
    const model: SynqModel = new SynqModel({
      refreshInterval: DEFAULT_REFRESH_INTERVAL,
      standby: () => !sidebar.isVisible || 'when-hidden'
    });
    const sidebar = new SynqSidebar(model, () => void app.commands.execute(CommandIDs.estimate));
    sidebar.id = SIDEBAR_ID;
    sidebar.title.icon = synqIcon;
    sidebar.title.caption = 'SynQ';
    sidebar.disposed.connect(() => model.dispose());

    app.shell.add(sidebar, 'left', { rank: 900 });
    if (restorer) {
      restorer.add(sidebar, SIDEBAR_ID);
    }

    app.commands.addCommand(CommandIDs.openSidebar, {
      label: 'Open SynQ Sidebar',
      caption: 'Show the SynQ server status and quantum targets',
      icon: synqIcon,
      execute: () => app.shell.activateById(SIDEBAR_ID)
    });
    app.commands.addCommand(CommandIDs.refresh, {
      label: 'Refresh SynQ Status',
      execute: () => model.refresh()
    });
    app.commands.addCommand(CommandIDs.transpileFor, {
      label: 'Transpile for…',
      caption: "Transpile the active cell's or file's circuit for a target and show the report",
      icon: synqIcon,
      execute: () => transpileFor(app, notebooks, defaults)
    });
    app.commands.addCommand(CommandIDs.estimate, {
      label: 'Estimate this circuit',
      caption:
        "Compare the active cell's circuit on every target: feasibility, success, time and price",
      icon: synqIcon,
      execute: () => estimateCircuit(app, notebooks, jobs, defaults.shots)
    });
    if (palette) {
      palette.addItem({ command: CommandIDs.estimate, category: 'SynQ' });
      palette.addItem({ command: CommandIDs.openSidebar, category: 'SynQ' });
      palette.addItem({ command: CommandIDs.refresh, category: 'SynQ' });
      palette.addItem({ command: CommandIDs.transpileFor, category: 'SynQ' });
    }

    if (settingRegistry) {
      const apply = (settings: ISettingRegistry.ISettings): void => {
        model.refreshInterval = settings.get('refreshInterval').composite as number;
        defaults.target = settings.get('defaultTarget').composite as string;
        defaults.optimizationLevel = settings.get('optimizationLevel').composite as number;
        defaults.shots = settings.get('shots').composite as number;
      };
      settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          apply(settings);
          settings.changed.connect(apply);
        })
        .catch(reason => {
          console.error('synq-jupyter: could not load the settings.', reason);
        });
    }
  }
};

export default [plugin, jobsPlugin, languagePlugin];
