import { PartialType } from '@nestjs/swagger';
import { CreateClientDto } from './create-client.dto.js';

/** PATCH /admin/clients/:id: any subset of the create fields; null clears nullable ones. */
export class UpdateClientDto extends PartialType(CreateClientDto) {}
