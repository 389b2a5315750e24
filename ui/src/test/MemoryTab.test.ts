import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import MemoryTab from '../lib/components/MemoryTab.svelte';
import type { MemoryEntry, MemoryEvent } from '../lib/api';
import { fail, mockBackend } from './backend';
import { memoryEntry } from './fixtures';

describe('memory', () => {
  it('groups entries by scope, team-wide first, with provenance', async () => {
    mockBackend({
      list_memory: () => [
        memoryEntry({
          id: 3,
          content: 'Sign Harbour Tea posts with "— the Harbour team".',
          scope: { client: 'Harbour Tea' },
          source: 'dream',
          dream_id: 12,
          session_ids: ['s-1', 's-2', 's-3', 's-4', 's-5', 's-6'],
          support: 6,
        }),
        memoryEntry({ id: 1 }),
        memoryEntry({
          id: 2,
          content: 'Northwind wants numbered lists.',
          scope: { client: 'Northwind' },
          source: 'import',
        }),
      ],
    });
    render(MemoryTab, { agent: 'social-drafts' });

    const groups = await screen.findAllByTestId('memory-group');
    expect(groups.map((g) => g.getAttribute('aria-label'))).toEqual([
      'Team-wide',
      'client: Harbour Tea',
      'client: Northwind',
    ]);

    const [teamWide] = within(groups[0]).getAllByTestId('memory-entry');
    expect(teamWide).toHaveTextContent('Never use exclamation marks in posts.');
    expect(teamWide).toHaveTextContent('Typed by a person');
    expect(teamWide).toHaveTextContent(/Changed .*2026/);

    const fromDream = within(groups[1]).getByTestId('memory-entry');
    expect(fromDream).toHaveTextContent('From dream #12 · 6 sessions');
    expect(within(groups[2]).getByTestId('memory-entry')).toHaveTextContent('Imported');
    expect(screen.getAllByTestId('memory-entry')).toHaveLength(3);
  });

  it('explains that dreams propose entries when there are none', async () => {
    mockBackend({ list_memory: () => [] });
    render(MemoryTab, { agent: 'social-drafts' });

    const empty = await screen.findByTestId('memory-empty');
    expect(empty).toHaveTextContent('No memory yet');
    expect(empty).toHaveTextContent(/dreams over the agent's sessions, it proposes memory entries/);
    expect(empty).toHaveTextContent('The ones you approve appear here.');
  });

  it('shows an error with its code', async () => {
    mockBackend({ list_memory: () => fail('database_too_new', 'database version 9 is newer than 3') });
    render(MemoryTab, { agent: 'social-drafts' });

    const alert = await screen.findByTestId('error');
    expect(alert).toHaveTextContent('Update the app to open it.');
    expect(alert).toHaveTextContent('Code: database_too_new');
  });
});

/** A memory store that records changes, as the engine does. */
function memoryBackend(start: MemoryEntry[] = [memoryEntry()]) {
  let entries = [...start];
  let nextId = 100;
  return mockBackend({
    list_memory: () => entries,
    list_scopes: () => [
      { key: 'client', value: 'Harbour Tea', label: 'client: Harbour Tea', sessions: 9 },
      { key: 'client', value: 'Northwind', label: 'client: Northwind', sessions: 4 },
    ],
    add_memory: (args) => {
      const entry = memoryEntry({
        id: nextId++,
        content: args.content as string,
        scope: args.scope as MemoryEntry['scope'],
        updated_at: '2026-11-21T10:00:00Z',
      });
      entries = [entry, ...entries];
      return entry;
    },
    edit_memory: (args) => {
      const entry = memoryEntry({
        ...entries.find((e) => e.id === args.id)!,
        content: args.content as string,
        scope: args.scope as MemoryEntry['scope'],
        scope_label: undefined,
      });
      entries = entries.map((e) => (e.id === entry.id ? entry : e));
      return entry;
    },
    delete_memory: (args) => {
      entries = entries.filter((e) => e.id !== args.id);
      return null;
    },
  });
}

describe('memory by hand', () => {
  it('adds an entry for one client', async () => {
    const b = memoryBackend();
    render(MemoryTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('memory-entry');

    await userEvent.click(screen.getByTestId('memory-add'));
    await waitFor(() => expect(screen.getByTestId('memory-content')).toHaveFocus());
    expect(screen.getByTestId('memory-save')).toBeDisabled();
    const scope = screen.getByTestId('memory-scope');
    await waitFor(() => expect(within(scope).getAllByRole('option')).toHaveLength(3));
    expect(within(scope).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Team-wide',
      'client: Harbour Tea',
      'client: Northwind',
    ]);
    await userEvent.type(screen.getByTestId('memory-content'), 'Northwind posts go out before 9:00.');
    await userEvent.selectOptions(scope, 'client: Northwind');
    await userEvent.click(screen.getByTestId('memory-save'));

    await waitFor(() => expect(b.of('add_memory')).toHaveLength(1));
    expect(b.of('add_memory')[0].args).toEqual({
      agent: 'social-drafts',
      content: 'Northwind posts go out before 9:00.',
      scope: { client: 'Northwind' },
    });
    const group = await screen.findByRole('region', { name: 'client: Northwind' });
    expect(group).toHaveTextContent('Northwind posts go out before 9:00.');
    expect(screen.queryByTestId('memory-content')).not.toBeInTheDocument();
  });

  it('edits an entry in place', async () => {
    const b = memoryBackend();
    render(MemoryTab, { agent: 'a' });
    const entry = await screen.findByTestId('memory-entry');

    await userEvent.click(within(entry).getByTestId('memory-edit'));
    const content = within(entry).getByTestId('memory-content');
    expect(content).toHaveValue('Never use exclamation marks in posts.');
    await userEvent.clear(content);
    await userEvent.type(content, 'Never use exclamation marks.');
    await userEvent.click(within(entry).getByTestId('memory-save'));

    await waitFor(() => expect(screen.getByTestId('memory-entry')).toHaveTextContent('Never use exclamation marks.'));
    expect(b.of('edit_memory')[0].args).toEqual({ agent: 'a', id: 1, content: 'Never use exclamation marks.', scope: {} });
  });

  it('deletes an entry only after the person confirms', async () => {
    const b = memoryBackend([memoryEntry(), memoryEntry({ id: 2, content: 'Use British spelling.' })]);
    render(MemoryTab, { agent: 'a' });
    const [first] = await screen.findAllByTestId('memory-entry');

    await userEvent.click(within(first).getByTestId('memory-delete'));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this entry?' });
    await userEvent.keyboard('{Escape}');
    expect(dialog).not.toBeInTheDocument();
    expect(b.of('delete_memory')).toHaveLength(0);

    await userEvent.click(within(first).getByTestId('memory-delete'));
    await userEvent.click(screen.getByTestId('confirm-yes'));
    await waitFor(() => expect(screen.getAllByTestId('memory-entry')).toHaveLength(1));
    expect(b.of('delete_memory')[0].args).toEqual({ agent: 'a', id: 1 });
  });

  it('filters entries by the words searched', async () => {
    memoryBackend([
      memoryEntry(),
      memoryEntry({ id: 2, content: 'Northwind wants numbered lists.', scope: { client: 'Northwind' } }),
    ]);
    render(MemoryTab, { agent: 'a' });
    await screen.findAllByTestId('memory-entry');

    await userEvent.type(screen.getByTestId('memory-search'), 'numbered');
    expect(screen.getAllByTestId('memory-entry')).toHaveLength(1);
    expect(screen.getByTestId('memory-entry')).toHaveTextContent('Northwind wants numbered lists.');
    await userEvent.clear(screen.getByTestId('memory-search'));
    await userEvent.type(screen.getByTestId('memory-search'), 'zebra');
    expect(await screen.findByTestId('memory-none-match')).toHaveTextContent('No entries match');
  });

  it('shows the history: what changed, when, and by whom', async () => {
    const events: MemoryEvent[] = [
      { version: 3, entry_id: 2, kind: 'remove', before: 'Sign posts.', after: null, dream_id: 4, proposal_id: 43, actor: 'undo', who: 'you, undoing Dream 1', at: '2026-11-21T09:00:00Z' },
      { version: 2, entry_id: 2, kind: 'add', before: null, after: 'Sign posts.', dream_id: 4, proposal_id: 43, actor: 'person', who: 'you, from Dream 1', at: '2026-11-20T09:00:00Z' },
      { version: 1, entry_id: 1, kind: 'edit', before: 'No !', after: 'Never use exclamation marks.', dream_id: null, proposal_id: null, actor: 'person', who: 'you', at: '2026-11-19T09:00:00Z' },
    ];
    const b = mockBackend({ list_memory: () => [memoryEntry()], memory_history: () => events });
    render(MemoryTab, { agent: 'a' });
    await screen.findByTestId('memory-entry');
    expect(b.of('memory_history')).toHaveLength(0);

    await userEvent.click(screen.getByTestId('memory-history'));
    const history = screen.getByTestId('memory-history-panel');
    const rows = await within(history).findAllByTestId('history-event');
    // Who, in the engine's words: the person is "you", dreams go by the agent's own count.
    expect(rows[0]).toHaveTextContent('Removed by you, undoing Dream 1');
    expect(rows[0].querySelector('del')).toHaveTextContent('Sign posts.');
    expect(rows[1]).toHaveTextContent('Added by you, from Dream 1');
    expect(rows[2]).toHaveTextContent('Edited by you');
    expect(rows[2].querySelector('ins')).toHaveTextContent('Never use exclamation marks.');
  });

  it('exports memory as JSONL to the chosen file', async () => {
    const b = mockBackend({
      list_memory: () => [memoryEntry()],
      pick_file: () => '/home/mei/memory.jsonl',
      export_memory: () => null,
    });
    render(MemoryTab, { agent: 'social-drafts' });
    await screen.findByTestId('memory-entry');

    await userEvent.selectOptions(screen.getByTestId('memory-export-format'), 'JSONL');
    await userEvent.click(screen.getByTestId('memory-export'));
    await waitFor(() => expect(b.of('export_memory')).toHaveLength(1));
    expect(b.of('export_memory')[0].args).toEqual({ agent: 'social-drafts', format: 'jsonl', path: '/home/mei/memory.jsonl' });
    expect(b.of('pick_file')[0].args).toEqual({
      purpose: 'export_memory',
      filter: { name: 'JSON Lines', extensions: ['jsonl'] },
      suggestedName: 'social-drafts-memory.jsonl',
    });
    expect(await screen.findByText('Exported memory to /home/mei/memory.jsonl.')).toBeInTheDocument();
  });

  it('exports nothing when the person cancels the save dialog', async () => {
    const b = mockBackend({
      list_memory: () => [memoryEntry()],
      pick_file: () => null,
      export_memory: () => null,
    });
    render(MemoryTab, { agent: 'social-drafts' });
    await screen.findByTestId('memory-entry');

    await userEvent.click(screen.getByTestId('memory-export'));
    await waitFor(() => expect(b.of('pick_file')).toHaveLength(1));
    expect(b.of('pick_file')[0].args).toEqual({
      purpose: 'export_memory',
      filter: { name: 'Markdown', extensions: ['md'] },
      suggestedName: 'social-drafts-memory.md',
    });
    expect(b.of('export_memory')).toHaveLength(0);
    expect(screen.queryByText(/Exported memory/)).not.toBeInTheDocument();
  });

  it('says why a change failed, with the code', async () => {
    mockBackend({
      list_memory: () => [memoryEntry()],
      delete_memory: () => fail('not_found', 'no memory entry 1'),
    });
    render(MemoryTab, { agent: 'a' });
    await userEvent.click(within(await screen.findByTestId('memory-entry')).getByTestId('memory-delete'));
    await userEvent.click(screen.getByTestId('confirm-yes'));
    const alert = await screen.findByTestId('action-error');
    expect(alert).toHaveTextContent("Couldn't delete the entry.");
    expect(alert).toHaveTextContent('Code: not_found');
    expect(screen.getByTestId('memory-entry')).toBeInTheDocument();
  });
});
