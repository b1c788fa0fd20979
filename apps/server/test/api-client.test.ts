import { readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { useTestApp } from './app.ts';

const SCHEMA_FILE = new URL('../../../packages/api-client/src/schema.ts', import.meta.url);
const HEADER =
  "// Generated from the server's OpenAPI document by `npm run api:generate`. Do not edit.\n/* eslint-disable */\n";

const { app } = await useTestApp();

describe('packages/api-client', () => {
  it('is generated from the current OpenAPI document', async () => {
    const document = (await app.inject('/api/openapi.json')).json();
    const generated = HEADER + astToString(await openapiTS(document, { alphabetize: true }));
    if (process.env.UPDATE_API_CLIENT === '1') writeFileSync(SCHEMA_FILE, generated);
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    // Stale? Run `npm run api:generate` and commit packages/api-client/src/schema.ts.
    expect(
      committed === generated,
      'packages/api-client/src/schema.ts is stale: run npm run api:generate',
    ).toBe(true);
  });
});
