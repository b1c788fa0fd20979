import { readFileSync } from 'node:fs';

/** The server package's version, recorded in every backup's manifest. */
export const MCART_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
