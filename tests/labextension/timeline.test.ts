import { ServerConnection } from '@jupyterlab/services';
import { describe, expect, it } from 'vitest';

import { EVENT_PAGE, fetchEvents } from '../../labextension/src/jobs/api';
import { IJobEvent } from '../../labextension/src/jobs/stream';
import { describeEvent, timeline } from '../../labextension/src/jobs/timeline';

function event(id: number, type: IJobEvent['type'], data: IJobEvent['data'] = {}): IJobEvent {
  return { id, job_id: 'j1', type, data, created_at: '2026-11-29T06:00:00Z' };
}

describe('timeline', () => {
  it('shows each run of progress as its newest update, between the changes of status', () => {
    const events = [
      event(1, 'status', { status: 'queued' }),
      event(2, 'status', { status: 'running' }),
      ...[3, 4, 5].map(id => event(id, 'progress', { progress: id / 10 })),
      event(6, 'status', { status: 'queued' }),
      event(7, 'status', { status: 'running' }),
      event(8, 'progress', { progress: 0.5 }),
      event(9, 'status', { status: 'cancelled' })
    ];

    const entries = timeline(events);

    expect(entries.map(e => [e.event.id, e.updates])).toEqual([
      [1, 0],
      [2, 0],
      [5, 3],
      [6, 0],
      [7, 0],
      [8, 1],
      [9, 0]
    ]);
  });

  it("folds a job's last updates after a cancel request into the run before it", () => {
    const events = [
      event(1, 'status', { status: 'running' }),
      ...[2, 3].map(id => event(id, 'progress', { progress: 0, message: `iteration ${id}` })),
      event(4, 'cancelling'),
      event(5, 'progress', { progress: 0, message: 'iteration 4' }),
      event(6, 'status', { status: 'cancelled' })
    ];

    expect(timeline(events).map(e => [e.event.id, e.updates])).toEqual([
      [1, 0],
      [5, 3],
      [4, 0],
      [6, 0]
    ]);
  });
});

describe('describeEvent', () => {
  it('says why a job was queued again or failed', () => {
    const retried = event(1, 'status', {
      status: 'queued',
      reason: 'attempt 1 failed: cannot reach IonQ'
    });
    expect(describeEvent(retried)).toBe('queued — attempt 1 failed: cannot reach IonQ');
    expect(describeEvent(event(2, 'status', { status: 'failed', error: 'no route' }))).toBe(
      'failed — no route'
    );
    expect(describeEvent(event(3, 'status', { status: 'running', reason: null }))).toBe('running');
    expect(describeEvent(event(4, 'progress', { progress: 0.25, message: 'iteration 3' }))).toBe(
      'progress 25% iteration 3'
    );
  });
});

describe('fetchEvents', () => {
  it('reads every page, so a long job still ends with its final status', async () => {
    const total = EVENT_PAGE + 164;
    const urls: string[] = [];
    const settings = ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/',
      fetch: (async (input: RequestInfo) => {
        const url = new URL(typeof input === 'string' ? input : input.url);
        urls.push(url.search);
        const after = Number(url.searchParams.get('after'));
        const limit = Number(url.searchParams.get('limit'));
        const ids = Array.from({ length: total }, (_, i) => i + 1).filter(id => id > after);
        const events = ids.slice(0, limit).map(id => event(id, 'progress'));
        return new Response(JSON.stringify({ events }), {
          headers: { 'Content-Type': 'application/json' }
        });
      }) as typeof fetch
    });

    const events = await fetchEvents('j1', settings);

    expect(events.length).toBe(total);
    expect(events[events.length - 1].id).toBe(total);
    expect(urls.length).toBe(2);
  });
});
