import { describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Settings from '../lib/components/Settings.svelte';
import type { AppSettings, ProviderStatus } from '../lib/api';
import { fail, mockBackend, type Call } from './backend';
import { PROVIDER_DEFAULTS } from './fixtures';

const SECRET = 'sk-ant-api03-very-secret-key';

function appSettings(overrides: Partial<AppSettings> = {}): AppSettings {
  return { notifications: true, close_to_tray: true, start_at_login: false, ...overrides };
}

const offline: ProviderStatus = {
  configured: false,
  kind: null,
  base_url: null,
  base_url_from_env: false,
  model: null,
  use_batches: false,
  key: 'not_needed',
};

function anthropic(overrides: Partial<ProviderStatus> = {}): ProviderStatus {
  return {
    configured: true,
    kind: 'anthropic',
    base_url: 'https://api.anthropic.com',
    base_url_from_env: false,
    model: 'claude-sonnet-4-5',
    use_batches: false,
    key: 'keychain',
    ...overrides,
  };
}

/** A backend that stores settings and the provider as the engine does. */
function settingsBackend(
  options: {
    settings?: AppSettings;
    status?: ProviderStatus;
    handlers?: Record<string, (args: Record<string, unknown>) => unknown>;
    /** `provider_key_set` answers only once this settles. */
    holdKey?: Promise<void>;
  } = {},
) {
  let stored = options.settings ?? appSettings();
  let status = options.status ?? offline;
  return mockBackend({
    get_settings: () => stored,
    save_settings: (args) => (stored = args.settings as AppSettings),
    provider_status: () => status,
    provider_defaults: () => PROVIDER_DEFAULTS,
    provider_set: (args) => {
      const config = args.config as { kind: 'anthropic' | 'openai'; base_url: string | null; model: string | null; use_batches: boolean } | null;
      status = config
        ? {
            configured: true,
            kind: config.kind,
            base_url: config.base_url ?? (config.kind === 'anthropic' ? 'https://api.anthropic.com' : 'https://api.openai.com/v1'),
            base_url_from_env: false,
            model: config.model ?? (config.kind === 'anthropic' ? 'claude-sonnet-4-5' : 'gpt-4.1-mini'),
            use_batches: config.use_batches,
            key: status.kind === config.kind ? status.key : 'missing',
          }
        : offline;
      return status;
    },
    provider_key_set: async () => {
      await options.holdKey;
      status = { ...status, key: 'keychain' };
      return null;
    },
    provider_key_remove: () => {
      const had = status.key === 'keychain';
      status = { ...status, key: 'missing' };
      return had;
    },
    provider_test: () => `Connected to Anthropic (${status.model}): OK`,
    ...options.handlers,
  });
}

/** Every IPC payload and the whole page, as text, for "the key never comes back" checks. */
function keyLeaks(calls: Call[]): string[] {
  const out: string[] = [];
  if (document.body.innerHTML.includes(SECRET)) out.push('page');
  for (const c of calls) {
    if (c.cmd !== 'provider_key_set' && JSON.stringify(c.args).includes(SECRET)) out.push(c.cmd);
  }
  return out;
}

describe('settings: notifications and background', () => {
  it('loads the switches and saves each change', async () => {
    const b = settingsBackend({ settings: appSettings({ close_to_tray: false }) });
    render(Settings);

    const notifications = await screen.findByTestId('setting-notifications');
    expect(notifications).toBeChecked();
    expect(screen.getByTestId('setting-tray')).not.toBeChecked();
    expect(screen.getByTestId('setting-login')).not.toBeChecked();
    expect(screen.getByRole('switch', { name: /Notifications: tell me when a dream is ready/ })).toBe(notifications);

    await userEvent.click(notifications);
    await waitFor(() => expect(b.of('save_settings')).toHaveLength(1));
    expect(b.of('save_settings')[0].args).toEqual({
      settings: { notifications: false, close_to_tray: false, start_at_login: false },
    });
    await waitFor(() => expect(notifications).not.toBeChecked());

    await userEvent.click(screen.getByTestId('setting-tray'));
    await waitFor(() => expect(b.of('save_settings')).toHaveLength(2));
    expect(b.of('save_settings')[1].args).toEqual({
      settings: { notifications: false, close_to_tray: true, start_at_login: false },
    });
    await waitFor(() => expect(screen.getByTestId('setting-tray')).toBeChecked());
    expect(screen.queryByTestId('settings-error')).not.toBeInTheDocument();
  });

  it('says so and turns the switch back when the system refuses start at login', async () => {
    const b = settingsBackend({
      handlers: {
        save_settings: () => fail('system_refused', 'autostart is not supported on this desktop'),
      },
    });
    render(Settings);

    const login = await screen.findByTestId('setting-login');
    await userEvent.click(login);
    const alert = await screen.findByTestId('settings-error');
    expect(alert).toHaveTextContent("Your system didn't let Reverie start at login");
    expect(alert).toHaveTextContent('autostart is not supported on this desktop');
    expect(alert).toHaveTextContent('Code: system_refused');
    expect(b.of('save_settings')[0].args).toEqual({
      settings: { notifications: true, close_to_tray: true, start_at_login: true },
    });
    await waitFor(() => expect(login).not.toBeChecked());
    expect(login).toBeEnabled();
  });

  it('turns any other switch back too when saving fails, with the code', async () => {
    settingsBackend({ handlers: { save_settings: () => fail('database', 'disk full') } });
    render(Settings);

    const notifications = await screen.findByTestId('setting-notifications');
    await userEvent.click(notifications);
    const alert = await screen.findByTestId('settings-error');
    expect(alert).toHaveTextContent("Couldn't change the notifications setting.");
    expect(alert).toHaveTextContent('Code: database');
    await waitFor(() => expect(notifications).toBeChecked());
  });

  it('shows a failed load with a way to try again', async () => {
    let attempts = 0;
    settingsBackend({
      handlers: { get_settings: () => (++attempts === 1 ? fail('database', 'locked') : appSettings()) },
    });
    render(Settings);

    const alert = await screen.findByText("Couldn't load the settings");
    await userEvent.click(within(alert.closest('[data-testid="error"]') as HTMLElement).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('setting-notifications')).toBeChecked();
  });
});

describe('settings: the AI helper', () => {
  it('explains that dreams work without it, and turns it on for Claude', async () => {
    const b = settingsBackend();
    render(Settings);

    expect(await screen.findByText(/Dreams work without it: the offline dreamer/)).toBeInTheDocument();
    const kind = await screen.findByTestId('provider-kind');
    expect(kind).toHaveValue('none');
    expect(screen.queryByTestId('provider-model')).not.toBeInTheDocument();
    expect(screen.queryByTestId('provider-key')).not.toBeInTheDocument();

    await userEvent.selectOptions(kind, 'anthropic');
    expect(screen.getByTestId('provider-base-url')).toHaveAttribute('placeholder', 'https://api.anthropic.com');
    expect(screen.getByText('Leave empty for Anthropic’s own server.')).toBeInTheDocument();
    expect(screen.getByTestId('provider-model')).toHaveAttribute('placeholder', 'claude-sonnet-4-5');
    expect(screen.getByTestId('provider-key-status')).toHaveTextContent('Save the provider to see whether a key is stored.');
    await userEvent.click(screen.getByTestId('provider-batches'));
    await userEvent.click(screen.getByTestId('provider-save'));

    await waitFor(() => expect(b.of('provider_set')).toHaveLength(1));
    expect(b.of('provider_set')[0].args).toEqual({
      config: { kind: 'anthropic', base_url: null, model: null, use_batches: true },
    });
    expect(await screen.findByText(/Dreams now ask Claude \(claude-sonnet-4-5\)/)).toBeInTheDocument();
    expect(screen.getByTestId('provider-key-status')).toHaveTextContent('No key yet');
    // Defaults stay as placeholders, not stored values.
    expect(screen.getByTestId('provider-model')).toHaveValue('');
    expect(screen.getByTestId('provider-batches')).toBeChecked();
  });

  it('sets up a local server with its own address and model, without batch mode', async () => {
    const b = settingsBackend({ status: anthropic({ use_batches: true }) });
    render(Settings);

    const kind = await screen.findByTestId('provider-kind');
    expect(kind).toHaveValue('anthropic');
    expect(screen.getByTestId('provider-batches')).toBeChecked();

    await userEvent.selectOptions(kind, 'openai');
    expect(screen.queryByTestId('provider-batches')).not.toBeInTheDocument();
    expect(screen.getByTestId('provider-base-url')).toHaveAttribute('placeholder', 'http://localhost:11434/v1');
    expect(screen.getByTestId('provider-model')).toHaveAttribute('placeholder', 'gpt-4.1-mini');
    await userEvent.type(screen.getByTestId('provider-base-url'), ' http://localhost:11434/v1 ');
    await userEvent.type(screen.getByTestId('provider-model'), 'llama3.1');
    await userEvent.click(screen.getByTestId('provider-save'));

    await waitFor(() => expect(b.of('provider_set')).toHaveLength(1));
    expect(b.of('provider_set')[0].args).toEqual({
      config: { kind: 'openai', base_url: 'http://localhost:11434/v1', model: 'llama3.1', use_batches: false },
    });
    await waitFor(() => expect(screen.getByTestId('provider-model')).toHaveValue('llama3.1'));
  });

  it('turns the helper off with None', async () => {
    const b = settingsBackend({ status: anthropic() });
    render(Settings);

    await userEvent.selectOptions(await screen.findByTestId('provider-kind'), 'none');
    await userEvent.click(screen.getByTestId('provider-save'));
    await waitFor(() => expect(b.of('provider_set')).toHaveLength(1));
    expect(b.of('provider_set')[0].args).toEqual({ config: null });
    expect(await screen.findByText('Saved. Dreams use the offline dreamer alone.')).toBeInTheDocument();
  });

  it('shows a base URL set in the environment as such, and does not store it', async () => {
    const b = settingsBackend({
      status: anthropic({ base_url: 'http://127.0.0.1:9999', base_url_from_env: true, model: 'claude-opus-4-1' }),
    });
    render(Settings);

    const url = await screen.findByTestId('provider-base-url');
    expect(url).toHaveValue('http://127.0.0.1:9999');
    expect(url).toBeDisabled();
    expect(screen.getByTestId('provider-base-url-env')).toHaveTextContent('Set by ANTHROPIC_BASE_URL');
    expect(screen.getByTestId('provider-model')).toHaveValue('claude-opus-4-1');

    await userEvent.click(screen.getByTestId('provider-save'));
    await waitFor(() => expect(b.of('provider_set')).toHaveLength(1));
    expect(b.of('provider_set')[0].args).toEqual({
      config: { kind: 'anthropic', base_url: null, model: 'claude-opus-4-1', use_batches: false },
    });
  });

  it('says where the key comes from, in words', async () => {
    const labels: [ProviderStatus, string][] = [
      [anthropic({ key: 'keychain' }), 'Saved in your system keychain'],
      [anthropic({ key: 'missing' }), 'No key yet'],
      [anthropic({ key: 'environment' }), 'Taken from ANTHROPIC_API_KEY in the environment'],
      [anthropic({ key: 'keychain_unavailable' }), 'Your system keychain is not available'],
      [anthropic({ kind: 'openai', base_url: 'http://localhost:11434/v1', key: 'not_needed' }), 'Not needed for this local server'],
    ];
    for (const [status, label] of labels) {
      settingsBackend({ status });
      const { unmount } = render(Settings);
      expect(await screen.findByTestId('provider-key-status')).toHaveTextContent(label);
      unmount();
    }
  });

  it('saves a key without ever keeping or showing it, and empties the field at once', async () => {
    let release: () => void = () => {};
    const b = settingsBackend({
      status: anthropic({ key: 'missing' }),
      holdKey: new Promise((resolve) => (release = resolve)),
    });
    render(Settings);

    const field = await screen.findByTestId('provider-key');
    expect(field).toHaveAttribute('type', 'password');
    expect(screen.getByTestId('provider-key-save')).toBeDisabled();
    await userEvent.type(field, SECRET);
    await userEvent.click(screen.getByTestId('provider-key-save'));

    // Emptied while the call is still on its way.
    await waitFor(() => expect(b.of('provider_key_set')).toHaveLength(1));
    expect(field).toHaveValue('');
    expect(b.of('provider_key_set')[0].args).toEqual({ kind: 'anthropic', key: SECRET });
    expect(screen.queryByTestId('provider-key-note')).not.toBeInTheDocument();
    release();

    expect(await screen.findByTestId('provider-key-note')).toHaveTextContent('Key saved in your system keychain.');
    await waitFor(() => expect(screen.getByTestId('provider-key-status')).toHaveTextContent('Saved in your system keychain'));
    expect(field).toHaveValue('');
    expect(screen.getByTestId('provider-key-save')).toBeDisabled();
    expect(keyLeaks(b.calls)).toEqual([]);
  });

  it('empties the field and never shows the key when saving it fails', async () => {
    const b = settingsBackend({
      status: anthropic({ key: 'keychain_unavailable' }),
      handlers: { provider_key_set: () => fail('keychain_locked', 'no Secret Service on this session bus') },
    });
    render(Settings);

    const field = await screen.findByTestId('provider-key');
    await userEvent.type(field, SECRET);
    await userEvent.keyboard('{Enter}');
    const alert = await screen.findByTestId('provider-key-error');
    expect(alert).toHaveTextContent("Couldn't save the key.");
    expect(alert).toHaveTextContent('Your system keychain is locked; unlock it and try again.');
    expect(alert).toHaveTextContent('Code: keychain_locked');
    expect(field).toHaveValue('');
    expect(keyLeaks(b.calls)).toEqual([]);
  });

  it('removes the key only after the person confirms', async () => {
    const b = settingsBackend({ status: anthropic({ key: 'keychain' }) });
    render(Settings);

    await userEvent.click(await screen.findByTestId('provider-key-remove'));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove the API key?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(b.of('provider_key_remove')).toHaveLength(0);

    await userEvent.click(screen.getByTestId('provider-key-remove'));
    await userEvent.click(screen.getByTestId('confirm-yes'));
    await waitFor(() => expect(b.of('provider_key_remove')).toHaveLength(1));
    expect(b.of('provider_key_remove')[0].args).toEqual({ kind: 'anthropic' });
    expect(await screen.findByTestId('provider-key-note')).toHaveTextContent('Key removed from your system keychain.');
    await waitFor(() => expect(screen.getByTestId('provider-key-status')).toHaveTextContent('No key yet'));
    expect(screen.queryByTestId('provider-key-remove')).not.toBeInTheDocument();
  });

  it('tests the connection and gives a plain answer', async () => {
    const b = settingsBackend({ status: anthropic() });
    render(Settings);

    await userEvent.click(await screen.findByTestId('provider-test'));
    const result = await screen.findByTestId('provider-test-result');
    expect(result).toHaveTextContent('Connected to Anthropic (claude-sonnet-4-5): OK');
    expect(result).toHaveAttribute('data-ok', 'true');
    expect(b.of('provider_test')).toHaveLength(1);
  });

  it('says the key was refused and puts the cursor in the key field', async () => {
    settingsBackend({
      status: anthropic(),
      handlers: { provider_test: () => fail('key_refused', 'Anthropic answered 401: invalid x-api-key') },
    });
    render(Settings);

    await userEvent.click(await screen.findByTestId('provider-test'));
    const result = await screen.findByTestId('provider-test-result');
    expect(result).toHaveTextContent('The key was refused. Check it and save it again.');
    expect(result).toHaveAttribute('data-ok', 'false');
    await waitFor(() => expect(screen.getByTestId('provider-key')).toHaveFocus());
  });

  it('says when the provider could not be reached', async () => {
    settingsBackend({
      status: anthropic(),
      handlers: { provider_test: () => fail('provider_failed', 'connection refused at http://127.0.0.1:9') },
    });
    render(Settings);

    await userEvent.click(await screen.findByTestId('provider-test'));
    const result = await screen.findByTestId('provider-test-result');
    expect(result).toHaveTextContent("Couldn't reach the provider. connection refused at http://127.0.0.1:9");
    expect(screen.getByTestId('provider-key')).not.toHaveFocus();
  });

  it('says there is nothing to test before a provider is chosen', async () => {
    settingsBackend({
      status: anthropic(),
      handlers: { provider_test: () => fail('no_provider', 'no AI provider is chosen; choose one first') },
    });
    render(Settings);

    await userEvent.click(await screen.findByTestId('provider-test'));
    const result = await screen.findByTestId('provider-test-result');
    expect(result).toHaveTextContent('Nothing to test yet: no AI provider is chosen; choose one first');
    expect(result).toHaveAttribute('data-ok', 'false');
  });

  it('shows a failed load of the provider with its code', async () => {
    settingsBackend({ handlers: { provider_defaults: () => fail('internal', 'no defaults') } });
    render(Settings);

    const alert = await screen.findByText("Couldn't load the AI helper settings");
    expect(alert.closest('[data-testid="error"]')).toHaveTextContent('Code: internal');
    expect(screen.queryByTestId('provider-kind')).not.toBeInTheDocument();
  });
});
