import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
// @nestjs/swagger serves the docs UI's assets through @fastify/static, which it imports lazily on
// Fastify; importing it here states the dependency and makes a missing install fail at start.
import '@fastify/static';

/** OpenAPI for the admin API at /admin/docs (UI) and /admin/docs/json. */
export function setupAdminOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Tessera admin API')
    .setDescription('Register clients, manage resource owners, initial access tokens, keys and grants.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('admin/docs', app, document, {
    jsonDocumentUrl: 'admin/docs/json',
    yamlDocumentUrl: 'admin/docs/yaml',
  });
}
