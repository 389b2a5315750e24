import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Transcript from '../lib/components/Transcript.svelte';
import type { Session } from '../lib/api';
import { fail, mockBackend } from './backend';
import { harbourSession } from './fixtures';

describe('transcript', () => {
  it('shows the conversation with each role styled as itself', async () => {
    mockBackend({ get_session: () => harbourSession });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });

    const transcript = await screen.findByTestId('transcript');
    const messages = within(transcript).getAllByTestId('message');
    expect(messages.map((m) => m.dataset.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
    expect(messages[1]).toHaveTextContent("Draft today's post for Harbour Tea.");
    expect(messages[1]).toHaveClass('user');

    const call = within(messages[2]).getByTestId('tool-call');
    expect(call).toHaveTextContent('search_catalog');
    expect(call).toHaveTextContent('{"query":"autumn blend"}');
  });

  it('shows who ran it, when, and its scope tags', async () => {
    mockBackend({ get_session: () => harbourSession });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });

    const transcript = await screen.findByTestId('transcript');
    expect(transcript).toHaveTextContent('mei');
    expect(transcript).toHaveTextContent('5 min');
    const [tag] = within(transcript).getAllByTestId('session-tag');
    expect(tag).toHaveClass('chip');
    expect(tag).toHaveTextContent('client: Harbour Tea');
    const started = within(transcript).getByText((_, el) => el?.tagName === 'TIME');
    expect(started).toHaveAttribute('datetime', '2026-11-02T09:00:00Z');
    expect(started.textContent).toContain('2026');
  });

  it('shows a revision with what they used, word by word', async () => {
    mockBackend({ get_session: () => harbourSession });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });

    const feedback = await screen.findByTestId('feedback');
    const assistant = feedback.closest('[data-testid="message"]') as HTMLElement;
    expect(assistant.dataset.role).toBe('assistant');
    expect(feedback).toHaveTextContent('Revised');
    expect(feedback).toHaveTextContent('no exclamation marks');
    expect(feedback).toHaveTextContent('What they used');

    const diff = within(feedback).getByTestId('final-diff');
    expect([...diff.querySelectorAll('del')].map((d) => d.textContent)).toEqual(['blend!']);
    expect([...diff.querySelectorAll('ins')].map((d) => d.textContent)).toEqual(['blend.']);

    await userEvent.click(within(feedback).getByLabelText('Show changes'));
    expect(within(feedback).getByTestId('final-text')).toHaveTextContent(
      'Meet our autumn blend. Warm and spicy.',
    );
  });

  it('shows accepted and rejected verdicts without a final text', async () => {
    const session: Session = {
      ...harbourSession,
      messages: [
        { role: 'user', content: 'Two drafts please.', tool_calls: [] },
        { role: 'assistant', content: 'Draft one.', tool_calls: [] },
        { role: 'assistant', content: 'Draft two.', tool_calls: [] },
      ],
      feedback: [
        { message: 1, verdict: 'accepted', final_text: null, comment: null },
        { message: 2, verdict: 'rejected', final_text: null, comment: 'off brand' },
      ],
    };
    mockBackend({ get_session: () => session });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });

    const verdicts = await screen.findAllByTestId('feedback');
    expect(verdicts.map((f) => f.dataset.verdict)).toEqual(['accepted', 'rejected']);
    expect(verdicts[1]).toHaveTextContent('off brand');
    expect(screen.queryByText('What they used')).not.toBeInTheDocument();
  });

  it('lists the grades: outcome, result, who decided and why', async () => {
    mockBackend({ get_session: () => harbourSession });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });

    const grades = await screen.findAllByTestId('grade');
    expect(grades).toHaveLength(2);
    expect(grades[0]).toHaveTextContent('Task completed first pass');
    expect(grades[0]).toHaveTextContent('Not met');
    expect(grades[0]).toHaveTextContent('From feedback');
    expect(grades[0]).toHaveTextContent('The draft was revised before use.');
    expect(grades[1]).toHaveTextContent('Format matched request');
    expect(grades[1]).toHaveTextContent('Met');
    expect(grades[1]).toHaveTextContent('Rule of thumb');
  });

  it('names graded outcomes in the engine’s words, and imported ones by their name', async () => {
    const session: Session = {
      ...harbourSession,
      outcomes: { task_completed_first_pass: false, on_brand_voice: true },
      grades: [{ ...harbourSession.grades[0], label: 'First pass done' }],
    };
    mockBackend({ get_session: () => session });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });

    const grades = await screen.findAllByTestId('grade');
    expect(grades).toHaveLength(2);
    expect(grades[0]).toHaveTextContent('First pass done');
    expect(grades[1]).toHaveTextContent('On brand voice');
    expect(grades[1]).toHaveTextContent('Met');
    expect(grades[1]).toHaveTextContent('In the imported file');
  });

  it('says when a session is missing, with the code', async () => {
    mockBackend({ get_session: () => fail('not_found', 'no session s-9999') });
    render(Transcript, { agent: 'social-drafts', id: 's-9999' });

    const alert = await screen.findByTestId('error');
    expect(alert).toHaveTextContent("Couldn't open this session");
    expect(alert).toHaveTextContent('Code: not_found');
  });
});

describe('coming from a dream', () => {
  it('offers the way back to the dream whose evidence opened the session', async () => {
    const { app } = await import('../lib/app.svelte');
    const { harbourSession } = await import('./fixtures');
    const { mockBackend } = await import('./backend');
    const { render, screen } = await import('@testing-library/svelte');
    const { default: Transcript } = await import('../lib/components/Transcript.svelte');
    mockBackend({ get_session: () => harbourSession, list_scopes: () => [] });
    app.fromDream = { agent: harbourSession.agent, dream: 4, session: harbourSession.id };
    render(Transcript, { agent: harbourSession.agent, id: harbourSession.id });
    const back = await screen.findByTestId('back-to-dream');
    expect(back).toHaveAttribute('href', `#/agents/${harbourSession.agent}/dreams/4`);
    app.fromDream = null;
  });
});
