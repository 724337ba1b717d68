// Load generator, run as its own process (pinned to the other core by run.mjs).
// node load-worker.mjs '<json spec>'  → prints one JSON result line.
import autocannon from 'autocannon';
import { dpopKey, dpopProof } from './lib/dpop.mjs';

const spec = JSON.parse(process.argv[2]);

/** DPoP proofs made on this (load) core: how many, and their wall time in the run (nanoseconds). */
const proofCost = { ns: 0n, count: 0, cpuUs: 0 };

/** CPU µs per proof on this core, measured before the run (wall time under load also counts waiting). */
function calibrateProofs(htu) {
  const key = dpopKey();
  for (let i = 0; i < 500; i++) dpopProof(key, 'POST', htu);
  const n = 3000;
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) dpopProof(key, 'POST', htu);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

function dpopRequests(spec) {
  // A fresh proof per request (new jti and iat), signed with one of `connections` keys made before the
  // run (autocannon clears a connection's context between requests, so keys go round-robin; with one
  // request in flight per connection that is one key per connection).
  proofCost.cpuUs = calibrateProofs(spec.dpop.htu);
  const keys = Array.from({ length: spec.connections }, () => dpopKey());
  let next = 0;
  return [
    {
      setupRequest: (req) => {
        const start = process.hrtime.bigint();
        const proof = dpopProof(keys[next++ % keys.length], spec.method ?? 'POST', spec.dpop.htu);
        proofCost.ns += process.hrtime.bigint() - start;
        proofCost.count++;
        return { ...req, headers: { ...req.headers, dpop: proof } };
      },
    },
  ];
}

function requestsFor(spec) {
  if (spec.dpop) {
    return dpopRequests(spec);
  }
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

const cpuBefore = process.cpuUsage();
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

const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
    // Share of the load core this worker used (near 1: the load generator, not the server, was the limit).
    loadCoreShare: +((cpu.user + cpu.system) / 1e6 / spec.duration).toFixed(3),
    ...(proofCost.count
      ? {
          // CPU µs per proof (calibrated), the share of the load core the run's proofs took, and the
          // mean wall time per proof inside the run (includes time the core spent on other processes).
          proofUs: +proofCost.cpuUs.toFixed(1),
          proofCoreShare: +((proofCost.cpuUs * proofCost.count) / 1e6 / spec.duration).toFixed(3),
          proofWallUs: +(Number(proofCost.ns) / proofCost.count / 1000).toFixed(1),
        }
      : {}),
  }) + '\n',
);
