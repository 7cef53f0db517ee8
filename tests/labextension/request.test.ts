import { ServerConnection } from '@jupyterlab/services';
import { describe, expect, it } from 'vitest';

import { errorDetail, ProblemError, requestAPI } from '../../labextension/src/request';

/** Server settings whose fetch answers with `respond` and records the request. */
function server(respond: (url: string, init: RequestInit) => Promise<Response>) {
  const calls: { url: string; headers: Headers }[] = [];
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/lab-base/',
    token: 'secret',
    fetch: (async (input: RequestInfo, init?: RequestInit) => {
      // Jupyter hands fetch a Request that carries the headers.
      const request = typeof input === 'string' ? new Request(input, init) : input;
      calls.push({ url: request.url, headers: request.headers });
      return respond(request.url, init ?? {});
    }) as typeof fetch
  });
  return { settings, calls };
}

const json = (body: unknown, status = 200, type = 'application/json') =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } })
  );

describe('requestAPI', () => {
  it('calls the route under synq/api with the token and decodes JSON', async () => {
    const { settings, calls } = server(() => json({ status: 'ok' }));
    const body = await requestAPI<{ status: string }>('health', {}, settings);
    expect(body).toEqual({ status: 'ok' });
    // Jupyter adds a cache-busting number to GETs.
    expect(calls[0].url).toMatch(/^http:\/\/localhost:8888\/lab-base\/synq\/api\/health(\?\d+)?$/);
    expect(calls[0].headers.get('Authorization')).toBe('token secret');
  });

  it('turns a problem+json answer into an error with its detail and fields', async () => {
    const problem = {
      type: 'urn:synq:problem:unprocessable-content',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'the request has invalid fields',
      errors: [{ field: 'shots', message: 'must be positive' }]
    };
    const { settings } = server(() => json(problem, 422, 'application/problem+json'));
    const error = await requestAPI('jobs', { method: 'POST', body: '{}' }, settings).catch(e => e);
    expect(error).toBeInstanceOf(ServerConnection.ResponseError);
    expect(error.message).toBe('the request has invalid fields (shots: must be positive)');
    expect(error.response.status).toBe(422);
    // The problem itself is kept, for a caller that can use a field error's numbers.
    expect(error).toBeInstanceOf(ProblemError);
    expect(error.problem.errors[0].field).toBe('shots');
  });

  it('keeps a non-JSON error page readable', async () => {
    const { settings } = server(() =>
      Promise.resolve(
        new Response('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway' })
      )
    );
    const error = await requestAPI('health', {}, settings).catch(e => e);
    expect(error).toBeInstanceOf(ServerConnection.ResponseError);
    expect(error.message).toBe('502 Bad Gateway');
  });

  it('reports an unreachable server as a network error', async () => {
    const { settings } = server(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await requestAPI('health', {}, settings).catch(e => e);
    expect(error).toBeInstanceOf(ServerConnection.NetworkError);
  });

  it('returns an empty body as an empty string', async () => {
    const { settings } = server(() => Promise.resolve(new Response(null, { status: 204 })));
    expect(await requestAPI('providers/ibm/credentials', { method: 'DELETE' }, settings)).toBe('');
  });
});

describe('errorDetail', () => {
  it('prefers detail, then title, then Jupyter message', () => {
    expect(errorDetail({ detail: 'd', title: 't' })).toBe('d');
    expect(errorDetail({ title: 't' })).toBe('t');
    expect(errorDetail({ message: 'm' })).toBe('m');
    expect(errorDetail({ errors: [{ field: 'f', message: 'bad' }] })).toBe('f: bad');
    expect(errorDetail('text')).toBeUndefined();
    expect(errorDetail(null)).toBeUndefined();
  });
});

describe('errorDetail, a field error its detail already says', () => {
  it('is not repeated after it', () => {
    const message = "line 1, column 1: unexpected character '%'";
    expect(errorDetail({ detail: message, errors: [{ field: 'source', message }] })).toBe(message);
    expect(
      errorDetail({
        detail: 'the request has invalid fields',
        errors: [{ field: 'shots', message: 'Input should be greater than or equal to 1' }]
      })
    ).toBe('the request has invalid fields (shots: Input should be greater than or equal to 1)');
  });
});
