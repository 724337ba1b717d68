/** One request made while a backing service goes away and comes back. */
export interface Answer {
  kind: string;
  /** 0 when no answer came within the bound (hang or dropped connection). */
  status: number;
  body: Record<string, unknown>;
  location: string | null;
  startedAt: number;
  ms: number;
}

/**
 * An answer's body: the parsed JSON, or for a page its start as `raw` and the code of an error
 * page ("Error code: <code>…</code>", the authorization endpoint's answer before the redirect URI
 * is verified) as `error`, so both kinds are checked alike.
 */
export function answerBody(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    const pageError = /Error code: <code>([^<]*)<\/code>/.exec(text)?.[1];
    return { raw: text.slice(0, 200), ...(pageError === undefined ? {} : { error: pageError }) };
  }
}

/** fetch with a hard bound; never throws, a missing answer is status 0. */
export async function timedFetch(
  kind: string,
  url: string,
  init: RequestInit,
  boundMs: number,
): Promise<Answer> {
  const startedAt = Date.now();
  try {
    const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(boundMs) });
    return {
      kind,
      status: res.status,
      body: answerBody(await res.text()),
      location: res.headers.get('location'),
      startedAt,
      ms: Date.now() - startedAt,
    };
  } catch (err) {
    const reason = err instanceof Error ? err.name : String(err);
    return { kind, status: 0, body: { reason }, location: null, startedAt, ms: Date.now() - startedAt };
  }
}

/**
 * What an outage may answer, as a list of violations (empty when all is well): no request
 * unanswered or slower than the bound, no 5xx but 503, every 503 an OAuth error JSON (or error
 * page) with temporarily_unavailable, and an error redirect only ever with temporarily_unavailable.
 */
export function outageViolations(answers: Answer[], boundMs: number): string[] {
  const violations: string[] = [];
  for (const a of answers) {
    const what = `${a.kind} ${a.status} after ${a.ms} ms: ${JSON.stringify(a.body).slice(0, 160)}`;
    if (a.status === 0 || a.ms >= boundMs) {
      violations.push(`not answered in time: ${what}`);
    } else if (a.status >= 500 && a.status !== 503) {
      violations.push(`server error: ${what}`);
    } else if (a.status === 503 && a.body.error !== 'temporarily_unavailable') {
      violations.push(`503 without temporarily_unavailable: ${what}`);
    } else if (a.location !== null && /[?&]error=/.test(a.location)) {
      const error = new URL(a.location, 'http://x').searchParams.get('error');
      if (error !== 'temporarily_unavailable') {
        violations.push(`error redirect ${error}: ${a.location}`);
      }
    }
  }
  return violations;
}

/** "kind status×count …" for the report line, e.g. "refresh_token 200×415 503×212" (redirects with their error). */
export function statusSummary(answers: Answer[]): string {
  const counts = new Map<string, Map<string, number>>();
  for (const a of answers) {
    const byStatus = counts.get(a.kind) ?? new Map<string, number>();
    const error = a.location === null ? null : new URL(a.location, 'http://x').searchParams.get('error');
    const key = error === null ? String(a.status) : `${a.status} ${error}`;
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    counts.set(a.kind, byStatus);
  }
  return [...counts]
    .map(([kind, byStatus]) => `${kind} ${[...byStatus].map(([status, n]) => `${status}×${n}`).join(' ')}`)
    .join(', ');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `task` until `done()`, recording every answer, `pauseMs` apart. */
export async function loop(
  task: () => Promise<Answer>,
  answers: Answer[],
  done: () => boolean,
  pauseMs = 0,
): Promise<void> {
  while (!done()) {
    answers.push(await task());
    await sleep(pauseMs);
  }
}

/** Milliseconds `work` took, with its result. */
export async function timed<T>(work: Promise<T>): Promise<{ ms: number; result: T }> {
  const started = Date.now();
  const result = await work;
  return { ms: Date.now() - started, result };
}

/**
 * Polls `answers` (still being filled by the traffic loops) for the first 200 of `kind` that started
 * at or after `since`, for at most `waitMs` from `waitFrom`; returns the ms from `since` to that
 * answer's end, or NaN when none came.
 */
export async function recoveryMs(
  answers: Answer[],
  kind: string,
  since: number,
  waitMs: number,
  waitFrom = since,
): Promise<number> {
  let first: Answer | undefined;
  while (Date.now() - waitFrom < waitMs && !first) {
    await sleep(20);
    first = answers.find((a) => a.kind === kind && a.status === 200 && a.startedAt >= since);
  }
  return first ? first.startedAt + first.ms - since : Number.NaN;
}
