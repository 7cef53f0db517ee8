import { IDisposable } from '@lumino/disposable';
import { IPoll, Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { fetchHealth, fetchTargets, IHealth, ITarget } from './api';
import { errorMessage } from './request';

/**
 * What the panel knows about one server resource.
 *
 * `data` stays at the last good value while a refresh runs or after it fails, so a
 * transient error does not blank the panel.
 */
export interface IResource<T> {
  readonly data: T | null;
  readonly error: string | null;
  readonly loading: boolean;
}

const EMPTY: IResource<never> = { data: null, error: null, loading: false };

/**
 * Loads one resource, keeps its state, and ignores answers that arrive after a
 * newer request was started.
 */
class Loader<T> {
  constructor(
    private readonly _fetch: () => Promise<T>,
    private readonly _changed: () => void
  ) {}

  get state(): IResource<T> {
    return this._state;
  }

  async load(): Promise<T> {
    const generation = ++this._generation;
    this._set({ ...this._state, loading: true });
    try {
      const data = await this._fetch();
      if (generation === this._generation) {
        this._set({ data, error: null, loading: false });
      }
      return data;
    } catch (error) {
      if (generation === this._generation) {
        this._set({ ...this._state, error: errorMessage(error), loading: false });
      }
      throw error;
    }
  }

  private _set(state: IResource<T>): void {
    this._state = state;
    this._changed();
  }

  private _state: IResource<T> = EMPTY;
  private _generation = 0;
}

/**
 * The sidebar's model: server health (polled) and the target catalogue.
 */
export class SynqModel implements IDisposable {
  constructor(options: SynqModel.IOptions) {
    const notify = () => this._changed.emit();
    this._health = new Loader(fetchHealth, notify);
    this._targets = new Loader(fetchTargets, notify);
    this._poll = new Poll<IHealth>({
      auto: false,
      factory: () => this._health.load(),
      frequency: SynqModel.frequency(options.refreshInterval),
      name: 'synq-jupyter:health',
      standby: options.standby ?? 'when-hidden'
    });
  }

  /**
   * Emitted whenever the health or the targets change state.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get health(): IResource<IHealth> {
    return this._health.state;
  }

  get targets(): IResource<ITarget[]> {
    return this._targets.state;
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /**
   * Seconds between two health checks.
   */
  set refreshInterval(seconds: number) {
    this._poll.frequency = SynqModel.frequency(seconds);
  }

  /**
   * Fetch everything now. Starts the health poll the first time.
   */
  async refresh(): Promise<void> {
    if (this.isDisposed) {
      return;
    }
    const targets = this._targets.load().catch(() => undefined);
    if (this._started) {
      await this._poll.refresh();
    } else {
      this._started = true;
      await this._poll.start();
    }
    await targets;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll.dispose();
    Signal.clearData(this);
  }

  private _changed = new Signal<this, void>(this);
  private _health: Loader<IHealth>;
  private _targets: Loader<ITarget[]>;
  private _poll: Poll<IHealth>;
  private _started = false;
}

export namespace SynqModel {
  export interface IOptions {
    /**
     * Seconds between two health checks.
     */
    refreshInterval: number;

    /**
     * When the poll should pause; `'when-hidden'` (the browser tab is hidden) by default.
     */
    standby?: Poll.Standby | (() => boolean | Poll.Standby);
  }

  /**
   * Poll timing for a refresh interval; failures back off up to ten intervals.
   */
  export function frequency(seconds: number): IPoll.Frequency {
    const interval = Math.max(5, seconds) * 1000;
    return { interval, backoff: true, max: interval * 10 };
  }
}
