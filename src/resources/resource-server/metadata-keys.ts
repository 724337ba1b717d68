/** Reflect-metadata keys of the module's decorators (own keys: never clash with the app's). */
export const PUBLIC_KEY = 'resource-server:public';
export const SCOPES_KEY = 'resource-server:scopes';
export const ANY_SCOPE_KEY = 'resource-server:any-scope';
