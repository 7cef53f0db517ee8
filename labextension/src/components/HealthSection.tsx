import * as React from 'react';

import { IHealth } from '../api';
import { IResource } from '../model';
import { ResourceView, Section } from './Section';
import { StatusBadge } from './StatusBadge';

/**
 * Server health: overall status, version, database and executor.
 */
export function HealthSection(props: { health: IResource<IHealth> }): JSX.Element {
  return (
    <Section id="health" title="Server" busy={props.health.loading}>
      <ResourceView resource={props.health} noun="server health">
        {health => <HealthDetails health={health} />}
      </ResourceView>
    </Section>
  );
}

function HealthDetails({ health }: { health: IHealth }): JSX.Element {
  const { database, executor } = health;
  const workers =
    typeof executor.workers === 'number'
      ? ` · ${executor.workers} worker${executor.workers === 1 ? '' : 's'}`
      : '';
  const revision =
    database.revision === database.head
      ? `revision ${database.revision ?? 'none'}`
      : `revision ${database.revision ?? 'none'} (head ${database.head ?? 'none'})`;
  return (
    <dl className="synq-Facts">
      <dt>Status</dt>
      <dd>
        <StatusBadge status={health.status} testId="synq-health-status" />
      </dd>
      <dt>Version</dt>
      <dd data-testid="synq-health-version">{health.version}</dd>
      <dt>Database</dt>
      <dd data-testid="synq-health-database" title={`${database.url}\n${revision}`}>
        <span className="synq-Facts-value">{database.backend}</span>
        <StatusBadge status={database.status} />
        {database.detail ? <div className="synq-Facts-detail">{database.detail}</div> : null}
      </dd>
      <dt>Executor</dt>
      <dd data-testid="synq-health-executor">
        <span className="synq-Facts-value">
          {executor.kind}
          {workers}
        </span>
        <StatusBadge status={executor.status} />
        {executor.detail ? <div className="synq-Facts-detail">{executor.detail}</div> : null}
      </dd>
    </dl>
  );
}
