import * as React from 'react';

import { duration, percent } from '../format';
import { fetchEvents, fetchResult, IJob, IJobResult } from '../jobs/api';
import { JobsModel } from '../jobs/model';
import { IJobEvent } from '../jobs/stream';
import { jobPlace, summaryFacts } from '../jobs/summary';
import { describeEvent, timeline } from '../jobs/timeline';
import { ICostComparison } from '../targets/api';
import { errorMessage } from '../request';
import { BatchCounts } from './BatchCounts';
import { CostTable } from './CostTable';
import { Histogram } from './Histogram';
import { JobActions } from './JobActions';
import { TranspileFacts } from './TranspileFacts';

/**
 * One job: its fields, its progress while it runs, Cancel, Retry and Delete, its result
 * (a histogram for counts, one circuit at a time for a batch; a table for expectation
 * values), its error and its event timeline.
 * Fetched when opened and again when the job's status changes.
 */
export function JobDetail(props: { job: IJob; model: JobsModel; onBack: () => void }): JSX.Element {
  const { job, model } = props;
  const back = React.useRef<HTMLButtonElement>(null);
  const now = useNow(job.status === 'running' && !job.finished_at);
  React.useEffect(() => back.current?.focus(), [job.id]); // Enter on a row lands here
  const [events, setEvents] = React.useState<IJobEvent[] | null>(null);
  const [result, setResult] = React.useState<IJobResult | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    // The timeline grows as the stream brings this job's events; those that come while
    // the stored ones load are merged in when they arrive.
    const follow = (_: unknown, event: IJobEvent) =>
      event.job_id === job.id && setEvents(known => merged(known ?? [], [event]));
    model.received.connect(follow);
    return () => {
      model.received.disconnect(follow);
    };
  }, [job.id, model]);
  React.useEffect(() => {
    let live = true;
    fetchEvents(job.id)
      .then(found => live && setEvents(known => merged(found, known ?? [])))
      .catch(reason => live && setError(errorMessage(reason)));
    if (job.status === 'succeeded') {
      fetchResult(job.id)
        .then(found => live && setResult(found))
        .catch(reason => live && setError(errorMessage(reason)));
    }
    return () => {
      live = false;
    };
  }, [job.id, job.status]);

  const counts = result?.counts;
  return (
    <div
      className="synq-Detail"
      data-testid="synq-job-detail"
      data-job-id={job.id}
      onKeyDown={event => event.key === 'Escape' && props.onBack()}
    >
      <button type="button" className="synq-LinkButton" onClick={props.onBack} ref={back}>
        ← All jobs
      </button>
      <h4 className="synq-Detail-title">
        {job.kind} on {jobPlace(job)}
      </h4>
      <dl className="synq-Facts">
        <dt>Job</dt>
        <dd>
          <code>{job.id}</code>
        </dd>
        <dt>Status</dt>
        <dd data-testid="synq-job-detail-status">{job.status}</dd>
        <dt>Owner</dt>
        <dd>{job.owner}</dd>
        {job.shots !== null ? (
          <>
            <dt>Shots</dt>
            <dd>{job.shots.toLocaleString()}</dd>
          </>
        ) : null}
        <dt>Attempts</dt>
        <dd>
          {job.attempts} of {job.max_retries + 1}
        </dd>
        <dt>Created</dt>
        <dd>{new Date(job.created_at).toLocaleString()}</dd>
        {job.started_at ? (
          <>
            <dt>
              {job.finished_at
                ? job.attempts > 1
                  ? `Attempt ${job.attempts} ran for`
                  : 'Ran for'
                : 'Started'}
            </dt>
            <dd data-testid="synq-job-duration">
              {job.finished_at
                ? duration(
                    (new Date(job.finished_at).getTime() - new Date(job.started_at).getTime()) /
                      1000
                  )
                : `${new Date(job.started_at).toLocaleTimeString()} (running for ${duration(
                    Math.max(0, (now - new Date(job.started_at).getTime()) / 1000)
                  )})`}
            </dd>
          </>
        ) : null}
        {job.tags.length ? (
          <>
            <dt>Tags</dt>
            <dd>{job.tags.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      {job.status === 'running' ? (
        <div className="synq-Detail-progress">
          <progress max={1} value={job.progress ?? undefined} aria-label="Progress" />
          <span data-testid="synq-job-progress-message">
            {job.progress !== null && job.progress !== undefined ? percent(job.progress, 0) : ''}{' '}
            {job.progress_message ?? ''}
          </span>
        </div>
      ) : null}
      <div className="synq-Detail-actions">
        <JobActions job={job} model={model} fallbackFocus={back} />
      </div>
      {job.error ? (
        <div className="synq-Message synq-Message-error" role="alert">
          {job.error}
        </div>
      ) : null}
      {error ? (
        <div className="synq-Message synq-Message-error" role="alert">
          {error}
        </div>
      ) : null}
      {Array.isArray(counts) ? (
        <BatchCounts counts={counts} />
      ) : counts ? (
        <Histogram counts={counts} />
      ) : null}
      {result ? <Expectations result={result} /> : null}
      {result ? <ResultFacts kind={job.kind} result={result} /> : null}
      {result && job.kind === 'cost_estimate' && Array.isArray(result.rows) ? (
        <CostTable comparison={result as unknown as ICostComparison} />
      ) : null}
      {result?.report ? (
        <details className="synq-Detail-section" data-testid="synq-job-transpile">
          <summary>Transpiled for {result.report.target}</summary>
          <TranspileFacts report={result.report} />
        </details>
      ) : null}
      <h5 className="synq-Detail-subtitle">Timeline</h5>
      {events === null ? (
        <div className="synq-Message" role="status">
          Loading events…
        </div>
      ) : (
        <ol className="synq-Timeline" data-testid="synq-job-timeline">
          {timeline(events).map(({ event, updates }) => (
            <li key={event.id} className="synq-Timeline-event">
              <time dateTime={event.created_at}>
                {new Date(event.created_at).toLocaleTimeString()}
              </time>{' '}
              {describeEvent(event)}
              {updates > 1 ? (
                <span className="synq-Timeline-updates"> · {updates.toLocaleString()} updates</span>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** What an algorithm job found (``summaryFacts``), as a list of facts. */
/** The time now, kept current every second while `ticking` (how long a job has run). */
function useNow(ticking: boolean): number {
  const [now, setNow] = React.useState(Date.now());
  React.useEffect(() => {
    if (!ticking) {
      return;
    }
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [ticking]);
  return now;
}

function ResultFacts(props: { kind: string; result: IJobResult }): JSX.Element | null {
  const facts = summaryFacts(props.kind, props.result);
  if (!facts.length) {
    return null;
  }
  return (
    <dl className="synq-Facts" data-testid="synq-job-summary">
      {facts.map(([label, value]) => (
        <React.Fragment key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </React.Fragment>
      ))}
    </dl>
  );
}

/** An estimate job's expectation values, one row per observable, with standard errors. */
function Expectations(props: { result: IJobResult }): JSX.Element | null {
  const values = props.result.expectation_values;
  if (!Array.isArray(values)) {
    return null;
  }
  const observables = Array.isArray(props.result.observables) ? props.result.observables : [];
  const errors = Array.isArray(props.result.standard_errors) ? props.result.standard_errors : [];
  return (
    <table className="synq-Expectations" data-testid="synq-job-expectations">
      <thead>
        <tr>
          <th>Observable</th>
          <th>⟨O⟩</th>
          <th>± std. error</th>
        </tr>
      </thead>
      <tbody>
        {values.map((value, index) => (
          <tr key={index}>
            <td>
              <code>{observable(observables[index])}</code>
            </td>
            <td>{Number(value).toFixed(4)}</td>
            <td>{typeof errors[index] === 'number' ? errors[index].toFixed(4) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** ``[["ZZ", 1.0], ["XI", 0.5]]`` as ``ZZ + 0.5·XI``. */
function observable(terms: unknown): string {
  if (!Array.isArray(terms)) {
    return '';
  }
  return terms
    .map(term => {
      const [label, coeff] = term as [string, number];
      return coeff === 1 ? label : `${coeff}·${label}`;
    })
    .join(' + ');
}

/** Both lists' events, each once, oldest first. */
function merged(a: IJobEvent[], b: IJobEvent[]): IJobEvent[] {
  const byId = new Map([...a, ...b].map(event => [event.id, event]));
  return [...byId.values()].sort((x, y) => x.id - y.id);
}
