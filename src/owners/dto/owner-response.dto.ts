import { ApiProperty } from '@nestjs/swagger';
import type { OwnerEntity } from '../owner.entity.js';

/** The wire form of an owner. Never carries the password hash. */
export class OwnerResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'As given at creation.' })
  username!: string;

  @ApiProperty({ nullable: true, type: String })
  display_name!: string | null;

  @ApiProperty({ nullable: true, type: String })
  email!: string | null;

  @ApiProperty({ nullable: true, type: Object, description: 'OpenID Connect standard claims' })
  claims!: Record<string, unknown> | null;

  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({ format: 'date-time' })
  password_changed_at!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;

  static from(owner: OwnerEntity): OwnerResponseDto {
    return {
      id: owner.id,
      username: owner.username,
      display_name: owner.displayName,
      email: owner.email,
      claims: (owner.claims as Record<string, unknown> | null) ?? null,
      disabled: owner.disabled,
      password_changed_at: owner.passwordChangedAt.toISOString(),
      created_at: owner.createdAt.toISOString(),
      updated_at: owner.updatedAt.toISOString(),
    };
  }
}

export class OwnerListResponseDto {
  @ApiProperty({ type: [OwnerResponseDto] })
  items!: OwnerResponseDto[];

  @ApiProperty({ description: 'Owners matching the filter, across all pages.' })
  total!: number;

  @ApiProperty()
  limit!: number;

  @ApiProperty()
  offset!: number;
}
