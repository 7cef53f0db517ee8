import { ReactWidget, refreshIcon, UseSignal } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { JobsModel } from '../jobs/model';
import { ErrorBoundary } from './ErrorBoundary';
import { JobDetail } from './JobDetail';
import { JobList } from './JobList';
import { focusWasLost, useFocusOnMount } from './focus';

/**
 * The SynQ jobs panel: my jobs, live over the job event stream, with filters, sorting,
 * cancel, retry and delete, and a detail view per job.
 */
export class JobsPanel extends ReactWidget {
  constructor(model: JobsModel) {
    super();
    this._model = model;
    this.addClass('synq-Sidebar');
    this.addClass('synq-JobsPanel');
  }

  get model(): JobsModel {
    return this._model;
  }

  /**
   * Shows one job's detail view. The job is read again: one older than the loaded pages
   * is fetched, and one deleted elsewhere is dropped (back to the list).
   */
  open(id: string | null): void {
    this._returnTo = id === null ? this._selected : null;
    this._selected = id;
    this.update();
    if (id !== null) {
      this._opening = id;
      void this._model.refresh(id).finally(() => {
        if (this._opening === id) {
          this._opening = null;
          this.update();
        }
      });
    }
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._model.start();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this._model.start();
    }
  }

  render(): JSX.Element {
    return (
      <div className="synq-Sidebar-content">
        <UseSignal signal={this._model.changed}>{() => this._render()}</UseSignal>
      </div>
    );
  }

  private _render(): JSX.Element {
    const model = this._model;
    const selected = this._selected ? model.job(this._selected) : undefined;
    return (
      <>
        <header className="synq-Sidebar-header">
          <h2 className="synq-Sidebar-title">SynQ Jobs</h2>
          <Connection model={model} />
          <button
            type="button"
            className="synq-IconButton"
            aria-label="Reload SynQ jobs"
            title="Reload"
            onClick={() => {
              if (this._selected !== null && !model.job(this._selected)) {
                this._selected = null; // the "was deleted" notice goes too
              }
              void model.reload();
            }}
          >
            <refreshIcon.react tag="span" className="synq-IconButton-icon" />
          </button>
        </header>
        {model.error ? (
          <div
            className="synq-Message synq-Message-error"
            role="alert"
            data-testid="synq-jobs-error"
          >
            {model.error}
          </div>
        ) : null}
        {selected ? (
          <ErrorBoundary key={selected.id} what={`job ${selected.id.slice(0, 12)}`}>
            <JobDetail job={selected} model={model} onBack={() => this.open(null)} />
          </ErrorBoundary>
        ) : this._selected !== null && this._opening === this._selected ? (
          <div className="synq-Message" role="status">
            Loading job {this._selected.slice(0, 12)}…
          </div>
        ) : (
          <>
            {this._selected !== null ? (
              // The open job was deleted (here, in another tab or from a notebook).
              <DeletedNotice id={this._selected} />
            ) : null}
            <JobList model={model} onOpen={id => this.open(id)} focus={this._returnTo} />
          </>
        )}
      </>
    );
  }

  private _model: JobsModel;
  private _selected: string | null = null;
  private _opening: string | null = null;
  /** The job whose detail was just closed: its row takes the focus back. */
  private _returnTo: string | null = null;
}

/**
 * Says the open job was deleted. Deleted here, from its detail view, the Delete button the
 * keyboard was on is gone: the notice takes the focus, which fell to the page, and Tab goes
 * on to the list. Deleted elsewhere, the focus stays where it is.
 */
function DeletedNotice(props: { id: string }): JSX.Element {
  // Asked as the notice is first rendered, while the detail view and its Delete button are
  // still on the page: was the keyboard in this panel?
  const [inPanel] = React.useState(
    () => focusWasLost() || !!document.activeElement?.closest('.synq-JobsPanel')
  );
  const notice = useFocusOnMount<HTMLDivElement>(inPanel);
  return (
    <div
      className="synq-Message"
      role="status"
      data-testid="synq-job-gone"
      tabIndex={-1}
      ref={notice}
    >
      Job {props.id.slice(0, 12)} was deleted.
    </div>
  );
}

function Connection(props: { model: JobsModel }): JSX.Element {
  const { connection, retryIn } = props.model;
  const label =
    connection === 'open'
      ? 'live'
      : connection === 'waiting'
        ? `reconnecting${retryIn ? ` in ${Math.ceil(retryIn / 1000)} s` : ''}`
        : connection === 'connecting'
          ? 'connecting…'
          : 'offline';
  return (
    <span
      className={`synq-Connection synq-Connection-${connection}`}
      data-testid="synq-jobs-connection"
      role="status"
      title="The job event stream"
    >
      {label}
    </span>
  );
}
