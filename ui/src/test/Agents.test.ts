import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../App.svelte';
import { fail, mockBackend } from './backend';
import { socialDrafts, supportTriage } from './fixtures';
import { navigate } from '../lib/route.svelte';
import type { Agent, AgentPatch, SlugCheck } from '../lib/api';

const info = () => ({ version: '0.1.0', db_path: '/tmp/reverie.db' });

/** `check_slug` as the engine answers it, for agents named `taken`. */
function checkSlug(taken: string[]) {
  return (args: Record<string, unknown>): SlugCheck => {
    const slug = String(args.slug);
    const suggested = String(args.name)
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    const valid = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(slug);
    const problem = !valid
      ? `"${slug}" is not a valid agent slug; use lowercase letters, digits and dashes (up to 64), e.g. social-drafts`
      : taken.includes(slug)
        ? `an agent called "${slug}" already exists`
        : null;
    return { problem, suggested };
  };
}

describe('new agent', () => {
  const created = (slug: string, name: string | null): Agent => ({
    ...socialDrafts,
    slug,
    name: name ?? slug,
    model: null,
    system_prompt: '',
    sessions: 0,
    memory_entries: 0,
    last_session_at: null,
  });

  function backendWith(
    agents: Agent[],
    create: (args: Record<string, unknown>) => unknown,
    check: (args: Record<string, unknown>) => unknown = checkSlug(agents.map((a) => a.slug)),
  ) {
    return mockBackend({
      list_agents: () => agents,
      app_info: info,
      get_agent: (args) => agents.find((a) => a.slug === args.slug) ?? fail('not_found', 'no agent'),
      list_sessions: () => ({ total: 0, sessions: [] }),
      list_scopes: () => [],
      create_agent: create,
      check_slug: check,
    });
  }

  it('derives the short name as the person types, until they write their own', async () => {
    const backend = backendWith([socialDrafts], () => fail('internal', 'not expected'));
    render(App);

    await userEvent.click(await screen.findByTestId('agent-new'));
    const dialog = await screen.findByRole('dialog', { name: 'New agent' });
    expect(screen.getByTestId('agent-new-name')).toHaveFocus();
    expect(dialog).toHaveTextContent('Used in file imports and the command line');
    expect(screen.getByTestId('agent-new-create')).toBeDisabled();

    await userEvent.type(screen.getByTestId('agent-new-name'), 'Support replies');
    const slug = screen.getByTestId('agent-new-slug');
    await waitFor(() => expect(slug).toHaveValue('support-replies'));
    expect(backend.of('check_slug').at(-1)!.args).toEqual({ slug: 'support-replies', name: 'Support replies' });
    expect(screen.getByTestId('agent-new-create')).toBeEnabled();

    await userEvent.clear(slug);
    await userEvent.type(slug, 'replies');
    await userEvent.type(screen.getByTestId('agent-new-name'), ' (EU)');
    await new Promise((r) => setTimeout(r, 20));
    expect(slug).toHaveValue('replies');

    // Emptying the short name hands it back to the display name, from its next change.
    await userEvent.clear(slug);
    await new Promise((r) => setTimeout(r, 20));
    expect(slug).toHaveValue('');
    await userEvent.type(screen.getByTestId('agent-new-name'), 's');
    await waitFor(() => expect(slug).toHaveValue('support-replies-eu-s'));

    // The engine says why a short name can't be used.
    await userEvent.type(slug, ' EU');
    expect(await screen.findByTestId('agent-new-slug-problem')).toHaveTextContent(
      'lowercase letters, digits and dashes',
    );
    expect(screen.getByTestId('agent-new-create')).toBeDisabled();
    expect(backend.of('check_slug').at(-1)!.args).toEqual({ slug: 'support-replies-eu-s EU', name: 'Support replies (EU)s' });

    // One that is taken is said so before anything is created.
    await userEvent.clear(slug);
    await userEvent.type(slug, 'social-drafts');
    expect(await screen.findByTestId('agent-new-slug-problem')).toHaveTextContent(
      'an agent called "social-drafts" already exists',
    );
    expect(screen.getByTestId('agent-new-create')).toBeDisabled();

    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByTestId('agent-new')).toHaveFocus();
  });

  it('creates the agent and opens its page, listed in the sidebar', async () => {
    const agents = [socialDrafts];
    const backend = backendWith(agents, (args) => {
      const agent = created(args.slug as string, args.name as string | null);
      agents.push(agent);
      return agent;
    });
    render(App);

    await userEvent.click(await screen.findByTestId('agent-new'));
    await userEvent.type(await screen.findByTestId('agent-new-name'), 'Support replies');
    await waitFor(() => expect(screen.getByTestId('agent-new-slug')).toHaveValue('support-replies'));
    await userEvent.click(screen.getByTestId('agent-new-create'));

    expect(await screen.findByRole('heading', { name: 'Support replies', level: 1 })).toBeInTheDocument();
    expect(backend.of('create_agent').map((c) => c.args)).toEqual([
      { slug: 'support-replies', name: 'Support replies' },
    ]);
    expect(window.location.hash).toBe('#/agents/support-replies/sessions');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getAllByTestId('agent-item').map((i) => i.dataset.slug)).toEqual([
        'social-drafts',
        'support-replies',
      ]),
    );
  });

  it('says plainly when the short name is taken, and keeps the dialog open', async () => {
    // Made by someone else after the check: only creating finds out.
    const backend = backendWith([socialDrafts], () => fail('already_exists', 'agent social-drafts already exists'), checkSlug([]));
    render(App);

    await userEvent.click(await screen.findByTestId('agent-new'));
    await userEvent.type(await screen.findByTestId('agent-new-name'), 'Social drafts');
    await waitFor(() => expect(screen.getByTestId('agent-new-slug')).toHaveValue('social-drafts'));
    await userEvent.click(screen.getByTestId('agent-new-create'));

    const alert = await screen.findByTestId('agent-new-error');
    expect(alert).toHaveTextContent('An agent with that short name already exists.');
    expect(alert).toHaveTextContent('Code: already_exists');
    expect(screen.getByTestId('agent-new-slug')).toHaveFocus();
    expect(screen.getByRole('dialog', { name: 'New agent' })).toBeInTheDocument();
    expect(window.location.hash).not.toContain('social-drafts');
    expect(backend.of('create_agent')).toHaveLength(1);

    // Changing the short name clears the complaint.
    await userEvent.type(screen.getByTestId('agent-new-slug'), '-2');
    expect(screen.queryByTestId('agent-new-error')).not.toBeInTheDocument();
  });

  it('puts the cursor back in the short name when the engine refuses it', async () => {
    backendWith([], () => fail('invalid_input', '"con" is a reserved name', 'slug'));
    render(App);

    await userEvent.click(await screen.findByTestId('agent-new'));
    await userEvent.type(await screen.findByTestId('agent-new-name'), 'con');
    await waitFor(() => expect(screen.getByTestId('agent-new-slug')).toHaveValue('con'));
    await userEvent.click(screen.getByTestId('agent-new-create'));

    const alert = await screen.findByTestId('agent-new-error');
    expect(alert).toHaveTextContent("That short name can't be used.");
    expect(alert).toHaveTextContent('"con" is a reserved name');
    expect(alert).toHaveTextContent('Code: invalid_input');
    await waitFor(() => expect(screen.getByTestId('agent-new-slug')).toHaveFocus());
  });

  it('shows any other failure with its code', async () => {
    backendWith([], () => fail('database', 'disk full'));
    render(App);

    await userEvent.click(await screen.findByTestId('agent-new'));
    await userEvent.type(await screen.findByTestId('agent-new-name'), 'Support replies');
    await waitFor(() => expect(screen.getByTestId('agent-new-slug')).toHaveValue('support-replies'));
    await userEvent.click(screen.getByTestId('agent-new-create'));

    const alert = await screen.findByTestId('agent-new-error');
    expect(alert).toHaveTextContent("Couldn't create the agent.");
    expect(alert).toHaveTextContent('disk full');
    expect(alert).toHaveTextContent('Code: database');
  });
});

describe('agent settings', () => {
  function backendFor(update: (patch: AgentPatch) => Agent | never) {
    let agent: Agent = { ...socialDrafts };
    const backend = mockBackend({
      list_agents: () => [agent, supportTriage],
      app_info: info,
      get_agent: () => agent,
      update_agent: (args) => {
        agent = update(args.patch as AgentPatch);
        return agent;
      },
    });
    navigate({ agent: 'social-drafts', tab: 'agent' });
    render(App);
    return backend;
  }

  const merge = (patch: AgentPatch): Agent => ({
    ...socialDrafts,
    name: patch.name ?? socialDrafts.name,
    model: patch.model === '' ? null : (patch.model ?? socialDrafts.model),
    system_prompt: patch.system_prompt ?? socialDrafts.system_prompt,
    memory_enabled: patch.memory_enabled ?? socialDrafts.memory_enabled,
  });

  it('shows the stored values', async () => {
    backendFor(merge);

    expect(await screen.findByTestId('agent-name')).toHaveValue('Social drafts');
    expect(screen.getByTestId('tab-agent')).toHaveAttribute('aria-current', 'page');
    expect(screen.getByLabelText(/^Model/)).toHaveValue('claude-sonnet');
    expect(screen.getByTestId('agent-model')).toHaveAttribute('placeholder', 'Default model');
    expect(screen.getByLabelText(/^System prompt/)).toHaveValue('You draft social posts.');
    expect(screen.getByRole('switch', { name: /Memory on: the agent reads its approved memory/ })).toBeChecked();
    expect(screen.getByTestId('agent-save')).toBeDisabled();
    expect(screen.getByTestId('agent-discard')).toBeDisabled();
  });

  it('saves only what changed, then the header and sidebar show the new name', async () => {
    const backend = backendFor(merge);

    const name = await screen.findByTestId('agent-name');
    await userEvent.clear(name);
    await userEvent.type(name, 'Social posts');
    await userEvent.click(screen.getByTestId('agent-memory'));
    await userEvent.click(screen.getByTestId('agent-save'));

    expect(await screen.findByRole('heading', { name: 'Social posts', level: 1 })).toBeInTheDocument();
    expect(backend.of('update_agent').map((c) => c.args)).toEqual([
      {
        slug: 'social-drafts',
        patch: { name: 'Social posts', model: null, system_prompt: null, memory_enabled: false, mcp_write: null },
      },
    ]);
    expect(screen.getByTestId('agent-saved')).toHaveTextContent('Saved.');
    await waitFor(() => expect(screen.getAllByTestId('agent-item')[0]).toHaveTextContent('Social posts'));
    const facts = screen.getByRole('heading', { name: 'Social posts', level: 1 }).nextElementSibling as HTMLElement;
    await waitFor(() => expect(facts).toHaveTextContent('Memory off'));
    expect(screen.getByTestId('agent-save')).toBeDisabled();
  });

  it('sends an empty model to go back to the default, and the prompt as written', async () => {
    const backend = backendFor(merge);

    await userEvent.clear(await screen.findByTestId('agent-model'));
    const prompt = screen.getByTestId('agent-prompt');
    await userEvent.type(prompt, ' Keep it short.');
    await userEvent.click(screen.getByTestId('agent-save'));

    await waitFor(() => expect(backend.of('update_agent')).toHaveLength(1));
    expect(backend.of('update_agent')[0].args.patch).toEqual({
      name: null,
      model: '',
      system_prompt: 'You draft social posts. Keep it short.',
      memory_enabled: null,
      mcp_write: null,
    });
    const facts = () => screen.getByRole('heading', { name: 'Social drafts', level: 1 }).nextElementSibling as HTMLElement;
    await waitFor(() => expect(facts()).not.toHaveTextContent('claude-sonnet'));
    expect(screen.getByTestId('agent-model')).toHaveValue('');
  });

  it('discards changes, and will not save an empty name', async () => {
    const backend = backendFor(merge);

    const name = await screen.findByTestId('agent-name');
    await userEvent.clear(name);
    expect(screen.getByText('Give the agent a name.')).toBeInTheDocument();
    expect(screen.getByTestId('agent-save')).toBeDisabled();

    await userEvent.click(screen.getByTestId('agent-discard'));
    expect(name).toHaveValue('Social drafts');
    expect(screen.getByTestId('agent-save')).toBeDisabled();
    expect(backend.of('update_agent')).toHaveLength(0);
  });

  it('says why saving failed and keeps the edits', async () => {
    const backend = backendFor(() => fail('database', 'database is locked'));

    const name = await screen.findByTestId('agent-name');
    await userEvent.clear(name);
    await userEvent.type(name, 'Social posts');
    await userEvent.click(screen.getByTestId('agent-save'));

    const alert = await screen.findByTestId('agent-error');
    expect(alert).toHaveTextContent("Couldn't save the agent.");
    expect(alert).toHaveTextContent('database is locked');
    expect(alert).toHaveTextContent('Code: database');
    expect(name).toHaveValue('Social posts');
    expect(screen.getByRole('heading', { name: 'Social drafts', level: 1 })).toBeInTheDocument();
    expect(within(screen.getAllByTestId('agent-item')[0]).getByText('Social drafts')).toBeInTheDocument();
    expect(backend.of('update_agent')).toHaveLength(1);
    expect(screen.getByTestId('agent-save')).toBeEnabled();
  });
});
