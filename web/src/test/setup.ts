import '@testing-library/jest-dom/vitest';

import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

import { resetConnectivity } from '../api/connectivity';

// Testing Library unmounts automatically only with test globals, which this suite does not use.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  // An outage a test played must not probe the server of the next one.
  resetConnectivity();
  window.history.replaceState(null, '', '/');
});
