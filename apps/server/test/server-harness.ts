import type { AddressInfo } from 'node:net';
import { buildTestApp, TEST_OWNER } from './app.ts';

export interface RunningTestServer {
  /** https://127.0.0.1:<port> (self-signed certificate) */
  url: string;
  admin: { email: string; password: string };
  databaseUrl: string;
  close: () => Promise<void>;
}

/** A real HTTPS server on loopback, as deployed, for browser and socket tests. */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningTestServer> {
  const testApp = await buildTestApp({ TLS: 'on', ...env });
  const { app } = testApp;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    admin: { ...TEST_OWNER },
    databaseUrl: testApp.databaseUrl,
    close: testApp.close,
  };
}
