import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { emit } from '@tauri-apps/api/event';
import WorkTab from '../lib/components/WorkTab.svelte';
import type { Asked, ErrorJson, ProviderStatus, Turn, WorkDelta, WorkEnded } from '../lib/api';
import { navigate, route } from '../lib/route.svelte';
import { mockBackend } from './backend';
import { harbourSession, memoryEntry, memoryPrompt } from './fixtures';

const configured: ProviderStatus = {
  configured: true,
  kind: 'anthropic',
  base_url: null,
  base_url_from_env: false,
  model: 'claude-sonnet-4-5',
  use_batches: false,
  key: 'keychain',
};

const scopes = [
  { key: 'client', value: 'Northwind', label: 'client: Northwind', sessions: 4 },
  { key: 'client', value: 'Harbour Tea', label: 'client: Harbour Tea', sessions: 9 },
  { key: 'channel', value: 'x', label: 'channel: x', sessions: 2 },
];

/** The memory read for an answer: six entries. */
const sixEntries = memoryPrompt({
  used: [1, 2, 3, 4, 5, 6].map((id) => memoryEntry({ id, content: `Rule number ${id}.` })),
  left_out: [],
});

type Handlers = Record<string, (args: Record<string, unknown>) => unknown>;

/**
 * A backend whose `work_send` answers only when the test says so, as the real one may answer
 * after the first words of the answer arrived.
 */
function workBackend(extra: Handlers = {}) {
  let answer: ((asked: Asked) => void) | null = null;
  let refuse: ((error: ErrorJson) => void) | null = null;
  const b = mockBackend(
    {
      provider_status: () => configured,
      list_scopes: () => scopes,
      memory_prompt: () => memoryPrompt(),
      work_send: () =>
        new Promise((resolve, reject) => {
          answer = resolve;
          refuse = reject;
        }),
      work_stop: () => null,
      ...extra,
    },
    { events: true },
  );
  return {
    ...b,
    /** `work_send` answers with the saved message. */
    asked: (session: string, message: number, memory = memoryPrompt()) => answer?.({ session, message, memory }),
    refused: (error: ErrorJson) => refuse?.(error),
  };
}

const text = (session: string, words: string, reset = false) =>
  emit('work-text', { session, text: words, reset } satisfies WorkDelta);
const finished = (ended: WorkEnded) => emit('work-finished', ended);
const turn = (overrides: Partial<Turn> = {}): Turn => ({
  session: 'chat-1',
  message: 1,
  answer: 'Meet our autumn blend. Warm and spicy.',
  stopped: false,
  memory: sixEntries,
  ...overrides,
});
const latestAnswer = () => screen.getAllByTestId('work-answer').at(-1) as HTMLElement;

/** The Work view on a new conversation, ready to hear the answer's events. */
async function openWork(session: string | null = null) {
  navigate({ agent: 'social-drafts', tab: 'work', session });
  render(WorkTab, { agent: 'social-drafts', session });
  await screen.findByTestId('work-input');
  // The events are heard once the view has settled.
  await screen.findByTestId('preview-note');
}

async function sendTask(words: string) {
  await userEvent.type(screen.getByTestId('work-input'), words);
  await userEvent.click(screen.getByTestId('work-send'));
}

describe('work with the agent', () => {
  it('sends a task for a client, shows it at once, and builds the answer as it streams', async () => {
    const b = workBackend();
    await openWork();

    const client = screen.getByTestId('work-client');
    await waitFor(() => expect(within(client).getAllByRole('option')).toHaveLength(4));
    expect(within(client).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'No client (team-wide memory only)',
      'Harbour Tea',
      'Northwind',
      'Another client…',
    ]);
    await userEvent.selectOptions(client, 'Harbour Tea');
    await sendTask("Draft today's post.");

    // The message shows before the engine has saved it.
    expect(screen.getByTestId('work-pending')).toHaveTextContent("Draft today's post.");
    expect(screen.getByTestId('work-input')).toHaveValue('');
    await waitFor(() => expect(b.of('work_send')).toHaveLength(1));
    expect(b.of('work_send')[0].args).toEqual({
      agent: 'social-drafts',
      session: null,
      tags: { client: 'Harbour Tea' },
      text: "Draft today's post.",
    });

    // The first words arrive before `work_send` says which session this is.
    await text('chat-1', 'Meet our');
    await text('chat-1', ' autumn blend!');
    await text('chat-other', 'Not this one');
    b.asked('chat-1', 0);
    await waitFor(() => expect(latestAnswer()).toHaveTextContent('Meet our autumn blend!'));
    expect(latestAnswer()).not.toHaveTextContent('Not this one');
    expect(screen.queryByTestId('work-pending')).not.toBeInTheDocument();
    const person = screen.getAllByTestId('message').find((m) => m.dataset.message === '0') as HTMLElement;
    expect(person).toHaveTextContent("Draft today's post.");
    // The conversation gets its own address.
    expect(window.location.hash).toBe('#/agents/social-drafts/work/chat-1');
    expect(screen.getByTestId('work-open-session')).toHaveAttribute('href', '#/agents/social-drafts/sessions/chat-1');
    expect(screen.getByTestId('work-tags')).toHaveTextContent('client: Harbour Tea');
    expect(screen.getByTestId('work-stop')).toBeInTheDocument();
    expect(screen.getByTestId('work-send')).toBeDisabled();

    // The provider failed mid-answer and was asked again: what came so far goes.
    await text('chat-1', '', true);
    await text('chat-1', 'Meet our autumn blend.');
    await text('chat-1', ' Warm and spicy.');
    expect(latestAnswer()).toHaveTextContent(/^Meet our autumn blend\. Warm and spicy\.$/);
    expect(within(latestAnswer().closest('li') as HTMLElement).queryByTestId('feedback-accept')).not.toBeInTheDocument();

    await finished({ session: 'chat-1', turn: turn(), error: null });
    const answer = await waitFor(() => {
      const found = screen.getAllByTestId('message').find((m) => m.dataset.message === '1');
      expect(found).toBeDefined();
      return found as HTMLElement;
    });
    expect(within(answer).getByTestId('work-answer')).toHaveTextContent('Meet our autumn blend. Warm and spicy.');
    expect(within(answer).getByTestId('feedback-accept')).toBeInTheDocument();
    expect(within(answer).getByTestId('feedback-edit')).toBeInTheDocument();
    expect(screen.queryByTestId('work-stop')).not.toBeInTheDocument();
    expect(screen.getAllByTestId('work-answer')).toHaveLength(1);

    const used = screen.getByTestId('work-used');
    expect(used).toHaveTextContent('Used 6 memory entries');
    await userEvent.click(within(used).getByText('Used 6 memory entries'));
    expect(used).toHaveAttribute('open');
    expect(within(used).getAllByRole('listitem')).toHaveLength(6);
    expect(used).toHaveTextContent('Rule number 6.');
  });

  it('picks up an answer that ended before work_send answered', async () => {
    const b = workBackend();
    await openWork();
    await sendTask('Quick one.');
    await waitFor(() => expect(b.of('work_send')).toHaveLength(1));

    await text('chat-1', 'Done.');
    await finished({ session: 'chat-1', turn: turn({ answer: 'Done.' }), error: null });
    b.asked('chat-1', 0);

    await waitFor(() => expect(screen.getByTestId('work-used')).toHaveTextContent('Used 6 memory entries'));
    expect(screen.getAllByTestId('work-answer')).toHaveLength(1);
    expect(latestAnswer()).toHaveTextContent('Done.');
    expect(screen.queryByTestId('work-stop')).not.toBeInTheDocument();
    expect(screen.getByTestId('feedback-accept')).toBeInTheDocument();
  });

  it('sends with Ctrl+Enter, with no client as no tags', async () => {
    const b = workBackend();
    await openWork();
    await userEvent.type(screen.getByTestId('work-input'), 'Plan the week.');
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(b.of('work_send')).toHaveLength(1));
    expect(b.of('work_send')[0].args).toMatchObject({ session: null, tags: {}, text: 'Plan the week.' });
  });

  it('sends for a client typed in', async () => {
    const b = workBackend();
    await openWork();
    await userEvent.selectOptions(screen.getByTestId('work-client'), 'Another client…');
    await userEvent.type(screen.getByTestId('work-client-other'), 'Blue Finch');
    await waitFor(() => expect(b.of('memory_prompt').at(-1)?.args.tags).toEqual({ client: 'Blue Finch' }));
    await sendTask('Hello.');
    await waitFor(() => expect(b.of('work_send')).toHaveLength(1));
    expect(b.of('work_send')[0].args.tags).toEqual({ client: 'Blue Finch' });
  });

  it('stops an answer: what arrived stays, marked stopped', async () => {
    const b = workBackend();
    await openWork();
    await sendTask('Write a long thread.');
    await waitFor(() => expect(b.of('work_send')).toHaveLength(1));
    b.asked('chat-1', 0);
    await text('chat-1', 'Part one of');
    await waitFor(() => expect(latestAnswer()).toHaveTextContent('Part one of'));

    await userEvent.click(screen.getByTestId('work-stop'));
    await waitFor(() => expect(b.of('work_stop')).toHaveLength(1));
    expect(b.of('work_stop')[0].args).toEqual({ session: 'chat-1' });
    await finished({ session: 'chat-1', turn: turn({ answer: 'Part one of', stopped: true }), error: null });

    const answer = await waitFor(() => screen.getAllByTestId('message').find((m) => m.dataset.message === '1') as HTMLElement);
    expect(within(answer).getByTestId('message-stopped')).toHaveTextContent('(stopped)');
    expect(within(answer).getByTestId('work-answer')).toHaveTextContent('Part one of');
    expect(screen.queryByTestId('work-stop')).not.toBeInTheDocument();
  });

  it('says in plain words when the answer failed, and tries again on the same session', async () => {
    const b = workBackend();
    await openWork();
    await sendTask('Draft it.');
    await waitFor(() => expect(b.of('work_send')).toHaveLength(1));
    b.asked('chat-1', 0);
    await text('chat-1', 'Half');
    await finished({
      session: 'chat-1',
      turn: null,
      error: { code: 'provider_failed', message: 'Anthropic did not answer in 60 s' },
    });

    const error = await screen.findByTestId('work-error');
    expect(error).toHaveTextContent("The agent couldn't answer.");
    expect(error).toHaveTextContent('The AI provider could not be reached or gave an unusable answer.');
    expect(error).toHaveTextContent('Anthropic did not answer in 60 s');
    expect(screen.queryByTestId('work-answer')).not.toBeInTheDocument();
    // The person's message is saved and stays.
    expect(screen.getAllByTestId('message')).toHaveLength(1);

    await userEvent.click(screen.getByTestId('work-retry'));
    await waitFor(() => expect(b.of('work_send')).toHaveLength(2));
    expect(b.of('work_send')[1].args).toEqual({ agent: 'social-drafts', session: 'chat-1', tags: {}, text: '' });
    expect(screen.queryByTestId('work-error')).not.toBeInTheDocument();
    // Asking again does not repeat the person's message.
    b.asked('chat-1', 0);
    await text('chat-1', 'Second try.');
    await finished({ session: 'chat-1', turn: turn({ answer: 'Second try.' }), error: null });
    await waitFor(() => expect(latestAnswer()).toHaveTextContent('Second try.'));
    expect(screen.getAllByTestId('message').map((m) => m.dataset.role)).toEqual(['user', 'assistant']);
  });

  it('gives the message back when it could not be sent, and says why', async () => {
    const b = workBackend();
    await openWork('s-0001');
    await sendTask('And another.');
    await waitFor(() => expect(b.of('work_send')).toHaveLength(1));
    b.refused({ code: 'busy', message: 'the agent is still answering in this session; wait for it or stop it' });

    const error = await screen.findByTestId('work-error');
    expect(error).toHaveTextContent("Couldn't send your message.");
    expect(error).toHaveTextContent('The agent is still answering in this conversation; wait for it or stop it.');
    expect(error).not.toHaveTextContent("database was busy");
    expect(screen.getByTestId('work-input')).toHaveValue('And another.');
    expect(screen.queryByTestId('work-pending')).not.toBeInTheDocument();
  }, 10_000);

  it('continues a session with its own tags, and judges its answers there', async () => {
    const b = workBackend({
      get_session: () => harbourSession,
      session_feedback: () => ({ ...harbourSession, feedback: [], judged_here: [2] }),
    });
    await openWork('s-0001');

    expect(screen.getByTestId('work-tags')).toHaveTextContent('client: Harbour Tea');
    expect(screen.queryByTestId('work-client')).not.toBeInTheDocument();
    expect(b.of('get_session')[0].args).toEqual({ agent: 'social-drafts', id: 's-0001' });
    await waitFor(() => expect(b.of('memory_prompt').at(-1)?.args).toEqual({
      agent: 'social-drafts',
      tags: { client: 'Harbour Tea' },
    }));
    // Its earlier answer can be judged here too.
    const earlier = screen.getAllByTestId('message').find((m) => m.dataset.message === '2') as HTMLElement;
    await userEvent.click(within(earlier).getByTestId('feedback-clear'));
    await waitFor(() => expect(b.of('session_feedback')).toHaveLength(1));
    expect(b.of('session_feedback')[0].args).toEqual({
      agent: 'social-drafts',
      id: 's-0001',
      change: { message: 2, verdict: null, final_text: null, comment: null },
    });

    await sendTask('Now one for Friday.');
    await waitFor(() => expect(b.of('work_send')).toHaveLength(1));
    expect(b.of('work_send')[0].args).toEqual({
      agent: 'social-drafts',
      session: 's-0001',
      tags: {},
      text: 'Now one for Friday.',
    });
    // The session is known, so the answer shows (and can be stopped) before work_send answers.
    await text('s-0001', 'Friday!');
    await waitFor(() => expect(latestAnswer()).toHaveTextContent('Friday!'));
    expect(screen.getByTestId('work-stop')).toBeInTheDocument();
  });

  it('starts a new conversation', async () => {
    const b = workBackend({ get_session: () => harbourSession });
    await openWork('s-0001');
    await userEvent.click(screen.getByTestId('work-new'));
    await waitFor(() => expect(route.session).toBeNull());
    expect(screen.getByTestId('work-client')).toBeInTheDocument();
    expect(screen.queryAllByTestId('message')).toHaveLength(0);
    await sendTask('Fresh start.');
    await waitFor(() => expect(b.of('work_send')).toHaveLength(1));
    expect(b.of('work_send')[0].args.session).toBeNull();
  });

  it('explains what to set up when no provider is chosen, and offers no sending', async () => {
    const b = workBackend({ provider_status: () => ({ ...configured, configured: false, kind: null, key: 'missing' }) });
    navigate({ agent: 'social-drafts', tab: 'work' });
    render(WorkTab, { agent: 'social-drafts', session: null });

    const help = await screen.findByTestId('work-no-provider');
    expect(help).toHaveTextContent('Open Settings and choose Claude (paste your API key)');
    expect(help).toHaveTextContent('Ollama or LM Studio');
    expect(help).toHaveTextContent('http://localhost:11434/v1');
    expect(help).toHaveTextContent('Come back here and type a task');
    expect(screen.queryByTestId('work-input')).not.toBeInTheDocument();
    expect(screen.queryByTestId('work-send')).not.toBeInTheDocument();
    // What the agent reads still shows.
    expect(await screen.findByTestId('preview-note')).toBeInTheDocument();

    await userEvent.click(within(help).getByTestId('work-open-settings'));
    expect(window.location.hash).toBe('#/settings');
    expect(b.of('work_send')).toHaveLength(0);
  });
});
