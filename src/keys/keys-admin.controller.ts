import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SigningKeyDto, SigningKeyListDto } from './dto/signing-key.dto.js';
import { KeysService } from './keys.service.js';

@ApiTags('keys')
@Controller('admin/keys')
export class KeysAdminController {
  constructor(private readonly keys: KeysService) {}

  @Get()
  @ApiOperation({ summary: 'Published signing keys (public parts) with their states' })
  list(): SigningKeyListDto {
    return { keys: this.keys.list().map((k) => SigningKeyDto.from(k)) };
  }

  @Post('rotate')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create the next signing key now',
    description:
      'The new key is published in /jwks at once and starts signing after KEY_PUBLISH_LEAD_TIME; the current key then retires and stays published until every token it signed has expired. Every instance picks the change up at once (pub/sub) or within a minute.',
  })
  async rotate(): Promise<SigningKeyDto> {
    const created = await this.keys.rotate();
    const listed = this.keys.list().find((k) => k.kid === created.kid);
    return SigningKeyDto.from(listed ?? { ...created, state: 'pending' });
  }
}
