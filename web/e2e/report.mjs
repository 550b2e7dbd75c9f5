// The e2e's failures: every scenario records what it found wrong and the run reports them all.

export const failures = [];

// CCANALYTICS_E2E_ONLY (comma-separated step names) runs only those steps, while developing one:
// `insights` runs the insights step and every `insights: ...` step inside it.
const only = (process.env.CCANALYTICS_E2E_ONLY ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);

export function selected(name) {
  return only.length === 0 || only.some((o) => name === o || name.startsWith(`${o}: `) || o.startsWith(`${name}: `));
}

// One scenario; its failure is recorded and the next still runs, so one report lists them all.
export async function step(name, scenario) {
  if (!selected(name)) return;
  try {
    await scenario();
  } catch (error) {
    failures.push(`${name}: ${error.message}`);
  }
}

export function check(condition, message) {
  if (!condition) failures.push(message);
  return condition;
}

export function equal(actual, expected, what) {
  return check(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
