import { Module } from '@nestjs/common';
import { ImportController } from './import.controller';
import { ImportProgressStore } from './import-progress';
import { ImportService } from './import.service';

/** Imports of trajectories and assessments from CSV or XLSX exports. */
@Module({ controllers: [ImportController], providers: [ImportService, ImportProgressStore] })
export class ImportModule {}
