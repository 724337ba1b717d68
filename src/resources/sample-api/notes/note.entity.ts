import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EpochColumn } from '../../../database/epoch-column.js';

/** A note of the sample protected API, owned by a token subject (owner id, or client id). */
@Entity('notes')
export class NoteEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The access token's `sub` that created the note. */
  @Index('IDX_notes_owner_sub')
  @Column({ name: 'owner_sub', type: 'varchar', length: 255 })
  ownerSub!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  @EpochColumn({ name: 'created_at' })
  createdAt!: Date;

  @EpochColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
