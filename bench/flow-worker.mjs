// Flow load generator, run as its own process (pinned to the load core by run.mjs): `concurrency`
// loops, each running complete authorization-code + PKCE flows (fresh browser: authorize → login →
// consent if asked → code → token) back to back for `duration` seconds.
// node flow-worker.mjs '<json spec>'  → prints one JSON result line.
import { Browser, runFlow } from './lib/flow.mjs';

const spec = JSON.parse(process.argv[2]);
const latencies = [];
let errors = 0;
let firstError;
let end;

async function loop(browser) {
  while (Date.now() < end) {
    const t0 = performance.now();
    try {
      await runFlow(spec.server, spec.target, browser ?? new Browser(spec.target.base));
      latencies.push(performance.now() - t0);
    } catch (err) {
      errors++;
      firstError ??= String(err.message ?? err).slice(0, 300);
    }
  }
}

// signedIn: one browser per loop that signs in once (not measured), then flows without a login.
const browsers = spec.signedIn
  ? Array.from({ length: spec.concurrency }, () => new Browser(spec.target.base))
  : [];
for (const b of browsers) {
  await runFlow(spec.server, spec.target, b);
}
end = Date.now() + spec.duration * 1000;
const started = performance.now();
await Promise.all(Array.from({ length: spec.concurrency }, (_, i) => loop(browsers[i])));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) =>
  latencies.length
    ? +latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1)
    : 0;
process.stdout.write(
  JSON.stringify({
    rps: latencies.length / elapsed,
    p50: pct(50),
    p99: pct(99),
    errors,
    non2xx: 0,
    total: latencies.length,
    firstError,
  }) + '\n',
);
