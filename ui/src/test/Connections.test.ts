import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ConnectionsTab from '../lib/components/ConnectionsTab.svelte';
import type { ClaudeProject, Destination, ManagedLink, McpSetup, Source, Synced } from '../lib/api';
import { app } from '../lib/app.svelte';
import { socialDrafts } from './fixtures';
import { fail, mockBackend } from './backend';

const agent = socialDrafts;

function source(overrides: Partial<Source> = {}): Source {
  return {
    id: 1,
    agent: agent.slug,
    path: '/home/mei/.claude/projects/-home-mei-code-billing-api',
    tags: { repo: 'billing-api' },
    tags_label: 'repo: billing-api',
    format: 'claude-code',
    created_at: '2026-11-30T09:00:00Z',
    last_sync_at: '2026-12-01T10:00:00Z',
    files: 3,
    sessions: 12,
    problems: [],
    ...overrides,
  };
}

function destination(overrides: Partial<Destination> = {}): Destination {
  return {
    id: 4,
    agent: agent.slug,
    path: '/home/mei/code/billing-api/CLAUDE.md',
    kind: 'claude-md',
    tags: {},
    tags_label: '',
    created_at: '2026-11-30T09:00:00Z',
    last_written_at: '2026-12-01T10:00:00Z',
    last_error: null,
    ...overrides,
  };
}

const setup: McpSetup = {
  command: '/usr/bin/reverie',
  args: ['mcp'],
  json: '{\n  "mcpServers": {\n    "reverie": { "command": "/usr/bin/reverie", "args": ["mcp"] }\n  }\n}',
  claude_code: 'claude mcp add reverie -- /usr/bin/reverie mcp',
};

const synced = (s: Source, imported = s.sessions, failed = 0): Synced => ({
  source: s,
  report: { files_read: s.files, imported, updated: 0, failed, problems: [] },
});

/** Handlers every Connections test needs; a test overrides the ones it is about. */
function base(overrides: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  return mockBackend({
    list_sources: () => [],
    list_destinations: () => [],
    mcp_setup: () => setup,
    managed_link: () => null,
    ...overrides,
  });
}

describe('connections: sessions in', () => {
  it('lists each source with its tags, counts and the lines it could not read, by file and line', async () => {
    base({
      list_sources: () => [
        source({
          problems: [
            {
              file: 'abc.jsonl',
              errors: [
                { line: 7, message: 'missing field `messages`' },
                { line: 0, message: 'not a session file' },
              ],
            },
          ],
        }),
      ],
    });
    render(ConnectionsTab, { agent });
    const row = await screen.findByTestId('source-row');
    expect(row).toHaveTextContent('repo: billing-api');
    expect(row).toHaveTextContent('3 files');
    expect(row).toHaveTextContent('12 sessions');
    const problems = within(row).getAllByTestId('source-problem');
    expect(problems[0]).toHaveTextContent('abc.jsonl, line 7');
    expect(problems[0]).toHaveTextContent('missing field `messages`');
    expect(problems[1]).toHaveTextContent('abc.jsonl (the whole file)');
  });

  it('says what to do when nothing is connected', async () => {
    base();
    render(ConnectionsTab, { agent });
    expect(await screen.findByTestId('sources-empty')).toHaveTextContent('Connect Claude Code');
    expect(await screen.findByTestId('destinations-empty')).toHaveTextContent('CLAUDE.md');
  });

  it('connects the Claude Code projects the person ticks, each tagged with its name', async () => {
    const projects: ClaudeProject[] = [
      {
        folder: '/home/mei/.claude/projects/-home-mei-code-billing-api',
        project: '/home/mei/code/billing-api',
        name: 'billing-api',
        sessions: 12,
        last_activity: '2026-12-01T10:00:00Z',
        connected: false,
      },
      {
        folder: '/home/mei/.claude/projects/-home-mei-code-site',
        project: '/home/mei/code/site',
        name: 'site',
        sessions: 3,
        last_activity: null,
        connected: false,
      },
    ];
    const backend = base({
      claude_projects: () => projects,
      add_source: (args) => synced(source({ path: String(args.path), tags: args.tags as Record<string, string> })),
    });
    const before = app.dataVersion;
    render(ConnectionsTab, { agent });
    await userEvent.click(await screen.findByTestId('connect-claude-code'));
    const dialog = await screen.findByTestId('claude-dialog');
    const rows = await within(dialog).findAllByTestId('claude-project');
    expect(rows).toHaveLength(2);
    expect(within(dialog).getByTestId('claude-connect')).toBeDisabled();
    await userEvent.click(within(rows[0]).getByRole('checkbox'));
    await userEvent.click(within(dialog).getByTestId('claude-connect'));

    const summary = await screen.findByTestId('claude-summary');
    expect(summary).toHaveTextContent('12 sessions from billing-api');
    // Only the ticked project, read as Claude Code logs and tagged so dreams can tell repos apart.
    expect(backend.of('add_source').map((c) => c.args)).toEqual([
      {
        agent: agent.slug,
        path: projects[0].folder,
        tags: { repo: 'billing-api' },
        format: 'claude-code',
      },
    ]);
    expect(app.dataVersion).toBeGreaterThan(before);
  });

  it('explains where Claude Code keeps its logs when there are none', async () => {
    base({ claude_projects: () => [] });
    render(ConnectionsTab, { agent });
    await userEvent.click(await screen.findByTestId('connect-claude-code'));
    expect(await screen.findByTestId('claude-empty')).toHaveTextContent('~/.claude/projects');
  });

  it('adds a folder chosen in the system dialog with the tags typed for it', async () => {
    const backend = base({
      pick_file: () => '/data/agent-logs',
      add_source: (args) => synced(source({ path: String(args.path), sessions: 4, files: 2 })),
    });
    render(ConnectionsTab, { agent });
    await userEvent.click(await screen.findByTestId('source-add-folder'));
    expect(backend.of('pick_file')[0].args).toMatchObject({ purpose: 'source_folder' });
    expect(await screen.findByTestId('source-path')).toHaveTextContent('/data/agent-logs');
    const keys = screen.getAllByTestId('source-tag-key');
    const values = screen.getAllByTestId('source-tag-value');
    await userEvent.type(keys[0], 'team');
    await userEvent.type(values[0], 'support');
    await userEvent.click(screen.getByTestId('source-save'));
    expect(await screen.findByTestId('source-note')).toHaveTextContent('Connected: 4 sessions from agent-logs.');
    expect(backend.of('add_source')[0].args).toMatchObject({
      path: '/data/agent-logs',
      tags: { team: 'support' },
    });
  });

  it('syncs on request and says what arrived; a failure is said in words', async () => {
    let calls = 0;
    base({
      list_sources: () => [source()],
      sync_sources: () => {
        calls += 1;
        if (calls === 2) fail('io', 'The folder /home/mei/logs is gone.');
        return [synced(source(), 3)];
      },
    });
    render(ConnectionsTab, { agent });
    await userEvent.click(await screen.findByTestId('source-sync'));
    expect(await screen.findByTestId('source-note')).toHaveTextContent('Imported 3 new sessions.');
    await userEvent.click(await screen.findByTestId('source-sync'));
    expect(await screen.findByTestId('source-error')).toHaveTextContent('The folder /home/mei/logs is gone.');
  });

  it('removes a source after asking, keeping its sessions', async () => {
    const backend = base({ list_sources: () => [source()], remove_source: () => null });
    render(ConnectionsTab, { agent });
    await userEvent.click(await screen.findByTestId('source-remove'));
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog).toHaveTextContent('12 sessions already imported stay with the agent');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByTestId('source-row')).not.toBeInTheDocument());
    expect(backend.of('remove_source')[0].args).toEqual({ id: 1 });
  });
});

describe('connections: memory out', () => {
  it('shows exactly what will be written before publishing, then publishes there', async () => {
    const backend = base({
      pick_file: () => '/home/mei/code/billing-api/CLAUDE.md',
      preview_destination: () => ({
        entries: 2,
        files: [
          {
            path: '/home/mei/code/billing-api/CLAUDE.md',
            content: '# Billing\n\n<!-- reverie:memory social-drafts -->\n## Team memory\n- Keep it short.\n',
            keeps_existing: true,
          },
        ],
      }),
      add_destination: () => ({ destination: 4, path: '/home/mei/code/billing-api/CLAUDE.md', error: null }),
    });
    render(ConnectionsTab, { agent });
    await userEvent.click(await screen.findByTestId('destination-add'));
    await userEvent.type(screen.getByTestId('destination-tag-key'), 'repo');
    await userEvent.type(screen.getByTestId('destination-tag-value'), 'billing-api');
    expect(screen.getByTestId('destination-save')).toBeDisabled();
    await userEvent.click(screen.getByTestId('destination-choose'));
    expect(backend.of('pick_file')[0].args).toEqual({
      purpose: 'publish_file',
      filter: { name: 'Markdown', extensions: ['md'] },
      suggestedName: 'CLAUDE.md',
    });

    const preview = await screen.findByTestId('destination-preview');
    expect(preview).toHaveTextContent('Keep it short.');
    expect(within(preview).getByTestId('destination-keeps')).toBeInTheDocument();
    expect(backend.of('preview_destination').at(-1)?.args).toEqual({
      agent: agent.slug,
      path: '/home/mei/code/billing-api/CLAUDE.md',
      kind: 'claude-md',
      tags: { repo: 'billing-api' },
    });
    expect(backend.of('add_destination')).toHaveLength(0);
    await waitFor(() => expect(screen.getByTestId('destination-save')).toBeEnabled());
    await userEvent.click(screen.getByTestId('destination-save'));
    await waitFor(() => expect(backend.of('add_destination')).toHaveLength(1));
    expect(backend.of('add_destination')[0].args).toMatchObject({ kind: 'claude-md', tags: { repo: 'billing-api' } });
  });

  it('a Claude Code memory folder is chosen as a folder', async () => {
    const backend = base({ pick_file: () => null });
    render(ConnectionsTab, { agent });
    await userEvent.click(await screen.findByTestId('destination-add'));
    await userEvent.selectOptions(screen.getByTestId('destination-kind'), 'claude-memory');
    await userEvent.click(screen.getByTestId('destination-choose'));
    expect(backend.of('pick_file')[0].args).toEqual({ purpose: 'publish_folder', filter: null, suggestedName: null });
  });

  it('a write stopped by hand edits says why, and publishes anyway only after asking', async () => {
    const backend = base({
      list_destinations: () => [
        destination({ last_error: "Someone edited Reverie's section of CLAUDE.md since the last write." }),
      ],
      publish_destination: () => ({ destination: 4, path: '/home/mei/code/billing-api/CLAUDE.md', error: null }),
    });
    render(ConnectionsTab, { agent });
    const alert = await screen.findByTestId('destination-error');
    expect(alert).toHaveTextContent('edited');
    await userEvent.click(within(alert).getByTestId('destination-force'));
    expect(backend.of('publish_destination')).toHaveLength(0);
    const dialog = await screen.findByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Publish anyway' }));
    await waitFor(() => expect(backend.of('publish_destination')).toHaveLength(1));
    expect(backend.of('publish_destination')[0].args).toEqual({ id: 4, force: true });
  });
});

describe('connections: MCP', () => {
  it('shows what to paste for each client and lets MCP clients send feedback only when switched on', async () => {
    const backend = base({ update_agent: () => ({ ...agent, mcp_write: true }) });
    render(ConnectionsTab, { agent });
    expect(await screen.findByTestId('mcp-json')).toHaveTextContent('"mcpServers"');
    expect(screen.getByTestId('mcp-claude-code')).toHaveTextContent('claude mcp add reverie');
    const write = screen.getByTestId('mcp-write');
    expect(write).not.toBeChecked();
    await userEvent.click(write);
    await waitFor(() => expect(backend.of('update_agent')).toHaveLength(1));
    expect(backend.of('update_agent')[0].args).toMatchObject({ slug: agent.slug, patch: { mcp_write: true } });
    expect(write).toBeChecked();
  });
});

function link(overrides: Partial<ManagedLink> = {}): ManagedLink {
  return {
    agent: agent.slug,
    managed_agent_id: 'agent_011',
    managed_name: 'Support desk',
    memory_store_id: 'memstore_01',
    created_at: '2026-11-30T09:00:00Z',
    last_pull_at: '2026-12-01T10:00:00Z',
    last_push_at: '2026-12-01T10:00:00Z',
    sessions: 40,
    last_error: null,
    conflicts: [],
    ...overrides,
  };
}

describe('connections: Claude Managed Agents', () => {
  it('lists the managed agents the key sees and links the one chosen, with a store if given', async () => {
    let linked: ManagedLink | null = null;
    const backend = base({
      managed_link: () => linked,
      managed_agents: () => [
        { id: 'agent_011', name: 'Support desk', description: null, model: 'claude-sonnet-4-5', created_at: null, linked_to: null },
        { id: 'agent_012', name: 'Billing', description: null, model: null, created_at: null, linked_to: 'billing' },
      ],
      link_managed: () => (linked = link()),
    });
    render(ConnectionsTab, { agent });
    await userEvent.click(await screen.findByTestId('managed-choose'));
    const rows = await screen.findAllByTestId('managed-agent');
    expect(rows[1]).toHaveTextContent('linked to billing');
    await userEvent.click(within(rows[0]).getByRole('radio'));
    await userEvent.type(screen.getByTestId('managed-store'), 'memstore_01');
    await userEvent.click(screen.getByTestId('managed-link'));
    expect(await screen.findByTestId('managed-note')).toHaveTextContent('Linked to Support desk');
    expect(backend.of('link_managed')[0].args).toEqual({
      agent: agent.slug,
      managedAgentId: 'agent_011',
      memoryStoreId: 'memstore_01',
    });
    expect(await screen.findByTestId('managed-linked')).toHaveTextContent('40 sessions pulled');
  });

  it('a missing key says where to add it', async () => {
    base({ managed_agents: () => fail('no_key', 'Claude Managed Agents need an Anthropic API key for https://api.anthropic.com') });
    render(ConnectionsTab, { agent });
    await userEvent.click(await screen.findByTestId('managed-choose'));
    expect(await screen.findByTestId('managed-list-error')).toHaveTextContent('Add your API key in Settings.');
  });

  it('pulls, publishes, and shows both sides of a document changed in the store', async () => {
    const backend = base({
      managed_link: () =>
        link({
          last_error: '1 document(s) of the memory store were changed outside Reverie',
          conflicts: [
            { path: '/team.md', ours: '# Team-wide\n\n- Answer plainly.\n', theirs: '# Team-wide\n\n- Always upsell.\n', found_at: '2026-12-01T10:00:00Z' },
          ],
        }),
      pull_managed: () => ({ listed: 12, imported: 3, updated: 1, outcomes: 4, problems: [], memory_added: 0 }),
      push_managed: () => ({ memory_store_id: 'memstore_01', created: 0, updated: 1, deleted: 0, unchanged: 1, conflicts: [], problems: [] }),
    });
    render(ConnectionsTab, { agent });
    const conflict = await screen.findByTestId('managed-conflict');
    expect(conflict).toHaveTextContent('/team.md');
    expect(conflict).toHaveTextContent('Answer plainly.');
    expect(conflict).toHaveTextContent('Always upsell.');

    await userEvent.click(screen.getByTestId('managed-pull'));
    expect(await screen.findByTestId('managed-note')).toHaveTextContent('Pulled 3 new sessions, 1 updated, 4 outcome verdicts.');
    await userEvent.click(screen.getByTestId('managed-take-memory'));
    await waitFor(() => expect(backend.of('pull_managed')).toHaveLength(2));
    expect(backend.of('pull_managed')[1].args).toEqual({ agent: agent.slug, memory: true });

    // Writing over the store's text asks first, then forces.
    await userEvent.click(screen.getByTestId('managed-force'));
    expect(backend.of('push_managed')).toHaveLength(0);
    const dialog = await screen.findByRole('alertdialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Write over them' }));
    await waitFor(() => expect(backend.of('push_managed')).toHaveLength(1));
    expect(backend.of('push_managed')[0].args).toEqual({ agent: agent.slug, force: true });
  });

  it('starts an Anthropic dream over the sessions asked for and opens it', async () => {
    const backend = base({
      managed_link: () => link(),
      start_managed_dream: () => ({ id: 9 }),
    });
    render(ConnectionsTab, { agent });
    const count = await screen.findByTestId('managed-dream-sessions');
    await userEvent.clear(count);
    await userEvent.type(count, '30');
    await userEvent.click(screen.getByTestId('managed-dream'));
    await waitFor(() => expect(backend.of('start_managed_dream')).toHaveLength(1));
    expect(backend.of('start_managed_dream')[0].args).toEqual({ agent: agent.slug, sessions: 30 });
    await waitFor(() => expect(window.location.hash).toBe(`#/agents/${agent.slug}/dreams/9`));
  });
});
