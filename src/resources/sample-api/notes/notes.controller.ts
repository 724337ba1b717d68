import { Body, Controller, UseGuards, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Protected, Scopes, TokenSubject } from '../../resource-server/index.js';
import { CreateNoteDto, toNoteResponse, UpdateNoteDto, type NoteResponse } from './note.dto.js';
import { NotesService } from './notes.service.js';
import { ActiveOwnerGuard } from '../active-owner.guard.js';

/** /api/notes: CRUD on the token subject's notes (notes:read / notes:write). */
@Controller('api/notes')
// Decorators apply bottom-up: the bearer guard (@Protected) runs first, then this one.
@UseGuards(ActiveOwnerGuard)
@Protected()
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get()
  @Scopes('notes:read')
  async list(@TokenSubject() sub: string): Promise<{ notes: NoteResponse[] }> {
    return { notes: (await this.notes.list(sub)).map(toNoteResponse) };
  }

  @Get(':id')
  @Scopes('notes:read')
  async get(@TokenSubject() sub: string, @Param('id') id: string): Promise<NoteResponse> {
    return toNoteResponse(await this.notes.get(sub, id));
  }

  @Post()
  @Scopes('notes:write')
  async create(@TokenSubject() sub: string, @Body() body: CreateNoteDto): Promise<NoteResponse> {
    return toNoteResponse(await this.notes.create(sub, body));
  }

  @Patch(':id')
  @Scopes('notes:write')
  async update(
    @TokenSubject() sub: string,
    @Param('id') id: string,
    @Body() body: UpdateNoteDto,
  ): Promise<NoteResponse> {
    return toNoteResponse(await this.notes.update(sub, id, body));
  }

  @Delete(':id')
  @Scopes('notes:write')
  @HttpCode(204)
  async remove(@TokenSubject() sub: string, @Param('id') id: string): Promise<void> {
    await this.notes.remove(sub, id);
  }
}
