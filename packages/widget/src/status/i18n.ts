/** Every word of the status page (`/status/{tenant}/{reference}`): Dutch, or English. */
import type { Language } from '../i18n.ts';

/** What the resident sees of the status flow: four steps in plain words, or how it ended otherwise. */
export type Phase = 'received' | 'handling' | 'found' | 'done' | 'cancelled' | 'referred';

const nl = {
  title: 'Uw hulpvraag',
  documentTitle: 'Status van uw hulpvraag',
  reference: (reference: string) => `Kenmerk: ${reference}`,
  loading: 'Bezig met laden…',
  timeline: 'Hoe staat uw vraag ervoor?',
  phases: {
    received: 'Ontvangen',
    handling: 'In behandeling',
    found: 'Er is iemand gevonden',
    done: 'Afgerond',
    cancelled: 'Ingetrokken',
    referred: 'Doorverwezen',
  } satisfies Record<Phase, string>,
  explain: {
    received: 'We hebben uw vraag ontvangen. Het team kijkt er snel naar.',
    handling: 'Het team zoekt iemand die u kan helpen.',
    found: 'Er is iemand gevonden die u gaat helpen. U hoort wanneer.',
    done: 'Uw vraag is afgerond.',
    cancelled: 'Deze vraag is ingetrokken. U hoeft niets meer te doen.',
    referred: 'Het team heeft u doorverwezen naar een organisatie die u beter kan helpen.',
  } satisfies Record<Phase, string>,
  now: 'nu',
  notYet: 'nog niet',
  lastChanged: (when: string) => `Laatst bijgewerkt op ${when}.`,
  team: 'Uw team',
  teamIntro: 'Hebt u een vraag of wilt u iets veranderen? Neem contact op met het team en noem uw kenmerk.',
  withdrawTitle: 'Hebt u geen hulp meer nodig?',
  withdrawIntro: 'Zolang er nog niemand is gevonden die u helpt, kunt u uw vraag hier intrekken.',
  withdraw: 'Vraag intrekken',
  confirm: 'Weet u zeker dat u uw vraag wilt intrekken? Dat kunt u niet ongedaan maken.',
  confirmYes: 'Ja, trek mijn vraag in',
  confirmNo: 'Nee, niet intrekken',
  withdrawing: 'Bezig met intrekken…',
  withdrawn: 'Uw vraag is ingetrokken.',
  tooLate:
    'Uw vraag kan hier niet meer worden ingetrokken: er is al iemand gevonden die u helpt. Bel het team als u de hulp niet meer nodig hebt.',
  callTeam: 'Hebt u de hulp niet meer nodig? Bel dan het team.',
  failed: 'Dat is niet gelukt. Controleer uw internetverbinding en probeer het opnieuw.',
  retry: 'Opnieuw proberen',
  notFoundTitle: 'Deze link werkt niet',
  notFound:
    'We kunnen deze vraag niet laten zien. Misschien is de link niet helemaal overgenomen, of is hij niet meer geldig.',
  newLinkTitle: 'Een nieuwe link krijgen',
  newLink: (reference: string) =>
    `Neem contact op met uw wijkteam en noem uw kenmerk ${reference}. Het team kan u een nieuwe link sturen.`,
  teams: 'De teams van deze gemeente:',
  switchTo: 'English',
  switchLang: 'en' as Language,
};

export type StatusStrings = typeof nl;

const en: StatusStrings = {
  title: 'Your request for help',
  documentTitle: 'Status of your request for help',
  reference: (reference) => `Reference: ${reference}`,
  loading: 'Loading…',
  timeline: 'How is your request doing?',
  phases: {
    received: 'Received',
    handling: 'Being handled',
    found: 'Someone has been found',
    done: 'Completed',
    cancelled: 'Withdrawn',
    referred: 'Referred',
  },
  explain: {
    received: 'We have received your request. The team will look at it soon.',
    handling: 'The team is looking for someone who can help you.',
    found: 'Someone has been found who will help you. You will hear when.',
    done: 'Your request has been completed.',
    cancelled: 'This request has been withdrawn. You do not need to do anything.',
    referred: 'The team has referred you to an organisation that can help you better.',
  },
  now: 'now',
  notYet: 'not yet',
  lastChanged: (when) => `Last updated on ${when}.`,
  team: 'Your team',
  teamIntro:
    'Do you have a question or want to change something? Contact the team and mention your reference.',
  withdrawTitle: 'No longer need help?',
  withdrawIntro: 'As long as nobody has been found to help you, you can withdraw your request here.',
  withdraw: 'Withdraw request',
  confirm: 'Are you sure you want to withdraw your request? This cannot be undone.',
  confirmYes: 'Yes, withdraw my request',
  confirmNo: 'No, keep it',
  withdrawing: 'Withdrawing…',
  withdrawn: 'Your request has been withdrawn.',
  tooLate:
    'Your request can no longer be withdrawn here: someone has already been found to help you. Please call the team if you no longer need help.',
  callTeam: 'No longer need help? Please call the team.',
  failed: 'That did not work. Check your internet connection and try again.',
  retry: 'Try again',
  notFoundTitle: 'This link does not work',
  notFound:
    'We cannot show this request. Perhaps the link was not copied completely, or it is no longer valid.',
  newLinkTitle: 'Getting a new link',
  newLink: (reference) =>
    `Contact your neighbourhood team and mention your reference ${reference}. The team can send you a new link.`,
  teams: 'The teams of this municipality:',
  switchTo: 'Nederlands',
  switchLang: 'nl',
};

export const statusStringsFor = (language: Language): StatusStrings => (language === 'en' ? en : nl);
