import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { NoteEntity } from './note.entity.js';

export class CreateNoteDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;

  @IsOptional()
  @IsString()
  @MaxLength(10000)
  body?: string;
}

export class UpdateNoteDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @IsOptional()
  @IsString()
  @MaxLength(10000)
  body?: string;
}

export interface NoteResponse {
  id: string;
  title: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export const toNoteResponse = (note: NoteEntity): NoteResponse => ({
  id: note.id,
  title: note.title,
  body: note.body,
  created_at: note.createdAt.toISOString(),
  updated_at: note.updatedAt.toISOString(),
});
