import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Transcript from '../lib/components/Transcript.svelte';
import type { FeedbackChange, Session } from '../lib/api';
import { fail, mockBackend } from './backend';
import { harbourSession } from './fixtures';

/** Two answers with no verdict yet; the second was stopped. */
const fresh: Session = {
  ...harbourSession,
  message_count: 4,
  messages: [
    { role: 'user', content: "Draft today's post for Harbour Tea.", tool_calls: [] },
    { role: 'assistant', content: 'Meet our autumn blend! Warm and spicy.', tool_calls: [] },
    { role: 'user', content: 'Shorter, please.', tool_calls: [] },
    { role: 'assistant', content: 'Autumn blend: warm', tool_calls: [], stopped: true },
  ],
  feedback: [],
  judged_here: [],
};

/** A backend that keeps verdicts, comments and tags as the engine does. */
function sessionBackend(start: Session = fresh, extra: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  const session: Session = structuredClone(start);
  return mockBackend({
    get_session: () => structuredClone(session),
    session_feedback: (args) => {
      const change = args.change as FeedbackChange;
      session.feedback = session.feedback.filter((f) => f.message !== change.message);
      session.judged_here = session.judged_here.filter((m) => m !== change.message);
      if (change.verdict) {
        session.feedback.push({
          message: change.message,
          verdict: change.verdict,
          final_text: change.final_text,
          comment: change.comment,
        });
      }
      session.judged_here.push(change.message);
      return structuredClone(session);
    },
    session_comment: (args) => {
      session.comment = (args.comment as string | null) ?? null;
      return structuredClone(session);
    },
    tag_sessions: (args) => {
      const { key, value } = args as { key: string; value: string | null };
      const tags = { ...session.tags };
      if (value === null) delete tags[key];
      else tags[key] = value;
      session.tags = tags;
      session.tags_label = Object.entries(tags).map(([k, v]) => `${k}: ${v}`).join(' · ');
      return 1;
    },
    list_scopes: () => [{ key: 'client', value: 'Northwind', label: 'client: Northwind', sessions: 4 }],
    ...extra,
  });
}

const answer = (index: number) =>
  screen.getAllByTestId('message').find((m) => m.dataset.message === String(index)) as HTMLElement;
const changes = (b: ReturnType<typeof sessionBackend>) => b.of('session_feedback').map((c) => c.args.change);

describe('feedback on a session', () => {
  it('offers a verdict on each answer of the agent, and on nothing else', async () => {
    sessionBackend();
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    await screen.findByTestId('transcript');

    expect(within(answer(1)).getByTestId('feedback-accept')).toBeInTheDocument();
    expect(within(answer(3)).getByTestId('feedback-reject')).toBeInTheDocument();
    expect(within(answer(0)).queryByTestId('feedback-accept')).not.toBeInTheDocument();
    // Nothing to clear before there is a verdict.
    expect(within(answer(1)).queryByTestId('feedback-clear')).not.toBeInTheDocument();
    // An answer the person stopped says so.
    expect(within(answer(3)).getByTestId('message-stopped')).toHaveTextContent('(stopped)');
    expect(within(answer(1)).queryByTestId('message-stopped')).not.toBeInTheDocument();
  });

  it('accepts an answer, and marks the verdict as given here', async () => {
    const b = sessionBackend();
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    await screen.findByTestId('transcript');

    await userEvent.click(within(answer(1)).getByTestId('feedback-accept'));
    await waitFor(() => expect(within(answer(1)).getByTestId('feedback')).toHaveAttribute('data-verdict', 'accepted'));
    expect(b.of('session_feedback')[0].args).toEqual({
      agent: 'social-drafts',
      id: 's-0001',
      change: { message: 1, verdict: 'accepted', final_text: null, comment: null },
    });
    expect(within(answer(1)).getByTestId('feedback-here')).toHaveTextContent('your verdict');
    expect(within(answer(1)).getByTestId('feedback-accept')).toHaveAttribute('aria-pressed', 'true');
    expect(within(answer(3)).queryByTestId('feedback')).not.toBeInTheDocument();
  });

  it('does not mark an imported verdict as given here', async () => {
    sessionBackend({ ...harbourSession, judged_here: [] });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    const feedback = await screen.findByTestId('feedback');
    expect(within(feedback).queryByTestId('feedback-here')).not.toBeInTheDocument();
  });

  it('edits an answer into the text the person used: revised, shown word by word', async () => {
    const b = sessionBackend();
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    await screen.findByTestId('transcript');

    await userEvent.click(within(answer(1)).getByTestId('feedback-edit'));
    const text = within(answer(1)).getByTestId('feedback-edit-text');
    expect(text).toHaveValue('Meet our autumn blend! Warm and spicy.');
    expect(text).toHaveFocus();
    await userEvent.clear(text);
    await userEvent.type(text, 'Meet our autumn blend. Warm and spicy.');
    await userEvent.click(within(answer(1)).getByTestId('feedback-edit-save'));

    const feedback = await within(answer(1)).findByTestId('feedback');
    expect(feedback).toHaveAttribute('data-verdict', 'revised');
    expect(changes(b)).toEqual([
      { message: 1, verdict: 'revised', final_text: 'Meet our autumn blend. Warm and spicy.', comment: null },
    ]);
    const diff = within(feedback).getByTestId('final-diff');
    expect([...diff.querySelectorAll('del')].map((d) => d.textContent)).toEqual(['blend!']);
    expect([...diff.querySelectorAll('ins')].map((d) => d.textContent)).toEqual(['blend.']);
    // The form closes and the focus goes back to Edit.
    expect(within(answer(1)).queryByTestId('feedback-edit-text')).not.toBeInTheDocument();
    expect(within(answer(1)).getByTestId('feedback-edit')).toHaveFocus();

    // Editing again starts from the text they used.
    await userEvent.click(within(answer(1)).getByTestId('feedback-edit'));
    expect(within(answer(1)).getByTestId('feedback-edit-text')).toHaveValue('Meet our autumn blend. Warm and spicy.');
    await userEvent.click(within(answer(1)).getByTestId('feedback-edit-cancel'));
    expect(within(answer(1)).queryByTestId('feedback-edit-text')).not.toBeInTheDocument();
    expect(b.of('session_feedback')).toHaveLength(1);
  });

  it('says next to the text when the engine refuses it, and keeps the form open', async () => {
    sessionBackend(fresh, {
      session_feedback: () =>
        fail('invalid_input', 'the text you used is the answer as written; mark it accepted instead', 'final_text'),
    });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    await screen.findByTestId('transcript');

    await userEvent.click(within(answer(1)).getByTestId('feedback-edit'));
    await userEvent.click(within(answer(1)).getByTestId('feedback-edit-save'));
    const problem = await within(answer(1)).findByTestId('feedback-field-error');
    expect(problem).toHaveTextContent('mark it accepted instead');
    const text = within(answer(1)).getByTestId('feedback-edit-text');
    expect(text).toHaveAttribute('aria-invalid', 'true');
    expect(text).toHaveAccessibleDescription(/mark it accepted instead/);
    expect(within(answer(1)).queryByTestId('feedback-error')).not.toBeInTheDocument();
  });

  it('says when the message cannot take a verdict, with the code', async () => {
    sessionBackend(fresh, {
      session_feedback: () =>
        fail('invalid_input', "message 1 is the user's; feedback is for the agent's answers", 'message'),
    });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    await screen.findByTestId('transcript');

    await userEvent.click(within(answer(1)).getByTestId('feedback-accept'));
    const alert = await within(answer(1)).findByTestId('feedback-error');
    expect(alert).toHaveTextContent("Couldn't save your verdict.");
    expect(alert).toHaveTextContent("feedback is for the agent's answers");
    expect(alert).toHaveTextContent('Code: invalid_input');
  });

  it('rejects an answer with a reason, then changes and clears the verdict', async () => {
    const b = sessionBackend();
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    await screen.findByTestId('transcript');

    await userEvent.click(within(answer(3)).getByTestId('feedback-reject'));
    await userEvent.type(within(answer(3)).getByTestId('feedback-reject-comment'), 'Cut off, and off brand');
    await userEvent.click(within(answer(3)).getByTestId('feedback-reject-save'));
    const feedback = await within(answer(3)).findByTestId('feedback');
    expect(feedback).toHaveAttribute('data-verdict', 'rejected');
    expect(feedback).toHaveTextContent('Cut off, and off brand');

    await userEvent.click(within(answer(3)).getByTestId('feedback-accept'));
    await waitFor(() => expect(within(answer(3)).getByTestId('feedback')).toHaveAttribute('data-verdict', 'accepted'));
    await userEvent.click(within(answer(3)).getByTestId('feedback-clear'));
    await waitFor(() => expect(within(answer(3)).queryByTestId('feedback')).not.toBeInTheDocument());

    expect(changes(b)).toEqual([
      { message: 3, verdict: 'rejected', final_text: null, comment: 'Cut off, and off brand' },
      { message: 3, verdict: 'accepted', final_text: null, comment: null },
      { message: 3, verdict: null, final_text: null, comment: null },
    ]);
  });

  it('rejects without a reason as no comment at all', async () => {
    const b = sessionBackend();
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    await screen.findByTestId('transcript');

    await userEvent.click(within(answer(1)).getByTestId('feedback-reject'));
    await userEvent.type(within(answer(1)).getByTestId('feedback-reject-comment'), '   ');
    await userEvent.click(within(answer(1)).getByTestId('feedback-reject-save'));
    await waitFor(() => expect(changes(b)).toEqual([{ message: 1, verdict: 'rejected', final_text: null, comment: null }]));
  });
});

describe('a comment on the whole session', () => {
  it('saves and clears it', async () => {
    const b = sessionBackend();
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    await screen.findByTestId('transcript');

    const box = screen.getByTestId('session-comment');
    const save = screen.getByTestId('session-comment-save');
    expect(save).toBeDisabled();
    await userEvent.type(box, 'Should have asked which blend first.');
    await userEvent.click(save);
    await waitFor(() => expect(b.of('session_comment')).toHaveLength(1));
    expect(b.of('session_comment')[0].args).toEqual({
      agent: 'social-drafts',
      id: 's-0001',
      comment: 'Should have asked which blend first.',
    });
    expect(await screen.findByText('Comment saved.')).toBeInTheDocument();
    expect(save).toBeDisabled();

    await userEvent.click(screen.getByTestId('session-comment-clear'));
    await waitFor(() => expect(b.of('session_comment')).toHaveLength(2));
    expect(b.of('session_comment')[1].args.comment).toBeNull();
    await waitFor(() => expect(screen.getByTestId('session-comment')).toHaveValue(''));
    expect(screen.queryByTestId('session-comment-clear')).not.toBeInTheDocument();
  });

  it('shows the comment saved before', async () => {
    sessionBackend({ ...fresh, comment: 'Good, but slow.' });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    expect(await screen.findByTestId('session-comment')).toHaveValue('Good, but slow.');
  });
});

describe('tags and work from a transcript', () => {
  it('removes a tag from this one session', async () => {
    const b = sessionBackend({ ...fresh, tags: { client: 'Harbour Tea', channel: 'x' } });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    await screen.findByTestId('transcript');

    const tags = screen.getAllByTestId('session-tag');
    expect(tags.map((t) => t.textContent?.replace('✕', '').trim())).toEqual(['channel: x', 'client: Harbour Tea']);
    const remove = screen.getAllByTestId('tag-remove').find((r) => r.dataset.key === 'client') as HTMLElement;
    expect(remove).toHaveAccessibleName('Remove the tag client: Harbour Tea');
    await userEvent.click(remove);

    await waitFor(() => expect(screen.getAllByTestId('session-tag')).toHaveLength(1));
    expect(b.of('tag_sessions')[0].args).toEqual({
      agent: 'social-drafts',
      which: { ids: ['s-0001'] },
      key: 'client',
      value: null,
    });
    expect(screen.getByTestId('session-tag')).toHaveTextContent('channel: x');
  });

  it('adds a tag to this one session', async () => {
    const b = sessionBackend({ ...fresh, tags: {} });
    render(Transcript, { agent: 'social-drafts', id: 's-0001' });
    await screen.findByTestId('transcript');
    expect(screen.getByText('No tags: this session counts as team-wide.')).toBeInTheDocument();

    await userEvent.click(screen.getByTestId('tag-add'));
    const dialog = screen.getByRole('dialog', { name: 'Tag this session' });
    expect(within(dialog).getByTestId('tag-key')).toHaveValue('client');
    // One session: no choice of file.
    expect(within(dialog).queryByTestId('tag-target-file')).not.toBeInTheDocument();
    await userEvent.type(within(dialog).getByTestId('tag-value'), 'Northwind');
    await userEvent.click(within(dialog).getByTestId('tag-save'));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(b.of('tag_sessions')[0].args).toEqual({
      agent: 'social-drafts',
      which: { ids: ['s-0001'] },
      key: 'client',
      value: 'Northwind',
    });
    expect(await screen.findByTestId('session-tag')).toHaveTextContent('client: Northwind');
  });

  it('continues the session in the Work view', async () => {
    sessionBackend({ ...fresh, id: 's 1' });
    render(Transcript, { agent: 'social-drafts', id: 's 1' });
    const link = await screen.findByTestId('session-continue');
    expect(link).toHaveAttribute('href', '#/agents/social-drafts/work/s%201');
    expect(link).toHaveTextContent('Continue in Work');
  });
});
