// Per-row figures across rounds, issue 18's targets, and their rendering for latest.{md,json}.

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round2 = (x) => +x.toFixed(2);

/** A target is met when the median meets it and the worst round is within 15 % of it. */
export const WORST_SLACK = 0.15;

/**
 * One row from the rounds of one case: per server min/median/max req/s, median p50 and p99, worst
 * (max) p50 and p99; per round the Tessera/peer and Tessera/floor ratios (round r of one against
 * round r of the other: rounds are interleaved), their median and worst (min).
 */
export function summarize(c, runs) {
  const servers = Object.keys(runs);
  const row = { case: c.name, ...(c.login ? { login: true } : {}), servers: {} };
  for (const s of servers) {
    const rs = runs[s];
    const rps = rs.map((x) => x.rps);
    row.servers[s] = {
      rps: Math.round(median(rps)),
      rpsMin: Math.round(Math.min(...rps)),
      rpsMax: Math.round(Math.max(...rps)),
      p50: round2(median(rs.map((x) => x.p50))),
      p50Max: round2(Math.max(...rs.map((x) => x.p50))),
      p99: round2(median(rs.map((x) => x.p99))),
      p99Max: round2(Math.max(...rs.map((x) => x.p99))),
      errors: rs.reduce((a, x) => a + x.errors, 0),
      ...(rs.find((x) => x.firstError) ? { firstError: rs.find((x) => x.firstError).firstError } : {}),
      non2xx: rs.reduce((a, x) => a + x.non2xx, 0),
      rss: Math.max(...rs.map((x) => x.rss)),
      rssMedian: median(rs.map((x) => x.rss)),
      cpuUs: Math.round(median(rs.map((x) => x.cpuUs))),
      // DPoP case: what making the proofs cost the load core (mean µs per proof, share of its time).
      ...(rs[0].proofUs !== undefined
        ? {
            proofUs: +median(rs.map((x) => x.proofUs)).toFixed(1),
            proofCoreShare: +median(rs.map((x) => x.proofCoreShare)).toFixed(3),
            proofWallUs: +median(rs.map((x) => x.proofWallUs)).toFixed(1),
            loadCoreShare: +median(rs.map((x) => x.loadCoreShare)).toFixed(3),
          }
        : {}),
      rounds: rs.map((x) => ({
        rps: +x.rps.toFixed(1),
        p50: round2(x.p50),
        p99: round2(x.p99),
        rss: x.rss,
        cpuUs: Math.round(x.cpuUs),
      })),
    };
  }
  const perRound = (a, b) => runs[a].map((x, r) => round2(x.rps / Math.max(1e-9, runs[b][r].rps)));
  const [a, b] = c.compare ?? ['tessera', 'peer'];
  if (runs[a] && runs[b]) {
    row.ratios = perRound(a, b);
    row.ratio = round2(median(row.ratios));
    row.ratioMin = Math.min(...row.ratios);
    if (c.compare) {
      row.compare = c.compare;
    }
  }
  const floor = servers.find((s) => s.startsWith('floor'));
  if (runs.tessera && floor) {
    row.floor = floor;
    row.floorRatios = perRound('tessera', floor);
    row.floorRatio = round2(median(row.floorRatios));
    row.floorRatioMin = Math.min(...row.floorRatios);
  }
  if (c.note) {
    row.note = c.note;
  }
  return row;
}

/**
 * Login-flow rows: each server's flows/s (one login each, on one pinned core) as a share of
 * `ceiling`, the argon2id verifications per second on the server core; median and worst round.
 */
export function applyCeiling(row, ceiling) {
  if (!row.login || !ceiling) {
    return;
  }
  for (const v of Object.values(row.servers)) {
    if (v.rounds) {
      const rps = v.rounds.map((x) => x.rps);
      v.ceilingShare = round2(median(rps) / ceiling);
      v.ceilingShareMin = round2(Math.min(...rps) / ceiling);
    }
  }
}

const CASE = {
  jwt: 'client_credentials → JWT ES256',
  dpop: 'client_credentials + DPoP → JWT ES256',
  opaque: 'client_credentials → opaque',
  introspection: 'introspection (active opaque token)',
  refresh: 'refresh_token with rotation',
  flow8: 'authorization code + PKCE flow, 8 in flight (flows/s)',
  signedIn8: 'authorization code + PKCE flow, signed in (no login), 8 in flight (flows/s)',
  signedIn1: 'authorization code + PKCE flow, signed in (no login), 1 in flight (flows/s)',
  bearer: 'bearer JWT on the protected API (GET /api/notes)',
};

/**
 * Issue 18's targets evaluated on `rows`. Each: { target, figure, worst, met } with met one of
 * 'met', 'not met', 'not measured' (case not in the run), 'no rounds' (a merged row of an older run).
 * At-least targets: median ≥ T and worst round ≥ 0.85 T; at-most targets: median ≤ T and worst
 * round ≤ 1.15 T.
 */
export function evaluateTargets(rows, { rssIdle, connections }) {
  const byCase = new Map(rows.map((r) => [r.case, r]));
  const out = [];
  const fmt = {
    x: (v) => `${v}×`,
    ms: (v) => `${v} ms`,
    pct: (v) => `${Math.round(v * 100)} %`,
    mb: (v) => `${v} MB`,
  };
  const judge = (kind, t, value, worst) => {
    if (value === undefined) {
      return 'not measured';
    }
    if (worst === undefined) {
      return 'no rounds';
    }
    return kind === 'min'
      ? value >= t && worst >= (1 - WORST_SLACK) * t
        ? 'met'
        : 'not met'
      : value <= t && worst <= (1 + WORST_SLACK) * t
        ? 'met'
        : 'not met';
  };
  const add = (target, kind, t, unit, value, worst, extra = '') =>
    out.push({
      target,
      kind,
      threshold: t,
      value,
      worst,
      figure: value === undefined ? '—' : fmt[unit](value) + extra,
      worstFigure: worst === undefined ? '—' : fmt[unit](worst),
      met: judge(kind, t, value, worst),
    });
  const row = (k) => byCase.get(CASE[k]);
  const ratio = (k, target, t) => add(target, 'min', t, 'x', row(k)?.ratio, row(k)?.ratioMin);
  const tess = (k) => row(k)?.servers.tessera;

  ratio('jwt', 'cc JWT ES256 ≥ 2.5× peer', 2.5);
  add('cc JWT ES256 ≥ 0.7× floorSign', 'min', 0.7, 'x', row('jwt')?.floorRatio, row('jwt')?.floorRatioMin);
  ratio('opaque', 'cc opaque ≥ 3× peer', 3);
  ratio('introspection', 'introspection ≥ 3× peer', 3);
  ratio('refresh', 'refresh with rotation ≥ 3× peer', 3);
  add(
    `refresh with rotation: Tessera p99 ≤ 10 ms at 32 connections${connections === 32 ? '' : ` (this run: ${connections})`}`,
    'max',
    10,
    'ms',
    tess('refresh')?.p99,
    tess('refresh')?.p99Max,
  );
  ratio('flow8', 'code + PKCE flow with login, 8 in flight ≥ 1.5× peer', 1.5);
  add(
    'code + PKCE flow with login, 8 in flight: Tessera logins/s ≥ 90 % of the argon2id ceiling',
    'min',
    0.9,
    'pct',
    tess('flow8')?.ceilingShare,
    tess('flow8')?.ceilingShareMin,
    row('flow8')?.servers.peer?.ceilingShare !== undefined
      ? ` (peer ${fmt.pct(row('flow8').servers.peer.ceilingShare)})`
      : '',
  );
  ratio('signedIn8', 'signed-in flow, 8 in flight ≥ 1.5× peer', 1.5);
  add(
    'signed-in flow, 1 in flight: Tessera p50 ≤ 4 ms',
    'max',
    4,
    'ms',
    tess('signedIn1')?.p50,
    tess('signedIn1')?.p50Max,
  );
  const dpop = row('dpop');
  add(
    'cc + DPoP ≥ 1.5× peer (issue 14), p99 stated',
    'min',
    1.5,
    'x',
    dpop?.ratio,
    dpop?.ratioMin,
    dpop ? `, p99 Tessera ${dpop.servers.tessera.p99} ms / peer ${dpop.servers.peer.p99} ms` : '',
  );
  add(
    'bearer JWT on the protected API ≥ 0.8× floorVerify',
    'min',
    0.8,
    'x',
    row('bearer')?.floorRatio,
    row('bearer')?.floorRatioMin,
  );
  add(
    'Tessera RSS at idle ≤ 150 MB (after start-up and fixtures; worst: also after all cases)',
    'max',
    150,
    'mb',
    rssIdle?.tessera?.start,
    rssIdle?.tessera?.end === undefined ? undefined : Math.max(rssIdle.tessera.start, rssIdle.tessera.end),
    rssIdle?.tessera?.end === undefined ? '' : ` (after all cases: ${rssIdle.tessera.end} MB)`,
  );
  const loaded = rows.filter((r) => r.servers.tessera);
  if (loaded.length) {
    const perCase = loaded.map((r) => ({
      case: r.case,
      median: r.servers.tessera.rssMedian ?? r.servers.tessera.rss,
      max: r.servers.tessera.rss,
    }));
    const top = perCase.reduce((a, b) => (b.median > a.median ? b : a));
    const worst = perCase.reduce((a, b) => (b.max > a.max ? b : a));
    add(
      'Tessera RSS ≤ 200 MB under every load case (after each round)',
      'max',
      200,
      'mb',
      top.median,
      worst.max,
      ` (${top.case}; worst round in ${worst.case})`,
    );
  } else {
    add('Tessera RSS ≤ 200 MB under every load case (after each round)', 'max', 200, 'mb');
  }
  return out;
}

export function renderTargets(targets) {
  return [
    `Targets (issue 18). Met when the median meets the target and the worst round is within ${WORST_SLACK * 100} % of it (≥ ${1 - WORST_SLACK} × an at-least target, ≤ ${1 + WORST_SLACK} × an at-most one); ratios per round pair round r of Tessera with round r of the other server.`,
    '',
    '| target | figure (median) | worst round | met? |',
    '| --- | --- | --- | --- |',
    ...targets.map((t) => `| ${t.target} | ${t.figure} | ${t.worstFigure} | ${t.met} |`),
  ];
}
