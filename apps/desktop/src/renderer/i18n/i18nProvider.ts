import polyglotI18nProvider from 'ra-i18n-polyglot';
import { en } from './en.ts';
import { fr } from './fr.ts';

export const LOCALES = [
  { locale: 'en', name: 'English' },
  { locale: 'fr', name: 'Français' },
] as const;

export type Locale = (typeof LOCALES)[number]['locale'];

/** First visit: follow the browser/OS language; react-admin remembers the user's later choice. */
export function preferredLocale(languages: readonly string[]): Locale {
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0];
    const match = LOCALES.find((entry) => entry.locale === base);
    if (match) return match.locale;
  }
  return 'en';
}

export const createI18nProvider = (initial: Locale) =>
  polyglotI18nProvider((locale) => (locale === 'fr' ? fr : en), initial, [...LOCALES], {
    allowMissing: false,
  });
