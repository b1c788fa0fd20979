/**
 * Plain SQL on the caller's EntityManager: inside `em.transactional` it runs on that transaction's
 * connection, as a prepared statement. Placeholders are `?` (knex style). Arrays go in as one text
 * literal cast in SQL (`?::uuid[]`) because knex would expand them into a list.
 */
export { prepared as query } from '../../platform/prepared.ts';

/** A PostgreSQL array literal for uuids/codes (values are validated ids, no quoting needed). */
export function pgArray(values: readonly string[]): string {
  for (const value of values) {
    if (!/^[A-Za-z0-9_:-]+$/.test(value)) throw new Error(`unsafe array element: ${value}`);
  }
  return `{${values.join(',')}}`;
}
