// The sign-in page keeps the address the person wanted in `?next=`, and goes there once signed in.

export const SIGN_IN_PATH = '/signin';

export function signInHref(wanted: string | null): string {
  if (!wanted || wanted === '/' || !isReturnPath(wanted)) return SIGN_IN_PATH;
  return `${SIGN_IN_PATH}?next=${encodeURIComponent(wanted)}`;
}

// Only a path of this app: `next` comes from the address bar, and a link crafted to send a person
// elsewhere after signing in ("//evil.example", "https://...", "/\evil") must land on the Overview.
export function isReturnPath(value: string): boolean {
  return /^\/(?![/\\])/.test(value) && !/[\u0000-\u001f]/.test(value) && !value.startsWith(SIGN_IN_PATH);
}

export function returnPath(search: URLSearchParams): string {
  const next = search.get('next');
  return next && isReturnPath(next) ? next : '/';
}
