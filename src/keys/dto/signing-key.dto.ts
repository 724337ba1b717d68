import { ApiProperty } from '@nestjs/swagger';
import type { KeyState, LoadedKey } from '../keys.service.js';

/** One signing key as the admin API shows it: public part and lifecycle, never the private key. */
export class SigningKeyDto {
  @ApiProperty({ example: 'Xc1jrH3xVx6S0J1uYV2o6cJ8QyR3z2yF8pV1dGmRq2U', description: 'RFC 7638 thumbprint' })
  kid!: string;

  @ApiProperty({ enum: ['ES256', 'EdDSA', 'RS256'] })
  alg!: string;

  @ApiProperty({ description: 'Monotonic rotation counter' })
  generation!: number;

  @ApiProperty({ description: 'true for the RS256 ID-token key created alongside its generation' })
  companion!: boolean;

  @ApiProperty({
    enum: ['pending', 'active', 'retired'],
    description: 'pending: published, not yet signing; active: signing; retired: published until expires_at',
  })
  state!: KeyState;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  activates_at!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  retires_at!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  expires_at!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Public JWK as served at /jwks' })
  public_jwk!: Record<string, unknown>;

  static from(key: LoadedKey & { state: KeyState }): SigningKeyDto {
    const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
    return Object.assign(new SigningKeyDto(), {
      kid: key.kid,
      alg: key.alg,
      generation: key.generation,
      companion: key.companion,
      state: key.state,
      created_at: new Date(key.createdAt).toISOString(),
      activates_at: new Date(key.activatesAt).toISOString(),
      retires_at: iso(key.retiresAt),
      expires_at: iso(key.expiresAt),
      public_jwk: { ...key.publicJwk },
    });
  }
}

export class SigningKeyListDto {
  @ApiProperty({ type: [SigningKeyDto], description: 'Published keys, newest generation first' })
  keys!: SigningKeyDto[];
}
