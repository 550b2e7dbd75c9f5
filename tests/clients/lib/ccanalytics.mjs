// Starts `ccanalytics serve` on free loopback ports with an empty store in a temporary folder.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const binary = process.env.CCANALYTICS_BIN ?? path.join(repoRoot, 'build', 'ccanalytics');

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}


async function waitForHealth(baseUrl, child, log) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`ccanalytics exited with ${child.exitCode}: ${log()}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ccanalytics did not answer /health within 30 s: ${log()}`);
}

// Returns once every OTLP export the server has answered is visible to queries.
export async function waitUntilVisible(baseUrl) {
  const deadline = Date.now() + 30_000;
  while ((await (await fetch(`${baseUrl}/health`)).json()).refresh_pending) {
    if (Date.now() > deadline) throw new Error('answered OTLP exports are not visible after 30 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}

// Returns { baseUrl, grpcPort, get(path), stop() }.
export async function startCcanalytics({ extraArgs = [] } = {}) {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: build it first (make binary)`);
  const workDir = await mkdtemp(path.join(tmpdir(), 'ccanalytics-clients-'));
  const port = await freePort();
  const grpcPort = await freePort();
  const args = ['serve', '--db', path.join(workDir, 'store.db'), '--host', '127.0.0.1', '--port', String(port),
    '--otlp-grpc-port', String(grpcPort)];
  // Exports come from many clients at once in these tests; none should be turned away.
  args.push('--otlp-max-in-flight', '64', '--poll-ms', '100', ...extraArgs);
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => (log = (log + chunk).slice(-8000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(baseUrl, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  // OTLP exports are answered once committed and become visible shortly after: every read waits
  // until what the server has answered is visible.
  const get = async (route) => {
    await waitUntilVisible(baseUrl);
    const response = await fetch(`${baseUrl}${route}`);
    if (!response.ok) throw new Error(`GET ${route}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return { baseUrl, grpcPort, get, stop, log: () => log };
}
