import { Token } from '@lumino/coreutils';

import { JobsModel } from './model';

/**
 * My jobs, live over the job event stream; other SynQ plugins follow jobs through it
 * instead of polling.
 */
export const ISynqJobs = new Token<JobsModel>(
  'synq-jupyter:ISynqJobs',
  'The live model of my SynQ jobs.'
);
