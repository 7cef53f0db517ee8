import { describe, expect, it } from 'vitest';

import { shownOutcomes } from '../../labextension/src/components/Histogram';

describe('shownOutcomes', () => {
  it('lists outcomes in bitstring order, as the job widget draws them', () => {
    expect(shownOutcomes({ '11': 480, '00': 520, '01': 3 })).toEqual([
      ['00', 520],
      ['01', 3],
      ['11', 480]
    ]);
  });

  it('keeps the most frequent when there are more outcomes than bars', () => {
    const counts = { '000': 1, '001': 50, '010': 2, '111': 40 };
    expect(shownOutcomes(counts, 2)).toEqual([
      ['001', 50],
      ['111', 40]
    ]);
  });
});
