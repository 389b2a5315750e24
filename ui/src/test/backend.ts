// A fake backend for component tests: `mockIPC` answers each command from a handler, and
// records every call so a test can check what the UI asked for.
import { mockIPC } from '@tauri-apps/api/mocks';
import type { ErrorJson } from '../lib/api';

type Handler = (args: Record<string, unknown>) => unknown;
export type Call = { cmd: string; args: Record<string, unknown> };

export function mockBackend(handlers: Record<string, Handler>, options?: { events?: boolean }) {
  const calls: Call[] = [];
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      const handler = handlers[cmd];
      if (!handler) {
        const missing: ErrorJson = { code: 'internal', message: `no mock for ${cmd}` };
        throw missing;
      }
      return handler(args);
    },
    { shouldMockEvents: options?.events ?? false },
  );
  return {
    calls,
    /** The calls made to one command, in order. */
    of: (cmd: string) => calls.filter((c) => c.cmd === cmd),
  };
}

/**
 * A backend failure as the Rust side sends it: a plain `{code, message}` object, which the
 * generated bindings turn into `{status: "error"}` (an `Error` instance would be re-thrown).
 */
export function fail(code: ErrorJson['code'], message: string, field?: string): never {
  const error: ErrorJson = field === undefined ? { code, message } : { code, message, field };
  throw error;
}
