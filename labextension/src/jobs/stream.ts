import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

/**
 * One message of `/synq/api/jobs/stream`: a status change, a progress report, a
 * cancel request or the deletion of one of the caller's jobs. `id` grows with every event.
 */
export interface IJobEvent {
  id: number;
  job_id: string;
  type: 'status' | 'progress' | 'cancelling' | 'deleted';
  data: { status?: string; progress?: number; message?: string; [key: string]: unknown };
  created_at: string;
}

export type StreamState = 'connecting' | 'open' | 'waiting' | 'closed';

/**
 * The part of a WebSocket the stream uses, so tests can hand in a fake one.
 */
export interface ISocket {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}

/**
 * The delay before reconnection attempt `attempt` (0 for the first): doubling from
 * `min` up to `max`, with "equal jitter" (between half and all of it) so that many
 * browsers do not come back in step after a server restart.
 */
export function reconnectDelay(
  attempt: number,
  min: number,
  max: number,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(max, min * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + (random() * ceiling) / 2;
}

/**
 * The job event stream, kept open: after a drop it reconnects with back-off and asks
 * for the events it missed (`?after=<last id>`), so no event is lost or repeated.
 * Nothing polls while the socket is up.
 */
export class JobStream implements IDisposable {
  constructor(options: JobStream.IOptions) {
    this._url = options.url;
    this._connect = options.connect;
    this._minDelay = options.minDelay ?? 500;
    this._maxDelay = options.maxDelay ?? 30_000;
    this._random = options.random ?? Math.random;
    this._setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this._clearTimer = options.clearTimer ?? (handle => clearTimeout(handle as number));
  }

  /** Every event, in order. */
  get received(): ISignal<this, IJobEvent> {
    return this._received;
  }

  /** Emitted when the state changes (and on every new wait before reconnecting). */
  get stateChanged(): ISignal<this, StreamState> {
    return this._stateChanged;
  }

  get state(): StreamState {
    return this._state;
  }

  /** When `state` is `waiting`: the milliseconds before the next attempt. */
  get retryIn(): number | null {
    return this._retryIn;
  }

  /** The id of the newest event received (null before the first). */
  get lastEventId(): number | null {
    return this._lastId;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Opens the stream (again, at once, when it is waiting to reconnect). */
  start(): void {
    if (this._disposed || this._state === 'open' || this._state === 'connecting') {
      return;
    }
    this._cancelRetry();
    this._open();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._cancelRetry();
    const socket = this._socket;
    this._socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
    this._setState('closed');
    Signal.clearData(this);
  }

  private _open(): void {
    this._setState('connecting');
    const socket = this._connect(this._url(this._lastId));
    this._socket = socket;
    socket.onopen = () => {
      this._attempt = 0;
      this._setState('open');
    };
    socket.onmessage = message => this._onMessage(message.data);
    socket.onerror = () => {
      // A close event follows; reconnecting is decided there.
    };
    socket.onclose = () => {
      if (this._socket === socket) {
        this._socket = null;
        this._scheduleRetry();
      }
    };
  }

  private _onMessage(data: unknown): void {
    let event: IJobEvent;
    try {
      event = JSON.parse(String(data)) as IJobEvent;
    } catch {
      return; // not an event
    }
    if (typeof event.id !== 'number' || (this._lastId !== null && event.id <= this._lastId)) {
      return; // a replayed event already seen
    }
    this._lastId = event.id;
    this._received.emit(event);
  }

  private _scheduleRetry(): void {
    if (this._disposed) {
      return;
    }
    const delay = reconnectDelay(this._attempt++, this._minDelay, this._maxDelay, this._random);
    this._retryIn = delay;
    this._timer = this._setTimer(() => {
      this._timer = null;
      this._retryIn = null;
      this._open();
    }, delay);
    this._setState('waiting');
  }

  private _cancelRetry(): void {
    if (this._timer !== null) {
      this._clearTimer(this._timer);
      this._timer = null;
    }
    this._retryIn = null;
  }

  private _setState(state: StreamState): void {
    if (state !== this._state || state === 'waiting') {
      this._state = state;
      this._stateChanged.emit(state);
    }
  }

  private _url: (after: number | null) => string;
  private _connect: (url: string) => ISocket;
  private _minDelay: number;
  private _maxDelay: number;
  private _random: () => number;
  private _setTimer: (fn: () => void, ms: number) => unknown;
  private _clearTimer: (handle: unknown) => void;
  private _socket: ISocket | null = null;
  private _timer: unknown = null;
  private _attempt = 0;
  private _retryIn: number | null = null;
  private _lastId: number | null = null;
  private _state: StreamState = 'closed';
  private _disposed = false;
  private _received = new Signal<this, IJobEvent>(this);
  private _stateChanged = new Signal<this, StreamState>(this);
}

export namespace JobStream {
  export interface IOptions {
    /** The stream's URL, asking for events after `after` when it is not null. */
    url: (after: number | null) => string;
    /** Opens a socket (`url => new WebSocket(url)` in the browser). */
    connect: (url: string) => ISocket;
    /** The first reconnection delay in ms (500). */
    minDelay?: number;
    /** The longest reconnection delay in ms (30 s). */
    maxDelay?: number;
    random?: () => number;
    setTimer?: (fn: () => void, ms: number) => unknown;
    clearTimer?: (handle: unknown) => void;
  }
}
