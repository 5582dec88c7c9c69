import { inject, Pipe, PipeTransform } from '@angular/core';
import { formatDate, type DatePurpose } from '@klantmonitor/shared/domain';
import { LanguageService } from './i18n';

/**
 * `{{ day | kmDate }}` (6-12-2026), `| kmDate: 'sentence'` (6 december 2026), `'time'` (04:20),
 * `'dateTime'`: the one date formatter of shared/domain in the page's language.
 */
@Pipe({ name: 'kmDate', pure: false })
export class KmDatePipe implements PipeTransform {
  private readonly languages = inject(LanguageService);

  transform(value: string | Date | null | undefined, purpose: DatePurpose = 'table'): string {
    return formatDate(value, purpose, this.languages.current());
  }
}
