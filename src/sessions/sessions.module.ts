import { Module } from '@nestjs/common';
import { CsrfService } from './csrf.service.js';
import { OwnerSessionService } from './owner-session.service.js';

@Module({ providers: [OwnerSessionService, CsrfService], exports: [OwnerSessionService, CsrfService] })
export class SessionsModule {}
