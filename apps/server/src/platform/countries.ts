/**
 * The 249 officially assigned ISO 3166-1 alpha-2 country codes (ADR 0059), as the ISO 3166 Maintenance Agency
 * publishes them, and XK for Kosovo: user-assigned, but the code the EU, Stripe, the carriers and the big shop
 * platforms use, so its shoppers can check out. Not the other user-assigned codes (AA, QM–QZ, XA–XZ, ZZ), the
 * exceptionally reserved ones (AC, CP, CQ, DG, EA, EU, EZ, FX, IC, SU, TA, UK, UN) nor the transitionally
 * reserved ones (AN, BU, CS, NT, SF, TP, YU, ZR...): a parcel, a tax rate and a carrier need a country.
 *
 * A fixed list rather than `Intl.DisplayNames`: ICU names 280 regions (the reserved and user-assigned ones
 * above among them, e.g. EU, UN, XA, ZZ "Unknown Region"), and what it names depends on the Node build. The
 * test checks every code here still has an English name in ICU, so a typo cannot slip in.
 */
export const COUNTRY_CODES: ReadonlySet<string> = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY ' +
    'BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK ' +
    'FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR ' +
    'IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ' +
    'ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ' +
    'PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF ' +
    'TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW ' +
    'XK'
  ).split(' '),
);

/** The code as stored (trimmed, upper case: "gb" is GB), or undefined when it is not an assigned one. */
export function countryCode(value: string): string | undefined {
  const code = value.trim().toUpperCase();
  return COUNTRY_CODES.has(code) ? code : undefined;
}

export const COUNTRY_CODE_MESSAGE = 'must be an assigned ISO 3166-1 alpha-2 country code (e.g. GB, US)';
