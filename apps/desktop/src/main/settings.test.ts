import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, openSettingsStore, sanitizeSettings, SettingsError } from './settings.ts';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(
  ':',
);

describe('settings store', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcart-settings-'));
    file = join(dir, 'nested', 'settings.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('starts with defaults when no file exists', async () => {
    const store = await openSettingsStore(file);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('stores the server address as an origin and reads it back after a restart', async () => {
    const store = await openSettingsStore(file);
    expect(await store.setServerUrl('shop.example.com:8443/admin/')).toEqual({
      serverUrl: 'https://shop.example.com:8443',
      trustedCertificates: {},
      desktopNotifications: true,
    });
    const reopened = await openSettingsStore(file);
    expect(reopened.public().serverUrl).toBe('https://shop.example.com:8443');
  });

  it('refuses an insecure address and keeps the previous one', async () => {
    const store = await openSettingsStore(file);
    await store.setServerUrl('https://shop.example.com');
    await expect(store.setServerUrl('http://shop.example.com')).rejects.toBeInstanceOf(SettingsError);
    expect(store.public().serverUrl).toBe('https://shop.example.com');
  });

  it('pins a certificate per origin with a normalised fingerprint', async () => {
    const store = await openSettingsStore(file);
    const settings = await store.trustCertificate('https://localhost:8443/', FINGERPRINT.toLowerCase());
    expect(settings.trustedCertificates).toEqual({ 'https://localhost:8443': FINGERPRINT });
    await expect(store.trustCertificate('https://localhost:8443', 'not-a-fingerprint')).rejects.toMatchObject(
      {
        code: 'MCART_ERR_INVALID_FINGERPRINT',
      },
    );
  });

  it('writes the file readable by the user only', async () => {
    const store = await openSettingsStore(file);
    await store.setWindowState({ x: 10, y: 20, width: 900, height: 700, maximized: true });
    const { stat } = await import('node:fs/promises');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).windowState).toEqual({
      x: 10,
      y: 20,
      width: 900,
      height: 700,
      maximized: true,
    });
  });

  it('keeps desktop notifications on by default and remembers turning them off', async () => {
    const store = await openSettingsStore(file);
    expect(store.public().desktopNotifications).toBe(true);
    expect((await store.setDesktopNotifications(false)).desktopNotifications).toBe(false);
    const reopened = await openSettingsStore(file);
    expect(reopened.get().desktopNotifications).toBe(false);
  });

  it('survives a corrupted file by falling back to defaults', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'nested'), { recursive: true });
    await writeFile(file, '{"serverUrl": "https://shop.exa');
    const store = await openSettingsStore(file);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });
});

describe('sanitizeSettings', () => {
  it('drops fields that were edited into something invalid, keeping the rest', () => {
    expect(
      sanitizeSettings({
        serverUrl: 'http://evil.example.com',
        trustedCertificates: {
          'https://ok.example.com': FINGERPRINT,
          'https://bad.example.com': 'x',
          'file:///': FINGERPRINT,
        },
        windowState: { x: 0, y: 0, width: 'wide', height: 10 },
        desktopNotifications: 'no',
      }),
    ).toEqual({
      serverUrl: null,
      trustedCertificates: { 'https://ok.example.com': FINGERPRINT },
      // Only an explicit false turns them off.
      desktopNotifications: true,
      windowState: null,
    });
  });
});
