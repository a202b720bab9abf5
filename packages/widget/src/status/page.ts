/**
 * The script of the status page `/status/{tenant}/{reference}#<statusToken>`. The token is in the
 * fragment, so it never reaches a server or its logs; it goes to the API in the `Status-Token`
 * header only. The page shows the status in plain words, its dates and the team, and lets the
 * resident withdraw a request that nobody has accepted yet.
 */
import { type Answer, getJson, isRecord, readTeam, type Team, text } from '../api.ts';
import { displayMoment } from '../hours.ts';
import { type Language, languageOf, stringsFor } from '../i18n.ts';
import { telephoneUri } from '../phone.ts';
import { h, renderTeam } from '../render.ts';
import { applyStyles, stylesFor } from '../styles.ts';
import { type Phase, type StatusStrings, statusStringsFor } from './i18n.ts';
import pageCss from './page.css';

interface Status {
  reference: string;
  status: string;
  lastChangedAt: string;
  team: { id: string; name: string };
  timeline: { status: string; at: string }[];
  withdrawable: boolean;
}

const PHASE_OF: Record<string, Phase> = {
  received: 'received',
  triaged: 'handling',
  offered: 'handling',
  accepted: 'found',
  in_progress: 'found',
  resolved: 'done',
  closed: 'done',
  cancelled: 'cancelled',
  referred: 'referred',
};
const STEPS: Phase[] = ['received', 'handling', 'found', 'done'];

const [, tenant = '', reference = ''] = location.pathname.split('/').slice(1).map(decodeURIComponent);
let token = location.hash.slice(1);
const api = new URL('/', location.href);
const mount = document.getElementById('app');
const root = mount?.attachShadow({ mode: 'open' });
if (root) applyStyles(root, stylesFor('status', pageCss));

let language: Language = languageOf(navigator.languages?.[0] ?? navigator.language);
let shown: { status: Status | null; team: Team | null; message?: string } | undefined;
const live = h('div', {
  class: 'visually-hidden',
  role: 'status',
  'aria-live': 'polite',
  'aria-atomic': 'true',
});

const t = (): StatusStrings => statusStringsFor(language);
const tenantPath = `v1/${encodeURIComponent(tenant)}`;
const withToken = () => ({ headers: { 'Status-Token': token } });

function announce(message: string): void {
  live.textContent = '';
  setTimeout(() => {
    live.textContent = message;
  }, 100);
}

function readStatus(answer: Answer | null): Status | null {
  const body = answer?.status === 200 && isRecord(answer.body) ? answer.body : null;
  const team = body && isRecord(body.team) ? body.team : null;
  const ref = body && text(body.reference);
  const status = body && text(body.status);
  const teamId = team && text(team.id);
  if (!body || !ref || !status || !teamId) return null;
  const timeline = Array.isArray(body.timeline) ? body.timeline : [];
  return {
    reference: ref,
    status,
    lastChangedAt: text(body.lastChangedAt) ?? '',
    team: { id: teamId, name: text(team?.name) ?? '' },
    timeline: timeline.flatMap((s) => {
      const at = isRecord(s) ? text(s.at) : null;
      const step = isRecord(s) ? text(s.status) : null;
      return at && step ? [{ status: step, at }] : [];
    }),
    withdrawable: body.withdrawable === true,
  };
}

async function load(): Promise<void> {
  render({ loading: true });
  if (!token) return render({ status: null });
  const answer = await getJson(
    new URL(`${tenantPath}/requests/${encodeURIComponent(reference)}/status`, api),
    new AbortController().signal,
    withToken(),
  );
  if (!answer || (answer.status !== 200 && answer.status !== 404 && answer.status !== 400))
    return render({ failed: true });
  const status = readStatus(answer);
  if (!status) return render({ status: null });
  const teamAnswer = await getJson(
    new URL(`${tenantPath}/teams/${encodeURIComponent(status.team.id)}`, api),
    new AbortController().signal,
  );
  shown = { status, team: teamAnswer?.status === 200 ? readTeam(teamAnswer.body) : null };
  render(shown);
}

async function withdraw(): Promise<void> {
  const s = t();
  announce(s.withdrawing);
  const answer = await getJson(
    new URL(`${tenantPath}/requests/${encodeURIComponent(reference)}/withdrawal`, api),
    new AbortController().signal,
    { method: 'POST', ...withToken() },
  );
  const status = readStatus(answer);
  if (status && shown) {
    shown = { ...shown, status, message: s.withdrawn };
    render(shown, 'message');
  } else if (answer?.status === 409 && shown) {
    const again = readStatus(
      await getJson(
        new URL(`${tenantPath}/requests/${encodeURIComponent(reference)}/status`, api),
        new AbortController().signal,
        withToken(),
      ),
    );
    shown = { ...shown, status: again ?? shown.status, message: s.tooLate };
    render(shown, 'message');
  } else if (shown) {
    shown = { ...shown, message: s.failed };
    render(shown, 'message');
  }
}

/** The four steps, each done (with its date), current or still to come; or how it ended. */
function timeline(s: StatusStrings, status: Status): HTMLElement {
  const reached = new Map<Phase, string>();
  for (const step of status.timeline) {
    const phase = PHASE_OF[step.status];
    if (phase && !reached.has(phase)) reached.set(phase, step.at);
  }
  const current = PHASE_OF[status.status] ?? 'received';
  const ended = current === 'cancelled' || current === 'referred';
  const phases: Phase[] = ended ? [...STEPS.filter((p) => reached.has(p)), current] : STEPS;
  const currentIndex = phases.indexOf(current);
  return h(
    'ol',
    { class: 'timeline' },
    ...phases.map((phase, i) => {
      const state = i < currentIndex ? 'past' : i === currentIndex ? 'current' : 'future';
      const at = reached.get(phase);
      return h(
        'li',
        { class: state, 'aria-current': state === 'current' ? 'step' : undefined },
        h('span', { class: 'marker', 'aria-hidden': 'true' }),
        h(
          'span',
          { class: 'phase' },
          h('strong', {}, s.phases[phase]),
          state === 'current' ? ` (${s.now})` : '',
          h('br'),
          state === 'future' ? s.notYet : at ? displayMoment(at, language) : '',
        ),
      );
    }),
  );
}

type View =
  | { loading: true }
  | { failed: true }
  | { status: Status | null; team?: Team | null; message?: string };

function render(view: View, focus?: 'message' | 'confirm'): void {
  if (!root) return;
  const s = t();
  document.documentElement.lang = language;
  document.title = `${s.documentTitle}${reference ? ` ${reference}` : ''}`;
  const toggle = h('button', { type: 'button', class: 'secondary language', lang: s.switchLang }, s.switchTo);
  toggle.addEventListener('click', () => {
    language = s.switchLang;
    if ('loading' in view || 'failed' in view) void load();
    else render(view);
    root.querySelector<HTMLElement>('.language')?.focus();
  });
  const body: (Node | null | false | undefined)[] = [];
  if ('loading' in view) body.push(h('p', {}, s.loading));
  else if ('failed' in view) {
    const retry = h('button', { type: 'button' }, s.retry);
    retry.addEventListener('click', () => void load());
    body.push(h('p', { class: 'error' }, s.failed), retry);
  } else if (!view.status) body.push(...lostLink(s));
  else body.push(...found(s, view.status, view.team ?? null, view.message));
  root.replaceChildren(
    h(
      'section',
      { lang: language },
      toggle,
      mount?.dataset.municipality && h('p', { class: 'municipality' }, mount.dataset.municipality),
      h('h1', { id: 'title', tabindex: '-1' }, s.title),
      reference && h('p', { class: 'reference' }, s.reference(reference)),
      ...body,
      live,
    ),
  );
  if (focus) root.getElementById(focus)?.focus();
  if (!('loading' in view) && !('failed' in view) && !view.status) announce(s.notFoundTitle);
}

function found(s: StatusStrings, status: Status, team: Team | null, message?: string): Node[] {
  const phase = PHASE_OF[status.status] ?? 'received';
  const nodes: Node[] = [];
  if (message) nodes.push(h('p', { id: 'message', class: 'notice', tabindex: '-1' }, message));
  nodes.push(
    h('h2', {}, s.timeline),
    h('p', { class: 'explain' }, s.explain[phase]),
    timeline(s, status),
    h('p', { class: 'hint' }, s.lastChanged(displayMoment(status.lastChangedAt, language))),
  );
  if (status.withdrawable) nodes.push(withdrawal(s));
  else if (phase === 'found') nodes.push(h('p', {}, s.callTeam, ' ', ...dial(team)));
  nodes.push(h('h2', {}, s.team), h('p', {}, s.teamIntro));
  nodes.push(
    team
      ? renderTeam(stringsFor(language), {
          team,
          postcode: '',
          houseNumber: undefined,
          headingLevel: 2,
          now: new Date(),
        })
      : h('p', {}, status.team.name),
  );
  if (message) announce(message);
  return nodes;
}

function dial(team: Team | null): (Node | string)[] {
  const uri = team?.phone && telephoneUri(team.phone);
  return team?.phone ? [uri ? h('a', { href: uri }, team.phone) : team.phone] : [];
}

/** Withdrawing, behind a confirmation that receives the focus. */
function withdrawal(s: StatusStrings): HTMLElement {
  const start = h('button', { type: 'button', class: 'secondary' }, s.withdraw);
  const yes = h('button', { type: 'button' }, s.confirmYes);
  const no = h('button', { type: 'button', class: 'secondary' }, s.confirmNo);
  const confirm = h(
    'div',
    { class: 'confirm', hidden: true },
    h('p', { id: 'confirm', tabindex: '-1' }, h('strong', {}, s.confirm)),
    h('div', { class: 'actions' }, yes, no),
  );
  start.addEventListener('click', () => {
    confirm.hidden = false;
    start.hidden = true;
    root?.getElementById('confirm')?.focus();
    announce(s.confirm);
  });
  no.addEventListener('click', () => {
    confirm.hidden = true;
    start.hidden = false;
    start.focus();
  });
  yes.addEventListener('click', () => {
    yes.setAttribute('aria-disabled', 'true');
    void withdraw();
  });
  return h(
    'div',
    { class: 'withdraw' },
    h('h2', {}, s.withdrawTitle),
    h('p', {}, s.withdrawIntro),
    start,
    confirm,
  );
}

/** No token, a wrong one, or a request that is gone: how to get a new link, and whom to ask. */
function lostLink(s: StatusStrings): Node[] {
  const list = h('ul', { class: 'teams' });
  void getJson(new URL(`${tenantPath}/teams`, api), new AbortController().signal).then((answer) => {
    const teams =
      answer?.status === 200 && isRecord(answer.body) && Array.isArray(answer.body.teams)
        ? answer.body.teams
        : [];
    list.replaceChildren(
      ...teams.flatMap((value) => {
        const team = readTeam(value);
        if (!team) return [];
        const contact = [
          ...dial(team),
          ...(team.email ? [' · ', h('a', { href: `mailto:${team.email}` }, team.email)] : []),
        ];
        return [h('li', {}, h('strong', {}, team.name), contact.length ? ': ' : '', ...contact)];
      }),
    );
  });
  return [
    h('h2', {}, s.notFoundTitle),
    h('p', {}, s.notFound),
    h('h2', {}, s.newLinkTitle),
    h('p', {}, s.newLink(reference)),
    h('p', {}, s.teams),
    list,
  ];
}

// A link pasted anew in the same tab changes only the fragment: read it again.
addEventListener('hashchange', () => {
  token = location.hash.slice(1);
  shown = undefined;
  void load();
});
void load();
