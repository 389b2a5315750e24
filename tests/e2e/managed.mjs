// End-to-end: the demo agent linked to a Claude Managed Agent from the app (issue 14), against
// a loopback stand-in of the documented endpoints (beta headers checked, cursor pages): its
// sessions and the outcome grader's verdicts pulled, its memory published to a new store.

import { createServer } from 'node:http';
import { cli } from './review.mjs';

const KEY = 'sk-ant-api03-e2e-managed-0123456789abcdef';

/** The Managed Agents and memory-store endpoints the Connections tab uses, two items a page. */
function standIn() {
  const requests = [];
  const stores = {};
  const agents = [{ id: 'agent_e2e', type: 'agent', name: 'Harbour support', model: { id: 'claude-sonnet-4-5' } }];
  const session = (i) => ({
    type: 'session', id: `sesn_e2e_${i}`, status: 'idle', title: `Order ${i}`,
    agent: { id: 'agent_e2e', type: 'agent', name: 'Harbour support', version: 1 },
    metadata: { client: 'Harbour Tea' },
    created_at: `2026-11-2${i}T09:00:00Z`, updated_at: `2026-11-2${i}T09:10:00Z`,
  });
  const sessions = [1, 2, 3].map(session);
  const events = (id) => [
    { id: `${id}_1`, type: 'user.define_outcome', outcome_id: `outc_${id}`, description: 'The customer gets a clear answer', rubric: { type: 'text', content: 'clear' } },
    { id: `${id}_2`, type: 'user.message', content: [{ type: 'text', text: 'Where is my tea order?' }] },
    { id: `${id}_3`, type: 'agent.message', content: [{ type: 'text', text: 'It ships tomorrow.' }] },
    { id: `${id}_4`, type: 'span.outcome_evaluation_end', outcome_id: `outc_${id}`, result: 'satisfied', explanation: 'Answered clearly.', iteration: 0 },
  ];
  const page = (items, url) => {
    const start = Number((url.searchParams.get('page') || 'page_0').slice(5));
    const end = Math.min(start + 2, items.length);
    return { data: items.slice(start, end), next_page: end < items.length ? `page_${end}` : null };
  };
  const sha = async (text) => {
    const { createHash } = await import('node:crypto');
    return createHash('sha256').update(text, 'utf8').digest('hex');
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      requests.push({ method: req.method, path: url.pathname, beta: req.headers['anthropic-beta'] });
      const send = (status, value) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const error = (status, type, message) => send(status, { type: 'error', error: { type, message } });
      if (req.headers['x-api-key'] !== KEY) return error(401, 'authentication_error', 'invalid x-api-key');
      const beta = req.headers['anthropic-beta'] || '';
      const p = url.pathname.split('/').filter(Boolean);
      if (p[1] === 'agents' || p[1] === 'sessions') {
        if (beta !== 'managed-agents-2026-04-01') return error(400, 'invalid_request_error', 'beta header');
        if (p[1] === 'agents' && p.length === 2) return send(200, page(agents, url));
        if (p[1] === 'agents') return agents[0].id === p[2] ? send(200, agents[0]) : error(404, 'not_found_error', 'no agent');
        if (p.length === 2) return send(200, page(sessions.filter((s) => s.agent.id === url.searchParams.get('agent_id')), url));
        if (p[3] === 'events') return send(200, page(events(p[2]), url));
      }
      if (p[1] === 'memory_stores') {
        if (beta !== 'agent-memory-2026-07-22') return error(400, 'invalid_request_error', 'beta header');
        if (req.method === 'POST' && p.length === 2) {
          const id = `memstore_e2e_${Object.keys(stores).length + 1}`;
          stores[id] = {};
          return send(200, { type: 'memory_store', id, name: JSON.parse(body).name });
        }
        const store = stores[p[2]];
        if (!store) return error(404, 'not_found_error', 'no store');
        const json = async (m) => ({ type: 'memory', id: m.id, path: m.path, content: m.content, content_sha256: await sha(m.content), memory_version_id: `memver_${m.id}` });
        if (req.method === 'GET' && p.length === 4) return send(200, page(await Promise.all(Object.values(store).map(json)), url));
        if (req.method === 'POST' && p.length === 4) {
          const { path, content } = JSON.parse(body);
          const id = `mem_${Object.keys(store).length + 1}`;
          store[id] = { id, path, content };
          return send(200, await json(store[id]));
        }
      }
      error(404, 'not_found_error', `no route ${req.method} ${url.pathname}`);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, requests, stores, port: server.address().port })),
  );
}

export function register(test, { shot, assert }) {
  test('link the demo agent to a Claude Managed Agent, pull its sessions, publish its memory', async (d, ctx) => {
    const stand = await standIn();
    try {
      const agent = 'social-drafts-demo';
      await (await d.waitFor('[data-testid="demo-create"]')).click();
      await d.waitFor('[data-testid="dream-now"]');

      // The Anthropic server (the stand-in) and its key, saved in Settings as a person would.
      await (await d.waitFor('[data-testid="settings-open"]')).click();
      await (await d.waitFor('[data-testid="provider-kind"]')).select('anthropic');
      const base = await d.waitFor('[data-testid="provider-base-url"]');
      await base.clear();
      await base.type(`http://127.0.0.1:${stand.port}`);
      await (await d.waitFor('[data-testid="provider-save"]')).click();
      await d.waitFor('main', { text: /saved/i });
      await (await d.waitFor('[data-testid="provider-key"]')).type(KEY);
      await (await d.waitFor('[data-testid="provider-key-save"]')).click();
      await d.waitFor('[data-testid="provider-key-status"]', { text: /keychain/i });

      await (await d.waitFor(`[data-testid="agent-item"][data-slug="${agent}"]`)).click();
      await (await d.waitFor('[data-testid="tab-connections"]')).click();
      await (await d.waitFor('[data-testid="managed-choose"]')).click();
      const row = await d.waitFor('[data-testid="managed-agent"][data-id="agent_e2e"]');
      await (await row.find('input[type="radio"]')).click();
      await (await d.waitFor('[data-testid="managed-link"]')).click();
      await d.waitFor('[data-testid="managed-linked"]', { text: 'Harbour support' });

      await (await d.waitFor('[data-testid="managed-pull"]')).click();
      await d.waitFor('[data-testid="managed-note"]', { text: 'Pulled 3 new sessions' });
      const s = cli(ctx, 'session', 'show', '--agent', agent, 'sesn_e2e_2');
      assert(s.tags.client === 'Harbour Tea', `the session's metadata became its tags: ${JSON.stringify(s.tags)}`);
      assert(s.messages.length === 2, JSON.stringify(s.messages));

      await (await d.waitFor('[data-testid="managed-push"]')).click();
      await d.waitFor('[data-testid="managed-note"]', { text: 'Memory published' });
      await d.waitFor('[data-testid="managed-linked"]', { text: 'memstore_e2e_1' });
      await shot(d, '48-managed-agent-linked');
      const docs = Object.values(stand.stores.memstore_e2e_1 || {});
      assert(docs.some((m) => m.path === '/team.md' && m.content.startsWith('# Team-wide')), JSON.stringify(docs));
      assert(docs.some((m) => m.path === '/clients/fernwood-cycles.md'), JSON.stringify(docs.map((m) => m.path)));
      for (const r of stand.requests.filter((r) => r.path.startsWith('/v1/memory_stores'))) {
        assert(r.beta === 'agent-memory-2026-07-22', `memory-store calls carry their own beta only: ${JSON.stringify(r)}`);
      }
    } finally {
      stand.server.close();
    }
  });
}
