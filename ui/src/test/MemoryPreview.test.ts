import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import MemoryTab from '../lib/components/MemoryTab.svelte';
import MemoryPreview from '../lib/components/MemoryPreview.svelte';
import type { MemoryEntry } from '../lib/api';
import { fail, mockBackend } from './backend';
import { memoryEntry, memoryPrompt } from './fixtures';

const scopes = [{ key: 'client', value: 'Harbour Tea', label: 'client: Harbour Tea', sessions: 9 }];

describe('what the agent reads', () => {
  it('shows the exact text, the note, the tokens, the entries used and those left out', async () => {
    const prompt = memoryPrompt();
    const b = mockBackend({ memory_prompt: () => prompt });
    render(MemoryPreview, { agent: 'social-drafts', tags: { client: 'Harbour Tea' } });

    expect(await screen.findByTestId('preview-note')).toHaveTextContent(
      '2 entries from memory, about 41 tokens; 1 entry left out to stay within 1500 tokens.',
    );
    expect(b.of('memory_prompt')[0].args).toEqual({ agent: 'social-drafts', tags: { client: 'Harbour Tea' } });
    expect(screen.getByTestId('preview-tokens')).toHaveTextContent('About 41 of 1,500 tokens');
    const text = screen.getByTestId('preview-text');
    expect(text.tagName).toBe('PRE');
    // Exactly what goes into the prompt, line breaks and all.
    expect(text.textContent).toBe(prompt.text);

    const used = within(screen.getByTestId('preview-used')).getAllByTestId('preview-entry');
    expect(used.map((e) => e.dataset.id)).toEqual(['1', '2']);
    expect(used[1]).toHaveTextContent('Harbour Tea posts never use exclamation marks.');
    expect(used[1]).toHaveTextContent('client: Harbour Tea');
    const left = within(screen.getByTestId('preview-left-out')).getAllByTestId('preview-entry');
    expect(left.map((e) => e.textContent)).toEqual([expect.stringContaining('Mention the autumn range in October.')]);
  });

  it('says when memory is off, with no text', async () => {
    mockBackend({
      memory_prompt: () =>
        memoryPrompt({
          enabled: false,
          text: '',
          tokens: 0,
          used: [],
          left_out: [],
          note: 'Memory is off for this agent: nothing from memory goes into its prompt.',
        }),
    });
    render(MemoryPreview, { agent: 'social-drafts', tags: {} });
    expect(await screen.findByTestId('preview-note')).toHaveTextContent('Memory is off for this agent');
    expect(screen.queryByTestId('preview-text')).not.toBeInTheDocument();
    expect(screen.queryByTestId('preview-used')).not.toBeInTheDocument();
    expect(screen.queryByTestId('preview-left-out')).not.toBeInTheDocument();
  });

  it('says why it could not be shown', async () => {
    mockBackend({ memory_prompt: () => fail('not_found', 'no agent named x') });
    render(MemoryPreview, { agent: 'x', tags: {} });
    const alert = await screen.findByTestId('preview-error');
    expect(alert).toHaveTextContent("Couldn't show what the agent reads.");
    expect(alert).toHaveTextContent('Code: not_found');
  });

  it('on the Memory tab: follows the client chosen, and memory as it changes', async () => {
    let list: MemoryEntry[] = [memoryEntry({ id: 1 })];
    const b = mockBackend({
      list_memory: () => list,
      list_scopes: () => scopes,
      memory_prompt: (args) =>
        memoryPrompt({
          tags: args.tags as Record<string, string>,
          used: list,
          left_out: [],
          note: `${list.length} from memory`,
        }),
      add_memory: (args) => {
        const entry = memoryEntry({ id: 2, content: args.content as string });
        list = [entry, ...list];
        return entry;
      },
    });
    render(MemoryTab, { agent: 'social-drafts' });
    await screen.findAllByTestId('memory-entry');
    expect(screen.queryByTestId('preview')).not.toBeInTheDocument();

    const toggle = screen.getByTestId('memory-preview-toggle');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(await screen.findByTestId('preview-note')).toHaveTextContent('1 from memory');
    expect(b.of('memory_prompt')[0].args).toEqual({ agent: 'social-drafts', tags: {} });

    const client = screen.getByTestId('preview-client');
    await waitFor(() => expect(within(client).getAllByRole('option')).toHaveLength(3));
    await userEvent.selectOptions(client, 'Harbour Tea');
    await waitFor(() =>
      expect(b.of('memory_prompt').at(-1)?.args).toEqual({ agent: 'social-drafts', tags: { client: 'Harbour Tea' } }),
    );

    // A new entry shows in the preview without asking.
    await userEvent.click(screen.getByTestId('memory-add'));
    await userEvent.type(screen.getByTestId('memory-content'), 'Use British spelling.');
    await userEvent.click(screen.getByTestId('memory-save'));
    await waitFor(() => expect(screen.getByTestId('preview-note')).toHaveTextContent('2 from memory'));
    expect(b.of('memory_prompt').at(-1)?.args.tags).toEqual({ client: 'Harbour Tea' });
  });
});
