import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, ProblemRef } from '../schemas.ts';
import { BackupDto, BackupListDto, BackupListQuery } from './backup.schemas.ts';
import type { BackupRun, BackupService, ListOptions } from './backup.service.ts';
import type { BackupDrill } from './drill.ts';

const toDto = (run: BackupRun, service: BackupService) => {
  const progress = run.status === 'running' ? service.progressOf(run.id) : undefined;
  return {
    id: run.id,
    createdAt: run.createdAt.toISOString(),
    status: run.status,
    sizeBytes: run.sizeBytes,
    trigger: run.trigger,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    fileName: run.location?.split('/').pop() ?? null,
    schemaVersion: run.manifest?.schemaVersion ?? null,
    totalRows: run.manifest?.totalRows ?? null,
    sha256: run.manifest?.file?.sha256 ?? null,
    location: run.location,
    tables: run.manifest?.tables.map((t) => ({ name: `${t.schema}.${t.name}`, rows: t.rows })) ?? null,
    progress: progress ? { tablesDone: progress.tableIndex, tables: progress.tableCount } : null,
    error: run.error,
    drill: run.drill
      ? {
          status: run.drill.status,
          at: run.drill.at.toISOString(),
          durationMs: run.drill.durationMs,
          error: run.drill.error,
        }
      : null,
  };
};

/** Owner-only: start a backup, list them, download one. */
export const backupAdminRoutes: FastifyPluginAsyncTypebox<{
  service: BackupService;
  drill: BackupDrill;
}> = async (app, { service, drill }) => {
  app.addSchema(BackupDto);
  const auth = { permission: 'backups:manage' } as const;
  const security = [{ staffBearer: [] }];

  app.post(
    '/api/admin/backups',
    {
      schema: {
        tags: ['admin: backups'],
        summary: 'Start a backup now (runs in the background; poll the list for its status)',
        security,
        response: { 202: BackupDto, 401: ProblemRef, 403: ProblemRef, 409: ProblemRef },
      },
      config: { auth },
    },
    async (request, reply) => {
      const { run, done } = await service.start('manual', request.staff!.id);
      // The request ends now; the backup's outcome is recorded in its run.
      void done;
      return reply.status(202).header('location', `/api/admin/backups/${run.id}`).send(toDto(run, service));
    },
  );

  app.get(
    '/api/admin/backups',
    {
      schema: {
        tags: ['admin: backups'],
        summary: 'Backups, newest first',
        security,
        querystring: BackupListQuery,
        response: { 200: BackupListDto, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth },
    },
    async (request) => {
      const { page = 1, perPage = 25, sort = 'createdAt', order = 'DESC', status } = request.query;
      const { data, total } = await service.list({
        page,
        perPage,
        sort: sort as ListOptions['sort'],
        order,
        status,
      });
      return { data: data.map((run) => toDto(run, service)), total };
    },
  );

  app.get(
    '/api/admin/backups/:id',
    {
      schema: {
        tags: ['admin: backups'],
        summary: 'One backup',
        security,
        params: IdParams,
        response: { 200: BackupDto, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef },
      },
      config: { auth },
    },
    async (request) => toDto(await service.get(request.params.id), service),
  );

  app.post(
    '/api/admin/backups/:id/drill',
    {
      schema: {
        tags: ['admin: backups'],
        summary:
          "Prove this backup restores now: restore it into a scratch database and check it (runs in the background; its outcome is the backup's `drill`)",
        security,
        params: IdParams,
        response: { 202: BackupDto, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef },
      },
      config: { auth },
    },
    async (request, reply) => {
      const started = await drill.start(request.params.id);
      // With an id, start answers a drill or throws (not found, not succeeded, one running).
      void started!.done;
      return reply
        .status(202)
        .header('location', `/api/admin/backups/${started!.run.id}`)
        .send(toDto(started!.run, service));
    },
  );

  app.get(
    '/api/admin/backups/:id/download',
    {
      schema: {
        tags: ['admin: backups'],
        summary: 'Download the backup file (gzip; restore it with `npm run restore -- <file>`)',
        security,
        params: IdParams,
        produces: ['application/gzip'],
        response: {
          200: { description: 'The backup file', type: 'string', format: 'binary' },
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
        },
      },
      config: { auth },
    },
    async (request, reply) => {
      const { run, stream, fileName } = await service.open(request.params.id);
      // A read, but the whole store leaves with it (every customer's name, e-mail and orders): the audit log
      // says who took which backup, as it does for a customer's data export.
      request.audit = { action: 'backup.downloaded', details: { backupId: run.id } };
      if (run.sizeBytes !== null) reply.header('content-length', run.sizeBytes);
      if (run.manifest?.file?.sha256) reply.header('x-checksum-sha256', run.manifest.file.sha256);
      return reply
        .type('application/gzip')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
};
