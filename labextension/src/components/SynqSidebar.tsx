import { refreshIcon, ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { SynqModel } from '../model';
import { HealthSection } from './HealthSection';
import { TargetsSection } from './TargetsSection';

/**
 * The SynQ panel of the left sidebar.
 *
 * It fetches when it is shown and on demand; while it is hidden the model's poll
 * stands by.
 */
export class SynqSidebar extends ReactWidget {
  constructor(model: SynqModel) {
    super();
    this._model = model;
    this.addClass('synq-Sidebar');
  }

  get model(): SynqModel {
    return this._model;
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      void this._model.refresh();
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this._model.refresh();
  }

  render(): JSX.Element {
    const model = this._model;
    return (
      <div className="synq-Sidebar-content">
        <header className="synq-Sidebar-header">
          <h2 className="synq-Sidebar-title">SynQ</h2>
          <button
            type="button"
            className="synq-IconButton"
            aria-label="Refresh SynQ server status and targets"
            title="Refresh"
            data-testid="synq-refresh"
            onClick={() => void model.refresh()}
          >
            <refreshIcon.react tag="span" className="synq-IconButton-icon" />
          </button>
        </header>
        <UseSignal signal={model.changed}>
          {() => (
            <>
              <HealthSection health={model.health} />
              <TargetsSection targets={model.targets} />
            </>
          )}
        </UseSignal>
      </div>
    );
  }

  private _model: SynqModel;
}
