import { describe, expect, it } from 'vitest';

import { isUserId, userLabel } from './userLabel';

const ID = '3f9a2c1b' + 'e'.repeat(56);

describe('userLabel', () => {
  it('shortens a 64-hex user id to its first 8 digits', () => {
    expect(isUserId(ID)).toBe(true);
    expect(userLabel(ID)).toBe('user 3f9a2c1b');
    expect(userLabel(ID.toUpperCase())).toBe('user 3f9a2c1b');
  });

  it('leaves emails and other keys as they are', () => {
    expect(userLabel('ann.lee@example.com')).toBe('ann.lee@example.com');
    expect(userLabel(ID.slice(1))).toBe(ID.slice(1)); // 63 digits
    expect(userLabel(ID.slice(0, 63) + 'g')).toBe(ID.slice(0, 63) + 'g');
  });
});
