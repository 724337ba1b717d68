import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * RFC 9449 §8 server nonces without shared state: a nonce is an HMAC of the current time window
 * under a key every instance derives from the same secret, so any instance accepts another's
 * nonces with no store write. A nonce stays valid for the window it was issued in and the next
 * one (between one and two periods).
 */
export class DpopNonces {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly periodSeconds: number,
  ) {
    this.key = createHmac('sha256', secret).update('tessera dpop nonce').digest();
  }

  private forWindow(window: number): string {
    return createHmac('sha256', this.key).update(String(window)).digest('base64url');
  }

  private window(now: number): number {
    return Math.floor(now / this.periodSeconds);
  }

  /** The nonce to hand out now (DPoP-Nonce header). */
  current(now = Math.floor(Date.now() / 1000)): string {
    return this.forWindow(this.window(now));
  }

  /** True for the current or the previous window's nonce (constant-time comparison). */
  isValid(nonce: string, now = Math.floor(Date.now() / 1000)): boolean {
    const presented = Buffer.from(nonce);
    const w = this.window(now);
    return [w, w - 1].some((window) => {
      const expected = Buffer.from(this.forWindow(window));
      return expected.length === presented.length && timingSafeEqual(expected, presented);
    });
  }
}
