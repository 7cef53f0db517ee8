import * as React from 'react';

import { IResource } from '../model';

/**
 * A titled block of the sidebar. New panels add one `Section` each.
 */
export function Section(props: {
  id: string;
  title: string;
  busy?: boolean;
  children: React.ReactNode;
}): JSX.Element {
  const headingId = `synq-section-${props.id}`;
  return (
    <section
      className="synq-Section"
      aria-labelledby={headingId}
      aria-busy={props.busy ?? false}
      data-testid={`synq-section-${props.id}`}
    >
      <h3 id={headingId} className="synq-Section-title">
        {props.title}
      </h3>
      {props.children}
    </section>
  );
}

/**
 * Renders a resource's loading, error and empty states, and its data otherwise.
 *
 * An error is shown above the last good data when there is some, so a failed
 * refresh does not hide what was already known.
 */
export function ResourceView<T>(props: {
  resource: IResource<T>;
  noun: string;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => React.ReactNode;
}): JSX.Element {
  const { resource, noun } = props;
  const error = resource.error ? (
    <div className="synq-Message synq-Message-error" role="alert" data-testid="synq-error">
      <strong>Could not load {noun}.</strong> {resource.error}
    </div>
  ) : null;

  let body: React.ReactNode = null;
  if (resource.data !== null) {
    body =
      props.isEmpty && props.isEmpty(resource.data) ? (
        <div className="synq-Message" data-testid="synq-empty">
          No {noun}.
        </div>
      ) : (
        props.children(resource.data)
      );
  } else if (!resource.error) {
    body = (
      <div className="synq-Message" role="status" data-testid="synq-loading">
        Loading {noun}…
      </div>
    );
  }
  return (
    <>
      {error}
      {body}
    </>
  );
}
