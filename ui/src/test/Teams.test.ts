import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { emit } from '@tauri-apps/api/event';
import TeamsPage from '../lib/components/TeamsPage.svelte';
import type { Team, TeamRun } from '../lib/api';
import { mockBackend } from './backend';
import { socialDrafts, supportTriage } from './fixtures';

const content: Team = {
  slug: 'content',
  name: 'Content team',
  folder: '/home/mei/.local/share/reverie/teams/content',
  max_parallel: 3,
  budget_tokens: 200000,
  created_at: '2026-12-01T09:00:00Z',
  members: [
    { agent: 'content-lead', name: 'Content lead', lead: true, tools: ['list_files', 'read_file', 'write_file'] },
    { agent: 'drafter', name: 'Drafter', lead: false, tools: [] },
    { agent: 'researcher', name: 'Researcher', lead: false, tools: ['list_files', 'read_file', 'write_file'] },
  ],
};

function teamRun(overrides: Partial<TeamRun> = {}): TeamRun {
  return {
    id: 7,
    team: 'content',
    task: 'A post about the autumn blend.',
    tags: { client: 'Harbour Tea' },
    status: 'running',
    lead_session: 'team-7-lead',
    output: null,
    error: null,
    input_tokens: 0,
    output_tokens: 0,
    started_at: '2026-12-02T10:00:00Z',
    finished_at: null,
    delegations: [],
    ...overrides,
  };
}

const configured = () => ({ configured: true, kind: 'anthropic', base_url: null, base_url_from_env: false, model: null, use_batches: false, key: 'keychain' });

describe('teams', () => {
  it('offers the ready-made content team when there is none', async () => {
    let teams: Team[] = [];
    const backend = mockBackend({
      list_teams: () => teams,
      provider_status: configured,
      create_content_team: () => {
        teams = [content];
        return content;
      },
    });
    render(TeamsPage, { slug: '' });
    await userEvent.click(await screen.findByTestId('team-create-content'));
    await waitFor(() => expect(backend.of('create_content_team')).toHaveLength(1));
    const members = await screen.findAllByTestId('team-member');
    expect(members.map((m) => m.dataset.agent)).toEqual(['content-lead', 'drafter', 'researcher']);
    expect(members[1]).toHaveTextContent('no file tools');
  });

  it('makes a team of agents the person already has: lead, specialists, tools, folder and limits', async () => {
    let teams: Team[] = [];
    const writer = { ...socialDrafts, slug: 'writer', name: 'Writer' };
    const made: Team = { ...content, slug: 'launch-crew', name: 'Launch crew' };
    const backend = mockBackend({
      list_teams: () => teams,
      provider_status: configured,
      list_agents: () => [socialDrafts, supportTriage, writer],
      pick_file: () => '/home/mei/launch',
      create_team: () => {
        teams = [made];
        return made;
      },
    });
    render(TeamsPage, { slug: '' });
    await userEvent.click(await screen.findByTestId('team-new'));
    const dialog = await screen.findByTestId('team-new-dialog');
    const create = within(dialog).getByTestId('team-new-create');
    expect(create).toBeDisabled();
    expect(within(dialog).getByTestId('team-new-missing')).toHaveTextContent('Give the team a name.');

    await userEvent.type(within(dialog).getByTestId('team-new-name'), 'Launch crew');
    await userEvent.selectOptions(within(dialog).getByTestId('team-new-lead'), 'social-drafts');
    // The lead is not offered as its own specialist.
    const offered = within(dialog).getAllByTestId('team-new-member').map((m) => m.dataset.slug);
    expect(offered).toEqual([supportTriage.slug, 'writer']);
    expect(within(dialog).getByTestId('team-new-missing')).toHaveTextContent('Choose at least one specialist.');
    for (const m of within(dialog).getAllByTestId('team-new-member')) {
      await userEvent.click(within(m).getByRole('checkbox'));
    }
    // The writer only writes: no file tools.
    const writerRow = within(dialog).getAllByTestId('team-new-member').find((m) => m.dataset.slug === 'writer')!;
    await userEvent.click(within(writerRow).getByTestId('team-new-tools'));
    await userEvent.click(within(dialog).getByTestId('team-new-choose-folder'));
    await waitFor(() => expect(within(dialog).getByTestId('team-new-folder')).toHaveTextContent('/home/mei/launch'));
    await userEvent.clear(within(dialog).getByTestId('team-new-parallel'));
    await userEvent.type(within(dialog).getByTestId('team-new-parallel'), '2');
    await userEvent.type(within(dialog).getByTestId('team-new-budget'), '50,000');
    await userEvent.click(create);

    await waitFor(() => expect(backend.of('create_team')).toHaveLength(1));
    expect(backend.of('create_team')[0].args).toEqual({
      form: {
        name: 'Launch crew',
        lead: 'social-drafts',
        members: [supportTriage.slug, 'writer'],
        folder: '/home/mei/launch',
        max_parallel: 2,
        budget_tokens: 50000,
        no_tools: ['writer'],
      },
    });
    expect(backend.of('pick_file')[0].args).toMatchObject({ purpose: 'team_folder' });
    await waitFor(() => expect(screen.queryByTestId('team-new-dialog')).not.toBeInTheDocument());
  });

  it('says a team needs agents first when there are fewer than two', async () => {
    mockBackend({ list_teams: () => [], provider_status: configured, list_agents: () => [socialDrafts] });
    render(TeamsPage, { slug: '' });
    await userEvent.click(await screen.findByTestId('team-new'));
    expect(await screen.findByTestId('team-new-too-few')).toHaveTextContent('A team needs a lead and at least one specialist');
  });

  it('says how to connect a model before a team can run', async () => {
    mockBackend({ list_teams: () => [content], provider_status: () => ({ ...configured(), configured: false }) });
    render(TeamsPage, { slug: 'content' });
    expect(await screen.findByTestId('team-no-provider')).toHaveTextContent('Settings');
    await userEvent.type(screen.getByTestId('team-task'), 'A post.');
    expect(screen.getByTestId('team-run')).toBeDisabled();
  });

  it('runs the team with the client as a tag, shows each lane as it works, then links every part for feedback', async () => {
    const backend = mockBackend(
      {
        list_teams: () => [content],
        provider_status: configured,
        start_team_run: () => teamRun(),
        stop_team_run: () => null,
      },
      { events: true },
    );
    render(TeamsPage, { slug: 'content' });
    await userEvent.type(await screen.findByTestId('team-task'), 'A post about the autumn blend.');
    await userEvent.type(screen.getByTestId('team-client'), 'Harbour Tea');
    await userEvent.click(screen.getByTestId('team-run'));
    await waitFor(() => expect(backend.of('start_team_run')).toHaveLength(1));
    expect(backend.of('start_team_run')[0].args).toEqual({
      team: 'content',
      task: 'A post about the autumn blend.',
      tags: { client: 'Harbour Tea' },
    });
    expect(await screen.findByTestId('team-stop')).toBeInTheDocument();

    const step = (agent: string, kind: string, text: string, lead = false, session = `team-7-${agent}`) =>
      emit('team-run-step', { run: 7, agent, lead, session, kind, text });
    await step('content-lead', 'started', 'A post about the autumn blend.', true);
    await step('researcher', 'started', 'Find the opening hours.');
    await step('drafter', 'started', 'Draft the post.');
    await step('researcher', 'file', 'research/notes.md');
    await step('drafter', 'failed', 'Anthropic had an internal error (HTTP 500)');
    // Another run's steps stay out.
    await emit('team-run-step', { run: 99, agent: 'intruder', lead: false, session: 'team-99-intruder', kind: 'started', text: 'x' });
    await waitFor(() => expect(screen.getAllByTestId('team-lane')).toHaveLength(3));
    const lane = (agent: string) => screen.getAllByTestId('team-lane').find((l) => l.dataset.agent === agent)!;
    expect(lane('drafter').dataset.status).toBe('failed');
    expect(lane('drafter')).toHaveTextContent('HTTP 500');
    expect(lane('researcher').dataset.status).toBe('working');
    expect(screen.getByTestId('team-files')).toHaveTextContent('research/notes.md');

    // The lead's text shows as it is written; a retry voids it; the whole turn replaces it.
    const live = () => within(lane('content-lead')).queryByTestId('team-lane-live');
    await step('content-lead', 'writing', 'I will ', true);
    await step('content-lead', 'writing', 'split', true);
    await waitFor(() => expect(live()).toHaveTextContent('I will split'));
    await step('content-lead', 'writing', '', true);
    await waitFor(() => expect(live()).toBeNull());
    await step('content-lead', 'writing', 'I will split this.', true);
    await waitFor(() => expect(live()).toHaveTextContent('I will split this.'));
    await step('content-lead', 'text', 'I will split this.', true);
    await waitFor(() => expect(live()).toBeNull());
    expect(lane('content-lead')).toHaveTextContent('I will split this.');

    // The same specialist given two pieces at once works in two lanes, each writing its own.
    await step('researcher', 'started', 'Check the prices.', false, 'team-7-researcher-2');
    await step('researcher', 'writing', 'Prices ', false, 'team-7-researcher-2');
    await step('researcher', 'writing', 'Hours ', false);
    await waitFor(() => expect(screen.getAllByTestId('team-lane')).toHaveLength(4));
    const lives = screen.getAllByTestId('team-lane-live').map((l) => l.textContent?.trim());
    expect(lives).toEqual(expect.arrayContaining(['Hours', 'Prices']));

    await userEvent.click(screen.getByTestId('team-stop'));
    expect(backend.of('stop_team_run')[0].args).toEqual({ id: 7 });

    await emit(
      'team-run-finished',
      teamRun({
        status: 'completed',
        output: 'Our autumn blend is here. Open from 9.',
        delegations: [
          { agent: 'researcher', session: 'team-7-researcher-00aa', task: 'Find the opening hours.', ok: true },
          { agent: 'drafter', session: 'team-7-drafter-00bb', task: 'Draft the post.', ok: false },
        ],
      }),
    );
    expect(await screen.findByTestId('team-output')).toHaveTextContent('Open from 9.');
    const links = within(screen.getByTestId('team-result')).getAllByTestId('team-session-link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual([
      '#/agents/content-lead/sessions/team-7-lead',
      '#/agents/researcher/sessions/team-7-researcher-00aa',
      '#/agents/drafter/sessions/team-7-drafter-00bb',
    ]);
    expect(screen.getByTestId('team-run-status')).toHaveTextContent('Finished');
  });
});
