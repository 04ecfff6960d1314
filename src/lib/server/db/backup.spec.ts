import {
	chmodSync,
	copyFileSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	readlinkSync,
	statSync,
	symlinkSync,
	writeFileSync
} from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { seedPlan } from '../seed';
import { createPartner, progressInput } from '../progress/testing';
import { saveProgressUpdate } from '../progress/service';
import { backupDatabase } from './backup';
import { openDatabase } from './index';
import { migrateToLatest } from './migrate';
import { handToUnprivileged, runUnprivileged, scratchDir } from './testing';

function dump(path: string): Record<string, unknown[]> {
	const db = new SQLite(path, { readonly: true });
	try {
		const tables = db
			.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
			.all() as { name: string }[];
		return Object.fromEntries(
			tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()])
		);
	} finally {
		db.close();
	}
}

/** A migrated database, closed, alone in a new folder. */
async function migratedDatabase(): Promise<{ dir: string; source: string }> {
	const dir = scratchDir('backup');
	const source = join(dir, 'live.db');
	const db = openDatabase(source);
	await migrateToLatest(db);
	await db.destroy();
	return { dir, source };
}

describe('db:backup', () => {
	it('makes an online copy that, once restored, holds every row', async () => {
		const dir = scratchDir('backup');
		const source = join(dir, 'live.db');
		const db = openDatabase(source);
		await migrateToLatest(db);
		await seedPlan(db);
		const partner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
		await saveProgressUpdate(db, partner, '9-1', null, progressInput(), null);

		// The server keeps its connection open (and writes) while the backup runs.
		const backup = join(dir, 'sauvegarde.db');
		const result = await backupDatabase(source, backup);
		expect(result.pages).toBeGreaterThan(10);
		// Another fiche: an organisation has one open update per fiche.
		await saveProgressUpdate(db, partner, '1-2', null, progressInput(), null);
		const liveAtBackup = dump(backup);
		await db.destroy();

		const restored = join(dir, 'restauree.db');
		copyFileSync(backup, restored);
		const rows = dump(restored);
		expect(rows).toEqual(liveAtBackup);
		expect(rows.fiche).toHaveLength(23);
		expect(rows.user_account).toHaveLength(1);
		expect(rows.progress_update).toHaveLength(9 + 1);
		expect(Object.keys(rows)).toEqual(
			expect.arrayContaining(['audit_event', 'measurement', 'kysely_migration'])
		);
		expect(dump(source).progress_update).toHaveLength(9 + 2);
	});

	it('keeps the database, its folder and its backups private, and leaves nothing behind', async () => {
		const dir = scratchDir('backup');
		const source = join(dir, 'donnees', 'live.db');
		const db = openDatabase(source);
		await migrateToLatest(db);
		const mode = (path: string) => statSync(path).mode & 0o777;
		expect(mode(join(dir, 'donnees'))).toBe(0o700);
		expect(mode(source)).toBe(0o600);
		expect(mode(`${source}-wal`)).toBe(0o600);
		const backup = join(dir, 'sdusn-2026-11-30.db');
		await backupDatabase(source, backup);
		await db.destroy();
		expect(mode(backup)).toBe(0o600);
		expect(readdirSync(dir).sort()).toEqual(['donnees', 'sdusn-2026-11-30.db']);
		// A file made readable by others before is made private at the next start.
		chmodSync(source, 0o644);
		await openDatabase(source).destroy();
		expect(mode(source)).toBe(0o600);
		// A folder given as the database is refused, and keeps its mode.
		chmodSync(join(dir, 'donnees'), 0o755);
		expect(() => openDatabase(join(dir, 'donnees'))).toThrow();
		expect(mode(join(dir, 'donnees'))).toBe(0o755);
	});

	it('refuses to overwrite an existing file', async () => {
		const { dir, source } = await migratedDatabase();
		await expect(backupDatabase(source, source)).rejects.toThrow(/est la base elle-même/);
		copyFileSync(source, join(dir, 'autre.db'));
		await expect(backupDatabase(source, join(dir, 'autre.db'))).rejects.toThrow(/existe déjà/);
		rmSync(join(dir, 'autre.db'));
		// A folder that is not there: one French sentence, not Node's ENOENT.
		await expect(backupDatabase(source, join(dir, 'absent', 'copie.db'))).rejects.toThrow(
			/Le dossier « .*absent » n’existe pas/
		);
		expect(readdirSync(dir)).toEqual(['live.db']);
	});

	// Staff review s57: a symbolic link to nothing was replaced by the backup (existsSync follows
	// it); refused, as --out refuses any name already there (scripts/cli.ts, outputPath).
	it('refuses a symbolic link, even to nothing, and leaves it as it was', async () => {
		const { dir, source } = await migratedDatabase();
		const link = join(dir, 'lien.db');
		symlinkSync(join(dir, 'nulle-part.db'), link);
		await expect(backupDatabase(source, link)).rejects.toThrow(
			/« .*lien\.db » est un lien symbolique vers « .*nulle-part\.db », qui n’existe pas : rien n’a été écrit/
		);
		expect(readlinkSync(link)).toBe(join(dir, 'nulle-part.db'));
		expect(readdirSync(dir).sort()).toEqual(['lien.db', 'live.db']);
		// To a file: refused as the file is, which keeps its bytes.
		writeFileSync(join(dir, 'gardee.db'), 'à garder');
		symlinkSync(join(dir, 'gardee.db'), join(dir, 'lien-vers-gardee.db'));
		await expect(backupDatabase(source, join(dir, 'lien-vers-gardee.db'))).rejects.toThrow(
			/existe déjà/
		);
		expect(readFileSync(join(dir, 'gardee.db'), 'utf8')).toBe('à garder');
	});

	// Probe s43, finding 6: « sauvegarde écrite » into the database's own -wal, which SQLite deleted
	// at the next opening.
	it('refuses the database’s own -wal, -shm and -journal, however the path is written', async () => {
		const { dir, source } = await migratedDatabase();
		for (const suffix of ['-wal', '-shm', '-journal'])
			await expect(backupDatabase(source, `${source}${suffix}`)).rejects.toThrow(
				new RegExp(`est un fichier de la base \\(${suffix}\\).*rien n’a été écrit`)
			);
		await expect(
			backupDatabase(source, join(dir, '.', '..', dir.split('/').at(-1)!, 'live.db-wal'))
		).rejects.toThrow(/un fichier de la base/);
		expect(readdirSync(dir)).toEqual(['live.db']);
	});

	it('says in French what stops a copy: a folder it cannot write, a base it cannot read', async () => {
		const { dir, source } = await migratedDatabase();
		await expect(backupDatabase(source, join(source, 'copie.db'))).rejects.toMatchObject({
			name: 'StartupError',
			message: expect.stringMatching(/^« .*live\.db » n’est pas un dossier/)
		});
		await expect(
			backupDatabase(join(dir, 'absente.db'), join(dir, 'copie.db'))
		).rejects.toMatchObject({
			name: 'StartupError',
			message: expect.stringContaining('ne peut pas être ouverte en lecture')
		});
		const text = join(dir, 'texte.db');
		writeFileSync(text, 'pas une base '.repeat(400));
		await expect(backupDatabase(text, join(dir, 'copie.db'))).rejects.toMatchObject({
			name: 'StartupError',
			message: expect.stringContaining('n’est pas lisible par SQLite')
		});
		expect(readdirSync(dir).sort()).toEqual(['live.db', 'texte.db']);
		// A folder as the backup's name, a folder or an empty file as the database: said as such.
		await expect(backupDatabase(source, dir)).rejects.toThrow(
			/^« .* » est un dossier : donnez le nom du fichier de sauvegarde/
		);
		await expect(backupDatabase(dir, join(dir, 'copie.db'))).rejects.toThrow(
			/^La base « .* » est un dossier : DATABASE_PATH doit nommer le fichier de la base/
		);
		const empty = join(dir, 'vide.db');
		writeFileSync(empty, '');
		await expect(backupDatabase(empty, join(dir, 'copie.db'))).rejects.toThrow(
			/^La base « .*vide\.db » est vide \(0 octet\) : rien à sauvegarder/
		);
		// Not an ordinary file (a device): not told empty.
		await expect(backupDatabase('/dev/null', join(dir, 'copie.db'))).rejects.toThrow(
			/^« \/dev\/null » n’est pas un fichier de base de données/
		);
		expect(readdirSync(dir).sort()).toEqual(['live.db', 'texte.db', 'vide.db']);
	});

	// Root writes anywhere: the copy is asked of an unprivileged user, as the service's.
	it('says so of a folder it may not write', async () => {
		const { dir, source } = await migratedDatabase();
		const locked = join(dir, 'verrouille');
		mkdirSync(locked, { mode: 0o500 });
		handToUnprivileged(dir, source, locked);
		const said = runUnprivileged(
			dir,
			`import { backupDatabase } from ${JSON.stringify(join(import.meta.dirname, 'backup.ts'))};
try { await backupDatabase(process.argv[2], process.argv[3]); console.log('copied'); }
catch (e) { console.log(\`\${e.name}: \${e.message}\`); }`,
			[source, join(locked, 'copie.db')]
		);
		expect(said).toMatch(/^StartupError: Impossible d’écrire dans le dossier « .*verrouille »/);
	});
});
