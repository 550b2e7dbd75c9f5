// The scale curve's report (bench/scale.sh): Markdown from the run's JSON lines.
//
//   node scale_report.mjs results.jsonl

import { readFileSync } from 'node:fs';

const records = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean)
  .map((line) => JSON.parse(line));
const of = (kind) => records.filter((r) => r.kind === kind);
const meta = of('meta')[0];
const fmt = (n, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const mib = (kb) => fmt(kb / 1024, 0);
const out = [];

out.push(`## Scale curve, ${meta.started}, commit \`${meta.commit}\``, '');
out.push(`Machine: ${meta.machine}; load average at the start ${meta.load}.`, '');

out.push('### Ingest, 10 M events at a time', '');
out.push('| chunk | store | events accepted | seconds | events/s | peak RSS (MiB) |');
out.push('| --- | --- | --- | --- | --- | --- |');
for (const r of of('ingest')) {
  out.push(`| ${r.chunk} | ${r.store} | ${fmt(r.report.accepted)} | ${fmt(r.seconds)} | ` +
    `${fmt(r.report.accepted / r.seconds, 0)} | ${mib(r.peak_rss_kb)} |`);
}
for (const s of of('stopped')) {
  out.push('', `Stopped at ${s.millions} M events: ${s.free_gb} GB of disk left.`);
}
out.push('');

const sizes = [...new Set(of('questions').map((r) => r.size))];
out.push('### Embedded server start-up and memory', '');
out.push('| size | start-up to the first summary, first start | its peak resident | from the snapshot file | resident after start-up | after the questions |');
out.push('| --- | --- | --- | --- | --- | --- |');
for (const size of sizes) {
  const startup = (run) => of('startup').find((r) => r.size === size && r.run === run);
  const failed = of('startup_failed').find((r) => r.size === size);
  const first = startup('first'), again = startup('again');
  const rss = of('rss').find((r) => r.size === size);
  const cell = (r, text) => (r ? text(r) : '-');
  const firstStart = failed?.run === 'first' ? `exited while starting (status ${failed.exit_status})`
    : cell(first, (r) => `${fmt(r.summary_ms / 1000)} s`);
  out.push(`| ${size} M | ${firstStart} | ` +
    `${cell(first, (r) => (r.peak_rss_kb ? `${mib(r.peak_rss_kb)} MiB` : '-'))} | ` +
    `${cell(again, (r) => `${fmt(r.summary_ms / 1000)} s`)} | ` +
    `${cell(again, (r) => `${mib(r.rss_kb)} MiB`)} | ${rss ? `${mib(rss.rss_kb)} MiB` : '-'} |`);
}
out.push('');

out.push('### Dashboard questions, uncached, server-side median ms (round trip in brackets)', '');
const stores = ['embedded', 'clickhouse', 'clickhouse settled'];
out.push(`| question | filter | ${sizes.flatMap((s) => stores.map((st) => `${s} M ${st}`)).join(' | ')} |`);
out.push(`| --- | --- | ${sizes.flatMap(() => stores.map(() => '---')).join(' | ')} |`);
const first = of('questions')[0];
for (const row of first.data.results) {
  const cells = sizes.flatMap((size) => stores.map((store) => {
    const r = of('questions').find((q) => q.size === size && q.store === store)?.data.results
      .find((q) => q.question === row.question && q.filter === row.filter);
    return r ? `${fmt(r.server_ms ?? r.ms)} (${fmt(r.ms)})` : '-';
  }));
  out.push(`| ${row.question} | ${row.filter} | ${cells.join(' | ')} |`);
}
out.push('');
out.push('Events per size: ' + sizes.map((size) => stores.flatMap((store) => {
  const q = of('questions').find((r) => r.size === size && r.store === store);
  return q ? [`${size} M ${store} ${fmt(q.data.events)}`] : [];
}).join(', ')).join('; ') + '.');
out.push('');
const settled = of('settled');
if (settled.length) {
  out.push('`clickhouse`: right after the ingest, while ClickHouse merges the parts it wrote; ' +
    '`clickhouse settled`: once no merge ran for 30 s, which took ' +
    settled.map((s) => `${fmt(s.seconds, 0)} s at ${s.size} M`).join(', ') + '.', '');
}
out.push('### Disk', '');
for (const d of of('disk')) out.push(`- ${d.size} M, ${d.path}: ${fmt(d.bytes / 1e9)} GB`);
console.log(out.join('\n'));
