// What the sign-in page says, in words a person can act on.

import { ApiError } from '../api/client';
import type { SignInNotice } from './sessionStore';

export function signInErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Signing in failed unexpectedly. Reload the page and try again.';
  switch (error.status) {
    case 0:
      return 'The server cannot be reached. Check the connection and try again.';
    case 401:
      return 'This token is not valid. Check that it was copied whole; it may also have been revoked.';
    case 429: {
      const wait =
        error.retryAfterSeconds === null
          ? 'Wait a few minutes'
          : `Wait ${error.retryAfterSeconds} second${error.retryAfterSeconds === 1 ? '' : 's'}`;
      return `Too many failed sign-ins from this address. ${wait} before trying again.`;
    }
    default:
      return `Signing in failed: ${error.message}`;
  }
}

export const NOTICES: Record<SignInNotice, string> = {
  expired: 'Your session has ended: it expired, or its token was revoked. Sign in again to continue.',
  signed_out: 'You have signed out.',
};

export const EMPTY_TOKEN_MESSAGE = 'Enter an access token.';
