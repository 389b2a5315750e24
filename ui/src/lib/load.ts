// The three states every screen that loads data can be in.
import { ApiError } from './api';

export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'error'; error: ApiError };

export const loading = <T>(): Loaded<T> => ({ status: 'loading' });
export const ready = <T>(data: T): Loaded<T> => ({ status: 'ready', data });
export const failed = <T>(raw: unknown): Loaded<T> => ({ status: 'error', error: ApiError.from(raw) });
