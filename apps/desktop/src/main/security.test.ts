import { describe, expect, it } from 'vitest';
import {
  IpcValidationError,
  isAppNavigation,
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
