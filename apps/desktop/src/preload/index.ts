import { contextBridge, ipcRenderer } from 'electron';
import type { DesktopBridge, IpcChannel, IpcEvent, IpcEventMap, IpcInvokeMap } from '../shared/ipc.ts';

// One named function per channel: the page never gets ipcRenderer itself, so it cannot reach a
// channel this file does not list, nor listen to anything but the events named here.
const invoke = <C extends IpcChannel>(
  channel: C,
  ...args: IpcInvokeMap[C]['args']
): Promise<IpcInvokeMap[C]['result']> =>
  ipcRenderer.invoke(channel, ...args) as Promise<IpcInvokeMap[C]['result']>;

// The listener gets the payload only, never the IpcRendererEvent (which exposes `sender`).
const listen = <E extends IpcEvent>(event: E, listener: (payload: IpcEventMap[E]) => void): (() => void) => {
  const forward = (_event: unknown, payload: IpcEventMap[E]) => listener(payload);
  ipcRenderer.on(event, forward);
  return () => void ipcRenderer.removeListener(event, forward);
};

const bridge: DesktopBridge = {
  isDesktop: true,
  getAppInfo: () => invoke('app:info'),
  getSettings: () => invoke('settings:get'),
  setServerUrl: (url) => invoke('settings:set-server-url', url),
  probeCertificate: (url) => invoke('settings:probe-certificate', url),
  trustCertificate: (origin, fingerprint) => invoke('settings:trust-certificate', origin, fingerprint),
  setDesktopNotifications: (enabled) => invoke('settings:set-desktop-notifications', enabled),
  getUpdateState: () => invoke('update:get-state'),
  onUpdateState: (listener) => listen('update:state', listener),
  installUpdate: () => invoke('update:install'),
  notify: (title, body) => invoke('app:notify', title, body),
  loadSession: () => invoke('session:load'),
  saveSession: (session) => invoke('session:save', session.accessToken, session.refreshToken),
  clearSession: () => invoke('session:clear'),
  listPrinters: () => invoke('print:list-printers'),
  getLabelPrinter: () => invoke('print:get-label-printer'),
  setLabelPrinter: (name) => invoke('print:set-label-printer', name),
  printLabels: (pdf, copies = 1) => invoke('print:labels', pdf, copies),
};

contextBridge.exposeInMainWorld('mcart', bridge);
