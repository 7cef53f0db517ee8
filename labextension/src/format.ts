/**
 * How SynQ panels write numbers: rates as percentages, times in the unit that reads
 * best, prices in their currency. `null` is written "n/a".
 */

export function percent(value: number | null, digits = 2): string {
  return value === null ? 'n/a' : `${(100 * value).toFixed(digits)}%`;
}

export function duration(seconds: number | null): string {
  if (seconds === null) {
    return 'n/a';
  }
  // Minutes and hours in whole parts: "1 min 15 s", not "1.25 min".
  if (Math.abs(seconds) >= 60) {
    const whole = Math.round(Math.abs(seconds));
    const sign = seconds < 0 ? '-' : '';
    const [big, small, bigUnit, smallUnit] =
      whole >= 3600
        ? [Math.floor(whole / 3600), Math.round((whole % 3600) / 60), 'h', 'min']
        : [Math.floor(whole / 60), whole % 60, 'min', 's'];
    return small ? `${sign}${big} ${bigUnit} ${small} ${smallUnit}` : `${sign}${big} ${bigUnit}`;
  }
  const units: [number, string][] = [
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
    [1e-3, 'ms'],
    [1e-6, 'µs'],
    [1e-9, 'ns']
  ];
  const [scale, unit] = units.find(([s]) => Math.abs(seconds) >= s) ?? units[units.length - 1];
  const value = seconds / scale;
  return `${value < 10 ? value.toPrecision(3) : value.toFixed(value < 100 ? 1 : 0)} ${unit}`;
}

/**
 * When something happened: the time alone for today, the date and time before that.
 */
export function timestamp(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === now.toDateString()
    ? time
    : `${at.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

export function money(amount: number | null, currency: string): string {
  if (amount === null) {
    return 'n/a';
  }
  const digits = amount !== 0 && Math.abs(amount) < 0.01 ? 5 : 2;
  return new Intl.NumberFormat('en', {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits
  }).format(amount);
}

export function median(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (!known.length) {
    return null;
  }
  const mid = Math.floor(known.length / 2);
  return known.length % 2 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
}
