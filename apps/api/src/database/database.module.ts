import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { PrismaService } from './prisma.service';

/**
 * Global: provides PrismaService for every repository. The database follows AppConfig (DATABASE_URL, else
 * PGlite under DATA_DIR/pglite); pending migrations are applied while the module starts.
 */
@Global()
@Module({
  providers: [
    {
      provide: PrismaService,
      useFactory: (config: AppConfig) => PrismaService.fromConfig(config),
      inject: [AppConfig],
    },
  ],
  exports: [PrismaService],
})
export class DatabaseModule {}
