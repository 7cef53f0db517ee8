import { IJobEvent } from './stream';

/** One line of a job's timeline: an event, and how many progress updates it stands for. */
export interface ITimelineEntry {
  event: IJobEvent;
  updates: number;
}

/**
 * A job's events as its timeline shows them: each run of progress events between two
 * changes of status as the newest of them, counting the run. A VQE reports every
 * iteration: its timeline was hundreds of "progress" lines around the few that say what
 * happened to the job.
 */
export function timeline(events: IJobEvent[]): ITimelineEntry[] {
  const entries: ITimelineEntry[] = [];
  for (const event of events) {
    // A job asked to cancel reports on until it stops: its last updates belong to the run
    // before "cancelling", not to a second line after it that repeats the first.
    const at = runBefore(entries);
    if (event.type === 'progress' && at !== null) {
      entries[at] = { event, updates: entries[at].updates + 1 };
    } else {
      entries.push({ event, updates: event.type === 'progress' ? 1 : 0 });
    }
  }
  return entries;
}

/** Where the run of progress a new update joins is: the last entry, or the one before a
 * trailing "cancelling"; `null` when the update starts a run. */
function runBefore(entries: ITimelineEntry[]): number | null {
  let at = entries.length - 1;
  if (entries[at]?.event.type === 'cancelling') {
    at -= 1;
  }
  return at >= 0 && entries[at].event.type === 'progress' ? at : null;
}

/** One event in words: its status (and why, for a retry or a failure), or its progress. */
export function describeEvent(event: IJobEvent): string {
  if (event.type === 'status') {
    // A retry says why (the attempt's error); so does a failure.
    const why = [event.data.reason, event.data.error].find(text => typeof text === 'string');
    return `${String(event.data.status ?? 'status')}${why ? ` — ${String(why)}` : ''}`;
  }
  if (event.type === 'progress') {
    const fraction = typeof event.data.progress === 'number' ? event.data.progress : null;
    const message = typeof event.data.message === 'string' ? ` ${event.data.message}` : '';
    return `progress ${fraction === null ? '' : `${Math.round(fraction * 100)}%`}${message}`;
  }
  return event.type;
}
