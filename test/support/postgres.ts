/** The tests' real PostgreSQL: the same embedded server `npm run replicas` starts (see dev/postgres). */
export * from '../../dev/postgres/embedded-postgres.js';
