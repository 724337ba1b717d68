import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { changesFromUpdateDto, settingsFromCreateDto, toClientResponse } from './client.mapper.js';
import { ClientsService } from './clients.service.js';
import { ClientListResponseDto, ClientResponseDto } from './dto/client-response.dto.js';
import { CreateClientDto } from './dto/create-client.dto.js';
import { ListClientsQueryDto } from './dto/list-clients.query.dto.js';
import { UpdateClientDto } from './dto/update-client.dto.js';

/** Admin CRUD for clients. Secrets appear only in the create and rotate responses. */
@ApiTags('clients')
@Controller('admin/clients')
export class ClientsAdminController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @ApiCreatedResponse({ type: ClientResponseDto })
  async create(@Body() dto: CreateClientDto): Promise<ClientResponseDto> {
    const allScopes = (await this.clients.knownScopes()).join(' ');
    const { client, secret } = await this.clients.create(settingsFromCreateDto(dto, allScopes));
    return toClientResponse(client, secret);
  }

  @Get()
  @ApiOkResponse({ type: ClientListResponseDto })
  async list(@Query() query: ListClientsQueryDto): Promise<ClientListResponseDto> {
    const { items, total } = await this.clients.list({
      limit: query.limit,
      offset: query.offset,
      name: query.name,
      tokenEndpointAuthMethod: query.token_endpoint_auth_method,
      disabled: query.disabled,
    });
    return { items: items.map((c) => toClientResponse(c)), total, limit: query.limit, offset: query.offset };
  }

  @Get(':id')
  @ApiOkResponse({ type: ClientResponseDto })
  async get(@Param('id') id: string): Promise<ClientResponseDto> {
    return toClientResponse(await this.clients.get(id));
  }

  @Patch(':id')
  @ApiOkResponse({
    type: ClientResponseDto,
    description: 'client_secret is present when the change issued one',
  })
  async update(@Param('id') id: string, @Body() dto: UpdateClientDto): Promise<ClientResponseDto> {
    const current = await this.clients.get(id);
    const { client, secret } = await this.clients.update(id, changesFromUpdateDto(dto, current));
    return toClientResponse(client, secret);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async delete(@Param('id') id: string): Promise<void> {
    await this.clients.delete(id);
  }

  @Post(':id/secret')
  @HttpCode(200)
  @ApiOkResponse({ type: ClientResponseDto, description: 'The new client_secret, shown once' })
  async rotateSecret(@Param('id') id: string): Promise<ClientResponseDto> {
    const { client, secret } = await this.clients.rotateSecret(id);
    return toClientResponse(client, secret);
  }
}
