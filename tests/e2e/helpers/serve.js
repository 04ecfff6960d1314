// Starts the built portal for the end-to-end tests on a fresh database file.
import { rmSync } from 'node:fs';
import process from 'node:process';

const path = process.env.DATABASE_PATH;
if (!path) throw new Error('DATABASE_PATH must name the test database');
for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
const { main } = await import('../../../scripts/start.js');
await main();
