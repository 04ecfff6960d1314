import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseStamp } from './change-stamp';
import { openDatabase, type Db } from './index';
import { migrateToLatest } from './migrate';

let dir: string;
let server: Db;
let tool: Db;

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'sdusn-stamp-'));
	server = openDatabase(join(dir, 'portail.db'));
	await migrateToLatest(server);
	tool = openDatabase(join(dir, 'portail.db'));
});

afterEach(async () => {
	await server.destroy();
	await tool.destroy();
	rmSync(dir, { recursive: true, force: true });
});

const organisation = (slug: string) => ({
	slug,
	name: slug,
	full_name: null,
	kind: 'epci' as const
});

describe('database stamp', () => {
	it('stays the same while nothing is written', async () => {
		const first = databaseStamp(server);
		await server.selectFrom('fiche').selectAll().execute();
		expect(databaseStamp(server)).toBe(first);
	});

	it('changes after a write of this process and after a commit of another process', async () => {
		const first = databaseStamp(server);
		await server.insertInto('organisation').values(organisation('cahors')).execute();
		const second = databaseStamp(server);
		expect(second).not.toBe(first);
		await tool.insertInto('organisation').values(organisation('figeac')).execute();
		expect(databaseStamp(server)).not.toBe(second);
	});
});
