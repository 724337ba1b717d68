import { AsyncLocalStorage } from 'node:async_hooks';

/** The key a token request proved possession of (RFC 9449 §5): its JWK SHA-256 thumbprint. */
export interface DpopBinding {
  jkt: string;
}

const storage = new AsyncLocalStorage<DpopBinding | undefined>();

/**
 * The DPoP binding of the token request being handled. The token endpoint resolves it once
 * (proof, nonce, replay, client policy) and runs the grant inside `withDpopBinding`; the
 * access-token issuer and the refresh-token service read it here. Every grant, including
 * grants added later, is bound without code of its own.
 */
export function withDpopBinding<T>(binding: DpopBinding | undefined, run: () => Promise<T>): Promise<T> {
  return storage.run(binding, run);
}

/** The binding of the current token request; undefined outside one or without a proof. */
export function currentDpopBinding(): DpopBinding | undefined {
  return storage.getStore();
}
