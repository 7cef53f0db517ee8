import { describe, expect, it } from 'vitest';

import { cancelQuestion, jobPlace, summaryFacts } from '../../labextension/src/jobs/summary';

describe('summaryFacts', () => {
  it("gives a VQE's energy with its spread beside the exact one", () => {
    const facts = summaryFacts('vqe', {
      energy: -1.1361894,
      std_error: 0.0012,
      exact_energy: -1.1372838,
      error: 0.0010944,
      iterations: 42,
      optimizer: 'spsa',
      stopped: false
    });
    expect(facts).toEqual([
      ['Energy (Ha)', '-1.136189 ± 0.001200'],
      ['Exact energy (Ha)', '-1.137284'],
      ['Error (Ha)', '0.001094'],
      ['Iterations', '42'],
      ['Optimizer', 'spsa']
    ]);
  });

  it("gives a QAOA's answer and a QNN's accuracies beside the classical baseline", () => {
    const qaoa = summaryFacts('qaoa', { best_bitstring: '0101', approximation_ratio: 0.93 });
    expect(qaoa).toEqual([
      ['Best bitstring', '0101'],
      ['Approximation ratio', '0.9300']
    ]);
    const qnn = summaryFacts('qnn_train', { test_accuracy: 0.9, svc_test_accuracy: 0.95 });
    expect(qnn).toEqual([
      ['Test accuracy', '90.0%'],
      ['Classical SVC, test', '95.0%']
    ]);
  });

  it('gives the shots a sampled run used, and none for an exact one', () => {
    const sampled = summaryFacts('vqe', { optimizer: 'spsa', shots: 1000, shots_used: 124124 });
    expect(sampled).toEqual([
      ['Optimizer', 'spsa'],
      ['Shots used', '124,124 (1,000 per estimate)']
    ]);
    expect(summaryFacts('qaoa', { p: 1, shots: null, shots_used: 0 })).toEqual([
      ['Layers (p)', '1']
    ]);
  });

  it('leaves out what is missing or not a number, and other kinds altogether', () => {
    expect(summaryFacts('vqe', { energy: 'NaN', exact_energy: null })).toEqual([]);
    expect(summaryFacts('sample', { counts: { '00': 5 } })).toEqual([]);
  });
});

describe('jobPlace', () => {
  it('says a cost estimate compares every target', () => {
    expect(jobPlace({ kind: 'cost_estimate', target: 'aer_simulator' })).toBe('every target');
    expect(jobPlace({ kind: 'vqe', target: 'aer_noisy_torino' })).toBe('aer_noisy_torino');
  });
});

describe('cancelQuestion', () => {
  const now = new Date('2026-11-29T10:05:15Z');
  const job = { id: 'a1b2c3d4e5f6a7b8', started_at: '2026-11-29T10:01:00Z', progress: 0.35 };

  it('asks before a running job is cancelled, saying how long it ran and how far it got', () => {
    expect(cancelQuestion({ ...job, status: 'running' }, now)).toEqual({
      title: 'Cancel job a1b2c3d4e5f6?',
      body: 'It has run for 4 min 15 s, 35% done. Its work so far is lost; Retry runs it again from the start.'
    });
    expect(cancelQuestion({ ...job, status: 'running', progress: null }, now)?.body).toMatch(
      /^It has run for 4 min 15 s\. Its work/
    );
  });

  it('asks nothing for a queued job, which loses nothing', () => {
    expect(cancelQuestion({ ...job, status: 'queued', started_at: null }, now)).toBeNull();
  });
});
