/** Every word the widget shows: Dutch by default, English with `lang="en"` on the element. */
import type { Weekday } from './hours.ts';

export type Language = 'nl' | 'en';

const nl = {
  title: 'Vind uw wijkteam',
  intro: 'Vul uw postcode in. U ziet dan welk team u kan helpen en hoe u het bereikt.',
  postcode: 'Postcode',
  postcodeHint: 'Bijvoorbeeld 1234 AB',
  houseNumber: 'Huisnummer (niet verplicht)',
  houseNumberHint: 'Bijvoorbeeld 12. Soms hangt het team af van het huisnummer.',
  search: 'Zoek uw team',
  searching: 'Bezig met zoeken…',
  postcodeMissing: 'Vul uw postcode in, bijvoorbeeld 1234 AB.',
  postcodeInvalid: 'Deze postcode bestaat niet. Vul een postcode in zoals 1234 AB.',
  postcodeIncomplete: 'Vul de hele postcode in: vier cijfers en twee letters, bijvoorbeeld 1234 AB.',
  houseNumberInvalid: 'Vul alleen het huisnummer in, bijvoorbeeld 12.',
  found: (team: string, postcode: string) => `${team} helpt bij postcode ${postcode}.`,
  notServed: (postcode: string) => `Postcode ${postcode} valt niet onder deze gemeente.`,
  servedBy: (municipality: string) => `Deze postcode hoort bij de gemeente ${municipality}.`,
  servedByTeam: (team: string) => `Daar helpt ${team}:`,
  contactMunicipality: 'Neem contact op met die gemeente.',
  municipalityUnknown: 'We weten niet bij welke gemeente deze postcode hoort. Klopt de postcode?',
  failed: 'Het zoeken is niet gelukt. Controleer uw internetverbinding en probeer het opnieuw.',
  busy: (seconds?: number) =>
    `Er wordt nu veel gezocht vanaf uw internetadres. Probeer het ${seconds ? `over ${seconds} seconden` : 'straks'} opnieuw.`,
  serverFailed: 'Het zoeken lukt nu niet door een storing bij ons. Probeer het later opnieuw.',
  retry: 'Opnieuw proberen',
  unavailable: 'Deze zoeker werkt nu niet. Neem contact op met uw gemeente.',
  example: 'Voorbeeldgegevens',
  exampleNote: 'Dit zijn voorbeeldgegevens, nog niet de echte gegevens van de gemeente.',
  forPostcode: (postcode: string, houseNumber?: number) =>
    `Voor postcode ${postcode}${houseNumber ? `, huisnummer ${houseNumber}` : ''}`,
  closure: 'Let op:',
  openNow: (closes: string) => `Nu open, tot ${closes} uur`,
  closedNow: 'Nu gesloten',
  opensAt: (day: string, time: string) => `, weer open ${day} om ${time} uur`,
  today: 'vandaag',
  address: 'Adres',
  phone: 'Telefoon',
  email: 'E-mail',
  website: 'Website',
  accessibility: 'Toegankelijkheid',
  openingHours: 'Openingstijden',
  closed: 'Gesloten',
  days: {
    mon: 'maandag',
    tue: 'dinsdag',
    wed: 'woensdag',
    thu: 'donderdag',
    fri: 'vrijdag',
    sat: 'zaterdag',
    sun: 'zondag',
  } satisfies Record<Weekday, string>,
  noTenant: 'Deze zoeker is niet goed ingesteld: de gemeente ontbreekt.',
};

export type Strings = typeof nl;

const en: Strings = {
  title: 'Find your neighbourhood team',
  intro: 'Enter your postcode to see which team can help you and how to reach it.',
  postcode: 'Postcode',
  postcodeHint: 'For example 1234 AB',
  houseNumber: 'House number (optional)',
  houseNumberHint: 'For example 12. Sometimes the team depends on the house number.',
  search: 'Find your team',
  searching: 'Searching…',
  postcodeMissing: 'Enter your postcode, for example 1234 AB.',
  postcodeInvalid: 'This postcode does not exist. Enter a postcode like 1234 AB.',
  postcodeIncomplete: 'Enter the whole postcode: four digits and two letters, for example 1234 AB.',
  houseNumberInvalid: 'Enter only the house number, for example 12.',
  found: (team, postcode) => `${team} helps at postcode ${postcode}.`,
  notServed: (postcode) => `Postcode ${postcode} is not served by this municipality.`,
  servedBy: (municipality) => `This postcode belongs to the municipality of ${municipality}.`,
  servedByTeam: (team) => `There, ${team} helps:`,
  contactMunicipality: 'Please contact that municipality.',
  municipalityUnknown: 'We do not know which municipality this postcode belongs to. Is it correct?',
  failed: 'The search did not work. Check your internet connection and try again.',
  busy: (seconds) =>
    `There are many searches from your internet address right now. Please try again ${seconds ? `in ${seconds} seconds` : 'shortly'}.`,
  serverFailed: 'The search is not working right now because of a fault on our side. Please try again later.',
  retry: 'Try again',
  unavailable: 'This search is not working right now. Please contact your municipality.',
  example: 'Example data',
  exampleNote: 'This is example data, not yet the municipality’s real details.',
  forPostcode: (postcode, houseNumber) =>
    `For postcode ${postcode}${houseNumber ? `, house number ${houseNumber}` : ''}`,
  closure: 'Please note:',
  openNow: (closes) => `Open now, until ${closes}`,
  closedNow: 'Closed now',
  opensAt: (day, time) => `, opens ${day} at ${time}`,
  today: 'today',
  address: 'Address',
  phone: 'Phone',
  email: 'Email',
  website: 'Website',
  accessibility: 'Accessibility',
  openingHours: 'Opening hours',
  closed: 'Closed',
  days: {
    mon: 'Monday',
    tue: 'Tuesday',
    wed: 'Wednesday',
    thu: 'Thursday',
    fri: 'Friday',
    sat: 'Saturday',
    sun: 'Sunday',
  },
  noTenant: 'This search is not set up correctly: the municipality is missing.',
};

/** `en`, `en-GB` and the like give English; anything else Dutch. */
export const languageOf = (lang: string | null): Language => (/^en\b/i.test(lang ?? '') ? 'en' : 'nl');

export const stringsFor = (language: Language): Strings => (language === 'en' ? en : nl);
