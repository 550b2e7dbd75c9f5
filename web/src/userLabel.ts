// Claude Code identifies a user without an account email only by `user.id`, a 64-digit hex hash.
// The API keys such a user by that id; the dashboard shows a short, stable label for it and keeps
// the full id for tooltips, links and filters.

const USER_ID = /^[0-9a-f]{64}$/i;

export function isUserId(key: string): boolean {
  return USER_ID.test(key);
}

// "user 3f9a2c1b" for a user id (its first 8 hex digits), the email itself otherwise.
export function userLabel(key: string): string {
  return isUserId(key) ? `user ${key.slice(0, 8).toLowerCase()}` : key;
}
