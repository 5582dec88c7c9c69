import {
  DOCUMENT,
  EnvironmentProviders,
  inject,
  Injectable,
  makeEnvironmentProviders,
  provideAppInitializer,
  signal,
} from '@angular/core';
import {
  provideTranslateLoader,
  provideTranslateService,
  TranslateLoader,
  TranslateService,
} from '@ngx-translate/core';
import { firstValueFrom, from, Observable, of } from 'rxjs';
import { NL, type Translations } from './nl';

export const LANGUAGES = ['nl', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'km.lang';

/** Dutch is bundled; English is a separate chunk fetched on first use. */
export class BundledTranslationLoader implements TranslateLoader {
  getTranslation(lang: string): Observable<Translations> {
    return lang === 'en' ? from(import('./en').then((m) => m.EN)) : of(NL);
  }
}

/** The current language, remembered per browser, mirrored in <html lang>. */
@Injectable({ providedIn: 'root' })
export class LanguageService {
  private readonly translate = inject(TranslateService);
  private readonly document = inject(DOCUMENT);
  readonly current = signal<Language>('nl');

  async use(lang: Language): Promise<void> {
    await firstValueFrom(this.translate.use(lang));
    this.current.set(lang);
    this.document.documentElement.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      /* private mode: the choice lasts this page only */
    }
  }

  remembered(): Language {
    try {
      const stored = localStorage.getItem(STORAGE_KEY);
      return (LANGUAGES as readonly string[]).includes(stored ?? '') ? (stored as Language) : 'nl';
    } catch {
      return 'nl';
    }
  }
}

export function provideI18n(): EnvironmentProviders {
  return makeEnvironmentProviders([
    provideTranslateService({
      loader: provideTranslateLoader(() => new BundledTranslationLoader()),
      fallbackLang: 'nl',
      lang: 'nl',
    }),
    provideAppInitializer(() => {
      const languages = inject(LanguageService);
      return languages.use(languages.remembered());
    }),
  ]);
}
