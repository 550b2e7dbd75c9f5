// SQLite as a peer of the ccanalytics engine: the same dashboard questions in SQL over the
// ccanalytics store itself, run by Debian's sqlite3 shell (the library ccanalytics links).
//
//   node sqlite_queries.mjs --db STORE --window JSON [--repetitions 5]
//
// The shell's timer measures each statement, answer rows written as JSON to a file included.
// The first run of each statement warms SQLite's page cache and is not counted.
// Prints {"version", "summary", "results": [...]} as JSON.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { answerDigest, dialects, questions, variants } from './questions.mjs';
import { median } from './stats.mjs';

const kMarker = '@@statement';

function sqlite3(db, script) {
  const run = spawnSync('sqlite3', ['-readonly', '-bail', db], {
    input: script, encoding: 'utf8', maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`sqlite3 failed: ${run.stderr || run.stdout}`);
  return run.stdout;
}

function main() {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      window: { type: 'string' },
      repetitions: { type: 'string', default: '5' },
    },
  });
  const window = JSON.parse(values.window);
  const runs = Number(values.repetitions) + 1;
  const scratch = mkdtempSync(join(tmpdir(), 'ccanalytics-sqlite-'));
  const rowsFile = join(scratch, 'rows.json');
  try {
    const statements = [];
    const script = ['.timer on', '.mode json', `.output ${rowsFile}`];
    for (const question of questions) {
      for (const variant of variants(window)) {
        const sql = question.sql(dialects.sqlite, variant.window);
        for (let run = 0; run < runs; run++) {
          script.push(`.print ${kMarker}`, `${sql};`);
          statements.push({ question: question.id, variant: variant.id, run });
        }
      }
    }
    const timerLines = sqlite3(values.db, script.join('\n') + '\n')
      .split('\n').filter((line) => line.startsWith('Run Time:'));
    if (timerLines.length !== statements.length) {
      throw new Error(`expected ${statements.length} timings, got ${timerLines.length}`);
    }
    // Each statement's answer: the JSON rows printed between its marker and the next.
    const answers = readFileSync(rowsFile, 'utf8').split(`${kMarker}\n`).slice(1);

    const results = [];
    let summary = null;
    statements.forEach((statement, i) => {
      const seconds = Number(/real ([0-9.]+)/.exec(timerLines[i])[1]);
      const rows = answers[i].trim() ? JSON.parse(answers[i]) : [];
      let result = results.find((r) => r.question === statement.question && r.variant === statement.variant);
      if (!result) {
        result = { question: statement.question, variant: statement.variant,
          answer: answerDigest(rows), timings: [] };
        results.push(result);
      }
      if (statement.run > 0) result.timings.push(seconds * 1000);
      if (statement.question === 'summary' && statement.variant === 'all') summary = rows[0];
    });
    for (const result of results) {
      result.median_ms = median(result.timings);
      delete result.timings;
    }
    const version = sqlite3(':memory:', 'SELECT sqlite_version();').trim();
    console.log(JSON.stringify({ version, summary, results }));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
