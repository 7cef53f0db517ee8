import { describe, expect, it } from 'vitest';

import { synqCellTokens } from '../../labextension/src/synqCells';

function typed(text: string): [string, string][] {
  return synqCellTokens(text).map(t => [text.slice(t.from, t.to), t.type]);
}

describe('synqCellTokens', () => {
  it('reads the body of a %%synq cell as SynQ, leaving the magic line alone', () => {
    const cell = '%%synq --target ibm_torino\nqubit q[2]\nquantum cx q[0], q[1] // entangle\n';
    const tokens = typed(cell);
    expect(tokens).toContainEqual(['qubit', 'keyword']);
    expect(tokens).toContainEqual(['cx', 'builtin']);
    expect(tokens).toContainEqual(['2', 'number']);
    expect(tokens).toContainEqual(['// entangle', 'comment']);
    expect(tokens.map(([text]) => text)).not.toContain('--target');
    // Offsets are the cell's: the first body token starts on line two.
    expect(synqCellTokens(cell)[0].from).toBe(cell.indexOf('qubit'));
  });

  it('keeps state across lines: a kernel name is a definition', () => {
    expect(typed('%%synq\nkernel\n  bell()')).toContainEqual(['bell', 'def']);
  });

  it('leaves other cells to their own highlighting', () => {
    expect(synqCellTokens('import qiskit\nqubit = 1')).toEqual([]);
    expect(synqCellTokens('%%synqx\nqubit q[1]')).toEqual([]);
    expect(synqCellTokens('')).toEqual([]);
  });
});
