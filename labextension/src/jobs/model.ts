import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { errorMessage } from '../request';
import { ServerConnection } from '@jupyterlab/services';

import {
  cancelJob,
  deleteJob,
  fetchActiveJobs,
  fetchJob,
  fetchJobs,
  IJob,
  IJobPage,
  retryJob,
  TERMINAL
} from './api';
import { IJobEvent, JobStream, StreamState } from './stream';

export type SortKey = 'newest' | 'oldest' | 'status' | 'target';

export interface IJobFilter {
  status: string;
  target: string;
  kind: string;
}

const ANY: IJobFilter = { status: '', target: '', kind: '' };
const STATUS_ORDER = ['running', 'queued', 'failed', 'cancelled', 'succeeded'];

/**
 * The jobs panel's model: the caller's jobs, kept current by the event stream.
 *
 * The list is loaded once the stream is open (and again after every reconnection),
 * so an event can never fall between the list and the stream; after that only stream
 * events change it, and a job it has not seen yet is fetched once.
 */
export class JobsModel implements IDisposable {
  constructor(options: JobsModel.IOptions) {
    this._stream = options.stream;
    this._load = options.load ?? fetchJobs;
    this._loadActive = options.loadActive ?? fetchActiveJobs;
    this._match = options.match ?? (filter => fetchJobs(null, 200, { ...filter }));
    this._fetchJob = options.fetchJob ?? fetchJob;
    this._deleteJob = options.deleteJob ?? deleteJob;
    this._stream.received.connect((_, event) => this._apply(event));
    this._stream.stateChanged.connect((_, state) => {
      if (state === 'open') {
        void this.reload();
      }
      this._changed.emit();
    });
  }

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Every event of the stream, as it arrives (after the jobs were updated with it). */
  get received(): ISignal<JobStream, IJobEvent> {
    return this._stream.received;
  }

  get connection(): StreamState {
    return this._stream.state;
  }

  get retryIn(): number | null {
    return this._stream.retryIn;
  }

  get loading(): boolean {
    return this._loading;
  }

  get error(): string | null {
    return this._error;
  }

  get loaded(): boolean {
    return this._loaded;
  }

  /** Whether older jobs than those loaded exist (the list comes a page at a time). */
  get hasMore(): boolean {
    return this._nextCursor !== null;
  }

  get filter(): IJobFilter {
    return this._filter;
  }

  /**
   * Filters the list. The server is asked for the newest 200 jobs that match too, so a
   * match older than the loaded pages is shown as well.
   */
  set filter(filter: IJobFilter) {
    this._filter = filter;
    this._filterLoaded = false;
    this._changed.emit();
    if (filter.status || filter.target || filter.kind) {
      void this._loadMatching(filter);
    }
  }

  /** Whether the server was asked for the filter's matches (and answered). */
  get filterLoaded(): boolean {
    return this._filterLoaded;
  }

  get sort(): SortKey {
    return this._sort;
  }

  set sort(sort: SortKey) {
    this._sort = sort;
    this._changed.emit();
  }

  /** Every job known, unfiltered. */
  get all(): IJob[] {
    return [...this._jobs.values()];
  }

  /** The jobs the filter lets through, in the chosen order. */
  get visible(): IJob[] {
    const { status, target, kind } = this._filter;
    const shown = this.all.filter(
      job =>
        (!status || job.status === status) &&
        (!target || job.target === target) &&
        (!kind || job.kind === kind)
    );
    return shown.sort(compare(this._sort));
  }

  /** The number of jobs queued or running. */
  get active(): number {
    return this.all.filter(job => !TERMINAL.has(job.status)).length;
  }

  job(id: string): IJob | undefined {
    return this._jobs.get(id);
  }

  /**
   * The job once the stream reports it finished (succeeded, failed or cancelled).
   */
  whenDone(id: string): Promise<IJob> {
    return new Promise(resolve => {
      const check = (): boolean => {
        const job = this._jobs.get(id);
        if (job && TERMINAL.has(job.status)) {
          this._changed.disconnect(check);
          resolve(job);
          return true;
        }
        return false;
      };
      if (!check()) {
        this._changed.connect(check);
        this.start();
        if (!this._jobs.has(id)) {
          void this._fetch(id);
        }
      }
    });
  }

  /** Starts the stream (the list follows once it is open). */
  start(): void {
    this._stream.start();
  }

  /** Loads the newest page again, in place of every job known. */
  async reload(): Promise<void> {
    await this._loadPage(null);
  }

  /** Adds the next page of older jobs. */
  async loadMore(): Promise<void> {
    if (this._nextCursor !== null && !this._loading) {
      await this._loadPage(this._nextCursor);
    }
  }

  /**
   * Reads one job again: a job older than the loaded pages is added, and one deleted
   * elsewhere is dropped.
   */
  async refresh(id: string): Promise<void> {
    await this._fetch(id);
  }

  async cancel(id: string): Promise<void> {
    await this._act(() => cancelJob(id));
  }

  async retry(id: string): Promise<void> {
    await this._act(() => retryJob(id));
  }

  /** Deletes a finished job; it leaves the list at once (other tabs hear of it). */
  async delete(id: string): Promise<void> {
    await this._deleteJob(id);
    this._jobs.delete(id);
    this._changed.emit();
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._stream.dispose();
    Signal.clearData(this);
  }

  private async _act(action: () => Promise<IJob>): Promise<void> {
    try {
      this._put(await action());
      this._error = null;
    } catch (error) {
      this._error = errorMessage(error);
      this._changed.emit();
      throw error;
    }
  }

  private _apply(event: IJobEvent): void {
    if (event.type === 'deleted') {
      if (this._jobs.delete(event.job_id)) {
        this._changed.emit();
      }
      return;
    }
    const job = this._jobs.get(event.job_id);
    if (!job) {
      void this._fetch(event.job_id);
      return;
    }
    const next: IJob = { ...job };
    if (event.type === 'status' && typeof event.data.status === 'string') {
      next.status = event.data.status as IJob['status'];
      if (next.status === 'running' && !next.started_at) {
        next.started_at = event.created_at;
      }
      if (TERMINAL.has(next.status)) {
        next.finished_at = next.finished_at ?? event.created_at;
        void this._fetch(job.id); // the error, attempts and times as stored
      }
      if (typeof event.data.attempt === 'number') {
        next.attempts = event.data.attempt;
      }
    } else if (event.type === 'progress') {
      next.progress = typeof event.data.progress === 'number' ? event.data.progress : null;
      next.progress_message =
        typeof event.data.message === 'string' ? event.data.message : next.progress_message;
    } else if (event.type === 'cancelling') {
      next.cancel_requested = true;
    }
    this._put(next);
  }

  /** The page after `cursor`; the newest (replacing the jobs known) when it is `null`. */
  private async _loadPage(cursor: string | null): Promise<void> {
    this._loading = true;
    this._changed.emit();
    try {
      const [page, active] = await Promise.all([
        this._load(cursor),
        cursor === null ? this._loadActive() : Promise.resolve([])
      ]);
      if (cursor === null) {
        this._jobs = new Map();
        this._loaded = true;
      }
      [...page.jobs, ...active].forEach(job => this._jobs.set(job.id, job));
      this._nextCursor = page.next_cursor;
      this._error = null;
    } catch (error) {
      this._error = errorMessage(error);
    } finally {
      this._loading = false;
      this._changed.emit();
    }
  }

  private async _loadMatching(filter: IJobFilter): Promise<void> {
    try {
      const page = await this._match(filter);
      page.jobs.forEach(job => this._jobs.set(job.id, job));
      this._filterLoaded = this._filter === filter;
    } catch (error) {
      this._error = errorMessage(error);
    }
    this._changed.emit();
  }

  private async _fetch(id: string): Promise<void> {
    try {
      this._put(await this._fetchJob(id));
    } catch (error) {
      if (error instanceof ServerConnection.ResponseError && error.response.status === 404) {
        this._jobs.delete(id); // deleted meanwhile
        this._changed.emit();
      }
      // Otherwise the server is going away: the next reload settles it.
    }
  }

  private _put(job: IJob): void {
    if (this._disposed) {
      return;
    }
    this._jobs.set(job.id, job);
    this._changed.emit();
  }

  private _stream: JobStream;
  private _load: (cursor: string | null) => Promise<IJobPage>;
  private _loadActive: () => Promise<IJob[]>;
  private _match: (filter: IJobFilter) => Promise<IJobPage>;
  private _filterLoaded = false;
  private _fetchJob: (id: string) => Promise<IJob>;
  private _deleteJob: (id: string) => Promise<void>;
  private _jobs = new Map<string, IJob>();
  private _filter: IJobFilter = ANY;
  private _sort: SortKey = 'newest';
  private _loading = false;
  private _loaded = false;
  private _nextCursor: string | null = null;
  private _error: string | null = null;
  private _disposed = false;
  private _changed = new Signal<this, void>(this);
}

export namespace JobsModel {
  export interface IOptions {
    stream: JobStream;
    load?: (cursor: string | null) => Promise<IJobPage>;
    loadActive?: () => Promise<IJob[]>;
    match?: (filter: IJobFilter) => Promise<IJobPage>;
    fetchJob?: (id: string) => Promise<IJob>;
    deleteJob?: (id: string) => Promise<void>;
  }
}

function compare(sort: SortKey): (a: IJob, b: IJob) => number {
  const newest = (a: IJob, b: IJob) => b.created_at.localeCompare(a.created_at);
  switch (sort) {
    case 'oldest':
      return (a, b) => -newest(a, b);
    case 'status':
      return (a, b) =>
        STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || newest(a, b);
    case 'target':
      return (a, b) => a.target.localeCompare(b.target) || newest(a, b);
    default:
      return newest;
  }
}
