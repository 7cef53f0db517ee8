import * as React from 'react';

import { timestamp } from '../format';
import { IJob } from '../jobs/api';
import { JobsModel, SortKey } from '../jobs/model';
import { jobPlace } from '../jobs/summary';
import { JobActions } from './JobActions';
import { useFocusOnMount } from './focus';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const SORTS: [SortKey, string][] = [
  ['newest', 'Newest first'],
  ['oldest', 'Oldest first'],
  ['status', 'Status'],
  ['target', 'Target']
];

/**
 * My jobs: filters and sort, the rows (each opens its job; Cancel and Retry in place),
 * the empty and loading states, and "Load older jobs".
 */
export function JobList(props: {
  model: JobsModel;
  onOpen: (id: string) => void;
  focus: string | null;
}): JSX.Element {
  const { model } = props;
  const jobs = model.visible;
  const all = model.all;
  const filter = model.filter;
  // The chosen target stays a choice even when none of its jobs is loaded.
  const targets = [...new Set([...all.map(job => job.target), filter.target])]
    .filter(Boolean)
    .sort();
  const kinds = [...new Set(all.map(job => job.kind))].sort();
  return (
    <section className="synq-Section" aria-label="Jobs">
      <div className="synq-Filters" role="group" aria-label="Filter and sort jobs">
        <Choice
          label="Status"
          value={filter.status}
          options={STATUSES}
          onChange={status => (model.filter = { ...filter, status })}
        />
        <Choice
          label="Target"
          value={filter.target}
          options={targets}
          onChange={target => (model.filter = { ...filter, target })}
        />
        <Choice
          label="Kind"
          value={filter.kind}
          options={kinds}
          onChange={kind => (model.filter = { ...filter, kind })}
        />
        <label className="synq-Choice">
          <span>Sort</span>
          <select
            value={model.sort}
            onChange={event => (model.sort = event.target.value as SortKey)}
            aria-label="Sort jobs"
          >
            {SORTS.map(([key, text]) => (
              <option key={key} value={key}>
                {text}
              </option>
            ))}
          </select>
        </label>
      </div>
      {!model.loaded && !model.error ? (
        <div className="synq-Message" role="status" data-testid="synq-loading">
          Loading jobs…
        </div>
      ) : jobs.length === 0 && model.loaded ? (
        <div className="synq-Message" data-testid="synq-empty">
          {!all.length
            ? 'No jobs yet. Submit one with %%synq --submit.'
            : model.hasMore && !model.filterLoaded
              ? `No job matches the filter among the newest ${all.length}; looking further…`
              : 'No job matches the filter.'}
        </div>
      ) : (
        <ul className="synq-JobList" aria-label="My jobs">
          {jobs.map(job => (
            <JobRow
              key={job.id}
              job={job}
              model={model}
              onOpen={props.onOpen}
              focused={job.id === props.focus}
            />
          ))}
        </ul>
      )}
      {model.hasMore ? (
        <button
          type="button"
          className="synq-Button synq-LoadMore"
          data-testid="synq-load-more"
          disabled={model.loading}
          onClick={() => void model.loadMore()}
        >
          {model.loading ? 'Loading…' : `Load older jobs (${all.length} shown)`}
        </button>
      ) : null}
    </section>
  );
}

function Choice(props: {
  label: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <label className="synq-Choice">
      <span>{props.label}</span>
      <select
        value={props.value}
        onChange={event => props.onChange(event.target.value)}
        aria-label={`Filter jobs by ${props.label.toLowerCase()}`}
      >
        <option value="">any</option>
        {props.options.map(option => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}

function JobRow(props: {
  job: IJob;
  model: JobsModel;
  onOpen: (id: string) => void;
  focused: boolean;
}): JSX.Element {
  const { job, model } = props;
  const opener = useFocusOnMount<HTMLButtonElement>(props.focused);
  return (
    <li
      className="synq-Job"
      data-testid="synq-job-row"
      data-job-id={job.id}
      data-status={job.status}
    >
      <button
        type="button"
        className="synq-RowButton"
        ref={opener}
        onClick={() => props.onOpen(job.id)}
        aria-label={`Open job ${job.id}: ${job.kind} on ${jobPlace(job)}, ${job.status}`}
      >
        <span className="synq-Job-line">
          <span className="synq-Job-name" title={`${job.kind} on ${jobPlace(job)}`}>
            {job.kind} · {jobPlace(job)}
          </span>
          <span
            className={`synq-JobStatus synq-JobStatus-${job.status}`}
            data-testid="synq-job-status"
          >
            {job.cancel_requested && job.status === 'running' ? 'cancelling' : job.status}
          </span>
        </span>
        <span className="synq-Job-meta">
          <code title="%synq attach takes this short id">{job.id.slice(0, 12)}</code>
          <span>{timestamp(job.created_at)}</span>
          {job.shots !== null ? <span>{job.shots.toLocaleString()} shots</span> : null}
          {job.tags.map(tag => (
            <span key={tag} className="synq-Tag" data-testid="synq-job-tag">
              {tag}
            </span>
          ))}
        </span>
        {job.status === 'running' ? (
          <progress
            className="synq-Job-progress"
            max={1}
            value={job.progress ?? undefined}
            aria-label={job.progress_message ?? 'running'}
          />
        ) : null}
      </button>
      <JobActions job={job} model={model} inList fallbackFocus={opener} />
    </li>
  );
}
