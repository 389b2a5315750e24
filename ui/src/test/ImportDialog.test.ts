import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { emit } from '@tauri-apps/api/event';
import ImportDialog from '../lib/components/ImportDialog.svelte';
import { app } from '../lib/app.svelte';
import { fail, mockBackend } from './backend';

/** Choose a file as a person would: the native dialog (mocked as `pick_file`) answers `path`. */
async function choose(path: string) {
  await userEvent.click(screen.getByTestId('import-choose'));
  await waitFor(() => expect(screen.getByTestId('import-path')).toHaveTextContent(path));
}

/** `pick_file` answering each path in turn, as the person picks one file after another. */
function picks(...paths: (string | null)[]) {
  return () => paths.shift() ?? null;
}

const report = {
  imported: 22,
  updated: 0,
  failed: 2,
  errors: [
    { line: 7, message: 'missing field `messages`' },
    { line: 19, message: 'feedback points at message 4, which is not an assistant message' },
  ],
  format: 'reverie',
};

describe('import dialog', () => {
  it('imports the chosen file and summarises what was skipped and why', async () => {
    const backend = mockBackend({ pick_file: picks('/data/sessions.jsonl'), import_file: () => report });
    const before = app.dataVersion;
    render(ImportDialog, { onClose: () => {} });

    const submit = screen.getByTestId('import-submit');
    expect(submit).toBeDisabled();
    expect(screen.getByTestId('import-path')).toHaveTextContent('No file chosen yet.');
    expect(screen.getByTestId('import-choose')).toHaveFocus();
    await choose('/data/sessions.jsonl');
    expect(backend.of('pick_file')[0].args).toEqual({
      purpose: 'import_sessions',
      filter: { name: 'Session files', extensions: ['jsonl', 'json'] },
      suggestedName: null,
    });
    // The path is shown, not typed: only a file chosen in the dialog can be read.
    expect(screen.queryByRole('textbox', { name: /path/i })).not.toBeInTheDocument();
    await userEvent.click(submit);

    const summary = await screen.findByTestId('import-summary');
    expect(summary).toHaveTextContent('Imported 22 sessions, updated 0, 2 lines skipped');
    const skipped = within(summary).getAllByTestId('import-skipped');
    expect(skipped[0]).toHaveTextContent('Line 7');
    expect(skipped[0]).toHaveTextContent('missing field `messages`');
    expect(skipped[1]).toHaveTextContent('Line 19');
    expect(backend.of('import_file')[0].args).toEqual({
      path: '/data/sessions.jsonl',
      format: null,
      agent: null,
    });
    // Screens reload after the data changed.
    expect(app.dataVersion).toBe(before + 1);
    await waitFor(() => expect(screen.getByTestId('import-done')).toHaveFocus());
  });

  it('passes the chosen format and agent', async () => {
    const backend = mockBackend({
      pick_file: picks('/logs/abc.jsonl'),
      import_file: () => ({ imported: 1, updated: 3, failed: 0, errors: [], format: 'claude-code' }),
    });
    render(ImportDialog, { onClose: () => {} });

    await choose('/logs/abc.jsonl');
    await userEvent.selectOptions(screen.getByLabelText('Format'), 'Claude Code');
    await userEvent.type(screen.getByTestId('import-agent'), 'coder');
    await userEvent.click(screen.getByTestId('import-submit'));

    const summary = await screen.findByTestId('import-summary');
    expect(summary).toHaveTextContent('Imported 1 session, updated 3, 0 lines skipped');
    expect(summary).toHaveTextContent('Read as a Claude Code log.');
    expect(within(summary).queryByText('Skipped lines')).not.toBeInTheDocument();
    expect(backend.of('import_file')[0].args).toEqual({
      path: '/logs/abc.jsonl',
      format: 'claude-code',
      agent: 'coder',
    });
  });

  it('shows progress while the import runs', async () => {
    let finish: (value: unknown) => void = () => {};
    mockBackend(
      { pick_file: picks('/data/big.jsonl'), import_file: () => new Promise((resolve) => (finish = resolve)) },
      { events: true },
    );
    render(ImportDialog, { onClose: () => {} });

    await choose('/data/big.jsonl');
    await userEvent.click(screen.getByTestId('import-submit'));
    expect(await screen.findByTestId('import-progress')).toHaveTextContent('Starting…');
    expect(screen.getByTestId('import-submit')).toHaveTextContent('Importing…');
    expect(screen.getByTestId('import-choose')).toBeDisabled();

    await emit('import-progress', { lines_done: 1200, bytes_done: 500, bytes_total: 1000 });
    const bar = screen.getByRole('progressbar', { name: 'Import progress' });
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '50'));
    expect(screen.getByTestId('import-progress')).toHaveTextContent('1,200 lines read · 50%');

    finish(report);
    expect(await screen.findByTestId('import-summary')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('shows why an import failed, with the code, and lets the person choose another file', async () => {
    const backend = mockBackend({
      pick_file: picks('/nope.jsonl', '/data/sessions.jsonl'),
      import_file: (args) =>
        args.path === '/nope.jsonl'
          ? fail('io', 'cannot open /nope.jsonl: No such file or directory')
          : report,
    });
    render(ImportDialog, { onClose: () => {} });

    await choose('/nope.jsonl');
    await userEvent.click(screen.getByTestId('import-submit'));

    const error = await screen.findByTestId('import-error');
    expect(error).toHaveTextContent("The file couldn't be imported.");
    expect(error).toHaveTextContent('No such file or directory');
    expect(error).toHaveTextContent('Code: io');
    expect(screen.queryByTestId('import-summary')).not.toBeInTheDocument();
    const chooseButton = screen.getByTestId('import-choose');
    await waitFor(() => expect(chooseButton).toHaveFocus());
    expect(chooseButton).toHaveTextContent('Choose another file…');

    await choose('/data/sessions.jsonl');
    await userEvent.click(screen.getByTestId('import-submit'));
    expect(await screen.findByTestId('import-summary')).toBeInTheDocument();
    expect(backend.of('import_file').map((c) => c.args.path)).toEqual(['/nope.jsonl', '/data/sessions.jsonl']);
  });

  it('has nothing to import when the person cancels the file dialog', async () => {
    const backend = mockBackend({ pick_file: picks(null), import_file: () => report });
    render(ImportDialog, { onClose: () => {} });

    await userEvent.click(screen.getByTestId('import-choose'));
    await waitFor(() => expect(backend.of('pick_file')).toHaveLength(1));
    expect(screen.getByTestId('import-path')).toHaveTextContent('No file chosen yet.');
    expect(screen.getByTestId('import-submit')).toBeDisabled();
    expect(screen.queryByTestId('import-error')).not.toBeInTheDocument();
    expect(backend.of('import_file')).toHaveLength(0);
  });

  it('keeps the file chosen before when the dialog is canceled', async () => {
    const backend = mockBackend({ pick_file: picks('/data/sessions.jsonl', null), import_file: () => report });
    render(ImportDialog, { onClose: () => {} });

    await choose('/data/sessions.jsonl');
    await userEvent.click(screen.getByTestId('import-choose'));
    await waitFor(() => expect(backend.of('pick_file')).toHaveLength(2));
    expect(screen.getByTestId('import-path')).toHaveTextContent('/data/sessions.jsonl');
    await userEvent.click(screen.getByTestId('import-submit'));
    await screen.findByTestId('import-summary');
    expect(backend.of('import_file')[0].args.path).toBe('/data/sessions.jsonl');
  });

  it('says why the file dialog could not open', async () => {
    mockBackend({ pick_file: () => fail('io', 'no file dialog is available on this system') });
    render(ImportDialog, { onClose: () => {} });

    await userEvent.click(screen.getByTestId('import-choose'));
    const error = await screen.findByTestId('import-error');
    expect(error).toHaveTextContent("The file dialog couldn't open. no file dialog is available on this system");
    expect(error).toHaveTextContent('Code: io');
  });

  it('closes on Escape and from Done', async () => {
    mockBackend({ pick_file: picks('/data/sessions.jsonl'), import_file: () => report });
    const onClose = vi.fn();
    render(ImportDialog, { onClose });

    await userEvent.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);

    await choose('/data/sessions.jsonl');
    await userEvent.click(screen.getByTestId('import-submit'));
    await userEvent.click(await screen.findByRole('button', { name: 'Done' }));
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it('closes from the backdrop and the ✕, but not while a file is importing', async () => {
    let finish: (value: unknown) => void = () => {};
    mockBackend({
      pick_file: picks('/data/big.jsonl'),
      import_file: () => new Promise((resolve) => (finish = resolve)),
    });
    const onClose = vi.fn();
    render(ImportDialog, { onClose });

    const dialog = screen.getByRole('dialog', { name: 'Import sessions' });
    await userEvent.click(dialog.parentElement as HTMLElement);
    expect(onClose).toHaveBeenCalledTimes(1);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledTimes(2);
    // A click inside the box is not a click beside it.
    await userEvent.click(within(dialog).getByText(/A file of sessions from Reverie/));
    expect(onClose).toHaveBeenCalledTimes(2);

    await choose('/data/big.jsonl');
    await userEvent.click(screen.getByTestId('import-submit'));
    await screen.findByTestId('import-progress');
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    await userEvent.click(dialog.parentElement as HTMLElement);
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeInTheDocument();
    expect(onClose).toHaveBeenCalledTimes(2);

    finish(report);
    expect(await screen.findByTestId('import-summary')).toBeInTheDocument();
  });
  it('imports every session file of a chosen folder', async () => {
    const backend = mockBackend({
      pick_file: picks('/home/mei/.claude/projects/-home-mei-site'),
      import_file: () => ({ imported: 5, updated: 0, failed: 0, errors: [], format: 'claude-code' }),
    });
    render(ImportDialog, { onClose: () => {} });
    await userEvent.click(screen.getByTestId('import-choose-folder'));
    await waitFor(() => expect(screen.getByTestId('import-path')).toHaveTextContent('-home-mei-site'));
    expect(backend.of('pick_file')[0].args).toEqual({ purpose: 'import_folder', filter: null, suggestedName: null });
    await userEvent.click(screen.getByTestId('import-submit'));
    expect(await screen.findByTestId('import-summary')).toHaveTextContent('Imported 5 sessions');
    expect(backend.of('import_file')[0].args).toMatchObject({ path: '/home/mei/.claude/projects/-home-mei-site' });
  });
});
