/** True when a space-delimited scope contains `openid` (the request is an OpenID Connect one). */
export function hasOpenIdScope(scope: string): boolean {
  return scope.split(' ').includes('openid');
}
