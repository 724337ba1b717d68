import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { FixedSql, type FixedStatement } from '../../../database/fixed-sql.js';
import { NotFound } from '../../../common/errors/oauth-error.js';
import type { CreateNoteDto, UpdateNoteDto } from './note.dto.js';
import { NoteEntity } from './note.entity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Notes per token subject: a subject never sees or changes another's notes (404, not 403). */
@Injectable()
export class NotesService {
  private readonly sql: FixedSql;
  private readonly byOwner: FixedStatement;

  constructor(
    @InjectRepository(NoteEntity) private readonly notes: Repository<NoteEntity>,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.sql = new FixedSql(dataSource);
    // Every GET /api/notes lists: fixed SQL, as on the token endpoint's hot paths (docs/bench.md).
    this.byOwner = this.sql.statement(
      'notes_by_owner',
      `SELECT ${this.sql.selectList(notes.metadata, 'n')} FROM notes n WHERE n.owner_sub = ? ` +
        'ORDER BY n.created_at ASC, n.id ASC LIMIT 500',
    );
  }

  list(ownerSub: string): Promise<NoteEntity[]> {
    return this.sql.many<NoteEntity>(this.notes.metadata, 'n', this.byOwner, [ownerSub]);
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
