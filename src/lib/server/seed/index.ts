// The plan's loader writes the seed data into the tables: it lives in the seed repository.
export * from './repository';
