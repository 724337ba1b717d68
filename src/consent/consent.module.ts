import { Module } from '@nestjs/common';
import { ConsentStorageModule } from './consent-storage.module.js';

/** Remembered consent for the public surface (its pages live in the front channel). */
@Module({
  imports: [ConsentStorageModule],
  exports: [ConsentStorageModule],
})
export class ConsentModule {}
