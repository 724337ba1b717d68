// Load generator, run as its own process (pinned to the other core by run.mjs).
// node load-worker.mjs '<json spec>'  → prints one JSON result line.
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2]);

function requestsFor(spec) {
  if (spec.kind !== 'refresh') {
    return undefined;
  }
  // Refresh with rotation: every chain always presents its newest token. autocannon clears a
  // connection's context before each request, so chains live in a free list instead: a request takes
  // one, its response (always handled before the connection's next request) rotates it and puts it
  // back. With one request in flight per connection, `connections` chains suffice.
  const free = spec.refreshTokens.map((rt) => ({ rt }));
  return [
    {
      setupRequest: (req, context) => {
        context.chain = free.pop() ?? { rt: 'pool-exhausted' };
        return {
          ...req,
          body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(context.chain.rt)}`,
        };
      },
      onResponse: (status, body, context) => {
        if (status === 200) {
          context.chain.rt = JSON.parse(body).refresh_token;
        }
        free.push(context.chain);
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
