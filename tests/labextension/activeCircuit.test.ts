import { describe, expect, it } from 'vitest';

import { circuitSource, inCellLines, magicOptions } from '../../labextension/src/activeCircuit';
import { IProblem, ProblemError } from '../../labextension/src/request';

const BELL = 'qubit q[2]\nquantum h q[0]\nquantum cx q[0], q[1]\n';

describe('magicOptions', () => {
  it("reads the cell's shots, target, level and format as the magic does", () => {
    expect(magicOptions(`%%synq --shots 2000 --seed 7 -t ibm_torino -O 1\n${BELL}`)).toEqual({
      shots: 2000,
      target: 'ibm_torino',
      optimizationLevel: 1
    });
    expect(magicOptions(`%%synq --shots=300 --target "ionq_aria_1" -f qasm3\n${BELL}`)).toEqual({
      shots: 300,
      target: 'ionq_aria_1',
      format: 'qasm3'
    });
  });

  it('leaves out what the magic would refuse, and reads nothing without the magic', () => {
    expect(magicOptions(`%%synq --shots lots --submit\n${BELL}`)).toEqual({});
    expect(magicOptions(`%%synq --shots\n${BELL}`)).toEqual({});
    expect(magicOptions(BELL)).toEqual({});
  });

  it('keeps the circuit apart from its magic line', () => {
    expect(circuitSource(`%%synq --shots 5\n${BELL}`)).toBe(BELL);
  });
});

describe('inCellLines', () => {
  const refusal = (problem: IProblem) =>
    new ProblemError(new Response('', { status: 422 }), problem.detail ?? '', problem);
  const unknownGate: IProblem = {
    status: 422,
    detail: "line 5, column 9: unknown gate 'hh'",
    errors: [{ field: 'source', message: "unknown gate 'hh'", line: 5, column: 9 }]
  };

  it("counts the server's line as the cell does, below its %%synq line", () => {
    expect(inCellLines(refusal(unknownGate), 2)).toBe("line 6, column 9: unknown gate 'hh'");
    expect(inCellLines(refusal(unknownGate), 1)).toBe("line 5, column 9: unknown gate 'hh'");
  });

  it('leaves a refusal without a place, and any other error, as it says itself', () => {
    const shots = { detail: 'an outline of 3 words', errors: [{ field: 'shots', message: 'x' }] };
    expect(inCellLines(refusal(shots), 2)).toBe('an outline of 3 words');
    expect(inCellLines(new Error('line 5 is gone'), 2)).toBe('line 5 is gone');
  });
});
