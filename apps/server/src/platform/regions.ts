import { COUNTRY_CODE_MESSAGE, countryCode } from './countries.ts';
import { CommonErrors, type FieldError } from './errors.ts';

/** The longest region (state, province, county) and company name an address takes. */
export const REGION_MAX_LENGTH = 100;
export const COMPANY_MAX_LENGTH = 200;

interface CodedRegions {
  /** What the region is called in the country. */
  noun: string;
  example: string;
  codes: ReadonlySet<string>;
}

/**
 * Countries whose region, when given, is the post's 2-letter code (a parcel label and the carriers read it:
 * "Springfield, IL 62701"). Elsewhere the region is free text. It is optional everywhere: the checkout
 * address is a fixed public contract (name, line1, line2?, city, postalCode, country, phone?), and a shop
 * written against it must not start getting 400s; a label without a state prints the city and ZIP code.
 */
export const CODED_REGIONS: Readonly<Record<string, CodedRegions>> = {
  US: {
    noun: 'state',
    example: 'IL',
    // The 50 states, DC, the territories and freely associated states the USPS serves, and the military
    // "states" (Armed Forces Americas, Europe, Pacific).
    codes: new Set(
      (
        'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND ' +
        'OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI FM MH PW AA AE AP'
      ).split(' '),
    ),
  },
  CA: {
    noun: 'province or territory',
    example: 'ON',
    codes: new Set('AB BC MB NB NL NS NT NU ON PE QC SK YT'.split(' ')),
  },
};

/**
 * The region as stored, or why it is refused: trimmed (blank is no region); for the countries of
 * CODED_REGIONS one of their 2-letter codes, in any case, stored upper case.
 */
export function checkRegion(
  country: string,
  region: string | undefined,
): { region: string | undefined } | { error: string } {
  const value = region?.trim() || undefined;
  const code = country.trim().toUpperCase();
  const coded = CODED_REGIONS[code];
  if (!coded || !value) return { region: value };
  const upper = value.toUpperCase();
  if (!coded.codes.has(upper))
    return { error: `must be a 2-letter ${code} ${coded.noun} code (e.g. ${coded.example})` };
  return { region: upper };
}

interface RegionFields {
  country: string;
  company?: string | undefined;
  region?: string | undefined;
}

/**
 * An address with its country, company and region as stored: the country one of the assigned ISO 3166-1
 * alpha-2 codes, any case, stored upper case (countries.ts, ADR 0059); company and region trimmed, blank ones
 * left out, the region checked (checkRegion). Refused with a 400 naming `<path>/country` or `<path>/region`.
 * Other fields are returned unchanged.
 */
export function withCheckedRegion<T extends RegionFields>(address: T, path: string): T {
  const country = countryCode(address.country);
  if (!country) {
    const errors: FieldError[] = [{ path: `${path}/country`, message: COUNTRY_CODE_MESSAGE }];
    throw CommonErrors.validation(`${path}/country ${COUNTRY_CODE_MESSAGE}`, { errors });
  }
  const checked = checkRegion(country, address.region);
  if ('error' in checked) {
    const errors: FieldError[] = [{ path: `${path}/region`, message: checked.error }];
    throw CommonErrors.validation(`${path}/region ${checked.error}`, { errors });
  }
  const { company, region: _region, ...rest } = address;
  const trimmedCompany = company?.trim();
  return {
    ...rest,
    country,
    ...(trimmedCompany ? { company: trimmedCompany } : {}),
    ...(checked.region ? { region: checked.region } : {}),
  } as T;
}

/**
 * The city line as the destination's post reads it. The US, Canada and Australia put the city first, then
 * the state or province and the postal code ("Springfield, IL 62701", "Toronto ON M5V 2T6", "Sydney NSW
 * 2000"); elsewhere the postal code comes first ("75001 Paris") and a region, if any, gets its own line.
 * Without a region the city and postal code stand alone. Used by labels and e-mails alike.
 */
export function cityLines(address: {
  city: string;
  postalCode: string;
  region?: string | undefined;
  country: string;
}): { city: string; region?: string } {
  const { city, postalCode } = address;
  const region = address.region ?? '';
  switch (address.country.toUpperCase()) {
    case 'US':
      return { city: region ? `${city}, ${region} ${postalCode}` : `${city} ${postalCode}` };
    case 'CA':
    case 'AU':
      return { city: [city, region, postalCode].filter(Boolean).join(' ') };
    default:
      return { city: `${postalCode} ${city}`.trim(), ...(region ? { region } : {}) };
  }
}
