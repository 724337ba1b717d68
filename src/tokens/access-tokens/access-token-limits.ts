/**
 * The longest lifetime any access token can have (seconds): client-specific lifetimes are
 * clamped to it. Retired signing keys stay in the JWKS and grant-revocation markers stay in
 * the store this long, so both outlive every token they concern.
 */
export const MAX_ACCESS_TOKEN_TTL = 86400;

/** Tolerated clock skew between us and resource servers (seconds). */
export const CLOCK_SKEW = 60;
