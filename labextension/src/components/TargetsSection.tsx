import * as React from 'react';

import { ITarget } from '../api';
import { IResource } from '../model';
import { ResourceView, Section } from './Section';
import { useFocusOnMount } from './focus';

/**
 * The target catalogue: simulators and devices the server can run circuits on.
 *
 * A list rather than a table: the left sidebar is narrow, so each target takes two
 * lines (name and kind; provider, qubits and region).
 */
export function TargetsSection(props: {
  targets: IResource<ITarget[]>;
  onOpen: (name: string) => void;
  onEstimate: () => void;
  /** The target whose row takes the focus (back from its detail). */
  focus: string | null;
}): JSX.Element {
  const count = props.targets.data?.length;
  return (
    <Section
      id="targets"
      title={count === undefined ? 'Targets' : `Targets (${count})`}
      busy={props.targets.loading}
    >
      <button
        type="button"
        className="synq-Button"
        data-testid="synq-estimate"
        title="Compare feasibility, success probability, run time and price of the active cell's circuit on every target"
        onClick={props.onEstimate}
      >
        Estimate this circuit
      </button>
      <ResourceView resource={props.targets} noun="targets" isEmpty={t => t.length === 0}>
        {targets => (
          <ul className="synq-TargetList" aria-label="Quantum targets">
            {targets.map(target => (
              <TargetRow
                key={target.name}
                target={target}
                onOpen={props.onOpen}
                focused={target.name === props.focus}
              />
            ))}
          </ul>
        )}
      </ResourceView>
    </Section>
  );
}

function TargetRow(props: {
  target: ITarget;
  onOpen: (name: string) => void;
  focused: boolean;
}): JSX.Element {
  const { target } = props;
  const kind = target.simulator ? 'simulator' : 'hardware';
  const opener = useFocusOnMount<HTMLButtonElement>(props.focused);
  return (
    <li
      className="synq-Target"
      data-testid="synq-target-row"
      data-target={target.name}
      title={target.description}
    >
      <button
        type="button"
        className="synq-RowButton"
        ref={opener}
        aria-label={`Open target ${target.name}: ${target.num_qubits} qubits, ${kind}`}
        onClick={() => props.onOpen(target.name)}
      >
        <span className="synq-Target-line">
          <span className="synq-Target-name">{target.name}</span>
          <span className={`synq-Kind synq-Kind-${kind}`}>{kind}</span>
        </span>
        <span className="synq-Target-meta">
          <span>{target.provider}</span>
          <span>
            {target.num_qubits} qubit{target.num_qubits === 1 ? '' : 's'}
          </span>
          <span>{target.region}</span>
        </span>
      </button>
    </li>
  );
}
