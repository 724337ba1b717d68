import { ApiProperty } from '@nestjs/swagger';

export class ErasureResponseDto {
  @ApiProperty({
    description: "The pseudonymous id the owner's audit events now carry",
    example: 'erased:0b1e…',
  })
  pseudonym!: string;

  @ApiProperty({ description: 'Grants (refresh-token families) revoked' })
  grants_revoked!: number;

  @ApiProperty({ description: 'Remembered consents deleted' })
  consents_deleted!: number;
}
