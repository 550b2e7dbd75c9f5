// Starts the real binary for the browser tests: ingests a reference dataset (or a dataset the binary
// generates) into a fresh store in a temporary folder and serves it on a free loopback port.

import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Runs the binary to completion; resolves with its stdout.
export function run(bin, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${path.basename(bin)} ${args[0]} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

async function waitForHealth(baseUrl, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer /health within ${timeoutMs} ms`);
}

// The last line of `ingest --json`: what it accepted and refused.
function ingestReportOf(output) {
  return JSON.parse(output.trim().split('\n').pop());
}

// Ingests a reference dataset's gzipped telemetry (unpacked into `workDir` for the binary, then
// removed) and its employee directory, if it has one.
async function ingestReference(bin, workDir, db, datasetDir) {
  const telemetry = path.join(workDir, 'telemetry_logs.jsonl');
  await pipeline(createReadStream(path.join(datasetDir, 'telemetry_logs.jsonl.gz')), createGunzip(), createWriteStream(telemetry));
  const employees = path.join(datasetDir, 'employees.csv');
  const args = ['ingest', '--db', db, '--telemetry', telemetry, '--json'];
  if (existsSync(employees)) args.push('--employees', employees);
  const report = ingestReportOf(await run(bin, args));
  await rm(telemetry);
  return report;
}

// Generates a dataset with the binary into `workDir`, ingests its telemetry and employee directory,
// then removes the generated files (a few hundred MB for thousands of sessions).
async function ingestGenerated(bin, workDir, db, { users, sessions, days, scenario, seed, endDate }) {
  const dir = path.join(workDir, 'generated');
  const args = ['generate', '--output-dir', dir, '--num-users', String(users), '--num-sessions', String(sessions), '--days', String(days)];
  if (scenario) args.push('--scenario', scenario);
  if (seed !== undefined) args.push('--seed', String(seed));
  if (endDate) args.push('--end-date', endDate);
  await run(bin, args);
  const report = ingestReportOf(
    await run(bin, ['ingest', '--db', db, '--telemetry', path.join(dir, 'telemetry_logs.jsonl'), '--employees', path.join(dir, 'employees.csv'), '--json']),
  );
  await rm(dir, { recursive: true, force: true });
  return report;
}

// Returns { baseUrl, db, ingestReport, tokens, stop, restart, log }. The caller must call stop().
// The store holds the reference dataset in `datasetDir`, or, with `generate` ({ users, sessions,
// days, scenario, seed?, endDate? }) instead, a dataset the binary generates (`ccanalytics generate`).
// `tokens` ([{ name, role, practices }]) are created in the store before it is served, with the
// binary's `token create`; `tokens` in the answer maps each name to the token it printed.
// `env` is added to the server's environment (CCANALYTICS_NOW, say) and `serveArgs` to its
// command line (--webhook-retry-ms, say).
export async function startServer({ bin, datasetDir, generate, tokens = [], env = {}, serveArgs = [] }) {
  if ((datasetDir === undefined) === (generate === undefined)) throw new Error('startServer: give one of datasetDir and generate');
  const workDir = await mkdtemp(path.join(tmpdir(), 'ccanalytics-e2e-'));
  let child = null;
  const stop = async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    const db = path.join(workDir, 'ccanalytics.db');
    const ingestReport = generate ? await ingestGenerated(bin, workDir, db, generate) : await ingestReference(bin, workDir, db, datasetDir);
    const created = {};
    for (const { name, role, practices = [] } of tokens) {
      const args = ['token', 'create', '--db', db, '--name', name, '--role', role];
      if (practices.length > 0) args.push('--practice', practices.join(','));
      created[name] = (await run(bin, args)).trim();
    }

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    // The end of the server's standard error, for a failure's report.
    let serverLog = '';
    const launch = async () => {
      // OTLP/gRPC off: its fixed default port would collide between concurrent runs.
      child = spawn(bin, ['serve', '--db', db, '--host', '127.0.0.1', '--port', String(port), '--otlp-grpc-port', '0', ...serveArgs], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, ...env },
      });
      child.stderr.on('data', (chunk) => (serverLog = (serverLog + chunk).slice(-4000)));
      try {
        await waitForHealth(baseUrl, child, 30_000);
      } catch (error) {
        throw new Error(`${error.message}\n${serverLog}`);
      }
    };
    // Kills the server (SIGKILL, as a crash would), awaits `whileDown()`, then serves the same store
    // on the same port again.
    const restart = async (whileDown) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      await whileDown();
      await launch();
    };
    await launch();
    return { baseUrl, db, ingestReport, tokens: created, stop, restart, log: () => serverLog };
  } catch (error) {
    await stop();
    throw error;
  }
}
