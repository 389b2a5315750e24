import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { emit } from '@tauri-apps/api/event';
import TeamsPage from '../lib/components/TeamsPage.svelte';
import type { Team, TeamRun } from '../lib/api';
import { mockBackend } from './backend';

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

    const step = (agent: string, kind: string, text: string, lead = false) =>
      emit('team-run-step', { run: 7, agent, lead, kind, text });
    await step('content-lead', 'started', 'A post about the autumn blend.', true);
    await step('researcher', 'started', 'Find the opening hours.');
    await step('drafter', 'started', 'Draft the post.');
    await step('researcher', 'file', 'research/notes.md');
    await step('drafter', 'failed', 'Anthropic had an internal error (HTTP 500)');
    // Another run's steps stay out.
    await emit('team-run-step', { run: 99, agent: 'intruder', lead: false, kind: 'started', text: 'x' });
    await waitFor(() => expect(screen.getAllByTestId('team-lane')).toHaveLength(3));
    const lane = (agent: string) => screen.getAllByTestId('team-lane').find((l) => l.dataset.agent === agent)!;
    expect(lane('drafter').dataset.status).toBe('failed');
    expect(lane('drafter')).toHaveTextContent('HTTP 500');
    expect(lane('researcher').dataset.status).toBe('working');
    expect(screen.getByTestId('team-files')).toHaveTextContent('research/notes.md');

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
