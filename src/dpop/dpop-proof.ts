/**
 * RFC 9449 proof validation. The implementation lives in the resource-server package, which
 * must stay self-contained (it is publishable on its own) and needs the same checks; the
 * authorization server uses that one implementation rather than a copy.
 */
export {
  accessTokenHash,
  DPOP_ALGORITHMS,
  DPOP_IAT_WINDOW_SECONDS,
  DpopProofError,
  headerValues,
  normalizeHtu,
  verifyDpopProof,
  type DpopProof,
  type DpopProofInput,
} from '../resources/resource-server/dpop-proof.js';
