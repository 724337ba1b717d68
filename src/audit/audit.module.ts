import { Global, Module } from '@nestjs/common';
import { Transactions } from '../database/transactions.js';
import { AuditWriter } from './audit-writer.js';

/** The audit writer and the transaction helper, available to every feature module. */
@Global()
@Module({
  providers: [Transactions, AuditWriter],
  exports: [Transactions, AuditWriter],
})
export class AuditModule {}
