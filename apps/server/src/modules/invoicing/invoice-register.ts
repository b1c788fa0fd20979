import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldCipher } from '../../platform/crypto.ts';
import { csvStream } from '../../platform/csv.ts';
import { prepared } from '../../platform/prepared.ts';
import type { DocumentKind, DocumentSnapshot } from './invoicing.service.ts';

export interface RegisterFilters {
  kind?: DocumentKind | undefined;
  /** Issued at or after (date or date-time). */
  from?: string | undefined;
  /** Issued before (date or date-time). */
  to?: string | undefined;
}

export const REGISTER_COLUMNS = [
  'number',
  'kind',
  'issued_at',
  'order_number',
  'corrects',
  'buyer_name',
  'buyer_company',
  'buyer_country',
  'currency',
  'net_minor',
  'tax_minor',
  'total_minor',
] as const;

interface RegisterRow {
  id: string;
  kind: DocumentKind;
  number: string;
  order_number: string;
  corrects: string | null;
  issued_at: string;
  currency: string;
  total: number;
  tax_total: number;
  snapshot: string;
}

const BATCH = 500;

/**
 * The invoice register for the books (ADR 0049): every invoice and credit note issued in the range, oldest
 * first, one line each. Amounts are minor units of the document's currency, a credit note's negative, so a
 * column's sum is what the period invoiced net of what it credited. The buyer's name, company and country
 * come from the sealed snapshot (what the document says), not from the order or the account as they are now.
 * Streamed in batches (keyset on issue time and id): no row limit, constant memory.
 */
export function invoiceRegisterCsv(
  em: EntityManager,
  cipher: FieldCipher,
  filters: RegisterFilters,
): Readable {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    where.push(condition);
    params.push(value);
  };
  if (filters.kind) add('i.kind = ?', filters.kind);
  if (filters.from) add('i.issued_at >= ?::timestamptz', filters.from);
  if (filters.to) add('i.issued_at < ?::timestamptz', filters.to);

  async function* rows(): AsyncGenerator<(string | number)[]> {
    yield [...REGISTER_COLUMNS];
    let after: [string, string] | null = null;
    for (;;) {
      const keyset = after ? ['(i.issued_at, i.id) > (?::timestamptz, ?::uuid)'] : [];
      const clause = [...where, ...keyset];
      const batch: RegisterRow[] = await prepared<RegisterRow>(
        em,
        `SELECT i.id, i.kind, i.number, i.order_number, c.number AS corrects, i.issued_at, i.currency, i.total,
                i.tax_total, i.snapshot
           FROM invoice i LEFT JOIN invoice c ON c.id = i.invoice_id
          ${clause.length ? `WHERE ${clause.join(' AND ')}` : ''}
          ORDER BY i.issued_at, i.id
          LIMIT ${BATCH}`,
        [...params, ...(after ?? [])],
      );
      for (const row of batch) {
        const { buyer } = cipher.decryptJson<DocumentSnapshot>(row.snapshot);
        const sign = row.kind === 'credit_note' ? -1 : 1;
        yield [
          row.number,
          row.kind,
          new Date(row.issued_at).toISOString(),
          row.order_number,
          row.corrects ?? '',
          buyer.address.name,
          buyer.address.company ?? '',
          buyer.address.country,
          row.currency,
          sign * (row.total - row.tax_total),
          sign * row.tax_total,
          sign * row.total,
        ];
      }
      const last = batch.at(-1);
      if (!last || batch.length < BATCH) return;
      after = [last.issued_at, last.id];
    }
  }
  return csvStream(rows());
}
