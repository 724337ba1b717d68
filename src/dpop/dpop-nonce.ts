/** RFC 9449 §8 stateless nonces; shared with the resource-server package (see dpop-proof.ts). */
export { DpopNonces } from '../resources/resource-server/dpop-nonce.js';
