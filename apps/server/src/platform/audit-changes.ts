/**
 * What a staff change did to the fields an auditor asks about ("who set this price from 89.00 to 8.90?"), for
 * the audit entry's details: `{ field: { from, to } }` for each listed field whose value differs. Only for
 * business figures (prices, discounts, limits, rates, SKUs): never personal data or secrets, which the audit
 * log does not hold. Dates are compared and shown as ISO strings.
 */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

const plain = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : (value ?? null));

/** The listed fields' values now, to compare with after the change (the entity itself is changed in place). */
export function snapshotOf<T extends object, K extends keyof T & string>(
  entity: T,
  fields: readonly K[],
): Record<K, unknown> {
  return Object.fromEntries(fields.map((field) => [field, plain(entity[field])])) as Record<K, unknown>;
}

/** The fields whose value differs between the snapshot and the entity after the change; undefined if none. */
export function changesSince<T extends object, K extends keyof T & string>(
  before: Record<K, unknown>,
  after: T,
  fields: readonly K[],
): FieldChanges | undefined {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const to = plain(after[field]);
    if (JSON.stringify(before[field]) !== JSON.stringify(to)) changes[field] = { from: before[field], to };
  }
  return Object.keys(changes).length ? changes : undefined;
}
