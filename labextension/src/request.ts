import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

/**
 * An RFC 9457 problem document, as the SynQ server sends with every error.
 */
export interface IProblem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: IFieldError[];
}

/**
 * One invalid field; for a circuit source, where in it (1-based, as sent) and what is
 * wrong there.
 */
export interface IFieldError {
  field: string;
  message: string;
  line?: number;
  column?: number;
}

/**
 * A refusal of the SynQ API: its message is the problem's `detail` (with its field errors),
 * and the problem itself is kept for whoever can use more than words.
 */
export class ProblemError extends ServerConnection.ResponseError {
  constructor(
    response: Response,
    message: string,
    readonly problem: IProblem
  ) {
    super(response, message);
  }
}

/**
 * Call a route of the SynQ REST API under `{baseUrl}synq/api/`.
 *
 * @param endPoint - The route below `synq/api/`, e.g. `health`.
 * @param init - The fetch options (method, body, ...).
 * @param settings - The server connection settings; the page's by default.
 * @returns The decoded JSON body.
 * @throws {ServerConnection.ResponseError} for a non-2xx answer; its message is the
 *   problem's `detail` when the server sent one.
 * @throws {ServerConnection.NetworkError} when the server cannot be reached.
 */
export async function requestAPI<T>(
  endPoint = '',
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const url = URLExt.join(settings.baseUrl, 'synq', 'api', endPoint);

  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    if (error instanceof ServerConnection.NetworkError) {
      throw error;
    }
    throw new ServerConnection.NetworkError(error as TypeError);
  }

  const text = await response.text();
  let data: unknown = text;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON (e.g. an HTML error page from a proxy): keep the text.
    }
  }

  if (!response.ok) {
    const message = errorDetail(data) ?? `${response.status} ${response.statusText}`.trim();
    throw typeof data === 'object' && data !== null
      ? new ProblemError(response, message, data as IProblem)
      : new ServerConnection.ResponseError(response, message);
  }
  return data as T;
}

/**
 * The human-readable part of an error body: a problem's `detail` (with its field
 * errors), else its `title`, else Jupyter's own `{"message": ...}`.
 */
export function errorDetail(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const problem = body as IProblem & { message?: unknown };
  const base = nonEmpty(problem.detail) ?? nonEmpty(problem.title) ?? nonEmpty(problem.message);
  // A field error the detail already says (a circuit's line and column) is not repeated.
  const fields = Array.isArray(problem.errors)
    ? problem.errors
        .filter(e => e && typeof e.message === 'string' && !base?.includes(e.message))
        .map(e => (e.field ? `${e.field}: ${e.message}` : e.message))
    : [];
  if (base === undefined) {
    return fields.length ? fields.join('; ') : undefined;
  }
  return fields.length ? `${base} (${fields.join('; ')})` : base;
}

/**
 * A message for any error a request can throw.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) {
    return error.message;
  }
  return String(error);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}
