import { describe, expect, it } from 'vitest';

import { duration, timestamp } from '../../labextension/src/format';

describe('timestamp', () => {
  const now = new Date('2026-11-27T15:00:00');

  it('is the time alone for today', () => {
    expect(timestamp('2026-11-27T09:05:00', now)).not.toMatch(/Nov/);
  });

  it('carries the date before today', () => {
    expect(timestamp('2026-11-20T09:05:00', now)).toMatch(/Nov 20/);
  });
});

describe('duration', () => {
  it('picks the unit that reads best', () => {
    expect(duration(0.3)).toBe('300 ms');
    expect(duration(75)).toBe('1 min 15 s');
    expect(duration(100)).toBe('1 min 40 s');
    expect(duration(120)).toBe('2 min');
    expect(duration(3600 + 5 * 60 + 20)).toBe('1 h 5 min');
    expect(duration(59.4)).toBe('59.4 s');
  });
});
