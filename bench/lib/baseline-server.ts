/**
 * The bench's baseline: the thinnest server that can answer the same requests. A Fastify HTTPS route runs
 * the same SQL MCart runs for a scenario (through pg, prepared where MCart prepares it) and returns the rows.
 * No auth, no validation, no caching, no facets: the bare cost of "HTTP + TLS + that SQL".
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import pg from 'pg';

interface Recorded {
  name?: string;
  text: string;
  values: unknown[];
}

const queries = JSON.parse(readFileSync(process.env.BASELINE_QUERIES!, 'utf8')) as Record<string, Recorded[]>;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify({
  logger: false,
  https: { cert: readFileSync(process.env.TLS_CERT_FILE!), key: readFileSync(process.env.TLS_KEY_FILE!) },
});

app.get('/health', async () => ({ ok: true }));
app.get<{ Params: { scenario: string }; Querystring: { p0?: string } }>(
  '/q/:scenario',
  async (request, reply) => {
    const steps = queries[request.params.scenario];
    if (!steps) return reply.status(404).send({ error: 'unknown scenario' });
    let rows: unknown[] = [];
    for (const step of steps) {
      // p0 replaces the first parameter (e.g. the product slug of a detail request).
      const values =
        request.query.p0 !== undefined ? [request.query.p0, ...step.values.slice(1)] : step.values;
      rows = (await pool.query({ name: step.name, text: step.text, values })).rows;
    }
    return rows;
  },
);

await app.listen({ host: '127.0.0.1', port: Number(process.env.BASELINE_PORT) });
process.once(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
