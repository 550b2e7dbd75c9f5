import { describe, expect, it } from 'vitest';

import { hrefWith, matchPath } from './router';

describe('matchPath', () => {
  it('matches literal paths and decodes parameters', () => {
    expect(matchPath('/sessions', '/sessions')).toEqual({});
    expect(matchPath('/users/:email', '/users/emery.jones%40example.com')).toEqual({ email: 'emery.jones@example.com' });
  });

  it('rejects other paths and malformed escapes', () => {
    expect(matchPath('/users/:email', '/users')).toBeNull();
    expect(matchPath('/users/:email', '/sessions/x')).toBeNull();
    expect(matchPath('/users/:email', '/users/%E0%A4%A')).toBeNull();
  });
});

describe('hrefWith', () => {
  it('omits an empty query', () => {
    expect(hrefWith('/teams', new URLSearchParams())).toBe('/teams');
    expect(hrefWith('/teams', new URLSearchParams('cell=users'))).toBe('/teams?cell=users');
  });
});
