import { describe, expect, it } from 'vitest';

import { ServerConnection } from '@jupyterlab/services';

import { IJob } from '../../labextension/src/jobs/api';
import { JobsModel } from '../../labextension/src/jobs/model';
import { IJobEvent, ISocket, JobStream } from '../../labextension/src/jobs/stream';

function job(id: string, fields: Partial<IJob> = {}): IJob {
  return {
    id,
    owner: 'ada',
    org_id: 'personal:ada',
    kind: 'sample',
    status: 'queued',
    target: 'aer_simulator',
    created_at: `2026-11-26T10:00:0${id.length}Z`,
    started_at: null,
    finished_at: null,
    attempts: 0,
    max_retries: 2,
    priority: 0,
    tags: [],
    shots: 1024,
    num_circuits: 1,
    ...fields
  };
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

function harness(server: Map<string, IJob>, pageSize = 200) {
  const sockets: ISocket[] = [];
  const stream = new JobStream({
    url: () => 'ws://x',
    connect: () => {
      const socket: ISocket = {
        onopen: null,
        onmessage: null,
        onclose: null,
        onerror: null,
        close: () => undefined
      };
      sockets.push(socket);
      return socket;
    },
    setTimer: () => 0,
    clearTimer: () => undefined
  });
  let loads = 0;
  const fetched: string[] = [];
  const model = new JobsModel({
    stream,
    load: async cursor => {
      loads++;
      const newest = [...server.values()].sort((a, b) => b.created_at.localeCompare(a.created_at));
      const start = cursor ? Number(cursor) : 0;
      const end = start + pageSize;
      return {
        jobs: newest.slice(start, end),
        next_cursor: end < newest.length ? String(end) : null
      };
    },
    match: async filter => ({
      jobs: [...server.values()].filter(
        j =>
          (!filter.status || j.status === filter.status) &&
          (!filter.target || j.target === filter.target) &&
          (!filter.kind || j.kind === filter.kind)
      ),
      next_cursor: null
    }),
    loadActive: async () =>
      [...server.values()].filter(j => ['queued', 'running'].includes(j.status)),
    fetchJob: async id => {
      fetched.push(id);
      const found = server.get(id);
      if (!found) {
        throw new ServerConnection.ResponseError(new Response('{}', { status: 404 }), 'no job');
      }
      return found;
    },
    deleteJob: async id => {
      if (!server.get(id)) {
        throw new ServerConnection.ResponseError(new Response('{}', { status: 404 }), 'no job');
      }
      server.delete(id);
    }
  });
  const send = (event: Partial<IJobEvent>) =>
    sockets.at(-1)!.onmessage?.({
      data: JSON.stringify({
        type: 'status',
        data: {},
        created_at: '2026-11-26T10:01:00Z',
        ...event
      })
    });
  return { model, sockets, send, fetched, loads: () => loads };
}

/** Jobs `a` (the oldest, with `fields`), `bb` and `ccc`, the last two succeeded. */
function oldestOfThree(fields: Partial<IJob>): Map<string, IJob> {
  return new Map([
    ['a', job('a', fields)],
    ['bb', job('bb', { status: 'succeeded' })],
    ['ccc', job('ccc', { status: 'succeeded' })]
  ]);
}

/** The harness with its stream open and the first page loaded. */
async function connected(server: Map<string, IJob>, pageSize: number) {
  const loaded = harness(server, pageSize);
  loaded.model.start();
  loaded.sockets[0].onopen?.({});
  await settle();
  return loaded;
}

describe('JobsModel', () => {
  it('loads the list once the stream is open, and again after a reconnection', async () => {
    const server = new Map([['a', job('a')]]);
    const { model, sockets, loads } = harness(server);
    model.start();
    expect(model.loaded).toBe(false);
    sockets[0].onopen?.({});
    await settle();
    expect(model.all.map(j => j.id)).toEqual(['a']);
    sockets[0].onclose?.({});
    model.start();
    sockets[1].onopen?.({});
    await settle();
    expect(loads()).toBe(2);
  });

  it('follows status and progress events, and fetches jobs it has not seen', async () => {
    const server = new Map([['a', job('a')]]);
    const { model, sockets, send, fetched } = harness(server);
    model.start();
    sockets[0].onopen?.({});
    await settle();

    send({ id: 1, job_id: 'a', data: { status: 'running', attempt: 2 } });
    expect(model.job('a')!.status).toBe('running');
    expect(model.job('a')!.attempts).toBe(2); // a retry's attempt shows at once
    expect(model.active).toBe(1);
    send({ id: 2, job_id: 'a', type: 'progress', data: { progress: 0.5, message: 'half' } });
    expect(model.job('a')!.progress).toBe(0.5);
    expect(model.job('a')!.progress_message).toBe('half');
    send({ id: 3, job_id: 'a', type: 'cancelling', data: {} });
    expect(model.job('a')!.cancel_requested).toBe(true);

    server.set('a', job('a', { status: 'cancelled', finished_at: '2026-11-26T10:02:00Z' }));
    send({ id: 4, job_id: 'a', data: { status: 'cancelled' } });
    await settle();
    expect(model.job('a')!.finished_at).toBe('2026-11-26T10:02:00Z');
    expect(model.active).toBe(0);

    server.set('bb', job('bb', { status: 'running' }));
    send({ id: 5, job_id: 'bb', data: { status: 'running' } });
    await settle();
    expect(fetched).toContain('bb');
    expect(model.job('bb')!.status).toBe('running');
  });

  it('resolves whenDone when the stream reports the job finished, without polling', async () => {
    const server = new Map([['a', job('a', { status: 'running' })]]);
    const { model, sockets, send, fetched } = harness(server);
    model.start();
    sockets[0].onopen?.({});
    await settle();
    let done: IJob | null = null;
    void model.whenDone('a').then(found => (done = found));
    send({ id: 1, job_id: 'a', type: 'progress', data: { progress: 0.9 } });
    await settle();
    expect(done).toBeNull();
    server.set('a', job('a', { status: 'succeeded', finished_at: '2026-11-26T10:02:00Z' }));
    send({ id: 2, job_id: 'a', data: { status: 'succeeded' } });
    await settle();
    expect(done!.status).toBe('succeeded');
    // One fetch, for the stored finish time: none while the job ran.
    expect(fetched).toEqual(['a']);
    // A job that has already finished resolves at once.
    expect((await model.whenDone('a')).id).toBe('a');
  });

  it('filters and sorts', async () => {
    const server = new Map([
      ['a', job('a', { status: 'succeeded', target: 'ibm_torino' })],
      ['bb', job('bb', { status: 'running' })],
      ['ccc', job('ccc', { status: 'failed', kind: 'estimate' })]
    ]);
    const { model, sockets } = harness(server);
    model.start();
    sockets[0].onopen?.({});
    await settle();
    expect(model.visible.map(j => j.id)).toEqual(['ccc', 'bb', 'a']);
    model.sort = 'oldest';
    expect(model.visible.map(j => j.id)).toEqual(['a', 'bb', 'ccc']);
    model.sort = 'status';
    expect(model.visible.map(j => j.status)).toEqual(['running', 'failed', 'succeeded']);
    model.filter = { status: '', target: 'aer_simulator', kind: '' };
    expect(model.visible.map(j => j.id).sort()).toEqual(['bb', 'ccc']);
    model.filter = { status: '', target: '', kind: 'estimate' };
    expect(model.visible.map(j => j.id)).toEqual(['ccc']);
  });

  it('loads older jobs a page at a time', async () => {
    const done = (id: string) => job(id, { status: 'succeeded' });
    const server = new Map(['a', 'bb', 'ccc'].map(id => [id, done(id)]));
    const { model, sockets } = harness(server, 2);
    model.start();
    sockets[0].onopen?.();
    await settle();
    expect(model.all.map(j => j.id).sort()).toEqual(['bb', 'ccc']);
    expect(model.hasMore).toBe(true);
    await model.loadMore();
    expect(model.all.map(j => j.id).sort()).toEqual(['a', 'bb', 'ccc']);
    expect(model.hasMore).toBe(false);
  });

  it('adds a job older than the loaded pages, and drops one deleted elsewhere', async () => {
    const done = (id: string) => job(id, { status: 'failed' });
    const server = new Map(['a', 'bb', 'ccc'].map(id => [id, done(id)]));
    const { model, sockets } = harness(server, 1);
    model.start();
    sockets[0].onopen?.();
    await settle();
    expect(model.job('a')).toBeUndefined();
    await model.refresh('a');
    expect(model.job('a')?.id).toBe('a');
    server.delete('ccc');
    await model.refresh('ccc');
    expect(model.job('ccc')).toBeUndefined();
  });

  it('shows and counts every active job, even one older than the loaded page', async () => {
    const { model } = await connected(oldestOfThree({ status: 'running' }), 1);
    expect(model.all.map(j => j.id).sort()).toEqual(['a', 'ccc']);
    expect(model.active).toBe(1);
  });

  it('asks the server for what a filter matches, beyond the loaded page', async () => {
    const { model } = await connected(
      oldestOfThree({ status: 'failed', target: 'ionq_aria_1' }),
      1
    );
    expect(model.all.map(j => j.id)).toEqual(['ccc']);
    model.filter = { status: '', target: 'ionq_aria_1', kind: '' };
    expect(model.filterLoaded).toBe(false);
    await settle();
    expect(model.visible.map(j => j.id)).toEqual(['a']);
    expect(model.filterLoaded).toBe(true);
  });

  it('drops a job the stream says was deleted, without asking the server about it', async () => {
    const server = new Map(['a', 'bb'].map(id => [id, job(id, { status: 'succeeded' })]));
    const { model, sockets, send, fetched } = harness(server);
    model.start();
    sockets[0].onopen?.({});
    await settle();
    let changes = 0;
    model.changed.connect(() => changes++);
    send({ id: 7, job_id: 'a', type: 'deleted', data: {} });
    send({ id: 8, job_id: 'zzz', type: 'deleted', data: {} }); // never loaded here
    await settle();
    expect(model.all.map(j => j.id)).toEqual(['bb']);
    expect(changes).toBe(1);
    expect(fetched).toEqual([]);
  });

  it('deletes a job on the server and drops it from the list', async () => {
    const server = new Map(['a', 'bb'].map(id => [id, job(id, { status: 'failed' })]));
    const { model, sockets } = harness(server);
    model.start();
    sockets[0].onopen?.({});
    await settle();
    await model.delete('a');
    expect(server.has('a')).toBe(false);
    expect(model.all.map(j => j.id)).toEqual(['bb']);
    await expect(model.delete('a')).rejects.toThrow('no job');
  });
});
