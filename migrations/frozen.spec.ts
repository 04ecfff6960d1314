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

/**
 * Names recorded as shipped whose file is gone. A database knows its migrations by name: one that
 * ran a file now renamed or deleted refuses to start, telling the operator it comes from a newer
 * portal (src/lib/server/db/index.ts), which is false.
 */
function vanished(recorded: Record<string, string>, present: string[]): string[] {
	return Object.keys(recorded).filter((name) => !present.includes(name));
}

describe('migrations that have shipped', () => {
	it('are never edited: a change is a new migration', () => {
		const edited = files.filter(
			(name) => name in shipped && shipped[name as keyof typeof shipped] !== sha256(name)
		);
		expect(edited, 'write a new migration instead of editing these').toEqual([]);
	});

	it('are never renamed or deleted', () => {
		// The review's probe (s41): 2026_12_10_110000_sitting_convened_as.ts renamed, its new name
		// recorded as the test asked.
		const renamed = files.map((name) =>
			name === '2026_12_10_110000_sitting_convened_as.ts'
				? '2026_12_10_110000_convened_as.ts'
				: name
		);
		expect(vanished({ ...shipped, '2026_12_10_110000_convened_as.ts': 'new' }, renamed)).toEqual([
			'2026_12_10_110000_sitting_convened_as.ts'
		]);
		expect(vanished(shipped, files), 'a shipped migration is never renamed or deleted').toEqual([]);
	});

	it('each have their checksum recorded in migrations/checksums.json', () => {
		const missing = files.filter((name) => !(name in shipped));
		expect(
			Object.fromEntries(missing.map((name) => [name, sha256(name)])),
			'add these lines to migrations/checksums.json'
		).toEqual({});
	});
});
