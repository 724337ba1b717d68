import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { RegistrationResponse } from './registration-response.js';
import { RegistrationService, type RegistrationRequest } from './registration.service.js';

const input = (req: FastifyRequest, body: unknown): RegistrationRequest => ({
  authorization: req.headers.authorization,
  contentType: req.headers['content-type'],
  body,
  ip: req.ip,
});

/** RFC 7591 registration endpoint and RFC 7592 client configuration endpoint (public listener). */
@Controller('register')
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store') // R-REG-7
  @Header('Pragma', 'no-cache')
  register(@Req() req: FastifyRequest, @Body() body: unknown): Promise<RegistrationResponse> {
    return this.registration.register(input(req, body));
  }

  @Get(':client_id')
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  read(@Req() req: FastifyRequest, @Param('client_id') clientId: string): Promise<RegistrationResponse> {
    return this.registration.read(clientId, req.headers.authorization);
  }

  @Put(':client_id')
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  replace(
    @Req() req: FastifyRequest,
    @Param('client_id') clientId: string,
    @Body() body: unknown,
  ): Promise<RegistrationResponse> {
    return this.registration.replace(clientId, input(req, body));
  }

  @Delete(':client_id')
  @HttpCode(204)
  remove(@Req() req: FastifyRequest, @Param('client_id') clientId: string): Promise<void> {
    return this.registration.remove(clientId, req.headers.authorization);
  }
}
