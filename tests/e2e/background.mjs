// End-to-end: a schedule comes due while the app runs, the dream runs on its own, a real
// notification server (dunst, started by scripts/test.sh) receives the notification, a click on
// it reaches the window as `open-dream`, and the Dreams tab shows the dream.
// Registered by run.mjs; each test gets a fresh database.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
    await shot(d, '20-scheduled-dream-notified');

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

    // The Dreams tab lists it, and its review shows the proposals.
    await (await d.waitFor('[data-testid="agent-item"][data-slug="social-drafts"]')).click();
    await (await d.waitFor('[data-testid="tab-dreams"]')).click();
    const row = await d.waitFor('[data-testid="dream-row"]');
    await shot(d, '21-scheduled-dream-listed');
    await row.click();
    if (waiting) await d.waitFor('[data-testid="proposal"]');
    await shot(d, '22-scheduled-dream-review');
  });
}
