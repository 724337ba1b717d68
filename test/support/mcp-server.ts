import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import {
  getOAuthProtectedResourceMetadataUrl,
  mcpAuthMetadataRouter,
} from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';

export interface TestMcpServer {
  /** The MCP endpoint, also its resource identifier (RFC 8707 / RFC 9728). */
  url: string;
  /** Tool calls that reached a tool (name → count). */
  calls: Map<string, number>;
  close(): Promise<void>;
}

/**
 * An MCP server written with @modelcontextprotocol/sdk (Streamable HTTP, stateless) and
 * protected by Tessera exactly as docs/mcp.md shows: the SDK's bearer middleware with a
 * verifier checking Tessera's JWT access tokens against its JWKS (issuer, audience = this
 * server, typ at+jwt), RFC 9728 metadata from the SDK's router, and a per-tool scope check
 * answering 403 insufficient_scope with every scope the tool needs (step-up, R-MCP-16).
 * Tools: `echo` (mcp:tools) and `purge` (mcp:tools and mcp:admin).
 */
export async function startMcpServer(issuer: string): Promise<TestMcpServer> {
  const metadata = (await (
    await fetch(`${issuer}/.well-known/oauth-authorization-server`)
  ).json()) as OAuthMetadata & { jwks_uri: string };
  const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(url));
  const calls = new Map<string, number>();

  const verifier = {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      try {
        const { payload } = await jwtVerify(token, jwks, { issuer, audience: url, typ: 'at+jwt' });
        return {
          token,
          clientId: String(payload.client_id),
          scopes: typeof payload.scope === 'string' ? payload.scope.split(' ') : [],
          expiresAt: payload.exp,
          resource: new URL(url),
        };
      } catch {
        throw new InvalidTokenError('invalid access token');
      }
    },
  };

  app.use(
    mcpAuthMetadataRouter({
      oauthMetadata: metadata,
      resourceServerUrl: new URL(url),
      scopesSupported: ['mcp:tools', 'mcp:admin'],
      resourceName: 'Test MCP server',
    }),
  );
  const TOOL_SCOPES: Record<string, string[]> = { purge: ['mcp:tools', 'mcp:admin'] };
  const toolScopes = (req: Request, res: Response, next: NextFunction): void => {
    const body = req.body as { method?: string; params?: { name?: string } } | undefined;
    const needed = body?.method === 'tools/call' ? TOOL_SCOPES[body.params?.name ?? ''] : undefined;
    const held = req.auth?.scopes ?? [];
    if (needed && needed.some((s) => !held.includes(s))) {
      res.set(
        'WWW-Authenticate',
        `Bearer error="insufficient_scope", scope="${needed.join(' ')}", resource_metadata="${resourceMetadataUrl}"`,
      );
      res.status(403).json({ error: 'insufficient_scope' });
      return;
    }
    next();
  };
  app.post(
    '/mcp',
    express.json(),
    requireBearerAuth({ verifier, requiredScopes: ['mcp:tools'], resourceMetadataUrl }),
    toolScopes,
    async (req: Request, res: Response) => {
      const mcp = new McpServer({ name: 'tessera-test-mcp', version: '1.0.0' });
      const count = (name: string): void => void calls.set(name, (calls.get(name) ?? 0) + 1);
      mcp.registerTool('echo', { description: 'Says hello' }, () => {
        count('echo');
        return { content: [{ type: 'text', text: `hello ${req.auth?.clientId ?? ''}` }] };
      });
      mcp.registerTool('purge', { description: 'Needs mcp:admin' }, () => {
        count('purge');
        return { content: [{ type: 'text', text: 'purged' }] };
      });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => void transport.close());
      await mcp.connect(transport);
      await transport.handleRequest(req, res, req.body);
    },
  );
  return {
    url,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
