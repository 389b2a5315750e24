// End-to-end tests: the real app binary in a real WebKit window (under Xvfb), driven through
// tauri-driver. Each test starts the app on its own fresh database.
// Usage: node tests/e2e/run.mjs   (expects tauri-driver on :4444 and APP=/abs/path/to/app)

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Driver } from './webdriver.mjs';
import { register as registerReview, registerAgents } from './review.mjs';
import { register as registerBackground } from './background.mjs';
import { register as registerSecrets } from './secrets.mjs';
import { register as registerWork } from './work.mjs';
import { register as registerConnections } from './connections.mjs';
import { register as registerManaged } from './managed.mjs';
import { register as registerTeams } from './teams.mjs';
import { register as registerSmall } from './small.mjs';

const root = resolve(new URL('../..', import.meta.url).pathname);
const app = process.env.APP || join(root, 'target/debug/reverie-app');
const cliBin = process.env.CLI || join(root, 'target/debug/reverie');
const shots = join(root, 'target/e2e-screenshots');
mkdirSync(shots, { recursive: true });
const fixture = (name) => join(root, 'tests/fixtures', name);

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

async function shot(d, name) {
  writeFileSync(join(shots, `${name}.png`), await d.screenshot());
}

/**
 * The native file dialog cannot be clicked through WebDriver: under automation the app takes
 * the dialog's answer from this file (REVERIE_TEST_PICKS, set by scripts/test.sh). Everything
 * after the dialog is the real thing, the check that only picked paths are read included.
 */
function nextPick(path) {
  const picks = process.env.REVERIE_TEST_PICKS;
  if (!picks) throw new Error('REVERIE_TEST_PICKS is not set');
  writeFileSync(picks, `${path}\n`);
}

/** Choose a file in the import dialog as a person would, and wait until it shows. */
async function chooseImport(d, path) {
  nextPick(path);
  await (await d.waitFor('[data-testid="import-choose"]')).click();
  await d.waitFor('[data-testid="import-path"]', { text: path.split('/').pop() });
}

/** Import the sample sessions through the dialog, as a person would, and open the agent. */
async function importSample(d) {
  await (await d.waitFor('[data-testid="import-open"]')).click();
  await chooseImport(d, fixture('sessions.jsonl'));
  await (await d.waitFor('[data-testid="import-submit"]')).click();
  await d.waitFor('[data-testid="import-summary"]', { text: 'Imported' });
  await (await d.waitFor('[data-testid="import-done"]')).click();
  await (await d.waitFor('[data-testid="agent-item"][data-slug="social-drafts"]')).click();
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

test('import a fixture, open a session and read its transcript', async (d) => {
  await d.waitFor('[data-testid="import-open"]');
  await shot(d, '01-first-run');
  await (await d.waitFor('[data-testid="import-open"]')).click();
  await chooseImport(d, fixture('sessions.jsonl'));
  await shot(d, '02-import-dialog');
  await (await d.waitFor('[data-testid="import-submit"]')).click();
  const summary = await d.waitFor('[data-testid="import-summary"]', { text: 'Imported' });
  const summaryText = await summary.text();
  assert(/Imported \d+ sessions?/.test(summaryText), `summary says: ${summaryText}`);
  await shot(d, '03-import-summary');
  await (await d.waitFor('[data-testid="import-done"]')).click();

  const agent = await d.waitFor('[data-testid="agent-item"][data-slug="social-drafts"]');
  await agent.click();
  await (await d.waitFor('[data-testid="tab-sessions"]')).click();
  await d.waitFor('[data-testid="session-row"]');
  await shot(d, '04-sessions');
  const first = (await d.findAll('[data-testid="session-row"]'))[0];
  await first.click();
  await d.waitFor('[data-testid="transcript"]');
  const messages = await d.findAll('[data-testid="message"]');
  assert(messages.length >= 2, `transcript shows ${messages.length} messages`);
  const roles = await Promise.all(messages.map((m) => m.attr('data-role')));
  assert(roles.includes('user') && roles.includes('assistant'), `roles: ${roles}`);
  await shot(d, '05-transcript');
});

test('a session with a revision shows what the person used', async (d) => {
  await importSample(d);
  await (await d.waitFor('[data-testid="tab-sessions"]')).click();
  await d.waitFor('[data-testid="session-row"]');
  // The list marks sessions whose drafts were revised; open one as a person would.
  const row = await d.waitFor('[data-testid="session-row"]', { text: 'revised' });
  await row.click();
  await d.waitFor('[data-testid="transcript"]');
  const fb = await d.waitFor('[data-testid="feedback"]', { text: /what they used/i });
  assert(/revised/i.test(await fb.text()), 'feedback does not say revised');
  await shot(d, '06-revised-feedback');
});

test('the window reads only files the person picked', async (d) => {
  await d.waitFor('[data-testid="import-open"]');
  const invoke = (cmd, args) =>
    d.execute(
      'return window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then((v) => ({ok: v}), (e) => ({err: e}));',
      [cmd, args],
    );
  // A path the page makes up is refused, for reading and for writing.
  const read = await invoke('import_file', { path: '/etc/passwd', format: null, agent: null });
  assert(read.err && read.err.code === 'invalid_input' && read.err.field === 'path', JSON.stringify(read));
  const write = await invoke('export_rubric', { agent: 'x', path: '/tmp/overwrite-me' });
  assert(write.err && write.err.field === 'path', JSON.stringify(write));
  // The dialog can no longer be opened from the page itself.
  const dialog = await invoke('plugin:dialog|open', { options: {} });
  assert(dialog.err, `the page opened a dialog: ${JSON.stringify(dialog)}`);
  // A picked file imports.
  await (await d.waitFor('[data-testid="import-open"]')).click();
  await chooseImport(d, fixture('sessions.jsonl'));
  await (await d.waitFor('[data-testid="import-submit"]')).click();
  await d.waitFor('[data-testid="import-summary"]', { text: 'Imported' });
});

test('the memory tab explains what it is for when empty', async (d) => {
  await importSample(d);
  await (await d.waitFor('[data-testid="tab-memory"]')).click();
  await d.waitFor('main', { text: 'dream' });
  await shot(d, '07-memory-empty');
});

registerReview(test, { shot, assert });
registerAgents(test, { shot, assert });
registerBackground(test, { shot, assert });
registerSecrets(test, { shot, assert });
registerWork(test, { shot, assert, importSample });
registerConnections(test, { shot, assert, nextPick });
registerManaged(test, { shot, assert });
registerTeams(test, { shot, assert, nextPick });
registerSmall(test, { shot, assert });

let passed = 0;
let failed = 0;
// E2E_ONLY=text runs only the tests whose names contain it.
const only = process.env.E2E_ONLY;
for (const t of tests.filter((t) => !only || t.name.includes(only))) {
  const d = new Driver();
  // A fresh database per test, handed to the app on its command line.
  const db = join(mkdtempSync(join(tmpdir(), 'reverie-e2e-')), 'reverie.db');
  try {
    await d.start(app, ['--db', db]);
    await t.fn(d, { db, cliBin, root });
    passed++;
    console.log(`ok   ${t.name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name}\n     ${e.message}`);
    try {
      await shot(d, `fail-${tests.indexOf(t)}`);
    } catch {}
  } finally {
    await d.quit();
  }
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
