import { Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CurrentOwner } from '../../src/owners/current-owner.decorator.js';
import { OwnerLocalGuard } from '../../src/owners/guards/owner-local.guard.js';
import type { OwnerEntity } from '../../src/owners/owner.entity.js';

/** Test-only: what the login page will do, reduced to the guard and the decorator. */
@Controller('test/owner-login')
export class OwnerLoginProbeController {
  @Post()
  @HttpCode(200)
  @UseGuards(OwnerLocalGuard)
  login(@CurrentOwner() owner: OwnerEntity): { id: string; username: string } {
    return { id: owner.id, username: owner.username };
  }
}
