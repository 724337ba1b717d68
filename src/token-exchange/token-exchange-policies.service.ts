import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TokenExchangePolicyEntity } from './token-exchange-policy.entity.js';
import { TrustedIssuerEntity } from './trusted-issuer.entity.js';

/** Reads and writes exchange policies and trusted issuers (admin API and grants). */
@Injectable()
export class TokenExchangePolicies {
  constructor(
    @InjectRepository(TokenExchangePolicyEntity)
    readonly policies: Repository<TokenExchangePolicyEntity>,
    @InjectRepository(TrustedIssuerEntity)
    readonly issuers: Repository<TrustedIssuerEntity>,
  ) {}

  /** The client's policy; null means nothing is allowed (R-TX-5 default). */
  policyOf(clientId: string): Promise<TokenExchangePolicyEntity | null> {
    return this.policies.findOneBy({ clientId });
  }

  /** A trusted issuer by its `iss` value, when `allowed` (the client's policy) lists it. */
  async trustedIssuer(iss: unknown, allowed: readonly string[]): Promise<TrustedIssuerEntity | null> {
    if (typeof iss !== 'string' || iss.length > 512 || !allowed.includes(iss)) {
      return null;
    }
    return this.issuers.findOneBy({ issuer: iss });
  }
}
