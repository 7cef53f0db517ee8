import * as React from 'react';

import { Status } from '../api';

/**
 * `ok` or `error`, with a coloured dot drawn by CSS so the text stays exactly the
 * status.
 */
export function StatusBadge(props: {
  status: Status;
  testId?: string;
  title?: string;
}): JSX.Element {
  return (
    <span
      className={`synq-Status synq-Status-${props.status === 'ok' ? 'ok' : 'error'}`}
      data-testid={props.testId}
      title={props.title}
    >
      {props.status}
    </span>
  );
}
