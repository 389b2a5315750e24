// Where the person is in the app, kept in the URL hash so a reload (or an e2e test) lands on the
// same screen: #/agents/<slug>/<tab>[/<session id> | /<dream id>], or #/settings. The sessions
// tab names the transcript it shows; the work tab the conversation it continues.

/** Tabs of the agent page, in display order. Add a tab here once its screen exists. */
export const TABS = [
  { id: 'sessions', label: 'Sessions' },
  { id: 'work', label: 'Work' },
  { id: 'dreams', label: 'Dreams' },
  { id: 'memory', label: 'Memory' },
  // In a small window the tab bar shows `short`, so every tab stays on one line.
  { id: 'rubric', label: 'What good looks like', short: 'Goals' },
  { id: 'progress', label: 'Progress' },
  { id: 'connections', label: 'Connections', short: 'Connect' },
  { id: 'agent', label: 'Agent' },
] as const;

export type Tab = (typeof TABS)[number]['id'];

export interface Route {
  agent: string | null;
  tab: Tab;
  /** The transcript open on the sessions tab, or the conversation on the work tab. */
  session: string | null;
  /** The dream under review, on the dreams tab. */
  dream: number | null;
  /** The app's Settings screen (no agent). */
  settings: boolean;
  /** The Teams screen: `''` for the list, or the team shown. Absent elsewhere. */
  teams?: string;
}

const isTab = (value: string): value is Tab => TABS.some((t) => t.id === value);

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(safeDecode);
  if (parts[0] === 'teams') {
    return { agent: null, tab: 'sessions', session: null, dream: null, settings: false, teams: parts[1] ?? '' };
  }
  if (parts[0] !== 'agents' || !parts[1]) {
    return { agent: null, tab: 'sessions', session: null, dream: null, settings: parts[0] === 'settings' };
  }
  const tab = parts[2] && isTab(parts[2]) ? parts[2] : 'sessions';
  const session = (tab === 'sessions' || tab === 'work') && parts[3] ? parts[3] : null;
  const dream = tab === 'dreams' && /^\d+$/.test(parts[3] ?? '') ? Number(parts[3]) : null;
  return { agent: parts[1], tab, session, dream, settings: false };
}

export function hrefFor(route: Partial<Route>): string {
  if (route.teams !== undefined) return route.teams ? `#/teams/${encodeURIComponent(route.teams)}` : '#/teams';
  if (!route.agent) return route.settings ? '#/settings' : '#/';
  const tab = route.tab ?? 'sessions';
  let href = `#/agents/${encodeURIComponent(route.agent)}/${tab}`;
  if ((tab === 'sessions' || tab === 'work') && route.session) href += `/${encodeURIComponent(route.session)}`;
  if (tab === 'dreams' && route.dream != null) href += `/${route.dream}`;
  return href;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export const route: Route = $state(parseHash(window.location.hash));

/** Take on `next` whole: a field absent from it (such as `teams`) is removed, not kept. */
function assign(next: Route) {
  if (next.teams === undefined) delete route.teams;
  Object.assign(route, next);
}

window.addEventListener('hashchange', () => assign(parseHash(window.location.hash)));

/** Go somewhere; the state updates at once, not on the next `hashchange`. */
export function navigate(to: Partial<Route>): void {
  const href = hrefFor(to);
  if (window.location.hash !== href) window.location.hash = href;
  assign(parseHash(href));
}
