// End-to-end: an API key saved through the app reaches the OS keychain and nothing else: no
// IPC answer, no page text, no file the app wrote, no log. The app under test uses the kernel
// keyring (scripts/test.sh runs tauri-driver in a fresh `keyctl session`).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const invoke = (d, cmd, args = {}) =>
  d.execute(
    'return window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then((v) => ({ok: v}), (e) => ({err: e}));',
    [cmd, args],
  );

function filesUnder(dir, out = []) {
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) filesUnder(p, out);
    else if (st.isFile() && st.size < 64 * 1024 * 1024) out.push(p);
  }
  return out;
}

export function register(test, { shot, assert }) {
  test('the API key goes to the keychain and never comes back over IPC or into files', async (d, ctx) => {
    await d.waitFor('[data-testid="demo-create"]');
    const key = `sk-ant-api03-e2e-${Date.now()}-DoNotLeak`;
    const payloads = [];
    const call = async (cmd, args) => {
      const r = await invoke(d, cmd, args);
      payloads.push(JSON.stringify(r));
      return r;
    };
    // Nothing listens on port 9: the connection test fails, and its error must not echo the key.
    const set = await call('provider_set', {
      config: { kind: 'anthropic', base_url: 'http://127.0.0.1:9', model: null, use_batches: false },
    });
    assert(set.ok, `provider_set: ${JSON.stringify(set)}`);
    const stored = await invoke(d, 'provider_key_set', { kind: 'anthropic', key });
    assert(!stored.err, `provider_key_set: ${JSON.stringify(stored)}`);
    const status = await call('provider_status');
    assert(status.ok && status.ok.key === 'keychain', `the key is in the keychain: ${JSON.stringify(status)}`);
    const tested = await call('provider_test');
    assert(tested.err && tested.err.code, `the test fails with a coded error: ${JSON.stringify(tested)}`);
    for (const cmd of ['app_info', 'list_agents', 'get_settings']) await call(cmd);
    await (await d.waitFor('[data-testid="settings-open"]')).click();
    await d.waitFor('[data-testid="provider-key-status"]', { text: /keychain/i });
    await shot(d, '40-settings-key-saved');
    payloads.push(await d.execute('return document.documentElement.outerHTML;'));

    for (const p of payloads) assert(!p.includes(key), `an IPC answer or the page carries the key: ${p.slice(0, 200)}`);
    const roots = [dirname(ctx.db), process.env.E2E_HOME, process.env.XDG_DATA_HOME, join(ctx.root, 'target/tauri-driver.log')];
    let scanned = 0;
    for (const root of roots.filter(Boolean)) {
      const files = statSync(root, { throwIfNoEntry: false })?.isFile() ? [root] : filesUnder(root);
      for (const f of files) {
        scanned++;
        assert(!readFileSync(f).includes(key), `${f} contains the key`);
      }
    }
    assert(scanned > 0, 'no files were scanned');
    const removed = await invoke(d, 'provider_key_remove', { kind: 'anthropic' });
    assert(removed.ok === true, `provider_key_remove: ${JSON.stringify(removed)}`);
  });
}
