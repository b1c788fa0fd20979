import { describe, expect, it } from 'vitest';
import {
  externalLinkTarget,
  IpcValidationError,
  isAppNavigation,
  isPermissionAllowed,
  isTrustedSender,
  PACKAGED_APP_ORIGIN,
  validateIpcArguments,
} from './security.ts';

describe('isTrustedSender', () => {
  it('trusts the packaged app pages', () => {
    expect(isTrustedSender('app://mcart/index.html#/orders', PACKAGED_APP_ORIGIN)).toBe(true);
  });

  it('trusts the dev server only when it is the app origin', () => {
    expect(isTrustedSender('http://localhost:5173/#/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedSender('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });

  it('refuses other origins, look-alike hosts, blank and missing frames', () => {
    expect(isTrustedSender('https://evil.example.com/', PACKAGED_APP_ORIGIN)).toBe(false);
    expect(isTrustedSender('app://mcart.evil/index.html', PACKAGED_APP_ORIGIN)).toBe(false);
    expect(isTrustedSender('about:blank', PACKAGED_APP_ORIGIN)).toBe(false);
    expect(isTrustedSender('', PACKAGED_APP_ORIGIN)).toBe(false);
    expect(isTrustedSender(undefined, PACKAGED_APP_ORIGIN)).toBe(false);
  });
});

describe('isAppNavigation', () => {
  it('allows in-app navigation and refuses leaving the app', () => {
    expect(isAppNavigation('app://mcart/index.html#/login', PACKAGED_APP_ORIGIN)).toBe(true);
    expect(isAppNavigation('https://localhost:8443/admin/', PACKAGED_APP_ORIGIN)).toBe(false);
    expect(isAppNavigation('file:///etc/passwd', PACKAGED_APP_ORIGIN)).toBe(false);
    expect(isAppNavigation('javascript:alert(1)', PACKAGED_APP_ORIGIN)).toBe(false);
  });
});

describe('externalLinkTarget (window-open handler)', () => {
  const app = 'app://mcart/index.html#/orders/42/show';

  it('sends https links from the app to the browser', () => {
    expect(
      externalLinkTarget('https://tracking.example-carrier.com/track?n=1Z999', app, PACKAGED_APP_ORIGIN),
    ).toBe('https://tracking.example-carrier.com/track?n=1Z999');
    expect(externalLinkTarget('https://Carrier.Example/t/ABC', app, PACKAGED_APP_ORIGIN)).toBe(
      'https://carrier.example/t/ABC',
    );
    // The dev server origin in `electron-vite dev`.
    expect(
      externalLinkTarget('https://carrier.example/t', 'http://localhost:5173/#/', 'http://localhost:5173'),
    ).toBe('https://carrier.example/t');
  });

  it('refuses every other scheme', () => {
    for (const url of [
      'http://carrier.example/track',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-msdt:/id PCWDiagnostic',
      'app://mcart/index.html',
      'mailto:someone@example.com',
      'not a url',
      '',
    ])
      expect(externalLinkTarget(url, app, PACKAGED_APP_ORIGIN)).toBeNull();
  });

  it('refuses links opened from pages that are not the app', () => {
    const url = 'https://carrier.example/t';
    expect(externalLinkTarget(url, 'file:///tmp/labels.pdf', PACKAGED_APP_ORIGIN)).toBeNull();
    expect(externalLinkTarget(url, 'https://evil.example/', PACKAGED_APP_ORIGIN)).toBeNull();
    expect(externalLinkTarget(url, '', PACKAGED_APP_ORIGIN)).toBeNull();
    expect(externalLinkTarget(url, undefined, PACKAGED_APP_ORIGIN)).toBeNull();
  });
});

describe('isPermissionAllowed', () => {
  it('lets the app write to the clipboard (Copy on the recovery codes)', () => {
    // Request handler: the requesting frame's URL; check handler: its origin (with or without a slash).
    expect(
      isPermissionAllowed(
        'clipboard-sanitized-write',
        'app://mcart/index.html#/security',
        PACKAGED_APP_ORIGIN,
      ),
    ).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://mcart', PACKAGED_APP_ORIGIN)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://mcart/', PACKAGED_APP_ORIGIN)).toBe(true);
    expect(
      isPermissionAllowed('clipboard-sanitized-write', 'http://localhost:5173/', 'http://localhost:5173'),
    ).toBe(true);
  });

  it('refuses clipboard writes from any other origin', () => {
    for (const origin of [
      'https://evil.example',
      'app://mcart.evil',
      'file:///tmp/a.pdf',
      'null',
      '',
      undefined,
    ])
      expect(isPermissionAllowed('clipboard-sanitized-write', origin, PACKAGED_APP_ORIGIN)).toBe(false);
  });

  it('refuses every other permission, even to the app', () => {
    for (const permission of [
      'clipboard-read',
      'deprecated-sync-clipboard-read',
      'notifications',
      'media',
      'geolocation',
      'openExternal',
      'fileSystem',
      'unknown',
    ])
      expect(isPermissionAllowed(permission, 'app://mcart/index.html', PACKAGED_APP_ORIGIN)).toBe(false);
  });
});

describe('validateIpcArguments', () => {
  it('passes well-formed arguments through', () => {
    expect(validateIpcArguments('settings:set-server-url', ['https://shop.example.com'])).toEqual([
      'https://shop.example.com',
    ]);
    expect(validateIpcArguments('settings:get', [])).toEqual([]);
  });

  it('rejects wrong types, extra arguments and oversized strings', () => {
    expect(() => validateIpcArguments('settings:set-server-url', [42])).toThrow(IpcValidationError);
    expect(() => validateIpcArguments('settings:get', ['extra'])).toThrow(IpcValidationError);
    expect(() => validateIpcArguments('settings:set-server-url', ['x'.repeat(5000)])).toThrow(
      IpcValidationError,
    );
    expect(() => validateIpcArguments('settings:trust-certificate', ['https://a.example.com'])).toThrow(
      IpcValidationError,
    );
  });
});
