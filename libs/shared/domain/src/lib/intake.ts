/**
 * The default intake instrument (docs/product.md "Default intake instrument"): its item codes are part
 * of the API contract (intake-answers import, segmentation). Answers 1-5; `reverse` items are
 * worded the other way round (a high answer means less of the dimension). The first block asks
 * "Hoe belangrijk vindt u ...".
 */
export interface IntakeItem {
  code: string;
  dimension: string;
  reverse: boolean;
  /** The statement in Dutch, as the client reads it. */
  nl: string;
  /**
   * The answer scale: `importance` for the first block ("Hoe belangrijk vindt u ...": 1 = niet
   * belangrijk .. 5 = heel belangrijk), `agreement` for the statements (1 = helemaal mee oneens ..
   * 5 = helemaal mee eens).
   */
  scale: 'importance' | 'agreement';
}

export const DEFAULT_INTAKE_ITEMS: readonly IntakeItem[] = [
  {
    code: 'privacy_alleen_nodig',
    dimension: 'privacy protection',
    reverse: false,
    nl: 'Dat de overheid alleen de gegevens van mij gebruikt die echt nodig zijn om mij te helpen.',
    scale: 'importance',
  },
  {
    code: 'privacy_veilig',
    dimension: 'privacy protection',
    reverse: false,
    nl: 'Dat mijn gegevens veilig blijven bij de mensen die mij helpen.',
    scale: 'importance',
  },
  {
    code: 'delen_makkelijker',
    dimension: 'willing to share data',
    reverse: false,
    nl: 'Dat hulp bij mijn geldzorgen makkelijker wordt, ook als ik daarom mijn gegevens moet delen.',
    scale: 'importance',
  },
  {
    code: 'delen_betere_hulp',
    dimension: 'willing to share data',
    reverse: false,
    nl: 'Dat als ik meer gegevens stuur naar de overheid, ik ook betere hulp krijg.',
    scale: 'importance',
  },
  {
    code: 'fast_snel_reageren',
    dimension: 'fast service',
    reverse: false,
    nl: 'Dat de overheid snel reageert via chat, e-mail of app, ook als ik dan minder persoonlijke aandacht krijg.',
    scale: 'importance',
  },
  {
    code: 'fast_meteen_antwoord',
    dimension: 'fast service',
    reverse: false,
    nl: 'Dat ik meteen antwoord krijg op mijn vragen via een app, chat of website, zonder dat ik hoef te bellen of langs te gaan.',
    scale: 'importance',
  },
  {
    code: 'slow_persoon',
    dimension: 'slow service',
    reverse: false,
    nl: 'Dat ik een persoon spreek bij mijn hulp, en niet alleen een e-mail of sms/WhatsApp krijg.',
    scale: 'importance',
  },
  {
    code: 'slow_rustig',
    dimension: 'slow service',
    reverse: false,
    nl: 'Dat ik mijn vragen en problemen rustig kan bespreken met een medewerker.',
    scale: 'importance',
  },
  {
    code: 'slow_aandacht',
    dimension: 'slow service',
    reverse: false,
    nl: 'Dat ik meer persoonlijke aandacht krijg, ook als ik langer moet wachten.',
    scale: 'importance',
  },
  {
    code: 'slow_persoonlijk_contact',
    dimension: 'slow service',
    reverse: false,
    nl: 'Dat de overheid mij persoonlijk contact biedt, bijvoorbeeld door te bellen, mailen of langs te komen.',
    scale: 'importance',
  },
  {
    code: 'zelf_oplossen',
    dimension: 'doing it myself',
    reverse: false,
    nl: 'Dat ik zelf mijn geldzorgen oplos met zo min mogelijk hulp van de overheid.',
    scale: 'importance',
  },
  {
    code: 'zelf_regelen',
    dimension: 'doing it myself',
    reverse: false,
    nl: 'Dat ik zelf hulp regel bij de overheid zonder hulp van een medewerker.',
    scale: 'importance',
  },
  {
    code: 'kiezen_contact',
    dimension: 'choosing myself',
    reverse: false,
    nl: 'Dat ik zelf kan kiezen hoe ik contact heb met de overheid over geldzorgen: online, bellen of aan een balie.',
    scale: 'importance',
  },
  {
    code: 'kiezen_info_delen',
    dimension: 'choosing myself',
    reverse: false,
    nl: 'Dat ik zelf kan kiezen welke informatie ik deel met de overheid als ze me helpen.',
    scale: 'importance',
  },
  {
    code: 'kiezen_info_overheid',
    dimension: 'choosing myself',
    reverse: false,
    nl: 'Dat ik zelf kan kiezen welke informatie de overheid met elkaar deelt om mij te helpen.',
    scale: 'importance',
  },
  {
    code: 'vertrouwen_goed_voor_mensen',
    dimension: 'trust',
    reverse: false,
    nl: 'De overheid denkt aan wat goed is voor de mensen.',
    scale: 'agreement',
  },
  {
    code: 'vertrouwen_belofte',
    dimension: 'trust',
    reverse: false,
    nl: 'De overheid doet wat zij belooft.',
    scale: 'agreement',
  },
  {
    code: 'vertrouwen_goede_hulp',
    dimension: 'trust',
    reverse: false,
    nl: 'Ik denk dat de overheid goede hulp kan geven.',
    scale: 'agreement',
  },
  {
    code: 'doen_hulp_krijgen',
    dimension: 'doenvermogen',
    reverse: false,
    nl: 'Het lukt mij goed om hulp van de overheid te krijgen, als het nodig is.',
    scale: 'agreement',
  },
  {
    code: 'doen_weet_wat_te_doen',
    dimension: 'doenvermogen',
    reverse: false,
    nl: 'Ik weet meestal goed wat ik moet doen wanneer ik een brief of bericht van de overheid ontvang.',
    scale: 'agreement',
  },
  {
    code: 'doen_weet_niet_waar',
    dimension: 'doenvermogen',
    reverse: true,
    nl: 'Ik weet niet waar ik hulp kan krijgen of waar ik naar toe moet gaan.',
    scale: 'agreement',
  },
  {
    code: 'denk_snap_wat_gebeurt',
    dimension: 'denkvermogen',
    reverse: false,
    nl: 'Ik snap meestal wat er gaat gebeuren als ik hulp van de overheid krijg.',
    scale: 'agreement',
  },
  {
    code: 'denk_begrijp_info',
    dimension: 'denkvermogen',
    reverse: false,
    nl: 'Meestal begrijp ik de informatie van de overheid.',
    scale: 'agreement',
  },
  {
    code: 'denk_weet_wat_geven',
    dimension: 'denkvermogen',
    reverse: false,
    nl: 'Na contact met de overheid weet ik meestal wat ik moet geven of wat ze van mij willen.',
    scale: 'agreement',
  },
  {
    code: 'digi_online_zoeken',
    dimension: 'digital skills',
    reverse: false,
    nl: 'Ik kan zelf online informatie vinden, bijvoorbeeld met Google.',
    scale: 'agreement',
  },
  {
    code: 'digi_apparaten',
    dimension: 'digital skills',
    reverse: false,
    nl: 'Ik gebruik makkelijk een computer, tablet of telefoon om e-mails te sturen, informatie te zoeken of afspraken te maken.',
    scale: 'agreement',
  },
  {
    code: 'taal_makkelijk',
    dimension: 'language',
    reverse: false,
    nl: 'Ik vind de brieven, formulieren of websites van de overheid vaak makkelijk te begrijpen.',
    scale: 'agreement',
  },
  {
    code: 'taal_moeilijke_woorden',
    dimension: 'language',
    reverse: true,
    nl: 'In het contact met de overheid worden vaak moeilijke woorden gebruikt.',
    scale: 'agreement',
  },
  {
    code: 'motivatie_zelf_aan_de_slag',
    dimension: 'motivation',
    reverse: false,
    nl: 'Ik wil zelf aan de slag om mijn geldzaken op orde te krijgen.',
    scale: 'agreement',
  },
  {
    code: 'netwerk_steun',
    dimension: 'social network',
    reverse: false,
    nl: 'Ik heb mensen om me heen die me helpen met geldzaken of brieven.',
    scale: 'agreement',
  },
  {
    code: 'netwerk_norm',
    dimension: 'social norm',
    reverse: false,
    nl: 'In mijn omgeving is het normaal om hulp te vragen bij geldzorgen.',
    scale: 'agreement',
  },
  {
    code: 'problemen_meerdere',
    dimension: 'problems (single/multi)',
    reverse: false,
    nl: 'Naast geldzorgen heb ik ook andere zorgen, zoals over wonen, gezondheid of werk.',
    scale: 'agreement',
  },
];

export const DEFAULT_INTAKE_ITEM_CODES: readonly string[] = DEFAULT_INTAKE_ITEMS.map((i) => i.code);
