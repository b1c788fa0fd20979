import { describe, expect, it } from 'vitest';
import { resources } from '../resources/registry.ts';
import { en, mcartEn } from './en.ts';
import { fr, mcartFr } from './fr.ts';
import { preferredLocale } from './i18nProvider.ts';

const keys = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key))
    : [prefix];

describe('translations', () => {
  it('French covers exactly the English keys', () => {
    expect(keys(mcartFr).sort()).toEqual(keys(mcartEn).sort());
  });

  it('keeps interpolation variables in both languages', () => {
    const vars = (text: string) => [...text.matchAll(/%\{(\w+)\}/g)].map((m) => m[1]).sort();
    const lookup = (root: unknown, path: string): string =>
      path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], root) as string;
    for (const key of keys(mcartEn))
      expect(vars(lookup(mcartFr, key)), key).toEqual(vars(lookup(mcartEn, key)));
  });

  it('names every resource of the menu and of page titles in both languages', () => {
    // Without a name react-admin falls back to the English-looking resource id ("Orders" in French).
    const named = (messages: unknown, resource: string) =>
      (messages as { resources?: Record<string, { name?: string }> }).resources?.[resource]?.name;
    for (const { name } of resources) {
      expect(named(en, name), name).toEqual(expect.any(String));
      expect(named(fr, name), name).toEqual(expect.any(String));
    }
  });

  it('starts in the user’s language when it is supported', () => {
    expect(preferredLocale(['fr-CA', 'en'])).toBe('fr');
    expect(preferredLocale(['de-DE', 'en-GB'])).toBe('en');
    expect(preferredLocale([])).toBe('en');
  });
});
