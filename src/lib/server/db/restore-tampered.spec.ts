import { existsSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './index';
import { migrateToLatest, portalMigrator } from './migrate';
import { restoreBackup } from './restore';
import { scratchDir } from './testing';

async function migrated(file: string, to?: string): Promise<void> {
	const db = openDatabase(file);
	if (to === undefined) await migrateToLatest(db);
	else await portalMigrator(db).migrateTo(to);
	await db.destroy();
}

/** A migrated backup in a new folder, changed by `edit` (raw SQL, as anyone who can write the file). */
async function backupEdited(
	edit: string,
	to?: string
): Promise<{ backup: string; target: string }> {
	const dir = scratchDir('restauration-piege');
	const backup = join(dir, 'sauvegarde.db');
	await migrated(backup, to);
	const raw = new SQLite(backup);
	raw.exec(edit);
	raw.close();
	return { backup, target: join(dir, 'sdusn.db') };
}

// Probe s43, finding 1: a backup whose schema was altered after it was written was restored.
describe('db:restore of a backup whose schema was changed', () => {
	it('refuses a trigger the migrations never made, naming it, and leaves the target alone', async () => {
		const { backup, target } = await backupEdited(
			`CREATE TRIGGER z_seen AFTER INSERT ON user_session BEGIN
			   UPDATE user_account SET role = 'admin', organisation_id = NULL WHERE id = NEW.user_id; END;`
		);
		await expect(restoreBackup(backup, target)).rejects.toThrow(
			/n’est pas celle que créent ses migrations \(en trop : déclencheur « z_seen »\).*Rien n’a été changé/
		);
		expect(existsSync(target)).toBe(false);
	});

	it('refuses a backup whose append-only journal triggers were dropped', async () => {
		const { backup, target } = await backupEdited(
			'DROP TRIGGER audit_event_no_delete; DROP TRIGGER audit_event_no_update;'
		);
		await expect(restoreBackup(backup, target)).rejects.toThrow(
			/absents : déclencheur « audit_event_no_delete », déclencheur « audit_event_no_update »/
		);
	});

	it('refuses a table, a view or an index in excess, and a definition changed', async () => {
		const extra = await backupEdited(
			'CREATE TABLE notes (x TEXT); CREATE VIEW v AS SELECT 1; CREATE INDEX i ON notes (x);'
		);
		await expect(restoreBackup(extra.backup, extra.target)).rejects.toThrow(
			/en trop : index « i », table « notes », vue « v »/
		);
		const changed = await backupEdited(
			`DROP TRIGGER audit_event_no_delete;
			 CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event WHEN 0
			 BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;`
		);
		await expect(restoreBackup(changed.backup, changed.target)).rejects.toThrow(
			/définition changée : déclencheur « audit_event_no_delete »/
		);
	});

	it('refuses, before anything is replaced, a backup the migrations it lacks cannot run on', async () => {
		const { backup, target } = await backupEdited(
			'ALTER TABLE mail_outbox ADD COLUMN sitting_id INTEGER;',
			'2026_12_11_110000_repair_edited'
		);
		await expect(restoreBackup(backup, target)).rejects.toThrow(
			/Les migrations de cette version échouent sur « .*sauvegarde\.db » \(.*sitting_id.*\) : rien n’a été changé/
		);
		expect(existsSync(target)).toBe(false);
	});

	it('restores a genuine backup, older ones (one its start would repair) and one SQLite’s statistics were added to', async () => {
		for (const [edit, to] of [
			['', undefined],
			['ANALYZE; PRAGMA optimize;', undefined],
			['', '2026_12_05_110000_sitting_convened'],
			// A database that ran the first version of an edited migration (the mail sender's lease
			// without its `database` column), before the migration that repairs it: its start
			// would repair it, so its backup restores.
			[
				`DROP TABLE mail_sender;
				 CREATE TABLE mail_sender (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL,
				   process TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL,
				   lease_until INTEGER NOT NULL) STRICT;`,
				'2026_12_11_100000_mail_campaign'
			]
		] as const) {
			const { backup, target } = await backupEdited(edit, to);
			await expect(restoreBackup(backup, target)).resolves.toMatchObject({ aside: null });
			expect(existsSync(target)).toBe(true);
		}
	});
});
