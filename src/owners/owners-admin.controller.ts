import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InvalidRequest } from '../common/errors/oauth-error.js';
import { CreateOwnerDto } from './dto/create-owner.dto.js';
import { ListOwnersQueryDto } from './dto/list-owners.query.dto.js';
import { OwnerListResponseDto, OwnerResponseDto } from './dto/owner-response.dto.js';
import { ResetPasswordDto } from './dto/reset-password.dto.js';
import { UpdateOwnerDto } from './dto/update-owner.dto.js';
import { OwnerAccessRevocation } from './owner-access-revocation.js';
import { ErasureResponseDto } from './dto/erasure-response.dto.js';
import { OwnerErasureService } from './owner-erasure.service.js';
import { OwnersService } from './owners.service.js';
import { SessionLogout } from '../oidc/logout/session-logout.service.js';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new InvalidRequest('id must be a UUID') });

/** Admin API for resource owners (admin listener only, behind AdminAuthGuard). */
@ApiTags('owners')
@ApiBearerAuth()
@Controller('admin/owners')
export class OwnersAdminController {
  constructor(
    private readonly owners: OwnersService,
    private readonly access: OwnerAccessRevocation,
    private readonly logout: SessionLogout,
    private readonly erasure: OwnerErasureService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a resource owner' })
  @ApiResponse({ status: 201, type: OwnerResponseDto })
  @ApiResponse({ status: 409, description: 'username already exists (case-insensitive)' })
  async create(@Body() dto: CreateOwnerDto): Promise<OwnerResponseDto> {
    const owner = await this.owners.create({
      username: dto.username,
      password: dto.password,
      displayName: dto.display_name,
      email: dto.email,
      claims: dto.claims,
    });
    return OwnerResponseDto.from(owner);
  }

  @Get()
  @ApiOperation({ summary: 'List owners (ordered by username)' })
  @ApiResponse({ status: 200, type: OwnerListResponseDto })
  async list(@Query() query: ListOwnersQueryDto): Promise<OwnerListResponseDto> {
    const { items, total } = await this.owners.list({
      usernamePrefix: query.username,
      disabled: query.disabled,
      limit: query.limit,
      offset: query.offset,
    });
    return {
      items: items.map((o) => OwnerResponseDto.from(o)),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get an owner' })
  @ApiResponse({ status: 200, type: OwnerResponseDto })
  async get(@Param('id', uuid) id: string): Promise<OwnerResponseDto> {
    return OwnerResponseDto.from(await this.owners.get(id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Update display name, e-mail, or disable / enable',
    description:
      "Disabling revokes the owner's grants (refresh tokens, access tokens) and ends their sessions.",
  })
  @ApiResponse({ status: 200, type: OwnerResponseDto })
  async update(@Param('id', uuid) id: string, @Body() dto: UpdateOwnerDto): Promise<OwnerResponseDto> {
    const owner = await this.owners.update(id, {
      displayName: dto.display_name,
      email: dto.email,
      claims: dto.claims,
      disabled: dto.disabled,
    });
    if (dto.disabled === true) {
      await this.access.endAccess(id, 'disabled');
      // Back-Channel Logout (R-OIDC-11): clients that took part in the owner's sessions are told.
      await this.logout.endOwner(owner.id);
    }
    return OwnerResponseDto.from(owner);
  }

  @Post(':id/password')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reset the password',
    description:
      "Ends the owner's sessions and, unless OWNER_PASSWORD_RESET_GRANTS=keep, revokes their grants (refresh and access tokens).",
  })
  @ApiResponse({ status: 200, type: OwnerResponseDto })
  async resetPassword(
    @Param('id', uuid) id: string,
    @Body() dto: ResetPasswordDto,
  ): Promise<OwnerResponseDto> {
    const owner = await this.owners.resetPassword(id, dto.password);
    await this.access.endAccess(id, 'password_reset');
    return OwnerResponseDto.from(owner);
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Erase an owner for good (right to erasure)',
    description:
      'In one transaction: revokes every grant, deletes remembered consents and the owner with every personal field, ' +
      'and keeps the audit events under a pseudonymous id. Sessions end with the owner. Not reversible.',
  })
  @ApiResponse({ status: 200, type: ErasureResponseDto })
  @ApiResponse({ status: 404, description: 'owner not found' })
  async erase(@Param('id', uuid) id: string): Promise<ErasureResponseDto> {
    const result = await this.erasure.erase(id);
    // Back-Channel Logout (R-OIDC-11): the clients that took part in the owner's sessions are told.
    await this.logout.endOwner(id);
    return {
      pseudonym: result.pseudonym,
      grants_revoked: result.grantsRevoked,
      consents_deleted: result.consentsDeleted,
    };
  }
}
