import { describe, expect, it } from 'vitest';

import { ApiError } from '../api/client';
import { signInErrorMessage } from './signInMessages';

describe('signInErrorMessage', () => {
  it('says a refused token is not valid', () => {
    expect(signInErrorMessage(new ApiError(401, 'unauthorized', 'invalid token'))).toBe(
      'This token is not valid. Check that it was copied whole; it may also have been revoked.',
    );
  });

  it('says how long to wait after too many attempts, when the server says', () => {
    expect(signInErrorMessage(new ApiError(429, 'rate_limited', 'slow down', 30))).toBe(
      'Too many failed sign-ins from this address. Wait 30 seconds before trying again.',
    );
    expect(signInErrorMessage(new ApiError(429, 'rate_limited', 'slow down', 1))).toContain('Wait 1 second before');
    expect(signInErrorMessage(new ApiError(429, 'rate_limited', 'slow down'))).toBe(
      'Too many failed sign-ins from this address. Wait a few minutes before trying again.',
    );
  });

  it("tells an unreachable server from a refusal, and passes on the server's other messages", () => {
    expect(signInErrorMessage(new ApiError(0, 'network', 'The server cannot be reached.'))).toMatch(/cannot be reached/);
    expect(signInErrorMessage(new ApiError(400, 'bad_request', 'the body must be {"token": "..."}'))).toBe(
      'Signing in failed: the body must be {"token": "..."}',
    );
    expect(signInErrorMessage(new TypeError('boom'))).toMatch(/unexpectedly/);
  });
});
