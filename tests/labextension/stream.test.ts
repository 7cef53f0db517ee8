import { describe, expect, it } from 'vitest';

import { IJobEvent, ISocket, JobStream, reconnectDelay } from '../../labextension/src/jobs/stream';

class FakeSocket implements ISocket {
  constructor(readonly url: string) {}
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closed = false;
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.onopen?.({});
  }
  send(event: Partial<IJobEvent>): void {
    this.onmessage?.({
      data: JSON.stringify({ job_id: 'j1', type: 'status', data: {}, ...event })
    });
  }
  drop(): void {
    this.onerror?.({});
    this.onclose?.({});
  }
}

/** A stream on fake sockets and a fake clock: timers run only when the test says. */
function harness(random = () => 1) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const stream = new JobStream({
    url: after => `ws://server/synq/api/jobs/stream${after === null ? '' : `?after=${after}`}`,
    connect: url => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    minDelay: 500,
    maxDelay: 8000,
    random,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => timers.splice(0)
  });
  const received: number[] = [];
  stream.received.connect((_, event) => received.push(event.id));
  const fire = () => {
    const timer = timers.shift();
    expect(timer).toBeDefined();
    timer!.fn();
    return timer!.ms;
  };
  return { stream, sockets, timers, received, fire };
}

describe('reconnectDelay', () => {
  it('doubles from the minimum up to the maximum', () => {
    const delays = [0, 1, 2, 3, 4, 5, 10].map(n => reconnectDelay(n, 500, 8000, () => 1));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('jitters between half and all of the delay', () => {
    expect(reconnectDelay(2, 500, 8000, () => 0)).toBe(1000);
    expect(reconnectDelay(2, 500, 8000, () => 0.5)).toBe(1500);
  });
});

describe('JobStream', () => {
  it('delivers events in order and skips replayed ones', () => {
    const { stream, sockets, received } = harness();
    stream.start();
    sockets[0].open();
    expect(stream.state).toBe('open');
    sockets[0].send({ id: 1 });
    sockets[0].send({ id: 2 });
    sockets[0].send({ id: 2 });
    sockets[0].onmessage?.({ data: 'not json' });
    expect(received).toEqual([1, 2]);
    expect(stream.lastEventId).toBe(2);
  });

  it('reconnects with back-off and asks for what it missed', () => {
    const { stream, sockets, timers, received, fire } = harness();
    stream.start();
    expect(sockets[0].url).toBe('ws://server/synq/api/jobs/stream');
    sockets[0].open();
    sockets[0].send({ id: 7 });

    sockets[0].drop();
    expect(stream.state).toBe('waiting');
    expect(stream.retryIn).toBe(500);
    expect(fire()).toBe(500);
    expect(sockets[1].url).toBe('ws://server/synq/api/jobs/stream?after=7');

    sockets[1].drop(); // the server is still down: each attempt waits longer
    expect(fire()).toBe(1000);
    sockets[2].drop();
    expect(fire()).toBe(2000);
    expect(sockets).toHaveLength(4);

    sockets[3].open();
    expect(stream.state).toBe('open');
    sockets[3].send({ id: 8 });
    expect(received).toEqual([7, 8]);

    sockets[3].drop(); // after a good connection the back-off starts again
    expect(fire()).toBe(500);
    expect(timers).toHaveLength(0);
  });

  it('never waits longer than the maximum', () => {
    const { stream, sockets, fire } = harness();
    stream.start();
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      sockets[i].drop();
      waits.push(fire());
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
  });

  it('start() while waiting reconnects at once', () => {
    const { stream, sockets, timers } = harness();
    stream.start();
    sockets[0].drop();
    expect(timers).toHaveLength(1);
    stream.start();
    expect(timers).toHaveLength(0);
    expect(sockets).toHaveLength(2);
    expect(stream.state).toBe('connecting');
  });

  it('stops for good when disposed', () => {
    const { stream, sockets, timers } = harness();
    const states: string[] = [];
    stream.stateChanged.connect((_, state) => states.push(state));
    stream.start();
    sockets[0].open();
    stream.dispose();
    expect(sockets[0].closed).toBe(true);
    expect(timers).toHaveLength(0);
    expect(states).toEqual(['connecting', 'open', 'closed']);
    stream.start();
    expect(sockets).toHaveLength(1);
  });
});
