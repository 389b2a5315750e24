import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import MemoryTab from '../lib/components/MemoryTab.svelte';
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
