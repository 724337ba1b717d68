import pg from 'pg';

/** What node-postgres rejects a query with when no answer came within `query_timeout`. */
const READ_TIMEOUT = 'Query read timeout';

type QueryFn = (...args: unknown[]) => unknown;

/**
 * A node-postgres client that drops its connection when a query misses `query_timeout`.
 * node-postgres only stops waiting: the query stays in flight on the socket, a ROLLBACK queued
 * behind it is never sent, and once a hung server answers again the pool would hand the
 * connection to the next request still inside the abandoned transaction, holding its locks.
 * Dropping the socket makes the pool discard the connection and the server roll it back.
 */
export class BoundedPgClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = (this.query as QueryFn).bind(this);
    const dropOnTimeout = (err: unknown) => {
      if (err instanceof Error && err.message === READ_TIMEOUT) {
        (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      }
    };
    (this as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
      const callback = args.at(-1);
      if (typeof callback === 'function') {
        args[args.length - 1] = (err: unknown, result: unknown) => {
          dropOnTimeout(err);
          (callback as (e: unknown, r: unknown) => void)(err, result);
        };
        return query(...args);
      }
      const result = query(...args);
      return result instanceof Promise
        ? result.catch((err: unknown) => {
            dropOnTimeout(err);
            throw err;
          })
        : result;
    };
  }
}
