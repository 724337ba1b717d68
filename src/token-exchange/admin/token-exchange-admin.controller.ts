import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { importJWK, type JWK } from 'jose';
import { ClientsService } from '../../clients/clients.service.js';
import { InvalidRequest, NotFound } from '../../common/errors/oauth-error.js';
import { TokenExchangePolicies } from '../token-exchange-policies.service.js';
import { TokenExchangePolicyEntity } from '../token-exchange-policy.entity.js';
import { TRUSTED_JWT_ALGORITHMS } from '../trusted-jwt.verifier.js';
import {
  CreateTrustedIssuerDto,
  TokenExchangePolicyDto,
  TrustedIssuerDto,
} from './token-exchange-admin.dto.js';

/**
 * Token exchange and JWT bearer policy per client (R-TX-5), and the trusted external issuers
 * whose JWTs may be exchanged or used as assertions. Default without a policy: nothing.
 */
@ApiTags('token exchange')
@Controller('admin')
export class TokenExchangeAdminController {
  constructor(
    private readonly store: TokenExchangePolicies,
    private readonly clients: ClientsService,
  ) {}

  @Put('clients/:clientId/token-exchange-policy')
  @ApiOperation({ summary: "Set a client's token exchange / JWT bearer policy" })
  @ApiOkResponse({ type: TokenExchangePolicyDto })
  async put(@Param('clientId') clientId: string, @Body() body: TokenExchangePolicyDto) {
    await this.clients.get(clientId);
    const now = new Date();
    const existing = await this.store.policies.findOneBy({ clientId });
    const saved = await this.store.policies.save(
      Object.assign(existing ?? new TokenExchangePolicyEntity(), {
        clientId,
        subjectTokenTypes: [...new Set(body.subject_token_types)],
        issuers: [...new Set(body.issuers)],
        audiences: [...new Set(body.audiences)],
        delegation: body.delegation,
        impersonation: body.impersonation,
        refreshTokens: body.refresh_tokens ?? false,
        jwtBearer: body.jwt_bearer,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      }),
    );
    return TokenExchangePolicyDto.from(saved);
  }

  @Get('clients/:clientId/token-exchange-policy')
  @ApiOperation({ summary: "A client's token exchange / JWT bearer policy (404: none, nothing allowed)" })
  @ApiOkResponse({ type: TokenExchangePolicyDto })
  async get(@Param('clientId') clientId: string) {
    const policy = await this.store.policyOf(clientId);
    if (!policy) {
      throw new NotFound('no token exchange policy for this client');
    }
    return TokenExchangePolicyDto.from(policy);
  }

  @Delete('clients/:clientId/token-exchange-policy')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove a client's policy (it may then exchange nothing)" })
  async remove(@Param('clientId') clientId: string): Promise<void> {
    await this.store.policies.delete({ clientId });
  }

  @Post('trusted-issuers')
  @ApiOperation({ summary: 'Trust an external issuer (static public keys or a JWKS URL)' })
  @ApiCreatedResponse({ type: TrustedIssuerDto })
  async createIssuer(@Body() body: CreateTrustedIssuerDto): Promise<TrustedIssuerDto> {
    if ((body.jwks === undefined) === (body.jwks_uri === undefined)) {
      throw new InvalidRequest('give exactly one of jwks and jwks_uri');
    }
    const keys = body.jwks === undefined ? null : await this.publicKeys(body.jwks);
    const now = new Date();
    const saved = await this.store.issuers.save({
      id: randomUUID(),
      issuer: body.issuer,
      jwks: keys ? { keys } : null,
      jwksUri: body.jwks_uri ?? null,
      subjectClaim: body.subject_claim ?? 'sub',
      createdAt: now,
      updatedAt: now,
    });
    return TrustedIssuerDto.from(saved);
  }

  @Get('trusted-issuers')
  @ApiOperation({ summary: 'List trusted issuers' })
  @ApiOkResponse({ type: [TrustedIssuerDto] })
  async listIssuers(): Promise<TrustedIssuerDto[]> {
    const all = await this.store.issuers.find({ order: { issuer: 'ASC' }, take: 500 });
    return all.map((i) => TrustedIssuerDto.from(i));
  }

  @Delete('trusted-issuers/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop trusting an issuer' })
  async removeIssuer(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.store.issuers.delete({ id });
  }

  /** Public asymmetric keys only: a private or symmetric key is refused (400). */
  private async publicKeys(jwks: { keys: JWK[] } | undefined): Promise<JWK[]> {
    const keys = Array.isArray(jwks?.keys) ? jwks.keys : [];
    if (keys.length === 0 || keys.length > 10) {
      throw new InvalidRequest('jwks must hold 1 to 10 public keys');
    }
    for (const key of keys) {
      if (
        typeof key !== 'object' ||
        key === null ||
        !['RSA', 'EC', 'OKP'].includes(String(key.kty)) ||
        'd' in key
      ) {
        throw new InvalidRequest('jwks: only public RSA, EC or OKP keys are accepted');
      }
      if (key.alg !== undefined && !TRUSTED_JWT_ALGORITHMS.includes(key.alg)) {
        throw new InvalidRequest(`jwks: alg ${String(key.alg)} is not accepted`);
      }
      try {
        await importJWK(key, key.alg ?? (key.kty === 'RSA' ? 'RS256' : key.kty === 'EC' ? 'ES256' : 'EdDSA'));
      } catch {
        throw new InvalidRequest('jwks: a key cannot be read');
      }
    }
    return keys;
  }
}
