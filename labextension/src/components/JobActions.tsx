import { Dialog, showDialog } from '@jupyterlab/apputils';
import * as React from 'react';

import { IJob, TERMINAL } from '../jobs/api';
import { JobsModel } from '../jobs/model';
import { cancelQuestion } from '../jobs/summary';
import { errorMessage } from '../request';
import { focusWasLost } from './focus';

/**
 * **Cancel** (queued, or running after a confirmation) or **Retry** (failed or cancelled) for one job, and in
 * its detail view **Delete** (finished, after a confirmation), with the server's refusal
 * shown beside them. In a list, `inList` names the job in each button's accessible name,
 * since every row has the same buttons.
 */
export function JobActions(props: {
  job: IJob;
  model: JobsModel;
  inList?: boolean;
  /** Where focus goes when the focused button goes away and no other is left. */
  fallbackFocus?: React.RefObject<HTMLElement | null>;
}): JSX.Element | null {
  const { job, model } = props;
  const [busy, setBusy] = React.useState(false);
  const [failure, setFailure] = React.useState<string | null>(null);
  const area = React.useRef<HTMLSpanElement>(null);
  // Set when a focused button is used: Cancel goes away once the job is cancelling, and the
  // browser drops focus to the page, losing a keyboard user's place. Until the job settles
  // it is put back: on the row in a list, else on the next button left here.
  const keepFocus = React.useRef(false);
  React.useLayoutEffect(() => {
    if (!keepFocus.current) {
      return;
    }
    const row = props.inList ? props.fallbackFocus?.current : null;
    if (focusWasLost()) {
      const next =
        row ??
        area.current?.querySelector<HTMLButtonElement>('button:not(:disabled)') ??
        props.fallbackFocus?.current;
      next?.focus();
    }
    const active = document.activeElement;
    const here = active === row || !!area.current?.contains(active);
    if (!here || (TERMINAL.has(job.status) && !busy)) {
      keepFocus.current = false; // the user went elsewhere, or the job has settled
    }
  });
  // A question comes first, while the button is still enabled. Then, in a list, the focus
  // moves to the row before the work starts: the button it was on is disabled at once and
  // goes away soon, and a focused button that is disabled or removed drops the focus to the
  // page (and JupyterLab may give it to the main area meanwhile). In the detail view it goes
  // back on the button, and moves to the next one left when that one goes away.
  const act = async (label: string, action: (id: string) => Promise<void>, button: HTMLElement) => {
    const focused = document.activeElement === button;
    const question = QUESTIONS[label];
    if (question && !(await question(job))) {
      if (focused) {
        button.focus(); // the keyboard stays where the question was asked
      }
      return;
    }
    const row = props.inList ? props.fallbackFocus?.current : null;
    if (focused && row) {
      row.focus();
    } else if (focused && question) {
      button.focus(); // the dialog gives it back only once it has gone
    }
    keepFocus.current = focused;
    setBusy(true);
    setFailure(null);
    action
      .call(model, job.id)
      .catch(reason => setFailure(errorMessage(reason)))
      .finally(() => setBusy(false));
  };
  const buttons: [string, (id: string) => Promise<void>][] = [];
  if (!TERMINAL.has(job.status) && !job.cancel_requested) {
    buttons.push(['Cancel', model.cancel]);
  }
  if (job.status === 'failed' || job.status === 'cancelled') {
    buttons.push(['Retry', model.retry]);
  }
  if (TERMINAL.has(job.status) && !props.inList) {
    buttons.push(['Delete', model.delete]);
  }
  if (!buttons.length && !failure) {
    return null;
  }
  return (
    <>
      <span className="synq-Job-actions" ref={area}>
        {buttons.map(([label, action]) => (
          <button
            key={label}
            type="button"
            className="synq-Button"
            disabled={busy}
            onClick={event => void act(label, action, event.currentTarget)}
            aria-label={props.inList ? `${label} job ${job.id}` : undefined}
          >
            {label}
          </button>
        ))}
      </span>
      {failure ? (
        <span className="synq-Message synq-Message-error" role="alert">
          {failure}
        </span>
      ) : null}
    </>
  );
}

/** What is asked before an action that loses work: yes to go on. */
const QUESTIONS: Partial<Record<string, (job: IJob) => Promise<boolean>>> = {
  Cancel: confirmCancel,
  Delete: job => confirmDelete(job.id)
};

async function confirmCancel(job: IJob): Promise<boolean> {
  const question = cancelQuestion(job);
  if (!question) {
    return true; // queued: nothing is lost
  }
  const answer = await showDialog({
    ...question,
    buttons: [
      Dialog.cancelButton({ label: 'Keep running' }),
      Dialog.warnButton({ label: 'Cancel job' })
    ],
    defaultButton: 0 // a stray Enter keeps the work
  });
  return answer.button.accept;
}

async function confirmDelete(id: string): Promise<boolean> {
  const answer = await showDialog({
    title: `Delete job ${id.slice(0, 12)}?`,
    body: 'Its result and history are deleted with it. This cannot be undone.',
    buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Delete' })],
    defaultButton: 0 // a stray Enter keeps the job
  });
  return answer.button.accept;
}
