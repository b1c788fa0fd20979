import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  type MenuItemConstructorOptions,
} from 'electron';
import electronUpdater from 'electron-updater';
import type { IpcChannel, IpcEvent, IpcEventMap, IpcInvokeMap } from '../shared/ipc.ts';
import {
  createUpdateController,
  readPackagedFeedUrl,
  resolveUpdateFeed,
  type UpdateController,
} from './auto-update.ts';
import { notifyOs } from './notifications.ts';
import { openLabelPrinterStore, printLabelPdf, summarizePrinters, type PrintHost } from './printing.ts';
import { contentSecurityPolicy, mimeTypeOf, resolveAppAsset } from './app-protocol.ts';
import { isPinnedCertificate, probeCertificate } from './certificates.ts';
import {
  APP_HOST,
  APP_SCHEME,
  externalLinkTarget,
  isAppNavigation,
  isPermissionAllowed,
  isTrustedSender,
  PACKAGED_APP_ORIGIN,
  validateIpcArguments,
} from './security.ts';
import { openSettingsStore, type SettingsStore } from './settings.ts';
import { openSecureSessionStore } from './secure-session.ts';
import { MIN_WINDOW_SIZE, restoreWindowBounds } from './window-state.ts';

// Must run before `ready`: a standard, secure scheme gets a real origin (app://mcart), so
// fetch, storage and the sender check behave as for an https page.
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
]);

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : PACKAGED_APP_ORIGIN;
const rendererRoot = join(import.meta.dirname, '../renderer');
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error('MCart failed to start', error);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const settings = await openSettingsStore(join(app.getPath('userData'), 'settings.json'));

  registerAppProtocol(settings);
  hardenSessions();
  const labelPrinter = await openLabelPrinterStore(join(app.getPath('userData'), 'label-printer.json'));
  const updates = await startUpdates();
  registerIpc(settings, labelPrinter, updates);

  app.on('certificate-error', (event, _webContents, url, _error, certificate, callback) => {
    if (isPinnedCertificate(settings.get().trustedCertificates, url, certificate.data)) {
      event.preventDefault();
      callback(true);
      return;
    }
    callback(false);
  });

  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate()));
  mainWindow = createMainWindow(settings);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(settings);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

function registerAppProtocol(settings: SettingsStore): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = new URL(request.url).host === APP_HOST ? resolveAppAsset(rendererRoot, request.url) : null;
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': mimeTypeOf(file),
          // Recomputed per response so a changed server address is allowed after a reload.
          'content-security-policy': contentSecurityPolicy(settings.get().serverUrl),
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

function hardenSessions(): void {
  // The back-office needs no camera, notifications, geolocation...: refuse every request except
  // clipboard writes from the app's own pages (Copy buttons); see isPermissionAllowed.
  session.defaultSession.setPermissionRequestHandler((_webContents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl, appOrigin)),
  );
  session.defaultSession.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, appOrigin),
  );

  app.on('web-contents-created', (_event, contents) => {
    // Never a new Electron window; an https link from the app (e.g. "Track") opens in the browser.
    contents.setWindowOpenHandler(({ url }) => {
      const target = externalLinkTarget(url, contents.getURL(), appOrigin);
      if (target) {
        shell
          .openExternal(target)
          .catch((error: unknown) => console.warn('MCart could not open a link', error));
      }
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isAppNavigation(url, appOrigin)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppNavigation(url, appOrigin)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

type LabelPrinterStore = Awaited<ReturnType<typeof openLabelPrinterStore>>;

async function availablePrinters() {
  const contents = mainWindow?.webContents ?? BrowserWindow.getAllWindows()[0]?.webContents;
  return contents ? contents.getPrintersAsync() : [];
}

/** Electron's side of label printing (printing.ts holds the flow): printers, a hidden PDF window. */
const printHost = (): PrintHost => ({
  getPrinters: availablePrinters,
  tempDir: app.getPath('temp'),
  async loadDocument(file) {
    const window = new BrowserWindow({
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, plugins: true },
    });
    try {
      await window.loadURL(pathToFileURL(file).toString());
    } catch (err) {
      window.destroy();
      throw err;
    }
    return {
      print: (options, callback) => window.webContents.print(options, callback),
      destroy: () => window.destroy(),
    };
  },
});

/** Pushes an event to the app's own window only (never to another frame or window). */
function sendToApp<E extends IpcEvent>(event: E, payload: IpcEventMap[E]): void {
  const contents = mainWindow?.webContents;
  if (contents && !contents.isDestroyed() && isTrustedSender(contents.getURL(), appOrigin))
    contents.send(event, payload);
}

/**
 * electron-updater, only in a packaged app with a configured feed (publish.url in electron-builder.yml,
 * baked into resources/app-update.yml); MCART_UPDATE_URL counts only in an unpackaged (development)
 * app. See auto-update.ts.
 */
async function startUpdates(): Promise<UpdateController> {
  if (app.isPackaged && process.env.MCART_UPDATE_URL)
    console.warn(
      'MCart ignores MCART_UPDATE_URL in a packaged app: updates come from the packaged feed only',
    );
  const feed = resolveUpdateFeed({
    isPackaged: app.isPackaged,
    envUrl: process.env.MCART_UPDATE_URL,
    packagedUrl: app.isPackaged
      ? await readPackagedFeedUrl(join(process.resourcesPath, 'app-update.yml'))
      : null,
  });
  const controller = createUpdateController({
    updater: () => electronUpdater.autoUpdater,
    feed,
    publish: (state) => sendToApp('update:state', state),
    log: (message, error) => console.warn(`MCart ${message}`, error),
  });
  controller.start();
  return controller;
}

function registerIpc(
  settings: SettingsStore,
  labelPrinter: LabelPrinterStore,
  updates: UpdateController,
): void {
  const handle = <C extends IpcChannel>(
    channel: C,
    handler: (
      ...args: IpcInvokeMap[C]['args']
    ) => Promise<IpcInvokeMap[C]['result']> | IpcInvokeMap[C]['result'],
  ): void => {
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      if (!isTrustedSender(event.senderFrame?.url, appOrigin))
        throw new Error(`Refused ${channel} from an untrusted frame`);
      return handler(...validateIpcArguments(channel, args));
    });
  };

  handle('app:info', () => ({
    version: app.getVersion(),
    electron: process.versions.electron,
    chrome: process.versions.chrome,
    platform: process.platform,
  }));
  handle('settings:get', () => settings.public());
  handle('settings:set-server-url', (url) => settings.setServerUrl(url));
  handle('settings:probe-certificate', (url) => probeCertificate(url));
  handle('settings:trust-certificate', (origin, fingerprint) =>
    settings.trustCertificate(origin, fingerprint),
  );
  const sessions = openSecureSessionStore(join(app.getPath('userData'), 'session.bin'), safeStorage);
  handle('session:load', () => sessions.load(settings.get().serverUrl));
  handle('session:save', (accessToken, refreshToken) =>
    sessions.save(settings.get().serverUrl, { accessToken, refreshToken }),
  );
  handle('session:clear', () => sessions.clear());
  handle('settings:set-desktop-notifications', (enabled) => settings.setDesktopNotifications(enabled));
  handle('app:notify', (title, body) =>
    notifyOs(
      {
        enabled: () => settings.get().desktopNotifications,
        supported: () => Notification.isSupported(),
        // In-app notifications already show in a focused window; the OS one is for when it is not.
        windowFocused: () => mainWindow?.isFocused() === true,
        show: (notificationTitle, notificationBody) => {
          const notification = new Notification({
            title: notificationTitle,
            body: notificationBody,
            silent: false,
          });
          notification.on('click', () => {
            if (mainWindow?.isMinimized()) mainWindow.restore();
            mainWindow?.focus();
          });
          notification.show();
        },
      },
      title,
      body,
    ),
  );
  handle('update:get-state', () => updates.state());
  handle('update:install', () => updates.install());
  handle('print:list-printers', async () => summarizePrinters(await availablePrinters()));
  handle('print:get-label-printer', () => labelPrinter.get());
  handle('print:set-label-printer', (name) => labelPrinter.set(name));
  handle('print:labels', (pdf, copies) => printLabelPdf(pdf, copies, labelPrinter.get(), printHost()));
}

function createMainWindow(settings: SettingsStore): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const primary = screen.getPrimaryDisplay().workArea;
  const { bounds, maximized } = restoreWindowBounds(settings.get().windowState, [
    primary,
    ...workAreas.filter((area) => area !== primary),
  ]);
  const window = new BrowserWindow({
    ...bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: 'MCart',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    const normal = window.getNormalBounds();
    void settings.setWindowState({ ...normal, maximized: window.isMaximized() });
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(devServerUrl ?? `${PACKAGED_APP_ORIGIN}/index.html`);
  return window;
}

function menuTemplate(): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : ([{ role: 'toggleDevTools' }] as MenuItemConstructorOptions[])),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return process.platform === 'darwin' ? [{ role: 'appMenu' }, ...template] : template;
}
