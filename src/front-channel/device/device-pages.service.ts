import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../config/app-config.js';
import type { DeviceAuthorization } from '../../device/device-code.store.js';
import { formatUserCode } from '../../device/user-code.js';
import { PageRenderer } from '../../pages/page-renderer.service.js';
import { CsrfService } from '../../sessions/csrf.service.js';
import type { DeviceVerification } from './device-verification.store.js';

interface FormExtras {
  error?: string;
  status?: number;
  headers?: Record<string, string>;
  username?: string;
  userCode?: string;
}

/**
 * The /device pages (server-rendered like login and consent: no scripts, CSP, framing refused,
 * no-store; every form carries a CSRF token bound to this browser or session).
 */
@Injectable()
export class DevicePages {
  constructor(
    private readonly pages: PageRenderer,
    private readonly csrf: CsrfService,
    private readonly config: AppConfig,
  ) {}

  entry(reply: FastifyReply, browserId: string, extras: FormExtras = {}): FastifyReply {
    return this.pages.send(
      reply,
      'device-entry',
      'Connect a device',
      {
        csrf: this.csrf.token('device', `entry:${browserId}`),
        userCode: extras.userCode,
        error: extras.error,
      },
      { status: extras.status, headers: extras.headers },
    );
  }

  login(
    reply: FastifyReply,
    v: string,
    verification: DeviceVerification,
    browserId: string,
    extras: FormExtras = {},
  ): FastifyReply {
    return this.pages.send(
      reply,
      'device-login',
      'Sign in',
      {
        v,
        csrf: this.csrf.token('device', `login:${v}:${browserId}`),
        clientName: verification.clientName,
        username: extras.username,
        error: extras.error,
      },
      { status: extras.status, headers: extras.headers },
    );
  }

  confirm(
    reply: FastifyReply,
    v: string,
    sessionId: string,
    verification: DeviceVerification,
    record: DeviceAuthorization,
  ): FastifyReply {
    const descriptions = new Map(this.config.scopes.map((s) => [s.name, s.description]));
    return this.pages.send(reply, 'device-confirm', 'Allow this device', {
      v,
      csrf: this.csrf.token('device', `confirm:${v}:${sessionId}`),
      clientName: verification.clientName,
      userCode: formatUserCode(verification.userCode),
      scopes: record.scope
        .split(' ')
        .filter(Boolean)
        .map((name) => ({ name, description: descriptions.get(name) ?? name })),
      resources: record.resources,
    });
  }

  done(reply: FastifyReply, heading: string, message: string, status = 200): FastifyReply {
    return this.pages.send(reply, 'device-done', heading, { heading, message }, { status });
  }
}
