import type { AnyEntitySchema } from '../platform/entity.ts';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../app.ts';

/**
 * A bounded context: its entities (for the ORM) and a function that registers its routes, hooks and jobs.
 * Add a module by writing one of these and listing it in modules/index.ts.
 */
export interface MCartModule {
  name: string;
  entities: AnyEntitySchema[];
  register: (app: FastifyInstance, config: AppConfig) => Promise<void>;
  /** Runs once on start after migrations: seed demo data etc. Must be idempotent. */
  onReady?: (app: FastifyInstance, config: AppConfig) => Promise<void>;
}
