import { Type } from '@sinclair/typebox';
import { listOf, listQuery } from '../schemas.ts';

export const BackupStatusSchema = Type.Union([
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
]);

export const BackupDto = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    createdAt: Type.String({ format: 'date-time' }),
    status: BackupStatusSchema,
    sizeBytes: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Compressed file size; null until succeeded',
    }),
    trigger: Type.Union([Type.Literal('manual'), Type.Literal('scheduled'), Type.Literal('cli')]),
    startedAt: Type.String({ format: 'date-time' }),
    finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    fileName: Type.Union([Type.String(), Type.Null()]),
    schemaVersion: Type.Union([Type.String(), Type.Null()], {
      description: 'Last migration applied when it was taken',
    }),
    totalRows: Type.Union([Type.Integer(), Type.Null()]),
    sha256: Type.Union([Type.String(), Type.Null()], { description: 'SHA-256 of the whole file' }),
    location: Type.Union([Type.String(), Type.Null()], {
      description: 'Where the file is: a path on the server, or s3://bucket/key',
    }),
    tables: Type.Union(
      [Type.Array(Type.Object({ name: Type.String(), rows: Type.Integer() })), Type.Null()],
      { description: 'Row count of every table in the file (schema.table); null until succeeded' },
    ),
    progress: Type.Union([Type.Object({ tablesDone: Type.Integer(), tables: Type.Integer() }), Type.Null()], {
      description:
        'Tables written so far while running, when the instance answering is the one running it; else null',
    }),
    error: Type.Union([Type.String(), Type.Null()]),
    drill: Type.Union(
      [
        Type.Object({
          status: Type.Union([Type.Literal('passed'), Type.Literal('failed')]),
          at: Type.String({ format: 'date-time' }),
          durationMs: Type.Union([Type.Integer(), Type.Null()]),
          error: Type.Union([Type.String(), Type.Null()], { description: 'Why it failed; null when passed' }),
        }),
        Type.Null(),
      ],
      {
        description:
          'The last restore drill of this backup (restored into a scratch database and checked against its manifest); null until drilled',
      },
    ),
  },
  { $id: 'BackupDto' },
);

export const BackupListQuery = listQuery({ status: Type.Optional(BackupStatusSchema) }, [
  'createdAt',
  'sizeBytes',
  'status',
]);
export const BackupListDto = listOf(Type.Ref('BackupDto'));
