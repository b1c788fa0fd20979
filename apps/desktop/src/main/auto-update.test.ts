import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UpdateState } from '../shared/ipc.ts';
import {
  createUpdateController,
  feedUrlFromAppUpdateYml,
  readPackagedFeedUrl,
  resolveUpdateFeed,
  UPDATE_CHECK_INTERVAL_MS,
  type Updater,
} from './auto-update.ts';
import { validateIpcArguments } from './security.ts';

/** Stands in for electron-updater's autoUpdater: records calls, emits what a real feed would. */
class FakeUpdater extends EventEmitter implements Updater {
  autoDownload = false;
  autoInstallOnAppQuit = true;
  forceDevUpdateConfig = false;
  feeds: unknown[] = [];
  checks = 0;
  installs: unknown[][] = [];
  /** What the next check does: emit these events, or reject. */
  nextCheck: () => void = () => this.emit('update-not-available', { version: '1.0.0' });
  setFeedURL(options: unknown) {
    this.feeds.push(options);
  }
  async checkForUpdates() {
    this.checks += 1;
    this.nextCheck();
    return null;
  }
  quitAndInstall(...args: unknown[]) {
    this.installs.push(args);
  }
}

function controllerWith(
  feed = resolveUpdateFeed({ isPackaged: true, packagedUrl: 'https://dl.example.com/mcart/' }),
) {
  const updater = new FakeUpdater();
  const published: UpdateState[] = [];
  const scheduled: { run: () => void; everyMs: number; stopped: boolean }[] = [];
  let created = 0;
  const controller = createUpdateController({
    updater: () => {
      created += 1;
      return updater;
    },
    feed,
    publish: (state) => published.push(state),
    schedule: (run, everyMs) => {
      const entry = { run, everyMs, stopped: false };
      scheduled.push(entry);
      return { stop: () => void (entry.stopped = true) };
    },
  });
  return { controller, updater, published, scheduled, created: () => created };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('update feed', () => {
  it('checks only a packaged app with a real https feed', () => {
    expect(resolveUpdateFeed({ isPackaged: false })).toEqual({ enabled: false, reason: 'not-packaged' });
    expect(resolveUpdateFeed({ isPackaged: false, packagedUrl: 'https://dl.example.com' })).toEqual({
      enabled: false,
      reason: 'not-packaged',
    });
    expect(resolveUpdateFeed({ isPackaged: true })).toEqual({ enabled: false, reason: 'no-feed-url' });
    // The placeholder of electron-builder.yml counts as not configured.
    expect(
      resolveUpdateFeed({ isPackaged: true, packagedUrl: 'https://updates.mcart.invalid/desktop/linux/x64' }),
    ).toEqual({ enabled: false, reason: 'no-feed-url' });
    expect(resolveUpdateFeed({ isPackaged: true, packagedUrl: 'http://dl.example.com' })).toEqual({
      enabled: false,
      reason: 'invalid-feed-url',
    });
    expect(resolveUpdateFeed({ isPackaged: true, packagedUrl: 'not a url' })).toMatchObject({
      enabled: false,
    });
    expect(resolveUpdateFeed({ isPackaged: true, packagedUrl: 'https://dl.example.com/mcart/' })).toEqual({
      enabled: true,
      url: 'https://dl.example.com/mcart',
      source: 'package',
    });
  });

  it('ignores MCART_UPDATE_URL in a packaged app: only the feed baked into the package counts', () => {
    expect(
      resolveUpdateFeed({
        isPackaged: true,
        envUrl: 'https://attacker.example.com/mcart/',
        packagedUrl: 'https://dl.example.com/mcart',
      }),
    ).toEqual({ enabled: true, url: 'https://dl.example.com/mcart', source: 'package' });
    // Not even when the package has no feed of its own.
    expect(resolveUpdateFeed({ isPackaged: true, envUrl: 'https://attacker.example.com/mcart' })).toEqual({
      enabled: false,
      reason: 'no-feed-url',
    });
    expect(
      resolveUpdateFeed({
        isPackaged: true,
        envUrl: 'https://attacker.example.com/mcart',
        packagedUrl: 'https://updates.mcart.invalid/desktop/linux/x64',
      }),
    ).toEqual({ enabled: false, reason: 'no-feed-url' });
  });

  it('honours MCART_UPDATE_URL only in an unpackaged (development) app, https only', () => {
    expect(resolveUpdateFeed({ isPackaged: false, envUrl: 'https://test-feed.example.com/mcart/' })).toEqual({
      enabled: true,
      url: 'https://test-feed.example.com/mcart',
      source: 'development',
    });
    expect(resolveUpdateFeed({ isPackaged: false, envUrl: '  ' })).toEqual({
      enabled: false,
      reason: 'not-packaged',
    });
    expect(resolveUpdateFeed({ isPackaged: false, envUrl: 'http://test-feed.example.com' })).toEqual({
      enabled: false,
      reason: 'invalid-feed-url',
    });
  });

  it('reads the url electron-builder writes into app-update.yml', async () => {
    expect(
      feedUrlFromAppUpdateYml(
        "provider: generic\nurl: 'https://dl.example.com/mcart/linux/x64'\nchannel: latest\n",
      ),
    ).toBe('https://dl.example.com/mcart/linux/x64');
    expect(feedUrlFromAppUpdateYml('provider: generic\n')).toBeNull();
    const dir = await mkdtemp(join(tmpdir(), 'mcart-update-'));
    try {
      await writeFile(join(dir, 'app-update.yml'), 'provider: generic\r\nurl: https://dl.example.com/a\r\n');
      expect(await readPackagedFeedUrl(join(dir, 'app-update.yml'))).toBe('https://dl.example.com/a');
      expect(await readPackagedFeedUrl(join(dir, 'missing.yml'))).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('update controller', () => {
  it('does nothing at all without a feed (no updater built, no check, no timer)', async () => {
    const { controller, published, scheduled, created } = controllerWith(
      resolveUpdateFeed({ isPackaged: false }),
    );
    controller.start();
    await controller.check();
    await flush();
    expect(created()).toBe(0);
    expect(scheduled).toEqual([]);
    expect(published).toEqual([]);
    expect(controller.state()).toEqual({ status: 'disabled', reason: 'not-packaged' });
    expect(controller.install()).toBe(false);
  });

  it('checks at start and every few hours, downloading in the background but never installing on quit', async () => {
    const { controller, updater, published, scheduled } = controllerWith();
    controller.start();
    await flush();
    expect(updater.feeds).toEqual([{ provider: 'generic', url: 'https://dl.example.com/mcart' }]);
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(updater.forceDevUpdateConfig).toBe(false);
    expect(updater.checks).toBe(1);
    expect(published.map((state) => state.status)).toEqual(['checking', 'up-to-date']);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.everyMs).toBe(UPDATE_CHECK_INTERVAL_MS);
    scheduled[0]!.run();
    await flush();
    expect(updater.checks).toBe(2);
    controller.start(); // a second start does not add a second timer
    expect(scheduled).toHaveLength(1);
    controller.stop();
    expect(scheduled[0]!.stopped).toBe(true);
  });

  it('lets electron-updater check an unpackaged app only for the development feed', async () => {
    const { controller, updater } = controllerWith(
      resolveUpdateFeed({ isPackaged: false, envUrl: 'https://test-feed.example.com/mcart' }),
    );
    controller.start();
    await flush();
    expect(updater.forceDevUpdateConfig).toBe(true);
    expect(updater.feeds).toEqual([{ provider: 'generic', url: 'https://test-feed.example.com/mcart' }]);
    expect(updater.checks).toBe(1);
    controller.stop();
  });

  it('tells the renderer about the download and installs only when the user agrees', async () => {
    const { controller, updater, published } = controllerWith();
    updater.nextCheck = () => updater.emit('update-available', { version: '1.2.0' });
    controller.start();
    await flush();
    expect(controller.state()).toEqual({ status: 'downloading', version: '1.2.0', percent: 0 });
    updater.emit('download-progress', { percent: 42.4 });
    expect(controller.state()).toEqual({ status: 'downloading', version: '1.2.0', percent: 42 });
    expect(controller.install()).toBe(false);
    expect(updater.installs).toEqual([]);

    updater.emit('update-downloaded', { version: '1.2.0' });
    expect(published.at(-1)).toEqual({ status: 'ready', version: '1.2.0' });
    // A later check neither re-downloads nor hides the ready update.
    await controller.check();
    expect(updater.checks).toBe(1);
    updater.emit('error', new Error('feed unreachable'));
    expect(controller.state()).toEqual({ status: 'ready', version: '1.2.0' });

    expect(controller.install()).toBe(true);
    expect(updater.installs).toEqual([[false, true]]);
  });

  it('reports a failed check and tries again at the next one', async () => {
    const { controller, updater, scheduled } = controllerWith();
    updater.nextCheck = () => {
      throw new Error('getaddrinfo ENOTFOUND dl.example.com');
    };
    controller.start();
    await flush();
    expect(controller.state()).toEqual({ status: 'error', message: 'getaddrinfo ENOTFOUND dl.example.com' });
    updater.nextCheck = () => updater.emit('update-not-available', { version: '1.0.0' });
    scheduled[0]!.run();
    await flush();
    expect(controller.state().status).toBe('up-to-date');
  });
});

describe('update and notification IPC arguments', () => {
  it('takes no arguments for the update channels and a boolean for the notification setting', () => {
    expect(validateIpcArguments('update:get-state', [])).toEqual([]);
    expect(() => validateIpcArguments('update:install', ['now'])).toThrow('Invalid arguments');
    expect(validateIpcArguments('settings:set-desktop-notifications', [false])).toEqual([false]);
    expect(() => validateIpcArguments('settings:set-desktop-notifications', ['false'])).toThrow(
      'Invalid arguments',
    );
  });
});
