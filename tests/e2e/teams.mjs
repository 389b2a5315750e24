// End-to-end: the ready-made content team run from the app (issue 15) through a loopback
// stand-in of the Anthropic Messages API with scripted tool use: the lead delegates to the
// researcher and the drafter at once, the researcher writes its notes to the shared folder,
// the lead answers; then the drafter's part gets feedback, stored on the drafter's session.

import { mkdtempSync, realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './review.mjs';

const KEY = 'sk-ant-api03-e2e-teams-0123456789abcdef';

function standIn() {
  const requests = [];
  const message = (content) => ({
    id: 'msg_e2e', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content,
    stop_reason: 'end_turn', usage: { input_tokens: 120, output_tokens: 30 },
  });
  const tool = (id, name, input) => ({ type: 'tool_use', id, name, input });
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const send = (status, value) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers['x-api-key'] !== KEY) return send(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
      if (req.method !== 'POST' || req.url !== '/v1/messages') return send(404, { type: 'error', error: { type: 'not_found_error', message: 'no route' } });
      const b = JSON.parse(body);
      requests.push(b);
      const system = b.system || '';
      const turns = b.messages.length;
      // The specialists take a moment, so the two delegations overlap.
      if (system.startsWith('You run a small content team')) {
        if (turns === 1) {
          return send(200, message([
            { type: 'text', text: 'Researcher for facts, drafter for the text.' },
            tool('d1', 'delegate', { agent: 'researcher', task: "Find Harbour Tea's opening hours." }),
            tool('d2', 'delegate', { agent: 'drafter', task: 'Draft a post about the autumn blend.' }),
          ]));
        }
        return send(200, message([{ type: 'text', text: 'Autumn blend post, ready: open from 9.' }]));
      }
      await new Promise((r) => setTimeout(r, 300));
      if (system.startsWith('You find the facts')) {
        if (turns === 1) return send(200, message([tool('w1', 'write_file', { path: 'research/notes.md', content: 'Harbour Tea opens at 9 (harbourtea.example/hours).' })]));
        return send(200, message([{ type: 'text', text: 'Opening hours are in research/notes.md.' }]));
      }
      if (system.startsWith('You write social media drafts')) {
        const text = 'Our autumn blend is here! Warm, spicy, smooth.';
        if (!b.stream) return send(200, message([{ type: 'text', text }]));
        // Streamed as the Messages API does, a word every 250 ms, so the lane shows it coming.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const ev = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
        ev('message_start', { message: { ...message([]), stop_reason: null } });
        ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
        for (const word of text.split(/(?<= )/)) {
          ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: word } });
          await new Promise((r) => setTimeout(r, 250));
        }
        ev('content_block_stop', { index: 0 });
        ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 12 } });
        ev('message_stop', {});
        return res.end();
      }
      send(400, { type: 'error', error: { type: 'invalid_request_error', message: 'unexpected agent' } });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, requests, port: server.address().port })),
  );
}

export function register(test, { shot, assert, nextPick }) {
  test('run the content team from the app and give feedback on the drafter', async (d, ctx) => {
    const stand = await standIn();
    try {
      await d.waitFor('[data-testid="demo-create"]');
      await (await d.waitFor('[data-testid="teams-open"]')).click();
      await (await d.waitFor('[data-testid="team-create-content"]')).click();
      await d.waitFor('[data-testid="team-member"][data-agent="drafter"]');
      await d.waitFor('[data-testid="team-no-provider"]');
      await shot(d, '60-team-no-provider');

      // Claude (the stand-in) and its key, in Settings.
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

      await (await d.waitFor('[data-testid="teams-open"]')).click();
      await (await d.waitFor('[data-testid="team-task"]')).type('A post about our autumn blend with the opening hours.');
      await (await d.waitFor('[data-testid="team-client"]')).type('Harbour Tea');
      await (await d.waitFor('[data-testid="team-run"]')).click();
      // The drafter's lane shows its text as it is written, before its turn ends.
      await d.waitFor('[data-testid="team-lane"][data-agent="drafter"] [data-testid="team-lane-live"]', { text: 'Our autumn', timeout: 30000 });
      await shot(d, '61-team-writing');
      await d.waitFor('[data-testid="team-run-status"][data-status="completed"]', { timeout: 60000 });
      await d.waitFor('[data-testid="team-lane"][data-agent="researcher"][data-status="done"]');
      await d.waitFor('[data-testid="team-files"]', { text: 'research/notes.md' });
      await d.waitFor('[data-testid="team-output"]', { text: 'open from 9' });
      await shot(d, '61-team-run-done');

      // Each specialist asked with its own instructions.
      const systems = stand.requests.map((r) => r.system || '');
      assert(systems.some((s) => s.startsWith('You find the facts')), 'the researcher was asked');
      assert(systems.some((s) => s.startsWith('You write social media drafts')), 'the drafter was asked');
      const drafterReq = stand.requests.find((r) => (r.system || '').startsWith('You write social media drafts'));
      assert(!drafterReq.tools, 'the drafter has no tools');

      // Feedback on the drafter's part lands on the drafter's own session.
      await (await d.waitFor('[data-testid="team-session-link"][data-agent="drafter"]')).click();
      const answer = await d.waitFor('[data-testid="message"][data-role="assistant"]');
      await (await answer.find('[data-testid="feedback-reject"]')).click();
      await (await d.waitFor('[data-testid="feedback-reject-comment"]')).type('No exclamation marks');
      await (await d.waitFor('[data-testid="feedback-reject-save"]')).click();
      await d.waitFor('[data-testid="feedback"][data-verdict="rejected"]');
      await shot(d, '62-team-drafter-feedback');
      const run = cli(ctx, 'team', 'show-run', '1');
      const part = run.delegations.find((x) => x.agent === 'drafter');
      const session = cli(ctx, 'session', 'show', '--agent', 'drafter', part.session);
      assert(session.tags.client === 'Harbour Tea', JSON.stringify(session.tags));
      assert(session.feedback.some((f) => f.verdict === 'rejected' && f.comment === 'No exclamation marks'), JSON.stringify(session.feedback));

      // A second team of the same agents, made in the window, in a folder the person picks.
      await (await d.waitFor('[data-testid="teams-open"]')).click();
      await (await d.waitFor('[data-testid="team-new"]')).click();
      await (await d.waitFor('[data-testid="team-new-name"]')).type('Launch crew');
      await (await d.waitFor('[data-testid="team-new-lead"]')).select('content-lead');
      for (const slug of ['researcher', 'fact-checker']) {
        await (await d.waitFor(`[data-testid="team-new-member"][data-slug="${slug}"] input[type="checkbox"]`)).click();
      }
      const folder = mkdtempSync(join(tmpdir(), 'reverie-launch-'));
      nextPick(folder);
      await (await d.waitFor('[data-testid="team-new-choose-folder"]')).click();
      await d.waitFor('[data-testid="team-new-folder"]', { text: folder });
      await shot(d, '63-team-new');
      await (await d.waitFor('[data-testid="team-new-create"]')).click();
      await d.waitFor('[data-testid="team-member"][data-agent="fact-checker"]');
      const made = cli(ctx, 'team', 'show', 'launch-crew');
      assert(made.name === 'Launch crew' && made.folder === realpathSync(folder), JSON.stringify(made));
      assert(made.members.map((m) => m.agent).sort().join() === 'content-lead,fact-checker,researcher', JSON.stringify(made.members));
    } finally {
      stand.server.close();
    }
  });
}
