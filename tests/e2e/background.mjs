// End-to-end: a schedule comes due while the app runs, the dream runs on its own, a real
// notification server (dunst, started by scripts/test.sh) receives the notification, a click on
// it reaches the window as `open-dream`, the tray's menu (read over D-Bus, as a desktop panel
// reads it) says what waits, and its "Dream now" starts a dream. Settings, including start at
// login, through the app's own IPC. Registered by run.mjs; each test gets a fresh database.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('../..', import.meta.url).pathname);

function run(ctx, ...args) {
  return execFileSync(ctx.cliBin, ['--db', ctx.db, ...args], { encoding: 'utf8' });
}

const dunstctl = (...args) => execFileSync('dunstctl', args, { encoding: 'utf8' });

/** [{appname, summary, body}] of the notifications dunst has shown and closed. */
function history() {
  const json = JSON.parse(dunstctl('history'));
  return (json.data[0] || []).map((n) => ({
    appname: n.appname.data,
    summary: n.summary.data,
    body: n.body.data,
  }));
}

async function until(what, fn, timeout) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The tray's menu as the desktop sees it: libayatana-appindicator exports it over D-Bus. */
const MENU = '/org/ayatana/NotificationItem/tray_icon_tray_app_main/Menu';

function gdbus(dest, method, ...args) {
  return execFileSync('gdbus', ['call', '--session', '--dest', dest, '--object-path', MENU, '--method', method, '--', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** {dest, items: [{id, label}]} of the app's tray menu, or null while there is none. */
function trayMenu() {
  const names = execFileSync(
    'dbus-send',
    ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.ListNames'],
    { encoding: 'utf8' },
  ).match(/":[0-9.]+"/g).map((n) => n.slice(1, -1));
  for (const dest of names) {
    let layout;
    try {
      layout = gdbus(dest, 'com.canonical.dbusmenu.GetLayout', '0', '-1', '["label"]');
    } catch {
      continue;
    }
    const items = [...layout.matchAll(/\((\d+), \{'label': <'((?:[^'\\]|\\.)*)'>/g)].map((m) => ({ id: m[1], label: m[2] }));
    return { dest, items };
  }
  return null;
}

/** The same settings, whatever order the keys came in. */
const same = (a, b) => ['notifications', 'close_to_tray', 'start_at_login'].every((k) => a[k] === b[k]);

/** Call the app's own commands from the page, through the IPC the UI uses. */
const invoke = (d, cmd, args = {}) =>
  d.execute('return window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]);', [cmd, args]);

/** Record `open-dream` events in the page, through the same IPC the UI uses. */
const LISTEN = `
  const t = window.__TAURI_INTERNALS__;
  window.__openDreams = [];
  const handler = t.transformCallback((e) => window.__openDreams.push(e.payload));
  t.invoke('plugin:event|listen', { event: 'open-dream', target: { kind: 'Any' }, handler });
  return true;`;

export function register(test, { shot, assert }) {
  test('a schedule comes due: the dream runs, a notification says so, a click opens it', async (d, ctx) => {
    await d.waitFor('[data-testid="import-open"]');
    dunstctl('close-all');
    const before = history().length;

    // While the app runs: sessions arrive and the agent is told to dream every minute over a
    // window that covers the sample's dates (2026-11-02..20).
    run(ctx, 'import', join(root, 'tests/fixtures/sessions.jsonl'));
    const yaml = run(ctx, 'rubric', 'show', '--agent', 'social-drafts')
      .replace(/schedule: .*/, 'schedule: "* * * * *"')
      .replace(/review_window_days: .*/, 'review_window_days: 90');
    const file = join(mkdtempSync(join(tmpdir(), 'reverie-rubric-')), 'rubric.yaml');
    writeFileSync(file, yaml);
    run(ctx, 'rubric', 'set', '--agent', 'social-drafts', file);

    // The window shows the new agent after a reload; listen for the click's event there.
    await d.execute('location.reload(); return true;');
    await d.waitFor('[data-testid="agent-item"][data-slug="social-drafts"]');
    await d.execute(LISTEN);

    // Nobody presses "Dream now": within 90 s the schedule runs and dunst shows the result.
    await until('the notification', () => Number(dunstctl('count', 'displayed').trim()) > 0, 90000);
    const dreams = JSON.parse(run(ctx, '--json', 'dream', 'list', '--agent', 'social-drafts')).dreams;
    assert(dreams.length === 1, `${dreams.length} dreams`);
    const dream = dreams[0];
    assert(dream.trigger === 'scheduled' && dream.status === 'completed', JSON.stringify(dream));
    await shot(d, '30-scheduled-dream-notified');

    // A click on the notification (its default action) brings the window up on that dream.
    dunstctl('action', '0');
    const opened = await until(
      'the open-dream event',
      async () => (await d.execute('return window.__openDreams;')).find((e) => e.dream_id === dream.id),
      10000,
    );
    assert(opened.agent === 'social-drafts', JSON.stringify(opened));

    // Delivered with the words a person reads.
    dunstctl('close-all');
    const n = await until(
      'the notification in dunst history',
      () => history().length > before && history().find((x) => x.appname === 'Reverie'),
      5000,
    );
    const waiting = dream.pending;
    const changes = waiting === 1 ? '1 memory change' : `${waiting} memory changes`;
    const summary = waiting ? `Social drafts: ${changes} to review` : 'Social drafts: nothing new to learn';
    assert(n.summary === summary, `summary: ${n.summary} (expected ${summary})`);
    assert(n.body.includes(`From ${dream.sessions_read} sessions`) || !waiting, `body: ${n.body}`);

    // The Dreams tab lists it, and its review shows the proposals. (Before the tray's dream below,
    // whose fresher proposals would supersede these.)
    await (await d.waitFor('[data-testid="agent-item"][data-slug="social-drafts"]')).click();
    await (await d.waitFor('[data-testid="tab-dreams"]')).click();
    const row = await d.waitFor('[data-testid="dream-row"]');
    await shot(d, '31-scheduled-dream-listed');
    await row.click();
    if (waiting) await d.waitFor('[data-testid="proposal"]');
    await shot(d, '32-scheduled-dream-review');

    // The tray says what waits for review, and its "Dream now" starts a dream for the agent.
    const waitingLine = waiting === 1 ? '1 change waiting for review' : `${waiting} changes waiting for review`;
    const tray = await until(
      `the tray to say "${waitingLine}"`,
      () => {
        const m = trayMenu();
        return m && m.items.some((i) => i.label === (waiting ? waitingLine : 'Nothing waiting for review')) && m;
      },
      15000,
    );
    const labels = tray.items.map((i) => i.label);
    assert(labels.some((l) => l.startsWith('Next dream: Social drafts, ')), `tray: ${labels}`);
    for (const l of ['Dream now', 'Open Reverie', 'Quit Reverie']) assert(labels.includes(l), `tray lacks ${l}: ${labels}`);
    const item = tray.items.find((i) => i.label === 'Social drafts');
    assert(item, `no "Social drafts" under Dream now: ${labels}`);
    gdbus(tray.dest, 'com.canonical.dbusmenu.Event', item.id, 'clicked', '<0>', '0');
    const manual = await until(
      'a dream started from the tray',
      () => {
        const list = JSON.parse(run(ctx, '--json', 'dream', 'list', '--agent', 'social-drafts')).dreams;
        return list.find((x) => x.trigger === 'manual' && x.status === 'completed');
      },
      30000,
    );
    assert(manual.id !== dream.id, 'the tray dream is a new one');
  });

  test('settings are stored, and start at login registers with the desktop', async (d, ctx) => {
    await d.waitFor('[data-testid="import-open"]');
    const defaults = await invoke(d, 'get_settings');
    assert(same(defaults, { notifications: true, close_to_tray: true, start_at_login: false }), `defaults: ${JSON.stringify(defaults)}`);
    // The app runs with its own HOME (scripts/test.sh), so this never touches yours.
    const home = process.env.E2E_HOME;
    assert(home, 'E2E_HOME is the HOME the app under test runs with');
    const entry = join(home, '.config/autostart/Reverie.desktop');
    const on = { notifications: false, close_to_tray: false, start_at_login: true };
    const saved = await invoke(d, 'save_settings', { settings: on });
    assert(same(saved, on), `saved: ${JSON.stringify(saved)}`);
    assert(existsSync(entry), `no ${entry}`);
    const desktop = readFileSync(entry, 'utf8');
    assert(/^Exec=.*reverie-app.* --hidden/m.test(desktop), desktop);

    await d.execute('location.reload(); return true;');
    await d.waitFor('[data-testid="import-open"]');
    assert(same(await invoke(d, 'get_settings'), on), 'settings survive a reload');
    await invoke(d, 'save_settings', { settings: { ...on, start_at_login: false } });
    assert(!existsSync(entry), `${entry} is still there after turning start at login off`);
  });
}
