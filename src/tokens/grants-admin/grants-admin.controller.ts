import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InvalidRequest, NotFound } from '../../common/errors/oauth-error.js';
import { RefreshTokenRepository } from '../refresh-tokens/refresh-token.repository.js';
import { RefreshTokenService } from '../refresh-tokens/refresh-token.service.js';
import { SessionLogout } from '../../oidc/logout/session-logout.service.js';
import {
  GrantDto,
  GrantFilterQuery,
  GrantIdParam,
  GrantPageDto,
  ListGrantsQuery,
  RevokedCountDto,
} from './grants-admin.dto.js';

/** Grants (refresh-token families): list, revoke one, revoke all of an owner or client. */
@ApiTags('grants')
@Controller('admin/grants')
export class GrantsAdminController {
  constructor(
    private readonly repository: RefreshTokenRepository,
    private readonly refreshTokens: RefreshTokenService,
    private readonly logout: SessionLogout,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List active grants, newest first, by client and/or owner' })
  @ApiOkResponse({ type: GrantPageDto })
  async list(@Query() query: ListGrantsQuery): Promise<GrantPageDto> {
    const filter = { clientId: query.client_id, ownerId: query.owner_id };
    const [rows, total] = await this.repository.listActiveFamilies(filter, new Date(), query);
    return { data: rows.map((r) => GrantDto.from(r)), total, limit: query.limit, offset: query.offset };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one grant with its refresh and access tokens' })
  @ApiNoContentResponse()
  async revoke(@Param() { id }: GrantIdParam): Promise<void> {
    const family = await this.repository.findFamily(id);
    if (!family) {
      throw new NotFound('grant not found');
    }
    await this.refreshTokens.revokeFamily(id);
  }

  @Delete()
  @ApiOperation({
    summary: 'Revoke every grant of an owner ("log out everywhere") and/or of a client',
  })
  @ApiOkResponse({ type: RevokedCountDto })
  async revokeAll(@Query() query: GrantFilterQuery): Promise<RevokedCountDto> {
    if (query.owner_id === undefined && query.client_id === undefined) {
      throw new InvalidRequest('owner_id or client_id is required');
    }
    const revoked = await this.refreshTokens.revokeFamiliesOf({
      clientId: query.client_id,
      ownerId: query.owner_id,
    });
    if (query.owner_id !== undefined) {
      // "Log out everywhere": Back-Channel Logout to the clients of the owner's sessions (R-OIDC-11).
      await this.logout.endOwner(query.owner_id);
    }
    return { revoked };
  }
}
