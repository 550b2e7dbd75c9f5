// The dashboard runs under the server's Content-Security-Policy with no violation: no inline
// script, no eval. The built index.html is read for inline code, and every page the browser opens
// reports its violations (the browser's `securitypolicyviolation` events and its console).

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

// What in an HTML document a `script-src 'self'` policy would refuse.
export function inlineCodeIn(html) {
  const problems = [];
  for (const [tag, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc\s*=/i.test(attributes)) problems.push(`an inline script: ${tag.slice(0, 80)}`);
    else if (body.trim()) problems.push(`a script with both src and a body: ${tag.slice(0, 80)}`);
  }
  for (const [handler] of html.matchAll(/<[^>]+\son[a-z]+\s*=/gi)) problems.push(`an inline event handler: ${handler.slice(0, 80)}`);
  if (/javascript:/i.test(html)) problems.push('a javascript: URL');
  return problems;
}

// Records every violation in the pages of `context` into `violations` (strings, with the page).
export async function watchCsp(context, violations) {
  await context.exposeBinding('__cspViolation', ({ page }, violation) => {
    violations.push(`${page.url()}: ${violation}`);
  });
  // Runs in every page before its own scripts: a violation the first script causes is caught too.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolation(`${event.violatedDirective} blocked ${event.blockedURI || 'inline code'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  const onConsole = (page) => (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(`${page.url()}: console: ${message.text()}`);
  };
  for (const page of context.pages()) page.on('console', onConsole(page));
  context.on('page', (page) => page.on('console', onConsole(page)));
}
