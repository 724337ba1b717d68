/**
 * The case-insensitive login key of a username: Unicode NFKC (so compatibility forms such as
 * full-width letters collapse) then lower case. Unique in the owners table.
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** Letters (with combining marks), digits and `.`, `_`, `@`, `+`, `-`; 1..100 characters; no spaces or controls. */
export const USERNAME_PATTERN = /^[\p{L}\p{M}\p{N}._@+-]{1,100}$/u;
export const USERNAME_MAX = 100;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
