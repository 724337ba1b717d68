import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { PaginationQueryDto, queryBoolean } from '../../common/http/pagination-query.dto.js';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

export class ListOwnersQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive username prefix.', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  username?: string;

  @ApiPropertyOptional({
    description: 'Only disabled (true) or only enabled (false) owners.',
    enum: ['true', 'false'],
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'disabled must be true or false' })
  disabled?: boolean;
}
