import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CreateInitialAccessTokenDto,
  InitialAccessTokenListResponseDto,
  InitialAccessTokenResponseDto,
  ListInitialAccessTokensQueryDto,
} from './dto/initial-access-token.dto.js';
import type { InitialAccessTokenEntity } from './initial-access-token.entity.js';
import { InitialAccessTokensService } from './initial-access-tokens.service.js';

function view(entity: InitialAccessTokenEntity, token?: string): InitialAccessTokenResponseDto {
  return {
    id: entity.id,
    expires_at: entity.expiresAt?.toISOString() ?? null,
    max_uses: entity.maxUses,
    uses: entity.uses,
    revoked_at: entity.revokedAt?.toISOString() ?? null,
    created_at: entity.createdAt.toISOString(),
    ...(token ? { token } : {}),
  };
}

/** Initial access tokens for REGISTRATION_POLICY=token (RFC 7591 §3). */
@ApiTags('initial-access-tokens')
@Controller('admin/initial-access-tokens')
export class InitialAccessTokensAdminController {
  constructor(private readonly tokens: InitialAccessTokensService) {}

  @Post()
  @ApiCreatedResponse({ type: InitialAccessTokenResponseDto })
  async create(@Body() dto: CreateInitialAccessTokenDto): Promise<InitialAccessTokenResponseDto> {
    const { entity, token } = await this.tokens.issue({ expiresIn: dto.expires_in, maxUses: dto.max_uses });
    return view(entity, token);
  }

  @Get()
  @ApiOkResponse({ type: InitialAccessTokenListResponseDto })
  async list(@Query() query: ListInitialAccessTokensQueryDto): Promise<InitialAccessTokenListResponseDto> {
    const { items, total } = await this.tokens.list(query.limit, query.offset);
    return { items: items.map((t) => view(t)), total, limit: query.limit, offset: query.offset };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked (idempotent)' })
  async revoke(@Param('id') id: string): Promise<void> {
    await this.tokens.revoke(id);
  }
}
