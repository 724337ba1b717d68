import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { NotFound } from '../../../common/errors/oauth-error.js';
import type { CreateNoteDto, UpdateNoteDto } from './note.dto.js';
import { NoteEntity } from './note.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Notes per token subject: a subject never sees or changes another's notes (404, not 403). */
@Injectable()
export class NotesService {
  constructor(@InjectRepository(NoteEntity) private readonly notes: Repository<NoteEntity>) {}

  list(ownerSub: string): Promise<NoteEntity[]> {
    return this.notes.find({ where: { ownerSub }, order: { createdAt: 'ASC' }, take: 500 });
  }

  async get(ownerSub: string, id: string): Promise<NoteEntity> {
    const note = UUID.test(id) ? await this.notes.findOneBy({ id, ownerSub }) : null;
    if (!note) {
      throw new NotFound('note not found');
    }
    return note;
  }

  async create(ownerSub: string, input: CreateNoteDto): Promise<NoteEntity> {
    const now = new Date();
    const note = Object.assign(new NoteEntity(), {
      id: randomUUID(),
      ownerSub,
      title: input.title,
      body: input.body ?? '',
      createdAt: now,
      updatedAt: now,
    });
    await this.notes.insert(note);
    return note;
  }

  async update(ownerSub: string, id: string, input: UpdateNoteDto): Promise<NoteEntity> {
    const note = await this.get(ownerSub, id);
    Object.assign(note, {
      title: input.title ?? note.title,
      body: input.body ?? note.body,
      updatedAt: new Date(),
    });
    await this.notes.update(
      { id, ownerSub },
      { title: note.title, body: note.body, updatedAt: note.updatedAt },
    );
    return note;
  }

  async remove(ownerSub: string, id: string): Promise<void> {
    await this.get(ownerSub, id);
    await this.notes.delete({ id, ownerSub });
  }
}
