// Every component test starts on the home screen with no backend mocked and no dialog open.
import '@testing-library/jest-dom/vitest';
import { afterEach, beforeEach } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { cleanup } from '@testing-library/svelte';
import { navigate } from '../lib/route.svelte';
import { app } from '../lib/app.svelte';

beforeEach(() => {
  navigate({ agent: null });
  app.importOpen = false;
  app.hint = null;
});

afterEach(() => {
  // Unmount first: screens stop listening to events while the mocked backend is still there.
  cleanup();
  clearMocks();
});
