import { duration, percent } from '../format';
import { IJob, IJobResult } from './api';

/** Where a job runs, as its title says: a cost estimate compares every target, though it
 * is simulated on one. */
export function jobPlace(job: Pick<IJob, 'kind' | 'target'>): string {
  return job.kind === 'cost_estimate' ? 'every target' : job.target;
}

/**
 * What to ask before cancelling a running job, whose work so far is lost: how long it has
 * run and how far it got. `null` for a queued job, which loses nothing and needs no question.
 */
export function cancelQuestion(
  job: Pick<IJob, 'id' | 'status' | 'started_at' | 'progress'>,
  now: Date = new Date()
): { title: string; body: string } | null {
  if (job.status !== 'running') {
    return null;
  }
  const ran = job.started_at ? (now.getTime() - new Date(job.started_at).getTime()) / 1000 : null;
  const done =
    typeof job.progress === 'number' && job.progress > 0
      ? `, ${percent(job.progress, 0)} done`
      : '';
  const lost = 'Its work so far is lost; Retry runs it again from the start.';
  return {
    title: `Cancel job ${job.id.slice(0, 12)}?`,
    body: ran !== null && ran >= 0 ? `It has run for ${duration(ran)}${done}. ${lost}` : lost
  };
}

/** A label and its value, as a result's summary lists them. */
export type Fact = [string, string];

const number = (value: unknown, digits = 6): string | null =>
  typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : null;

const rate = (value: unknown): string | null =>
  typeof value === 'number' && Number.isFinite(value) ? percent(value, 1) : null;

/** A sampled run's shots in all and per estimate (what a plan's monthly shots count);
 * `null` for an exact run, which samples nothing. */
const shotsUsed = (result: IJobResult): string | null =>
  typeof result.shots_used === 'number' && result.shots_used > 0
    ? `${result.shots_used.toLocaleString('en')}` +
      (typeof result.shots === 'number'
        ? ` (${result.shots.toLocaleString('en')} per estimate)`
        : '')
    : null;

/**
 * What an algorithm job found, in a few lines: a VQE's energy (beside the exact one when it
 * is known), a QAOA's best answer and approximation ratio, a QNN's accuracies beside the
 * classical baseline's. Empty for other kinds, whose results have views of their own.
 */
export function summaryFacts(kind: string, result: IJobResult): Fact[] {
  const facts: [string, string | null][] = [];
  if (kind === 'vqe') {
    const spread = number(result.std_error);
    const energy = number(result.energy);
    facts.push(['Energy (Ha)', energy && spread ? `${energy} ± ${spread}` : energy]);
    facts.push(['Exact energy (Ha)', number(result.exact_energy)]);
    facts.push(['Error (Ha)', number(result.error)]);
    facts.push(['Iterations', number(result.iterations, 0)]);
    facts.push(['Optimizer', typeof result.optimizer === 'string' ? result.optimizer : null]);
    facts.push(['Shots used', shotsUsed(result)]);
    facts.push(['Stopped early', result.stopped === true ? 'yes, on request' : null]);
  } else if (kind === 'qaoa') {
    facts.push([
      'Best bitstring',
      typeof result.best_bitstring === 'string' ? result.best_bitstring : null
    ]);
    facts.push(['Its objective', number(result.best_objective, 4)]);
    facts.push(['Approximation ratio', number(result.approximation_ratio, 4)]);
    facts.push(['Expectation', number(result.expectation, 4)]);
    facts.push(['Layers (p)', number(result.p, 0)]);
    facts.push(['Shots used', shotsUsed(result)]);
  } else if (kind === 'qnn_train') {
    facts.push(['Test accuracy', rate(result.test_accuracy)]);
    facts.push(['Classical SVC, test', rate(result.svc_test_accuracy)]);
    facts.push(['Train accuracy', rate(result.train_accuracy)]);
    facts.push(['Epochs', number(result.epochs, 0)]);
  }
  return facts.filter((fact): fact is Fact => fact[1] !== null);
}
