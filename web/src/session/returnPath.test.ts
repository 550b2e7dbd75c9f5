import { describe, expect, it } from 'vitest';

import { isReturnPath, returnPath, signInHref } from './returnPath';

describe('the address kept through signing in', () => {
  it('is carried in next=, encoded, except for the Overview', () => {
    expect(signInHref('/teams?practice=Data Engineering&cell=cost')).toBe('/signin?next=%2Fteams%3Fpractice%3DData%20Engineering%26cell%3Dcost');
    expect(returnPath(new URL(`http://x${signInHref('/users/ann.lee@example.com?from=2026-01-05')}`).searchParams)).toBe(
      '/users/ann.lee@example.com?from=2026-01-05',
    );
    expect(signInHref('/')).toBe('/signin');
    expect(signInHref(null)).toBe('/signin');
  });

  it('is only ever a path of this app', () => {
    for (const outside of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', 'teams', '/a\nb', '/signin?next=/']) {
      expect(isReturnPath(outside), outside).toBe(false);
      expect(returnPath(new URLSearchParams({ next: outside })), outside).toBe('/');
    }
    expect(returnPath(new URLSearchParams())).toBe('/');
    expect(isReturnPath('/sessions/abc')).toBe(true);
  });
});
