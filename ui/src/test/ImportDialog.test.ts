import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { emit } from '@tauri-apps/api/event';
import ImportDialog from '../lib/components/ImportDialog.svelte';
import { app } from '../lib/app.svelte';
import { fail, mockBackend } from './backend';

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
  it('imports a pasted path and summarises what was skipped and why', async () => {
    const backend = mockBackend({ import_file: () => report });
    const before = app.dataVersion;
    render(ImportDialog, { onClose: () => {} });

    const submit = screen.getByTestId('import-submit');
    expect(submit).toBeDisabled();
    await userEvent.type(screen.getByTestId('import-path'), '/data/sessions.jsonl');
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
      import_file: () => ({ imported: 1, updated: 3, failed: 0, errors: [], format: 'claude-code' }),
    });
    render(ImportDialog, { onClose: () => {} });

    await userEvent.type(screen.getByTestId('import-path'), '/logs/abc.jsonl');
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
      { import_file: () => new Promise((resolve) => (finish = resolve)) },
      { events: true },
    );
    render(ImportDialog, { onClose: () => {} });

    await userEvent.type(screen.getByTestId('import-path'), '/data/big.jsonl');
    await userEvent.click(screen.getByTestId('import-submit'));
    expect(await screen.findByTestId('import-progress')).toHaveTextContent('Starting…');
    expect(screen.getByTestId('import-submit')).toHaveTextContent('Importing…');

    await emit('import-progress', { lines_done: 1200, bytes_done: 500, bytes_total: 1000 });
    const bar = screen.getByRole('progressbar', { name: 'Import progress' });
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '50'));
    expect(screen.getByTestId('import-progress')).toHaveTextContent('1,200 lines read · 50%');

    finish(report);
    expect(await screen.findByTestId('import-summary')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('shows why an import failed, with the code, and lets the person fix the path', async () => {
    const backend = mockBackend({
      import_file: (args) =>
        args.path === '/nope.jsonl'
          ? fail('io', 'cannot open /nope.jsonl: No such file or directory')
          : report,
    });
    render(ImportDialog, { onClose: () => {} });

    const path = screen.getByTestId('import-path');
    await userEvent.type(path, '/nope.jsonl');
    await userEvent.click(screen.getByTestId('import-submit'));

    const error = await screen.findByTestId('import-error');
    expect(error).toHaveTextContent("The file couldn't be imported.");
    expect(error).toHaveTextContent('No such file or directory');
    expect(error).toHaveTextContent('Code: io');
    expect(screen.queryByTestId('import-summary')).not.toBeInTheDocument();
    await waitFor(() => expect(path).toHaveFocus());

    await userEvent.clear(path);
    await userEvent.type(path, '/data/sessions.jsonl');
    await userEvent.click(screen.getByTestId('import-submit'));
    expect(await screen.findByTestId('import-summary')).toBeInTheDocument();
    expect(backend.of('import_file')).toHaveLength(2);
  });

  it('fills the path from the file picker', async () => {
    const backend = mockBackend({ 'plugin:dialog|open': () => '/home/mei/export.json' });
    render(ImportDialog, { onClose: () => {} });

    await userEvent.click(screen.getByRole('button', { name: 'Choose file…' }));
    await waitFor(() => expect(screen.getByTestId('import-path')).toHaveValue('/home/mei/export.json'));
    const options = backend.of('plugin:dialog|open')[0].args.options as {
      filters: { extensions: string[] }[];
    };
    expect(options.filters[0].extensions).toEqual(['jsonl', 'json']);
  });

  it('closes on Escape and from Done', async () => {
    mockBackend({ import_file: () => report });
    const onClose = vi.fn();
    render(ImportDialog, { onClose });

    await userEvent.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(1);

    await userEvent.type(screen.getByTestId('import-path'), '/data/sessions.jsonl{Enter}');
    await userEvent.click(await screen.findByRole('button', { name: 'Done' }));
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it('closes from the backdrop and the ✕, but not while a file is importing', async () => {
    let finish: (value: unknown) => void = () => {};
    mockBackend({ import_file: () => new Promise((resolve) => (finish = resolve)) });
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

    await userEvent.type(screen.getByTestId('import-path'), '/data/big.jsonl{Enter}');
    await screen.findByTestId('import-progress');
    await fireEvent.keyDown(dialog, { key: 'Escape' });
    await userEvent.click(dialog.parentElement as HTMLElement);
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeInTheDocument();
    expect(onClose).toHaveBeenCalledTimes(2);

    finish(report);
    expect(await screen.findByTestId('import-summary')).toBeInTheDocument();
  });
});
