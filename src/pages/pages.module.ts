import { Module } from '@nestjs/common';
import { PageRenderer } from './page-renderer.service.js';

@Module({ providers: [PageRenderer], exports: [PageRenderer] })
export class PagesModule {}
