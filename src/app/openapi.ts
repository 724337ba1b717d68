import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
// @nestjs/swagger serves the docs UI's assets through @fastify/static, which it imports lazily on
// Fastify; importing it here states the dependency and makes a missing install fail at start.
import '@fastify/static';

/**
 * OpenAPI for the admin API at /admin/docs (UI), /admin/docs/json and /admin/docs/yaml. The document
 * is built when one of them is first requested, not at start: generating it walks every admin route and
 * DTO, and keeping it costs memory in every process that never serves it (issue 18).
 */
export function setupAdminOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Tessera admin API')
    .setDescription('Register clients, manage resource owners, initial access tokens, keys and grants.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' })
    .addSecurityRequirements('bearer')
    .build();
  SwaggerModule.setup('admin/docs', app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: 'admin/docs/json',
    yamlDocumentUrl: 'admin/docs/yaml',
  });
}
