import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CreateResourceDto,
  DeleteResourceResponseDto,
  ResourceListResponseDto,
  ResourceResponseDto,
  UpdateResourceDto,
} from './dto/resource.dto.js';
import { ResourcesService, toResourceResponse } from './resources.service.js';

/** Admin CRUD for resource servers (RFC 8707 audiences, their scopes and client policy). */
@ApiTags('resources')
@Controller('admin/resources')
export class ResourcesAdminController {
  constructor(private readonly resources: ResourcesService) {}

  @Post()
  @ApiCreatedResponse({
    type: ResourceResponseDto,
    description: '409 when the identifier or a scope is taken',
  })
  async create(@Body() dto: CreateResourceDto): Promise<ResourceResponseDto> {
    return toResourceResponse(await this.resources.create(dto));
  }

  @Get()
  @ApiOkResponse({ type: ResourceListResponseDto })
  async list(): Promise<ResourceListResponseDto> {
    const items = await this.resources.list();
    return { items: items.map(toResourceResponse), total: items.length };
  }

  @Get(':id')
  @ApiOkResponse({ type: ResourceResponseDto })
  async get(@Param('id') id: string): Promise<ResourceResponseDto> {
    return toResourceResponse(await this.resources.get(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: ResourceResponseDto })
  async update(@Param('id') id: string, @Body() dto: UpdateResourceDto): Promise<ResourceResponseDto> {
    return toResourceResponse(await this.resources.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOkResponse({
    type: DeleteResourceResponseDto,
    description: 'Deleted; every refresh-token grant naming the resource is revoked (with its access tokens)',
  })
  async delete(@Param('id') id: string): Promise<DeleteResourceResponseDto> {
    return { revoked_grants: await this.resources.delete(id) };
  }
}
