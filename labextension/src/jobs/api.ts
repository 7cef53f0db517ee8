import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { ITranspileReport } from '../components/TranspileFacts';
import { requestAPI } from '../request';
import { IJobEvent, ISocket } from './stream';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * A job as `GET /synq/api/jobs/{id}` returns it.
 */
export interface IJob {
  id: string;
  owner: string;
  org_id: string;
  kind: string;
  status: JobStatus;
  target: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  attempts: number;
  max_retries: number;
  priority: number;
  tags: string[];
  shots: number | null;
  num_circuits: number;
  error?: string | null;
  progress?: number | null;
  progress_message?: string | null;
  cancel_requested?: boolean;
}

/**
 * `GET /synq/api/jobs/{id}/result`: counts for sampler jobs (a list of them, in the
 * order of `sources`, for a batch), and whatever else the job kind adds (a transpile
 * report, energies ...).
 */
export interface IJobResult {
  counts?: Record<string, number> | Record<string, number>[];
  shots?: number;
  report?: ITranspileReport;
  [key: string]: unknown;
}

/**
 * One page of `GET /synq/api/jobs`, newest first; `next_cursor` fetches the next.
 */
export interface IJobPage {
  jobs: IJob[];
  next_cursor: string | null;
}

/**
 * One page of my jobs, newest first; with `only`, just those whose fields have the
 * given values (empty values match anything).
 */
export function fetchJobs(
  cursor: string | null = null,
  limit = 200,
  only: Record<string, string> = {}
): Promise<IJobPage> {
  const query: Record<string, string> = { limit: String(limit) };
  if (cursor) {
    query.cursor = cursor;
  }
  Object.entries(only)
    .filter(([, value]) => value)
    .forEach(([name, value]) => (query[name] = value));
  return requestAPI<IJobPage>(`jobs${URLExt.objectToQueryString(query)}`);
}

/**
 * Every queued and running job, however old: the list loads the newest page, and these
 * are added to it so that what is active is always shown and counted.
 */
export async function fetchActiveJobs(): Promise<IJob[]> {
  const pages = await Promise.all(
    ['queued', 'running'].map(status => fetchJobs(null, 200, { status }))
  );
  return pages.flatMap(page => page.jobs);
}

export function fetchJob(id: string): Promise<IJob> {
  return requestAPI<IJob>(`jobs/${encodeURIComponent(id)}`);
}

export function fetchResult(id: string): Promise<IJobResult> {
  return requestAPI<IJobResult>(`jobs/${encodeURIComponent(id)}/result`);
}

/** Most events one request asks for (the route's limit). */
export const EVENT_PAGE = 5000;

/**
 * Every event of a job, oldest first, in as many pages as it takes: a long VQE reports
 * each iteration, and a timeline cut at one page ended before the job did.
 */
export async function fetchEvents(
  id: string,
  settings?: ServerConnection.ISettings
): Promise<IJobEvent[]> {
  const events: IJobEvent[] = [];
  for (;;) {
    const after = events.length > 0 ? events[events.length - 1].id : 0;
    const body = await requestAPI<{ events: IJobEvent[] }>(
      `jobs/${encodeURIComponent(id)}/events?after=${after}&limit=${EVENT_PAGE}`,
      {},
      settings
    );
    events.push(...body.events);
    if (body.events.length < EVENT_PAGE) {
      return events;
    }
  }
}

export function cancelJob(id: string): Promise<IJob> {
  return requestAPI<IJob>(`jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST', body: '{}' });
}

export function retryJob(id: string): Promise<IJob> {
  return requestAPI<IJob>(`jobs/${encodeURIComponent(id)}/retry`, { method: 'POST', body: '{}' });
}

/** Deletes a finished job with its result and events (the server refuses others). */
export async function deleteJob(id: string): Promise<void> {
  await requestAPI<unknown>(`jobs/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/**
 * The URL of the job event stream, with the server's token when the page has one
 * (a browser cannot set headers on a WebSocket).
 */
export function streamUrl(
  after: number | null,
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): string {
  const url = URLExt.join(settings.wsUrl, 'synq', 'api', 'jobs', 'stream');
  const query: Record<string, string> = {};
  if (after !== null) {
    query.after = String(after);
  }
  if (settings.token) {
    query.token = settings.token;
  }
  const search = URLExt.objectToQueryString(query);
  return search.length > 1 ? url + search : url;
}

export function openSocket(url: string): ISocket {
  return new WebSocket(url) as unknown as ISocket;
}
