import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db';
import { noteDiskFull } from '../db/dialect';
import { migrateToLatest } from '../db/migrate';
import { checkHealth } from '.';

describe('health', () => {
	it('is ok when the database answers and has every migration', async () => {
		const db = openDatabase(':memory:');
		await migrateToLatest(db);
		const health = await checkHealth(db);
		expect(health).toMatchObject({ statut: 'ok', base: 'joignable', migrations: 'à jour' });
		// package.json's version never changes: the build's time tells one upgrade from the next.
		expect(health.version).toMatch(/^\d+\.\d+\.\d+\+\d{8}T\d{6}Z$/);
		// Small and impersonal: exactly these fields.
		expect(Object.keys(health).sort()).toEqual(
			['base', 'disque', 'enMarcheDepuis', 'migrations', 'statut', 'version'].sort()
		);
		await db.destroy();
	});

	it('is degraded when a migration is missing', async () => {
		const db = openDatabase(':memory:');
		await migrateToLatest(db);
		await sql`delete from kysely_migration where name = (select max(name) from kysely_migration)`.execute(
			db
		);
		expect(await checkHealth(db)).toMatchObject({ statut: 'dégradé', migrations: 'en retard' });
		await db.destroy();
	});

	it('is degraded when the database does not answer', async () => {
		const db = openDatabase(':memory:');
		await db.destroy();
		expect(await checkHealth(db)).toMatchObject({ statut: 'dégradé', base: 'injoignable' });
		expect(await checkHealth(null)).toMatchObject({ statut: 'dégradé', base: 'injoignable' });
	});

	// Review s42, ops: on a full disk every write failed while /sante answered 200 « ok ».
	it('is degraded for a few minutes after a write refused for a full disk', async () => {
		const db = openDatabase(':memory:');
		await migrateToLatest(db);
		noteDiskFull(Date.now());
		expect(await checkHealth(db)).toMatchObject({ statut: 'dégradé', disque: 'plein' });
		noteDiskFull(Date.now() - 10 * 60_000);
		expect(await checkHealth(db)).toMatchObject({ statut: 'ok', disque: 'ok' });
		await db.destroy();
	});
});
