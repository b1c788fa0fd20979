import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';
import { prepared } from '../../platform/prepared.ts';

export interface AuditRecord {
  staffId: string | null;
  /**
   * `staff.signed_in`, `staff.role_changed`, `customer.erased` (written by the erasure itself, staff or the
   * customer), ... or `<METHOD> <route>` for a plain admin write.
   */
  action: string;
  method?: string | undefined;
  route?: string | undefined;
  /** Route parameters (ids), never bodies. */
  params?: Record<string, unknown> | undefined;
  status?: number | undefined;
  ip?: string | undefined;
  requestId?: string | undefined;
  /** Small, safe facts (e.g. `{ from: 'support', to: 'manager' }`): never secrets or personal data. */
  details?: Record<string, unknown> | undefined;
}

export interface AuditEntry {
  id: string;
  at: Date;
  staffId: string | null;
  action: string;
  method: string | null;
  route: string | null;
  params: Record<string, unknown> | null;
  status: number | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditListOptions {
  staffId?: string | undefined;
  action?: string | undefined;
  method?: string | undefined;
  status?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  perPage: number;
  order: 'ASC' | 'DESC';
}

const json = (value: Record<string, unknown> | undefined) =>
  value && Object.keys(value).length ? JSON.stringify(value) : null;

/** The append-only log of staff actions (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export class AuditService {
  constructor(private readonly em: EntityManager) {}

  /** In the EntityManager's transaction when it has one: the entry then commits or rolls back with the change. */
  async record(entry: AuditRecord): Promise<void> {
    await prepared(
      this.em as SqlEntityManager,
      `INSERT INTO audit_entry (staff_id, action, method, route, params, status, ip, request_id, details)
       VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb)`,
      [
        entry.staffId,
        entry.action.slice(0, 100),
        entry.method ?? null,
        entry.route?.slice(0, 300) ?? null,
        json(entry.params),
        entry.status ?? null,
        entry.ip?.slice(0, 64) ?? null,
        entry.requestId?.slice(0, 64) ?? null,
        json(entry.details),
      ],
    );
  }

  async list(options: AuditListOptions): Promise<{ rows: AuditEntry[]; total: number }> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      conditions.push(sql);
      values.push(value);
    };
    if (options.staffId) add('staff_id = ?', options.staffId);
    if (options.action) add('action = ?', options.action);
    if (options.method) add('method = ?', options.method);
    if (options.status !== undefined) add('status = ?', options.status);
    if (options.from) add('at >= ?::timestamptz', options.from);
    if (options.to) add('at < ?::timestamptz', options.to);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const connection = this.em.getConnection();
    const [countRow] = await connection.execute<{ total: string }[]>(
      `SELECT count(*) AS total FROM audit_entry ${where}`,
      values,
    );
    const rows = (await connection.execute(
      `SELECT id::text, at, staff_id, action, method, route, params, status, ip, request_id, details
         FROM audit_entry ${where} ORDER BY at ${options.order === 'ASC' ? 'ASC' : 'DESC'}, id ${options.order === 'ASC' ? 'ASC' : 'DESC'}
        LIMIT ? OFFSET ?`,
      [...values, options.perPage, (options.page - 1) * options.perPage],
    )) as Record<string, unknown>[];
    return {
      total: Number(countRow?.total ?? 0),
      rows: rows.map((row) => ({
        id: String(row.id),
        at: new Date(row.at as string),
        staffId: (row.staff_id as string | null) ?? null,
        action: row.action as string,
        method: (row.method as string | null) ?? null,
        route: (row.route as string | null) ?? null,
        params: (row.params as Record<string, unknown> | null) ?? null,
        status: (row.status as number | null) ?? null,
        ip: (row.ip as string | null) ?? null,
        requestId: (row.request_id as string | null) ?? null,
        details: (row.details as Record<string, unknown> | null) ?? null,
      })),
    };
  }
}
