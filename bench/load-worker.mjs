// Load generator, run as its own process (pinned to the other core by run.mjs).
// node load-worker.mjs '<json spec>'  → prints one JSON result line.
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2]);

function requestsFor(spec) {
  if (spec.kind !== 'refresh') {
    return undefined;
  }
  // Refresh with rotation: each connection walks its own chain, always presenting the newest token.
  const pool = [...spec.refreshTokens];
  return [
    {
      setupRequest: (req, context) => {
        if (!context.rt) {
          context.rt = pool.pop();
        }
        return { ...req, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(context.rt)}` };
      },
      onResponse: (status, body, context) => {
        if (status === 200) {
          context.rt = JSON.parse(body).refresh_token;
        }
      },
    },
  ];
}

const result = await autocannon({
  url: spec.url,
  method: spec.method ?? 'POST',
  headers: spec.headers ?? {},
  body: spec.body,
  connections: spec.connections,
  duration: spec.duration,
  requests: requestsFor(spec),
  excludeErrorStats: false,
});

process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  }) + '\n',
);
