import * as React from 'react';

import { fetchEvents, fetchResult, IJob, IJobResult } from '../jobs/api';
import { IJobEvent } from '../jobs/stream';
import { errorMessage } from '../request';
import { Histogram } from './Histogram';
import { TranspileFacts } from './TranspileFacts';

/**
 * One job: its fields, its result (a histogram for counts), its error and its event
 * timeline. Fetched when opened and again when the job's status changes.
 */
export function JobDetail(props: { job: IJob; onBack: () => void }): JSX.Element {
  const { job } = props;
  const [events, setEvents] = React.useState<IJobEvent[] | null>(null);
  const [result, setResult] = React.useState<IJobResult | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    let live = true;
    fetchEvents(job.id)
      .then(found => live && setEvents(found))
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
    <div className="synq-Detail" data-testid="synq-job-detail" data-job-id={job.id}>
      <button type="button" className="synq-LinkButton" onClick={props.onBack}>
        ← All jobs
      </button>
      <h4 className="synq-Detail-title">
        {job.kind} on {job.target}
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
            <dd>{job.shots}</dd>
          </>
        ) : null}
        <dt>Attempts</dt>
        <dd>
          {job.attempts} of {job.max_retries + 1}
        </dd>
        <dt>Created</dt>
        <dd>{new Date(job.created_at).toLocaleString()}</dd>
        {job.tags.length ? (
          <>
            <dt>Tags</dt>
            <dd>{job.tags.join(', ')}</dd>
          </>
        ) : null}
      </dl>
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
      {counts ? <Histogram counts={counts} /> : null}
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
          {events.map(event => (
            <li key={event.id} className="synq-Timeline-event">
              <time dateTime={event.created_at}>
                {new Date(event.created_at).toLocaleTimeString()}
              </time>{' '}
              {describe(event)}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function describe(event: IJobEvent): string {
  if (event.type === 'status') {
    return String(event.data.status ?? 'status');
  }
  if (event.type === 'progress') {
    const fraction = typeof event.data.progress === 'number' ? event.data.progress : null;
    const message = typeof event.data.message === 'string' ? ` ${event.data.message}` : '';
    return `progress ${fraction === null ? '' : `${Math.round(fraction * 100)}%`}${message}`;
  }
  return event.type;
}
