import { requestAPI } from './request';

export type Status = 'ok' | 'error';

export interface IDatabaseHealth {
  status: Status;
  backend: string;
  url: string;
  revision: string | null;
  head: string | null;
  detail?: string | null;
}

export interface IExecutorHealth {
  status: Status;
  kind: string;
  workers?: number | null;
  worker_pid?: number | null;
  detail?: string | null;
}

/**
 * `GET /synq/api/health`.
 */
export interface IHealth {
  status: Status;
  version: string;
  database: IDatabaseHealth;
  executor: IExecutorHealth;
}

/**
 * One entry of `GET /synq/api/targets`.
 */
export interface ITarget {
  name: string;
  provider: string;
  description: string;
  processor: string | null;
  num_qubits: number;
  simulator: boolean;
  region: string;
  all_to_all: boolean;
  price_model: 'free' | 'per_shot' | 'per_second';
}

export function fetchHealth(): Promise<IHealth> {
  return requestAPI<IHealth>('health');
}

export async function fetchTargets(): Promise<ITarget[]> {
  const body = await requestAPI<{ targets: ITarget[] }>('targets');
  return body.targets;
}
