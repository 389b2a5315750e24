// End-to-end: the first-run demo, a dream reviewed in the real window, undo; the visual rubric
// editor. Registered by run.mjs; each test gets a fresh database.

import { execFileSync } from 'node:child_process';

/** The engine's own view of the database, through the CLI, to check what the window did. */
export function cli(ctx, ...args) {
  const out = execFileSync(ctx.cliBin, ['--db', ctx.db, '--json', ...args], { encoding: 'utf8' });
  return JSON.parse(out);
}

const memoryOf = (ctx, agent) =>
  cli(ctx, 'memory', 'list', '--agent', agent).entries.map((e) => ({ id: e.id, content: e.content, scope: e.scope }));

export function register(test, { shot, assert }) {
  test('first run: demo, dream now, approve two, reject one, undo', async (d, ctx) => {
    await (await d.waitFor('[data-testid="demo-create"]')).click();
    await d.waitFor('[data-testid="dream-now"]');
    const agent = 'social-drafts-demo';
    const before = memoryOf(ctx, agent);
    assert(before.length > 0, 'the demo starts with some memory');
    await shot(d, '10-demo-dreams');

    await (await d.waitFor('[data-testid="dream-now"]')).click();
    await d.waitFor('[data-testid="proposal"]', { timeout: 60000 });
    const cards = await d.findAll('[data-testid="proposal"]');
    assert(cards.length >= 3, `the demo dream proposes ${cards.length} changes`);
    const ids = await Promise.all(cards.map((c) => c.attr('data-id')));
    await shot(d, '11-dream-review');

    await (await cards[0].find('[data-testid="proposal-approve"]')).click();
    await d.waitFor(`[data-testid="proposal"][data-id="${ids[0]}"][data-decision="applied"]`);
    await (await (await d.waitFor(`[data-testid="proposal"][data-id="${ids[1]}"]`)).find('[data-testid="proposal-approve"]')).click();
    await d.waitFor(`[data-testid="proposal"][data-id="${ids[1]}"][data-decision="applied"]`);
    const third = await d.waitFor(`[data-testid="proposal"][data-id="${ids[2]}"]`);
    await (await third.find('[data-testid="proposal-reject"]')).click();
    await (await d.waitFor('[data-testid="reject-reason"]')).type('Not for this client');
    await (await d.waitFor('[data-testid="reject-confirm"]')).click();
    await d.waitFor(`[data-testid="proposal"][data-id="${ids[2]}"][data-decision="rejected"]`);
    await shot(d, '12-decided');

    // The engine agrees with what the window showed.
    const dreamId = cli(ctx, 'dream', 'list', '--agent', agent).dreams[0].id;
    const report = cli(ctx, 'dream', 'show', String(dreamId));
    const byId = Object.fromEntries(report.proposals.map((p) => [String(p.id), p]));
    assert(byId[ids[0]].decision === 'applied' && byId[ids[1]].decision === 'applied', 'two applied');
    assert(byId[ids[2]].decision === 'rejected' && byId[ids[2]].reason === 'Not for this client', 'one rejected with the reason');

    // Memory shows the two approved changes.
    await (await d.waitFor('[data-testid="tab-memory"]')).click();
    await d.waitFor('[data-testid="memory-entry"]');
    const shown = (await Promise.all((await d.findAll('[data-testid="memory-entry"]')).map((e) => e.text()))).join('\n');
    const after = memoryOf(ctx, agent);
    for (const id of ids.slice(0, 2)) {
      const p = byId[id];
      if (p.op === 'remove') {
        for (const t of p.targets) assert(!after.some((e) => e.id === t), `entry #${t} was removed`);
      } else {
        assert(shown.includes(p.content), `memory shows "${p.content}"`);
      }
    }
    assert(JSON.stringify(after) !== JSON.stringify(before), 'memory changed');
    await shot(d, '13-memory-after-approval');

    // Undo the dream: memory is exactly as before.
    await (await d.waitFor('[data-testid="tab-dreams"]')).click();
    await (await d.waitFor(`[data-testid="dream-row"][data-id="${dreamId}"]`)).click();
    await (await d.waitFor('[data-testid="undo-dream"]')).click();
    await (await d.waitFor('[data-testid="confirm-yes"]')).click();
    // The review says it was undone.
    await d.waitFor('main', { text: 'Undone' });
    await shot(d, '14-dream-undone');
    const restored = memoryOf(ctx, agent);
    assert(JSON.stringify(restored) === JSON.stringify(before), `memory restored exactly:\n${JSON.stringify(restored)}\nvs\n${JSON.stringify(before)}`);
    await (await d.waitFor('[data-testid="tab-memory"]')).click();
    await d.waitFor('[data-testid="memory-entry"]');
    const count = (await d.findAll('[data-testid="memory-entry"]')).length;
    assert(count === before.length, `memory tab shows ${count} entries, expected ${before.length}`);
    await shot(d, '15-memory-restored');
    await (await d.waitFor('[data-testid="tab-progress"]')).click();
    await d.waitFor('[data-testid="progress-chart"]');
    await shot(d, '16-progress');
  });

  test('rubric edited visually exports the expected YAML; a bad schedule is explained', async (d, ctx) => {
    await (await d.waitFor('[data-testid="demo-create"]')).click();
    await (await d.waitFor('[data-testid="tab-rubric"]')).click();
    await d.waitFor('[data-testid="outcome-card"]');
    await shot(d, '20-rubric');

    // A bad custom schedule gets a plain-language error.
    await (await d.waitFor('[data-testid="schedule-preset"]')).select('custom');
    const custom = await d.waitFor('[data-testid="schedule-custom"]');
    await custom.clear();
    await custom.type('61 2 * * *');
    const err = await d.waitFor('[data-testid="schedule-error"]', { text: 'not a valid schedule' });
    assert((await err.text()).includes('for example'), 'the error says how to fix it');
    await shot(d, '21-bad-schedule');

    // Weekdays at 7:30, a 14-day window, the second outcome's importance to Low.
    await (await d.waitFor('[data-testid="schedule-preset"]')).select('weekdays');
    const time = await d.waitFor('[data-testid="schedule-time"]');
    // WebKitWebDriver cannot type into <input type="time">; set it as the picker would.
    await d.execute(
      'const el = arguments[0]; el.value = "07:30"; el.dispatchEvent(new Event("input", {bubbles: true}));',
      [{ 'element-6066-11e4-a52e-4f735466cecf': time.id }],
    );
    await d.waitFor('[data-testid="schedule-words"]', { text: 'Weekdays at 7:30' });
    const win = await d.waitFor('[data-testid="window-days"]');
    await win.clear();
    await win.type('14');
    const cards = await d.findAll('[data-testid="outcome-card"]');
    await (await cards[1].find('[data-testid="outcome-signal"]')).select('low');
    await (await d.waitFor('[data-testid="rubric-save"]')).click();
    await d.waitFor('[data-testid="rubric-note"]', { text: 'Saved' });

    const expected = cli(ctx, 'rubric', 'show', '--agent', 'social-drafts-demo').yaml;
    const want = [
      'outcomes:',
      '  - name: task_completed_first_pass',
      '    description: Agent completed the task without requiring user to re-explain or correct course',
      '    signal: high',
      '  - name: format_matched_request',
      '    description: Output format matched what the user asked for (no reformat requests)',
      '    signal: low',
      '  - name: user_accepted_output',
      "    description: The person used the agent's output as it was, without rewriting it",
      '    signal: medium',
      '  - name: avoided_known_mistake',
      '    description: Agent did not repeat a mistake that its memory already warns about',
      '    signal: high',
      'dreaming:',
      '  schedule: "30 7 * * 1-5"',
      '  review_window_days: 14',
      '  auto_apply: false',
      '',
    ].join('\n');
    assert(expected === want, `stored YAML:\n${expected}`);
    await (await d.waitFor('[data-testid="show-yaml"]')).click();
    // The panel re-checks the draft a moment after each change; wait for the saved values.
    const yaml = await (await d.waitFor('[data-testid="rubric-yaml"]', { text: 'review_window_days: 14' })).text();
    assert(yaml.trim() === want.trim(), `Show as YAML:\n${yaml}`);
    await shot(d, '22-rubric-yaml');
  });
}

export function registerAgents(test, { shot, assert }) {
  test('a new agent is created and edited in the window', async (d, ctx) => {
    await (await d.waitFor('[data-testid="agent-new"]')).click();
    await (await d.waitFor('[data-testid="agent-new-name"]')).type('Support replies');
    await d.waitFor('[data-testid="agent-new-slug"]');
    const derived = await d.execute('return document.querySelector("[data-testid=agent-new-slug]").value');
    assert(derived === 'support-replies', `short name derived as ${derived}`);
    await shot(d, '50-new-agent');
    await (await d.waitFor('[data-testid="agent-new-create"]')).click();
    await (await d.waitFor('[data-testid="tab-agent"]')).click();
    const prompt = await d.waitFor('[data-testid="agent-prompt"]');
    await prompt.type('You answer customer emails for Fernwood Cycles.');
    const model = await d.waitFor('[data-testid="agent-model"]');
    await model.type('claude-haiku-4-5');
    await (await d.waitFor('[data-testid="agent-save"]')).click();
    await shot(d, '51-agent-edited');
    // The engine has it, exactly.
    const until = Date.now() + 10000;
    let a;
    do {
      a = cli(ctx, 'agent', 'show', 'support-replies').agent;
      if (a.system_prompt) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < until);
    assert(a.name === 'Support replies', `name ${a.name}`);
    assert(a.system_prompt === 'You answer customer emails for Fernwood Cycles.', `prompt ${a.system_prompt}`);
    assert(a.model === 'claude-haiku-4-5', `model ${a.model}`);
  });
}
