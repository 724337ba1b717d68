import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConsentService } from './consent.service.js';
import { ConsentGrantResponseDto } from './dto/consent-grant-response.dto.js';
import { ListConsentGrantsQueryDto } from './dto/list-consent-grants.query.dto.js';

/** Admin view of remembered consents; revoking one revokes its refresh-token families. */
@ApiTags('consent grants')
@Controller('admin/consent-grants')
export class ConsentAdminController {
  constructor(private readonly consents: ConsentService) {}

  @Get()
  @ApiOperation({ summary: 'List consent grants, by owner and/or client' })
  @ApiOkResponse({ type: [ConsentGrantResponseDto] })
  async list(@Query() q: ListConsentGrantsQueryDto): Promise<ConsentGrantResponseDto[]> {
    const grants = await this.consents.list(
      { ownerId: q.owner_id, clientId: q.client_id, includeRevoked: q.include_revoked },
      q.limit ?? 100,
      q.offset ?? 0,
    );
    return grants.map((g) => ConsentGrantResponseDto.from(g));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a consent grant and the refresh-token families issued under it' })
  async revoke(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.consents.revoke(id);
  }
}
