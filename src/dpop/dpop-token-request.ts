import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { ClientEntity } from '../clients/client.entity.js';
import type { DpopBinding } from './dpop-binding.js';
import { InvalidDpopProof } from './dpop-errors.js';
import { DpopVerifier } from './dpop-verifier.js';

/**
 * The one DPoP step of POST /token, shared by every grant: verify the proof if one was sent
 * (R-DPOP-1..5), refuse a client registered with dpop_bound_access_tokens that sent none
 * (R-DPOP-8), and return the binding the issued tokens carry (R-DPOP-6/7).
 */
@Injectable()
export class DpopTokenRequest {
  constructor(private readonly verifier: DpopVerifier) {}

  async resolve(request: FastifyRequest, client: ClientEntity): Promise<DpopBinding | undefined> {
    const proof = await this.verifier.verify(request, '/token');
    if (!proof) {
      if (client.dpopBoundAccessTokens) {
        throw new InvalidDpopProof('this client must send a DPoP proof');
      }
      return undefined;
    }
    return { jkt: proof.jkt };
  }
}
