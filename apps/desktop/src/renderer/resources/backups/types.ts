/** A backup as `GET /api/admin/backups` answers it (BackupDto on the server). */
export interface BackupRecord {
  id: string;
  createdAt: string;
  status: 'running' | 'succeeded' | 'failed';
  sizeBytes: number | null;
  trigger: 'manual' | 'scheduled' | 'cli';
  startedAt: string;
  finishedAt: string | null;
  fileName: string | null;
  schemaVersion: string | null;
  totalRows: number | null;
  sha256: string | null;
  location: string | null;
  tables: { name: string; rows: number }[] | null;
  progress: { tablesDone: number; tables: number } | null;
  error: string | null;
  /** The last restore drill of this backup (restored into a scratch database and checked), null until drilled. */
  drill: { status: 'passed' | 'failed'; at: string; durationMs: number | null; error: string | null } | null;
}

/** 1536 → "1.5 KB": binary units, one decimal below 10. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** Where the file is kept, for the list: the bucket for S3, else the server folder. */
export function describeLocation(location: string | null): { kind: 's3' | 'folder'; place: string } | null {
  if (!location) return null;
  const s3 = /^s3:\/\/([^/]+)\//.exec(location);
  if (s3) return { kind: 's3', place: s3[1]! };
  return { kind: 'folder', place: location.replace(/[/\\][^/\\]*$/, '') };
}

/** Poll while a backup runs (the server pushes no event for it), and stop once every run has settled. */
export const POLL_WHILE_RUNNING_MS = 1500;
export function pollInterval(records: readonly Pick<BackupRecord, 'status'>[] | undefined): number | false {
  return records?.some((record) => record.status === 'running') ? POLL_WHILE_RUNNING_MS : false;
}
