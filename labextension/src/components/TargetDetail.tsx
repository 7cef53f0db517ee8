import * as React from 'react';

import { duration, money, percent } from '../format';
import { errorMessage } from '../request';
import { fetchTarget, IPricing, ITargetDetail } from '../targets/api';
import { ConnectivityGraph } from './ConnectivityGraph';

/**
 * One target: what it is, its connectivity drawn as a graph, its error rates and its
 * prices. Fetched when opened.
 */
export function TargetDetail(props: { name: string; onBack: () => void }): JSX.Element {
  const { name } = props;
  const [target, setTarget] = React.useState<ITargetDetail | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const back = React.useRef<HTMLButtonElement>(null);
  React.useEffect(() => back.current?.focus(), [name]); // Enter on a row lands here

  React.useEffect(() => {
    let live = true;
    setTarget(null);
    setError(null);
    fetchTarget(name)
      .then(found => live && setTarget(found))
      .catch(reason => live && setError(errorMessage(reason)));
    return () => {
      live = false;
    };
  }, [name]);

  let body: React.ReactNode;
  if (error) {
    body = (
      <div className="synq-Message synq-Message-error" role="alert">
        <strong>Could not load {name}.</strong> {error}
      </div>
    );
  } else if (!target) {
    body = (
      <div className="synq-Message" role="status">
        Loading {name}…
      </div>
    );
  } else {
    body = <TargetFacts target={target} />;
  }
  return (
    <div
      className="synq-Detail"
      data-testid="synq-target-detail"
      data-target={name}
      onKeyDown={event => event.key === 'Escape' && props.onBack()}
    >
      <button type="button" className="synq-LinkButton" onClick={props.onBack} ref={back}>
        ← All targets
      </button>
      <h4 className="synq-Detail-title">{name}</h4>
      {body}
    </div>
  );
}

function TargetFacts({ target }: { target: ITargetDetail }): JSX.Element {
  const c = target.calibration;
  return (
    <>
      <p className="synq-Detail-description">{target.description}</p>
      <dl className="synq-Facts">
        <dt>Provider</dt>
        <dd>
          {target.provider}
          {target.processor ? ` · ${target.processor}` : ''}
        </dd>
        <dt>Qubits</dt>
        <dd data-testid="synq-target-qubits">{target.num_qubits}</dd>
        <dt>Region</dt>
        <dd>
          {target.region} ({target.location})
        </dd>
        <dt>Basis gates</dt>
        <dd>{target.basis_gates.join(', ')}</dd>
        <dt>Mid-circuit feedback</dt>
        <dd>{target.supports_control_flow ? 'yes' : 'no'}</dd>
      </dl>
      <h5 className="synq-Detail-subtitle">
        Connectivity{target.coupling_map === null ? ' (all-to-all)' : ''}
      </h5>
      <ConnectivityGraph name={target.name} graph={target.connectivity} />
      <h5 className="synq-Detail-subtitle">Error rates (medians)</h5>
      <dl className="synq-Facts" data-testid="synq-target-errors">
        <dt>Single-qubit gate</dt>
        <dd>{percent(c.median_1q_error, 3)}</dd>
        <dt>Two-qubit gate</dt>
        <dd data-testid="synq-target-2q-error">{percent(c.median_2q_error, 3)}</dd>
        <dt>Readout</dt>
        <dd>{percent(c.median_readout_error, 3)}</dd>
        <dt>Two-qubit gate time</dt>
        <dd>{duration(c.median_2q_duration_s)}</dd>
        <dt>T1 / T2</dt>
        <dd>
          {duration(c.median_t1_s)} / {duration(c.median_t2_s)}
        </dd>
        <dt>Source</dt>
        <dd>{target.calibration_source}</dd>
      </dl>
      <h5 className="synq-Detail-subtitle">Prices</h5>
      <Prices pricing={target.pricing} />
    </>
  );
}

function Prices({ pricing }: { pricing: IPricing }): JSX.Element {
  const rows: [string, number][] = [
    ['Per task', pricing.per_task],
    ['Per shot', pricing.per_shot],
    ['Per second', pricing.per_second]
  ];
  return (
    <dl className="synq-Facts" data-testid="synq-target-prices">
      <dt>Model</dt>
      <dd>{pricing.model.replace('_', ' ')}</dd>
      {pricing.model === 'free'
        ? null
        : rows
            .filter(([, amount]) => amount > 0)
            .map(([label, amount]) => (
              <React.Fragment key={label}>
                <dt>{label}</dt>
                <dd>{money(amount, pricing.currency)}</dd>
              </React.Fragment>
            ))}
      <dt>Source</dt>
      <dd>
        {pricing.source} (as of {pricing.as_of})
      </dd>
    </dl>
  );
}
