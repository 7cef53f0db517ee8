import { ITarget } from '../api';
import { IJob } from '../jobs/api';
import { requestAPI } from '../request';

/**
 * Median error rates, durations (seconds) and coherence times over a device.
 */
export interface ICalibration {
  median_1q_error: number | null;
  median_2q_error: number | null;
  median_readout_error: number | null;
  median_1q_duration_s: number | null;
  median_2q_duration_s: number | null;
  median_readout_duration_s: number | null;
  median_t1_s: number | null;
  median_t2_s: number | null;
}

export interface IPricing {
  model: 'free' | 'per_shot' | 'per_second';
  currency: string;
  per_task: number;
  per_shot: number;
  per_second: number;
  source: string;
  as_of: string;
}

/**
 * The coupling graph laid out by the server: positions in the unit square.
 */
export interface IConnectivity {
  layout: 'lattice' | 'spring' | 'circle';
  positions: number[][];
  links: number[][];
  qubit_errors: (number | null)[];
  link_errors: (number | null)[];
}

/**
 * `GET /synq/api/targets/{name}`.
 */
export interface ITargetDetail extends ITarget {
  location: string;
  basis_gates: string[];
  coupling_map: number[][] | null;
  supports_control_flow: boolean;
  calibration: ICalibration;
  calibration_source: string;
  pricing: IPricing;
  connectivity: IConnectivity;
}

/**
 * One target's line of a cost comparison (the result of an estimate job).
 */
export interface ICostRow {
  target: string;
  provider: string;
  simulator: boolean;
  feasible: boolean;
  reason: string | null;
  two_qubit_count: number | null;
  depth: number | null;
  estimated_success_probability: number | null;
  circuit_duration_s: number | null;
  estimated_run_time_s: number | null;
  price: number | null;
  currency: string;
  price_model: string;
  price_formula: string | null;
  price_source: string;
  price_as_of: string;
}

export interface ICostComparison {
  shots: number;
  seed: number;
  rows: ICostRow[];
}

export function fetchTarget(name: string): Promise<ITargetDetail> {
  return requestAPI<ITargetDetail>(`targets/${encodeURIComponent(name)}`);
}

/**
 * `POST /synq/api/circuits/estimate`: a job comparing every target for `source`.
 */
export function startEstimate(source: string, shots: number, format?: string): Promise<IJob> {
  return requestAPI<IJob>('circuits/estimate', {
    method: 'POST',
    body: JSON.stringify({ source, shots, ...(format ? { format } : {}) })
  });
}
