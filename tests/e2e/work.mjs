// End-to-end: working with the agent in the real window (issue 11). Feedback and tags on an
// imported session; a chat with the demo agent through a loopback stand-in of an
// OpenAI-compatible server (a local model needs no key), its answer edited and listed as
// revised; the preview showing memory approved a moment before, byte for byte what was sent.

import { createServer } from 'node:http';
import { cli } from './review.mjs';

/**
 * An OpenAI-compatible chat completions server on loopback, streaming as the documented
 * `chat.completion.chunk` events end with `data: [DONE]`. Records every request body.
 */
function standIn(pieces) {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'no such route', type: 'invalid_request_error' } }));
        return;
      }
      requests.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (choices, usage = null) =>
        res.write(
          `data: ${JSON.stringify({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 1764662400, model: 'llama3.1:8b', choices, usage })}\n\n`,
        );
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
      for (const p of pieces) {
        await new Promise((r) => setTimeout(r, 150));
        chunk([{ index: 0, delta: { content: p }, finish_reason: null }]);
      }
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]);
      chunk([], { prompt_tokens: 200, completion_tokens: 30, total_tokens: 230 });
      res.end('data: [DONE]\n\n');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, requests, port: server.address().port })),
  );
}

const sessionOf = (ctx, agent, id) => cli(ctx, 'session', 'show', '--agent', agent, id);

export function register(test, { shot, assert, importSample }) {
  test('feedback and a tag on an imported session, kept in the database', async (d, ctx) => {
    await importSample(d);
    await (await d.waitFor('[data-testid="tab-sessions"]')).click();
    await d.waitFor('[data-testid="session-row"]');

    // Tag two sessions at once, as a person scoping imported logs.
    const rows = await d.findAll('[data-testid="session-row"]');
    const ids = [];
    for (const row of rows.slice(0, 2)) {
      ids.push(await row.attr('data-id'));
      await (await row.find('[data-testid="session-select"]')).click();
    }
    await (await d.waitFor('[data-testid="tag-open"]')).click();
    const key = await d.waitFor('[data-testid="tag-key"]');
    await key.clear();
    await key.type('channel');
    await (await d.waitFor('[data-testid="tag-value"]')).type('instagram');
    await (await d.waitFor('[data-testid="tag-save"]')).click();
    await d.waitFor('main', { text: /Tagged 2 sessions/ });
    for (const id of ids) {
      assert(sessionOf(ctx, 'social-drafts', id).tags.channel === 'instagram', `${id} is tagged`);
    }

    // Reject an answer with a comment.
    const row = await d.waitFor(`[data-testid="session-row"][data-id="${ids[0]}"]`);
    await row.click();
    await d.waitFor('[data-testid="transcript"]');
    const answer = await d.waitFor('[data-testid="message"][data-role="assistant"]');
    const index = Number(await answer.attr('data-message'));
    await (await answer.find('[data-testid="feedback-reject"]')).click();
    await (await d.waitFor('[data-testid="feedback-reject-comment"]')).type('Wrong opening hours');
    await (await d.waitFor('[data-testid="feedback-reject-save"]')).click();
    await d.waitFor('[data-testid="feedback"][data-verdict="rejected"]');
    await shot(d, '30-feedback-rejected');
    const s = sessionOf(ctx, 'social-drafts', ids[0]);
    const fb = s.feedback.find((f) => f.message === index);
    assert(fb && fb.verdict === 'rejected' && fb.comment === 'Wrong opening hours', JSON.stringify(s.feedback));
    assert(s.judged_here.includes(index), 'marked as given in Reverie');
  });

  test('chat with the demo agent: preview, streamed answer, edit, listed as revised', async (d, ctx) => {
    const pieces = ['Autumn Ember is back. ', 'Smoked black tea, apple and clove, ', 'for slow evenings.'];
    const stand = await standIn(pieces);
    try {
      const agent = 'social-drafts-demo';
      await (await d.waitFor('[data-testid="demo-create"]')).click();
      // Approve a dream's additions first: the preview must show them a moment later.
      await (await d.waitFor('[data-testid="dream-now"]')).click();
      await d.waitFor('[data-testid="proposal"]', { timeout: 60000 });
      const cards = await d.findAll('[data-testid="proposal"][data-op="add"]');
      assert(cards.length > 0, 'the demo dream proposes additions');
      const approved = [];
      for (const card of cards.slice(0, 2)) {
        const id = await card.attr('data-id');
        await (await card.find('[data-testid="proposal-approve"]')).click();
        await d.waitFor(`[data-testid="proposal"][data-id="${id}"][data-decision="applied"]`);
        approved.push(cli(ctx, 'dream', 'show', String(cli(ctx, 'dream', 'list', '--agent', agent).dreams[0].id)).proposals.find((p) => String(p.id) === id));
      }

      // Connect a local model in Settings: no key needed on this computer.
      await (await d.waitFor('[data-testid="settings-open"]')).click();
      await (await d.waitFor('[data-testid="provider-kind"]')).select('openai');
      const base = await d.waitFor('[data-testid="provider-base-url"]');
      await base.clear();
      await base.type(`http://127.0.0.1:${stand.port}/v1`);
      const model = await d.waitFor('[data-testid="provider-model"]');
      await model.clear();
      await model.type('llama3.1:8b');
      await (await d.waitFor('[data-testid="provider-save"]')).click();
      await d.waitFor('main', { text: /saved/i });

      await (await d.waitFor(`[data-testid="agent-item"][data-slug="${agent}"]`)).click();
      await (await d.waitFor('[data-testid="tab-work"]')).click();
      // Team-wide plus one client's memory: pick the client of the first approved scoped entry.
      const scoped = approved.find((p) => p.scope && p.scope.client);
      if (scoped) await (await d.waitFor('[data-testid="work-client"]')).select(scoped.scope.client);
      const preview = await d.waitFor('[data-testid="preview-text"]');
      for (const p of approved) {
        if (!p.scope.client || (scoped && p.scope.client === scoped.scope.client)) {
          await d.waitFor('[data-testid="preview-text"]', { text: p.content.split(/\s+/).slice(0, 4).join(' ') });
        }
      }
      const previewText = await preview.text();
      const tags = scoped ? ['--tag', `client=${scoped.scope.client}`] : [];
      const engine = cli(ctx, 'memory', 'prompt', '--agent', agent, ...tags);
      assert(engine.text.trim() === previewText.trim(), 'the preview is what the engine sends');
      await shot(d, '31-work-preview');

      await (await d.waitFor('[data-testid="work-input"]')).type('Draft a post for the Autumn Ember launch.');
      await (await d.waitFor('[data-testid="work-send"]')).click();
      await d.waitFor('[data-testid="work-answer"]', { text: 'for slow evenings.', timeout: 30000 });
      await d.waitFor('[data-testid="work-used"]');
      await shot(d, '32-work-answer');

      assert(stand.requests.length === 1, `${stand.requests.length} requests`);
      const sent = stand.requests[0];
      assert(sent.stream === true && sent.model === 'llama3.1:8b', JSON.stringify(sent).slice(0, 300));
      const system = sent.messages.find((m) => m.role === 'system').content;
      assert(system.endsWith(engine.text), 'the request carries exactly the preview text');
      for (const e of cli(ctx, 'memory', 'list', '--agent', agent).entries) {
        if (e.scope.client && (!scoped || e.scope.client !== scoped.scope.client)) {
          assert(!system.includes(e.content), `another client's entry was sent: ${e.content}`);
        }
      }

      // Edit the answer: it becomes "revised" with what the person used.
      const answer = await d.waitFor('[data-testid="message"][data-role="assistant"]');
      await (await answer.find('[data-testid="feedback-edit"]')).click();
      const edit = await d.waitFor('[data-testid="feedback-edit-text"]');
      await edit.clear();
      await edit.type('Autumn Ember is back: smoked black tea, apple and clove.');
      await (await d.waitFor('[data-testid="feedback-edit-save"]')).click();
      await d.waitFor('[data-testid="feedback"][data-verdict="revised"]');

      await (await d.waitFor('[data-testid="tab-sessions"]')).click();
      // One script call finds the row (reading ~100 rows one WebDriver request at a time is
      // slower than the wait allows on a busy machine).
      let id = null;
      for (let tries = 0; tries < 100 && !id; tries++) {
        id = await d.execute(
          'const r = Array.from(document.querySelectorAll(\'[data-testid="session-row"]\')).find((r) => r.textContent.includes(arguments[0])); return r ? r.getAttribute("data-id") : null;',
          ['Autumn Ember launch'],
        );
        if (!id) await new Promise((r) => setTimeout(r, 150));
      }
      assert(id, 'the chat is listed among the sessions');
      const row = await d.waitFor(`[data-testid="session-row"][data-id="${id}"]`);
      assert(/revised/i.test(await row.text()), `the list says: ${await row.text()}`);
      const s = sessionOf(ctx, agent, id);
      assert(s.source === 'chat' && s.feedback[0].verdict === 'revised', JSON.stringify(s.feedback));
      await shot(d, '33-work-revised');
    } finally {
      stand.server.close();
    }
  });
}
