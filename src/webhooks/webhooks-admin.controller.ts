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
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InvalidRequest } from '../common/errors/oauth-error.js';
import {
  CreateWebhookEndpointDto,
  ListDeliveriesQueryDto,
  UpdateWebhookEndpointDto,
  WebhookDeliveryDto,
  WebhookEndpointDto,
} from './dto/webhook-endpoint.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new InvalidRequest('id must be a UUID') });

/** /admin/webhooks: endpoints that receive audit events, signed (docs/operations.md "Webhooks"). */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('admin/webhooks')
export class WebhooksAdminController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @ApiOperation({ summary: 'Register an endpoint; the response shows its signing secret once' })
  @ApiResponse({ status: 201, type: WebhookEndpointDto })
  async create(@Body() dto: CreateWebhookEndpointDto): Promise<WebhookEndpointDto> {
    const { endpoint, secret } = await this.endpoints.create({
      url: dto.url,
      eventTypes: dto.event_types,
      disabled: dto.disabled,
    });
    return WebhookEndpointDto.from(endpoint, secret);
  }

  @Get()
  @ApiOperation({ summary: 'List endpoints' })
  @ApiOkResponse({ type: [WebhookEndpointDto] })
  async list(): Promise<WebhookEndpointDto[]> {
    return (await this.endpoints.list()).map((e) => WebhookEndpointDto.from(e));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get an endpoint' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  async get(@Param('id', uuid) id: string): Promise<WebhookEndpointDto> {
    return WebhookEndpointDto.from(await this.endpoints.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the URL or event types, or disable / enable' })
  @ApiOkResponse({ type: WebhookEndpointDto })
  async update(
    @Param('id', uuid) id: string,
    @Body() dto: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointDto> {
    const endpoint = await this.endpoints.update(id, {
      url: dto.url,
      eventTypes: dto.event_types,
      disabled: dto.disabled,
    });
    return WebhookEndpointDto.from(endpoint);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint and its queued deliveries' })
  async delete(@Param('id', uuid) id: string): Promise<void> {
    await this.endpoints.delete(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "The endpoint's recent deliveries, newest first (status, attempts, last error)" })
  @ApiOkResponse({ type: [WebhookDeliveryDto] })
  async deliveries(
    @Param('id', uuid) id: string,
    @Query() q: ListDeliveriesQueryDto,
  ): Promise<WebhookDeliveryDto[]> {
    await this.endpoints.get(id);
    return (await this.endpoints.deliveries(id, q.limit)).map((d) => WebhookDeliveryDto.from(d));
  }
}
