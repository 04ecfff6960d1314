import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { testDbImage } from './testing';

/** Migrates and seeds the test database once per run; each createTestDb() clones it. */
export default async function setup(project: TestProject) {
	const dir = mkdtempSync(join(tmpdir(), 'sdusn-unit-'));
	const seeded = join(dir, 'seeded.db');
	const empty = join(dir, 'empty.db');
	writeFileSync(seeded, await testDbImage({ seed: true }));
	writeFileSync(empty, await testDbImage({ seed: false }));
	project.provide('seededTestDb', seeded);
	project.provide('emptyTestDb', empty);
	return () => rmSync(dir, { recursive: true, force: true });
}
