import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../App.svelte';
import { emit } from '@tauri-apps/api/event';
import { fail, mockBackend } from './backend';
import {
  PROVIDER_DEFAULTS,
  dreamReport,
  harbourSession,
  memoryEntry,
  socialDrafts,
  summary,
  supportTriage,
} from './fixtures';
import { navigate } from '../lib/route.svelte';
import type { Agent } from '../lib/api';

const info = () => ({ version: '0.1.0', db_path: '/tmp/reverie.db' });

describe('agent list', () => {
  it('welcomes a new user and points to import when there are no agents', async () => {
    mockBackend({ list_agents: () => [], app_info: info });
    render(App);

    expect(await screen.findByText('Welcome to Reverie')).toBeInTheDocument();
    expect(screen.getByText(/No agents yet/)).toBeInTheDocument();
    expect(screen.queryAllByTestId('agent-item')).toHaveLength(0);

    await userEvent.click(within(screen.getByTestId('welcome')).getByRole('button', { name: 'Import sessions…' }));
    expect(await screen.findByRole('dialog', { name: 'Import sessions' })).toBeInTheDocument();
  });

  it('makes the demo agent and opens its Dreams tab with a hint', async () => {
    let agents: Agent[] = [];
    const demo: Agent = { ...socialDrafts, slug: 'demo-social', name: 'Demo: social drafts' };
    const backend = mockBackend({
      list_agents: () => agents,
      app_info: info,
      create_demo: () => {
        agents = [demo];
        return demo;
      },
      get_agent: () => demo,
      list_dreams: () => [],
    });
    render(App);

    await userEvent.click(await screen.findByTestId('demo-create'));
    expect(await screen.findByRole('heading', { name: 'Demo: social drafts' })).toBeInTheDocument();
    expect(backend.of('create_demo')).toHaveLength(1);
    expect(window.location.hash).toBe('#/agents/demo-social/dreams');
    expect(screen.getByTestId('tab-dreams')).toHaveAttribute('aria-current', 'page');
    expect(await screen.findByTestId('hint')).toHaveTextContent('Click Dream now');
    expect(await screen.findAllByTestId('agent-item')).toHaveLength(1);
  });

  it('says why the demo could not be made', async () => {
    mockBackend({ list_agents: () => [], app_info: info, create_demo: () => fail('database', 'disk full') });
    render(App);

    await userEvent.click(await screen.findByTestId('demo-create'));
    const alert = await screen.findByTestId('action-error');
    expect(alert).toHaveTextContent("Couldn't make the demo.");
    expect(alert).toHaveTextContent('Code: database');
  });

  it('lists each agent with its slug and session count', async () => {
    mockBackend({ list_agents: () => [socialDrafts, supportTriage], app_info: info });
    render(App);

    const items = await screen.findAllByTestId('agent-item');
    expect(items.map((i) => i.dataset.slug)).toEqual(['social-drafts', 'support-triage']);
    expect(items[0]).toHaveTextContent('Social drafts');
    expect(items[0]).toHaveTextContent('22 sessions');
    expect(items[1]).toHaveTextContent('1 session');
    expect(items[1]).not.toHaveTextContent('1 sessions');
    expect(await screen.findByText('Version 0.1.0')).toBeInTheDocument();
  });

  it('says what went wrong, with the code for support, and can try again', async () => {
    let attempts = 0;
    mockBackend({
      list_agents: () => (++attempts === 1 ? fail('database', 'disk I/O error') : [socialDrafts]),
      app_info: info,
    });
    render(App);

    const alert = await screen.findByTestId('error');
    expect(alert).toHaveTextContent("Couldn't load your agents");
    expect(alert).toHaveTextContent('disk I/O error');
    expect(alert).toHaveTextContent('Code: database');

    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findAllByTestId('agent-item')).toHaveLength(1);
  });
});

describe('agent page', () => {
  it('opens an agent, then a session, then comes back to the list', async () => {
    const backend = mockBackend({
      list_agents: () => [socialDrafts],
      app_info: info,
      get_agent: () => socialDrafts,
      list_sessions: () => ({ total: 1, sessions: [summary()] }),
      list_scopes: () => [],
      get_rubric: () => fail('not_found', 'no rubric'),
      get_session: () => harbourSession,
    });
    render(App);

    await userEvent.click(await screen.findByTestId('agent-item'));
    expect(await screen.findByRole('heading', { name: 'Social drafts' })).toBeInTheDocument();
    expect(screen.getByTestId('tab-sessions')).toHaveAttribute('aria-current', 'page');
    const tabs = within(screen.getByRole('navigation', { name: 'Agent sections' })).getAllByRole('link');
    // Named by their full labels (a small window also shows a short one, hidden from readers).
    expect(tabs.map((t) => t.querySelector('.long')?.textContent ?? t.textContent)).toEqual([
      'Sessions',
      'Work',
      'Dreams',
      'Memory',
      'What good looks like',
      'Progress',
      'Connections',
      'Agent',
    ]);

    await userEvent.click(within(await screen.findByTestId('session-row')).getByRole('link'));
    expect(await screen.findByTestId('transcript')).toBeInTheDocument();
    expect(backend.of('get_session')[0].args).toEqual({ agent: 'social-drafts', id: 's-0001' });
    expect(screen.getByTestId('session-row')).not.toBeVisible();

    await userEvent.click(screen.getByRole('link', { name: '← All sessions' }));
    await waitFor(() => expect(screen.getByTestId('session-row')).toBeVisible());
    expect(screen.queryByTestId('transcript')).not.toBeInTheDocument();
  });

  it('switches to the memory tab', async () => {
    mockBackend({
      list_agents: () => [socialDrafts],
      app_info: info,
      get_agent: () => socialDrafts,
      list_sessions: () => ({ total: 0, sessions: [] }),
      list_memory: () => [],
    });
    navigate({ agent: 'social-drafts' });
    render(App);

    await userEvent.click(await screen.findByTestId('tab-memory'));
    expect(await screen.findByText('No memory yet')).toBeInTheDocument();
    expect(screen.getByTestId('tab-memory')).toHaveAttribute('aria-current', 'page');
  });

  it('shows a missing agent as not found', async () => {
    mockBackend({
      list_agents: () => [],
      app_info: info,
      get_agent: () => fail('not_found', 'no agent named ghost'),
    });
    navigate({ agent: 'ghost' });
    render(App);

    const alert = await screen.findByTestId('error');
    expect(alert).toHaveTextContent("Couldn't open this agent");
    expect(alert).toHaveTextContent('Code: not_found');
  });
});

describe('settings', () => {
  it('opens Settings from the sidebar and goes back to an agent', async () => {
    mockBackend({
      list_agents: () => [socialDrafts],
      app_info: info,
      get_settings: () => ({ notifications: true, close_to_tray: true, start_at_login: false }),
      provider_status: () => ({
        configured: false,
        kind: null,
        base_url: null,
        base_url_from_env: false,
        model: null,
        use_batches: false,
        key: 'not_needed',
      }),
      provider_defaults: () => PROVIDER_DEFAULTS,
      get_agent: () => socialDrafts,
      list_sessions: () => ({ total: 0, sessions: [] }),
      list_scopes: () => [],
    });
    render(App);

    await userEvent.click(await screen.findByTestId('settings-open'));
    expect(window.location.hash).toBe('#/settings');
    expect(await screen.findByRole('heading', { name: 'Settings', level: 1 })).toBeInTheDocument();
    expect(await screen.findByTestId('setting-notifications')).toBeChecked();
    expect(screen.getByTestId('settings-open')).toHaveAttribute('aria-current', 'page');

    await userEvent.click(screen.getByTestId('agent-item'));
    expect(await screen.findByRole('heading', { name: 'Social drafts' })).toBeInTheDocument();
    expect(screen.queryByTestId('settings')).not.toBeInTheDocument();
    expect(screen.getByTestId('settings-open')).not.toHaveAttribute('aria-current');
  });
});

describe('notification clicks', () => {
  it('opens the dream named by an open-dream event, from anywhere', async () => {
    const backend = mockBackend(
      {
        list_agents: () => [socialDrafts, supportTriage],
        app_info: info,
        get_agent: (args) => (args.slug === 'support-triage' ? supportTriage : socialDrafts),
        list_sessions: () => ({ total: 0, sessions: [] }),
        list_scopes: () => [],
        list_dreams: () => [],
        get_dream: (args) => dreamReport({ dream: { ...dreamReport().dream, id: args.id as number, number: args.id as number, agent: 'support-triage' } }),
      },
      { events: true },
    );
    navigate({ agent: 'social-drafts' });
    render(App);
    expect(await screen.findByRole('heading', { name: 'Social drafts' })).toBeInTheDocument();

    await emit('open-dream', { dream_id: 12, agent: 'support-triage' });
    await waitFor(() => expect(window.location.hash).toBe('#/agents/support-triage/dreams/12'));
    expect(await screen.findByRole('heading', { name: 'Support triage' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Dream 12' })).toBeInTheDocument();
    expect(backend.of('get_dream').map((c) => c.args)).toEqual([{ id: 12 }]);
    expect(screen.getByTestId('tab-dreams')).toHaveAttribute('aria-current', 'page');
  });
});

describe('agent header stays current', () => {
  it('updates the memory count after approving and undoing in the review, and keeps the review open', async () => {
    let entries = 3;
    const report = structuredClone(dreamReport());
    const backend = mockBackend({
      list_agents: () => [{ ...socialDrafts, memory_entries: entries }],
      app_info: info,
      get_agent: () => ({ ...socialDrafts, memory_entries: entries }),
      list_dreams: () => [report.dream],
      get_dream: () => structuredClone(report),
      approve_proposals: (args) => {
        entries += 1;
        return report.proposals
          .filter((p) => (args.ids as number[]).includes(p.id))
          .map((p) => Object.assign(p, { decision: 'applied' }));
      },
      reject_proposals: (args) =>
        report.proposals
          .filter((p) => (args.ids as number[]).includes(p.id))
          .map((p) => Object.assign(p, { decision: 'rejected', reason: null })),
      undo_dream: () => {
        entries -= 1;
        report.dream = { ...report.dream, undone: true, applied: 1 };
        for (const p of report.proposals) if (p.decision === 'applied') p.decision = 'superseded';
        return structuredClone(report);
      },
    });
    navigate({ agent: 'social-drafts', tab: 'dreams', dream: 4 });
    render(App);

    const facts = () => screen.getByRole('heading', { name: 'Social drafts' }).nextElementSibling as HTMLElement;
    expect(await screen.findByRole('heading', { name: 'Social drafts' })).toBeInTheDocument();
    expect(facts()).toHaveTextContent('3 memory entries');
    const cards = await screen.findAllByTestId('proposal');

    await userEvent.click(within(cards[0]).getByTestId('proposal-approve'));
    await waitFor(() => expect(facts()).toHaveTextContent('4 memory entries'));
    // The review is still there, with its decision, not reloaded from scratch.
    expect(screen.getAllByTestId('proposal')[0].dataset.decision).toBe('applied');
    expect(backend.of('get_dream')).toHaveLength(1);

    await userEvent.click(within(screen.getAllByTestId('proposal')[1]).getByTestId('proposal-reject'));
    await userEvent.click(within(screen.getAllByTestId('proposal')[1]).getByTestId('reject-confirm'));
    await waitFor(() => expect(screen.getAllByTestId('proposal')[1].dataset.decision).toBe('rejected'));
    const agentLoads = backend.of('get_agent').length;
    expect(agentLoads).toBeGreaterThanOrEqual(3);

    await userEvent.click(screen.getByTestId('undo-dream'));
    await userEvent.click(screen.getByTestId('confirm-yes'));
    await waitFor(() => expect(facts()).toHaveTextContent('3 memory entries'));
    const review = screen.getByRole('heading', { name: 'Dream 4' }).parentElement as HTMLElement;
    expect(within(review).getByText('Undone')).toBeInTheDocument();
    expect(backend.of('get_dream')).toHaveLength(1);
  });

  it('updates the memory count after adding, editing and deleting an entry', async () => {
    let list = [memoryEntry({ id: 1 }), memoryEntry({ id: 2, content: 'Keep posts under 200 words.' })];
    const backend = mockBackend({
      list_agents: () => [socialDrafts],
      app_info: info,
      get_agent: () => ({ ...socialDrafts, memory_entries: list.length }),
      list_memory: () => list,
      list_scopes: () => [],
      memory_history: () => [],
      add_memory: (args) => {
        const entry = memoryEntry({ id: 3, content: args.content as string });
        list = [entry, ...list];
        return entry;
      },
      edit_memory: (args) => {
        const entry = memoryEntry({ id: args.id as number, content: args.content as string });
        list = list.map((e) => (e.id === entry.id ? entry : e));
        return entry;
      },
      delete_memory: (args) => {
        list = list.filter((e) => e.id !== args.id);
        return null;
      },
    });
    navigate({ agent: 'social-drafts', tab: 'memory' });
    render(App);

    const facts = () => screen.getByRole('heading', { name: 'Social drafts' }).nextElementSibling as HTMLElement;
    await screen.findAllByTestId('memory-entry');
    expect(facts()).toHaveTextContent('2 memory entries');

    await userEvent.click(screen.getByTestId('memory-add'));
    await userEvent.type(screen.getByTestId('memory-content'), 'Use British spelling.');
    await userEvent.click(screen.getByTestId('memory-save'));
    await waitFor(() => expect(facts()).toHaveTextContent('3 memory entries'));

    const before = backend.of('get_agent').length;
    const first = screen.getAllByTestId('memory-entry')[0];
    await userEvent.click(within(first).getByTestId('memory-edit'));
    const content = screen.getByTestId('memory-content');
    await userEvent.clear(content);
    await userEvent.type(content, 'Use British spelling, always.');
    await userEvent.click(screen.getByTestId('memory-save'));
    await waitFor(() => expect(backend.of('get_agent').length).toBeGreaterThan(before));

    const entry = screen.getAllByTestId('memory-entry').find((e) => e.dataset.id === '2') as HTMLElement;
    await userEvent.click(within(entry).getByTestId('memory-delete'));
    await userEvent.click(screen.getByTestId('confirm-yes'));
    await waitFor(() => expect(facts()).toHaveTextContent('2 memory entries'));
    expect(screen.getAllByTestId('memory-entry')).toHaveLength(2);
  });
});

describe('inbox', () => {
  const waiting: Agent = { ...socialDrafts, pending_review: 3, review_dream: 12 };

  it('shows what waits for review on Home and in the sidebar, and opens that review', async () => {
    const backend = mockBackend({
      list_agents: () => [waiting, supportTriage],
      app_info: info,
      get_agent: () => waiting,
      list_dreams: () => [],
      get_dream: (args) => dreamReport({ dream: { ...dreamReport().dream, id: args.id as number, number: args.id as number } }),
    });
    render(App);

    const items = await screen.findAllByTestId('inbox-item');
    expect(items.map((i) => i.dataset.agent)).toEqual(['social-drafts']);
    expect(items[0]).toHaveTextContent('Social drafts');
    expect(items[0]).toHaveTextContent('3 changes to review');
    const badges = screen.getAllByTestId('sidebar-inbox');
    expect(badges.map((b) => b.dataset.agent)).toEqual(['social-drafts']);
    expect(badges[0]).toHaveTextContent('3');
    expect(badges[0]).toHaveAccessibleName('Social drafts: 3 changes to review');
    expect(badges[0]).toHaveAttribute('href', '#/agents/social-drafts/dreams/12');

    await userEvent.click(items[0]);
    await waitFor(() => expect(window.location.hash).toBe('#/agents/social-drafts/dreams/12'));
    expect(await screen.findByRole('heading', { name: 'Dream 12' })).toBeInTheDocument();
    expect(backend.of('get_dream').map((c) => c.args)).toEqual([{ id: 12 }]);
    expect(screen.getByTestId('tab-dreams')).toHaveAttribute('aria-current', 'page');
  });

  it('says "1 change", and nothing when no change waits', async () => {
    mockBackend({
      list_agents: () => [{ ...waiting, pending_review: 1 }, supportTriage],
      app_info: info,
    });
    render(App);
    const [item] = await screen.findAllByTestId('inbox-item');
    expect(item).toHaveTextContent('1 change to review');
    expect(screen.getAllByTestId('agent-item')[1].parentElement?.querySelector('[data-testid="sidebar-inbox"]')).toBeNull();
  });

  it('fills when a dream finishes, wherever the person is', async () => {
    let agents: Agent[] = [socialDrafts];
    const backend = mockBackend(
      {
        list_agents: () => agents,
        app_info: info,
      },
      { events: true },
    );
    render(App);
    await screen.findAllByTestId('agent-item');
    expect(screen.queryByTestId('inbox-item')).not.toBeInTheDocument();
    await waitFor(() => expect(backend.of('list_agents')).toHaveLength(1));

    agents = [waiting];
    await emit('dream-finished', { ...dreamReport().dream, id: 12, pending: 3 });
    expect(await screen.findByTestId('inbox-item')).toHaveTextContent('3 changes to review');
    expect(screen.getByTestId('sidebar-inbox')).toHaveTextContent('3');
  });
});

describe('work from a session', () => {
  it('opens the Work view on a session from its transcript', async () => {
    const backend = mockBackend({
      list_agents: () => [socialDrafts],
      app_info: info,
      get_agent: () => socialDrafts,
      list_sessions: () => ({ total: 1, sessions: [summary()] }),
      list_scopes: () => [],
      get_rubric: () => fail('not_found', 'no rubric'),
      get_session: () => harbourSession,
      provider_status: () => ({
        configured: true,
        kind: 'anthropic',
        base_url: null,
        base_url_from_env: false,
        model: null,
        use_batches: false,
        key: 'keychain',
      }),
      memory_prompt: () => fail('not_found', 'x'),
    });
    navigate({ agent: 'social-drafts', tab: 'sessions', session: 's-0001' });
    render(App);

    await userEvent.click(await screen.findByTestId('session-continue'));
    await waitFor(() => expect(window.location.hash).toBe('#/agents/social-drafts/work/s-0001'));
    await waitFor(() => expect(screen.getByTestId('tab-work')).toHaveAttribute('aria-current', 'page'));
    expect(await screen.findByTestId('work-tags')).toHaveTextContent('client: Harbour Tea');
    expect(screen.getByTestId('work-input')).toBeInTheDocument();
    expect(backend.of('get_session').at(-1)?.args).toEqual({ agent: 'social-drafts', id: 's-0001' });
  });
});
