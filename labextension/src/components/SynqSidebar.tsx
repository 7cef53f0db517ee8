import { refreshIcon, ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { SynqModel } from '../model';
import { HealthSection } from './HealthSection';
import { TargetDetail } from './TargetDetail';
import { TargetsSection } from './TargetsSection';

/**
 * The SynQ panel of the left sidebar.
 *
 * It fetches when it is shown and on demand; while it is hidden the model's poll
 * stands by.
 */
export class SynqSidebar extends ReactWidget {
  /**
   * @param onEstimate - runs "Estimate this circuit" on the active cell.
   */
  constructor(model: SynqModel, onEstimate: () => void) {
    super();
    this._model = model;
    this._onEstimate = onEstimate;
    this.addClass('synq-Sidebar');
  }

  get model(): SynqModel {
    return this._model;
  }

  /**
   * Shows one target's detail, or the list again for `null`.
   */
  open(name: string | null): void {
    this._returnTo = name === null ? this._selected : null;
    this._selected = name;
    this.update();
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
              {this._selected ? (
                <TargetDetail name={this._selected} onBack={() => this.open(null)} />
              ) : (
                <TargetsSection
                  targets={model.targets}
                  onOpen={name => this.open(name)}
                  focus={this._returnTo}
                  onEstimate={this._onEstimate}
                />
              )}
            </>
          )}
        </UseSignal>
      </div>
    );
  }

  private _model: SynqModel;
  private _onEstimate: () => void;
  private _selected: string | null = null;
  /** The target whose detail was just closed: its row takes the focus back. */
  private _returnTo: string | null = null;
}
