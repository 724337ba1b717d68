import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity.js';
import { AuditEventDto, AuditEventPageDto } from './dto/audit-event-response.dto.js';
import { ListAuditEventsQueryDto } from './dto/list-audit-events.query.dto.js';

/** GET /admin/audit-events: the audit trail, newest first, keyset-paginated. */
@ApiTags('audit events')
@ApiBearerAuth()
@Controller('admin/audit-events')
export class AuditAdminController {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  @Get()
  @ApiOperation({ summary: 'List audit events (newest first) by type, subject, actor, owner and time range' })
  @ApiOkResponse({ type: AuditEventPageDto })
  async list(@Query() q: ListAuditEventsQueryDto): Promise<AuditEventPageDto> {
    const query = this.events.createQueryBuilder('e');
    if (q.type) {
      query.andWhere('e.type = :type', { type: q.type });
    }
    if (q.subject) {
      query.andWhere('e.subject_id = :subject', { subject: q.subject });
    }
    if (q.actor) {
      query.andWhere('e.actor_id = :actor', { actor: q.actor });
    }
    if (q.owner_id) {
      query.andWhere('e.owner_id = :owner', { owner: q.owner_id });
    }
    if (q.since) {
      query.andWhere('e.occurred_at >= :since', { since: Date.parse(q.since) });
    }
    if (q.until) {
      query.andWhere('e.occurred_at < :until', { until: Date.parse(q.until) });
    }
    if (q.cursor) {
      query.andWhere('e.seq < :cursor', { cursor: Number(q.cursor) });
    }
    const rows = await query
      .orderBy('e.seq', 'DESC')
      .take(q.limit + 1)
      .getMany();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      data: page.map((e) => AuditEventDto.from(e)),
      next_cursor: rows.length > q.limit && last ? String(last.seq) : null,
    };
  }
}
