import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import shipped from './checksums.json';

// Kysely's migrator knows a migration by its name: a database that ran a file never runs it again,
// so a file edited after it shipped leaves such databases behind (it happened five times; see
// 2026_12_11_110000_repair_edited). Each file's SHA-256 is recorded here when it is added.

const folder = new URL('.', import.meta.url);
const files = readdirSync(folder).filter((name) =>
	/^\d{4}_\d{2}_\d{2}_\d{6}_[a-z0-9_]+\.ts$/.test(name)
);
const sha256 = (name: string) =>
	createHash('sha256')
		.update(readFileSync(new URL(name, folder)))
		.digest('hex');

describe('migrations that have shipped', () => {
	it('are never edited: a change is a new migration', () => {
		const edited = files.filter(
			(name) => name in shipped && shipped[name as keyof typeof shipped] !== sha256(name)
		);
		expect(edited, 'write a new migration instead of editing these').toEqual([]);
	});

	it('each have their checksum recorded in migrations/checksums.json', () => {
		const missing = files.filter((name) => !(name in shipped));
		expect(
			Object.fromEntries(missing.map((name) => [name, sha256(name)])),
			'add these lines to migrations/checksums.json'
		).toEqual({});
	});
});
