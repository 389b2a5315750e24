import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../App.svelte';
import { fail, mockBackend } from './backend';
import { harbourSession, socialDrafts, summary, supportTriage } from './fixtures';
import { navigate } from '../lib/route.svelte';
import type { Agent } from '../lib/bindings/Agent';

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
    expect(tabs.map((t) => t.textContent)).toEqual([
      'Sessions',
      'Dreams',
      'Memory',
      'What good looks like',
      'Progress',
    ]);

    await userEvent.click(await screen.findByTestId('session-row'));
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
