// The e2e's failures: every scenario records what it found wrong and the run reports them all.

export const failures = [];

// One scenario; its failure is recorded and the next still runs, so one report lists them all.
export async function step(name, scenario) {
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
