/**
 * UPU S10 item identifiers (e.g. RR123456785US): two-letter service indicator, an 8-digit serial, a
 * mod-11 check digit and the origin country. The check digit catches nearly all mistyped digits and
 * transpositions (the 10→0 and 11→5 folding lets a few through), so a number keyed in by hand is checked.
 */
const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

export function s10CheckDigit(serial: string): number {
  if (!/^\d{8}$/.test(serial)) throw new RangeError('S10 serial must be 8 digits');
  const sum = WEIGHTS.reduce((total, weight, index) => total + weight * Number(serial[index]), 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

export function makeS10(prefix: string, serialNumber: number, country: string): string {
  if (!/^[A-Z]{2}$/.test(prefix) || !/^[A-Z]{2}$/.test(country))
    throw new RangeError('S10 prefix and country are two letters');
  if (!Number.isInteger(serialNumber) || serialNumber < 0 || serialNumber > 99_999_999)
    throw new RangeError('S10 serial out of range');
  const serial = String(serialNumber).padStart(8, '0');
  return `${prefix}${serial}${s10CheckDigit(serial)}${country}`;
}

export function isValidS10(value: string): boolean {
  const match = /^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$/.exec(value);
  return match !== null && s10CheckDigit(match[2]!) === Number(match[3]);
}
