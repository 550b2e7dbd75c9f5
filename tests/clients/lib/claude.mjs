// Runs the real Claude Code CLI in print mode against the Messages API stand-in, with its
// telemetry exported to an OTLP endpoint.

import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The native binary of the platform package: it does not depend on the wrapper's postinstall
// having run (npm may skip install scripts).
export function claudeBinary() {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve(`@anthropic-ai/claude-code-${process.platform}-${process.arch}/package.json`);
  return path.join(path.dirname(pkg), 'claude');
}

export const resourceAttributes = 'department=engineering,team.id=platform,cost_center=cc-42';
export const prompt = 'Write hello.py, run echo, edit the file and read it back.';
export const model = 'claude-sonnet-4-5';

// Returns { projectDir, run(), cleanup() }; run() resolves to { code, stdout, stderr }.
export async function prepareClaude() {
  const scratch = await mkdtemp(path.join(tmpdir(), 'ccanalytics-claude-'));
  const home = path.join(scratch, 'home');
  const projectDir = path.join(scratch, 'project');
  await mkdir(home);
  await mkdir(projectDir);
  await writeFile(path.join(home, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true }));
  const run = ({ apiUrl, protocol, endpoint, compression, temporality = 'delta' }) =>
    new Promise((resolve, reject) => {
      const env = {
        PATH: process.env.PATH,
        HOME: home,
        ANTHROPIC_BASE_URL: apiUrl,
        ANTHROPIC_API_KEY: 'sk-ant-test-dummy',
        CLAUDE_CODE_ENABLE_TELEMETRY: '1',
        OTEL_LOGS_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
        OTEL_LOGS_EXPORT_INTERVAL: '1000',
        OTEL_RESOURCE_ATTRIBUTES: resourceAttributes,
        // Nothing but the stand-in and the telemetry endpoint is reachable.
        DISABLE_AUTOUPDATER: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      };
      if (compression) env.OTEL_EXPORTER_OTLP_COMPRESSION = compression;
      if (temporality !== 'delta') env.OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE = temporality;
      const child = spawn(claudeBinary(), ['-p', prompt, '--allowedTools', 'Write Bash Edit Read', '--model', model], {
        cwd: projectDir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  return { projectDir, run, cleanup: () => rm(scratch, { recursive: true, force: true }) };
}
