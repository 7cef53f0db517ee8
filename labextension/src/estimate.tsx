import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, showErrorMessage } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ReactWidget, UseSignal } from '@jupyterlab/ui-components';
import * as React from 'react';

import { activeCircuit, inCellLines } from './activeCircuit';
import { CostTable } from './components/CostTable';
import { synqIcon } from './icons';
import { fetchJob, fetchResult, IJob, TERMINAL } from './jobs/api';
import { JobsModel } from './jobs/model';
import { errorMessage } from './request';
import { ICostComparison, startEstimate } from './targets/api';
import { openReport } from './reports';

/**
 * "Estimate this circuit": starts a cost comparison of the active cell's circuit on
 * every target and opens its report, which follows the job live and then shows the
 * comparison.
 */
export async function estimateCircuit(
  app: JupyterFrontEnd,
  notebooks: INotebookTracker | null,
  jobs: JobsModel | null,
  shots: number
): Promise<void> {
  const circuit = activeCircuit(app, notebooks);
  if (circuit === null) {
    await showErrorMessage('Estimate this circuit', activeCircuit.missing);
    return;
  }
  let job: IJob;
  try {
    // The cell's own --shots and --format, as the cell would run it.
    const { options } = circuit;
    job = await startEstimate(circuit.source, options.shots ?? shots, options.format);
  } catch (error) {
    const message = inCellLines(error, circuit.firstLine);
    await showErrorMessage('Estimate this circuit', message);
    return;
  }
  const content = new EstimateReport(job, jobs);
  const widget = new MainAreaWidget({ content });
  widget.id = `synq-estimate-${job.id}`;
  widget.title.label = 'Cost estimate';
  widget.title.caption = `Cost and feasibility of the circuit on every target (job ${job.id})`;
  widget.title.icon = synqIcon;
  widget.title.closable = true;
  openReport(app, widget);
  void content.follow();
}

/**
 * The report of one estimate job: its progress while it runs, then the comparison.
 */
class EstimateReport extends ReactWidget {
  constructor(
    private _job: IJob,
    private readonly _jobs: JobsModel | null
  ) {
    super();
    this.addClass('synq-ReportWidget');
  }

  /**
   * Waits for the job (through the live job stream when there is one) and loads its
   * result.
   */
  async follow(): Promise<void> {
    try {
      const done = this._jobs ? await this._jobs.whenDone(this._job.id) : await poll(this._job.id);
      // The stored job: its error and times as the server kept them.
      this._job = await fetchJob(done.id);
      if (this._job.status === 'succeeded') {
        this._result = (await fetchResult(this._job.id)) as unknown as ICostComparison;
      }
    } catch (error) {
      this._error = errorMessage(error);
    }
    this.update();
  }

  render(): JSX.Element {
    const jobs = this._jobs;
    if (!jobs || this._result || this._error) {
      return this._body(this._job);
    }
    return (
      <UseSignal signal={jobs.changed}>
        {() => this._body(jobs.job(this._job.id) ?? this._job)}
      </UseSignal>
    );
  }

  private _body(job: IJob): JSX.Element {
    let body: React.ReactNode;
    if (this._error) {
      body = (
        <div className="synq-Message synq-Message-error" role="alert">
          <strong>Could not estimate.</strong> {this._error}
        </div>
      );
    } else if (this._result) {
      body = <CostTable comparison={this._result} />;
    } else if (job.status === 'failed' || job.status === 'cancelled') {
      body = (
        <div className="synq-Message synq-Message-error" role="alert">
          <strong>The estimate {job.status}.</strong> {job.error ?? ''}
        </div>
      );
    } else {
      const fraction = job.progress ?? 0;
      body = (
        <div className="synq-Message" role="status" data-testid="synq-estimate-progress">
          <progress max={1} value={fraction} aria-label="Estimate progress" />{' '}
          {job.progress_message ?? job.status}…
        </div>
      );
    }
    return (
      <div className="synq-Report" data-testid="synq-estimate-report" data-job-id={job.id}>
        <h2>Cost and feasibility on every target</h2>
        <p className="synq-Report-lead">
          Job <code>{job.id}</code>
          {this._result
            ? ` · ${this._result.shots.toLocaleString()} shots · seed ${this._result.seed}`
            : ''}
        </p>
        {body}
      </div>
    );
  }

  private _result: ICostComparison | null = null;
  private _error: string | null = null;
}

/**
 * Without the jobs plugin (disabled), the job is fetched every second until it ends.
 */
async function poll(id: string): Promise<IJob> {
  for (;;) {
    const job = await fetchJob(id);
    if (TERMINAL.has(job.status)) {
      return job;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}
