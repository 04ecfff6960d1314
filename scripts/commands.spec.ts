import { spawn, spawnSync } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testChild, type TestChild } from './test-children';

const dir = mkdtempSync(join(tmpdir(), 'sdusn-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function command(script: TestChild, args: string[], input = '', env: NodeJS.ProcessEnv = {}) {
	return spawnSync(process.execPath, [testChild(script), ...args], {
		env: { ...process.env, DATABASE_PATH: join(dir, 'commandes.db'), ...env },
		encoding: 'utf8',
		input,
		timeout: 60_000
	});
}

// Each test starts Node (the command compiled once per run: scripts/test-children.ts): seconds on a loaded machine,
// more than Vitest's 5 s default; the spawn itself gives up after 60 s.
describe('command-line tools', { timeout: 60_000 }, () => {
	// The database most tests share, made as an operator makes one outside `npm start`.
	beforeAll(() => {
		const made = command('db-migrate', ['--creer']);
		expect(made.status, made.stderr).toBe(0);
	}, 60_000);

	it('user:create names the valid roles and the database it uses', () => {
		const result = command(
			'user-create',
			['--email', 'a@lot.test', '--name', 'Anne', '--role', 'administrateur'],
			'une phrase assez longue pour passer\n'
		);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(`Base de données : ${resolve(dir, 'commandes.db')}`);
		expect(result.stderr).toContain('Choisissez un rôle parmi : admin, commission, partenaire.');
	});

	it('user:create typed at a terminal never shows the password, and asks it twice', async () => {
		// A pseudo-terminal (util-linux's script), as an operator's shell gives the command.
		const typeAt = async (first: string, second: string) => {
			const child = spawn(
				'script',
				[
					'-qec',
					`${process.execPath} ${testChild('user-create')} --email t@lot.test --name Tess --role admin`,
					'/dev/null'
				],
				{ env: { ...process.env, DATABASE_PATH: join(dir, 'commandes.db') } }
			);
			let shown = '';
			child.stdout.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
			const prompted = (text: string) =>
				vi.waitFor(() => expect(shown).toContain(text), { timeout: 30_000, interval: 50 });
			await prompted('Mot de passe (une ligne, non affiché) : ');
			child.stdin.write(`${first}\r`);
			await prompted('Le même mot de passe, pour confirmer : ');
			child.stdin.write(`${second}\r`);
			const code = await new Promise((done) => child.on('close', done));
			return { code, shown };
		};
		const secret = 'une phrase tapée au clavier du serveur';
		const differing = await typeAt(secret, 'une autre phrase tapée au clavier');
		expect(differing.code).toBe(1);
		expect(differing.shown).toContain('Les deux saisies du mot de passe diffèrent');
		const created = await typeAt(secret, secret);
		expect(created.code, created.shown).toBe(0);
		expect(created.shown).toContain('créé pour t@lot.test');
		for (const run of [differing, created]) expect(run.shown).not.toContain('tapée au clavier');
		// The journal says who made it: the command, not « anonyme ».
		const database = new SQLite(join(dir, 'commandes.db'), { readonly: true });
		try {
			expect(
				database
					.prepare(
						"SELECT actor_label FROM audit_event WHERE action = 'account.created' AND summary LIKE '%t@lot.test'"
					)
					.pluck()
					.get()
			).toBe('commande user:create');
		} finally {
			database.close();
		}
	});

	it('user:create refuses an organisation for a commission member', () => {
		const result = command(
			'user-create',
			[
				'--email',
				'c@lot.test',
				'--name',
				'Camille',
				'--role',
				'commission',
				'--organisation',
				'cdg46'
			],
			'les causses du quercy sous la neige\n'
		);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('Seul un compte partenaire appartient à une organisation');
	});

	it('user:create says in its own words an unknown organisation and an address taken', () => {
		const partner = (organisation: string, email: string) =>
			command(
				'user-create',
				[
					'--email',
					email,
					'--name',
					'Paola',
					'--role',
					'partenaire',
					'--organisation',
					organisation
				],
				PASSWORD
			);
		const unknown = partner('nulle-part', 'p@lot.test');
		expect(unknown.status).toBe(1);
		expect(unknown.stderr).toContain(
			'Organisation inconnue : « nulle-part ». Indiquez son nom ou son identifiant (voir la page /organisations).'
		);
		const made = partner('cdg46', 'p@lot.test');
		expect(made.status, made.stderr).toBe(0);
		expect(made.stdout).toContain('créé pour p@lot.test (partenaire).');
		const again = partner('cdg46', 'P@lot.test');
		expect(again.status).toBe(1);
		expect(again.stderr).toContain('Un compte existe déjà avec l’adresse P@lot.test.');
	});

	// Accounts probe s57: the command kept names the form refuses (two zero-width spaces, an admin
	// named blank everywhere; Hangul fillers) and the direction marks it drops; a retired
	// organisation was « inconnue ».
	it('user:create reads its options as the form reads its fields, and says an organisation retired', () => {
		const create = (email: string, name: string, organisation?: string) =>
			command(
				'user-create',
				[
					'--email',
					email,
					'--name',
					name,
					'--role',
					organisation ? 'partenaire' : 'admin',
					...(organisation ? ['--organisation', organisation] : [])
				],
				PASSWORD
			);
		for (const blank of ['\u200b\u200b', '\u3164\u3164\u3164']) {
			const refused = create('blanc@lot.test', blank);
			expect(refused.status).toBe(1);
			expect(refused.stderr).toMatch(/\nIndiquez le nom de la personne\.\n$/);
		}
		// A word that mixes Latin and Cyrillic letters, refused as by the form (NewAccountSchema).
		expect(create('mixte@lot.test', '\u0410lice \u0410dmin').stderr).toContain(
			'\nChaque mot du nom s’écrit dans un seul alphabet ; « \u0410lice » mêle des lettres latines à des lettres cyrilliques ou grecques (« \u0410 »)'
		);
		const marked = create('\u200fmarque@lot.test\u200e', 'Ali\u200fce Marque');
		expect(marked.status, marked.stderr).toBe(0);
		const database = new SQLite(join(dir, 'commandes.db'));
		try {
			expect(
				database.prepare("SELECT email, name FROM user_account WHERE name LIKE 'Ali%'").all()
			).toEqual([{ email: 'marque@lot.test', name: 'Alice Marque' }]);
			database
				.prepare(
					"INSERT INTO organisation (slug, name, kind, retired_at) VALUES ('commune-essai', 'Commune d’essai', 'public_body', '2026-12-01')"
				)
				.run();
		} finally {
			database.close();
		}
		for (const typed of ['commune-essai', 'Commune d’essai']) {
			const retired = create('retraite@lot.test', 'Rémi', typed);
			expect(retired.status).toBe(1);
			expect(retired.stderr).toContain(
				`\nOrganisation retirée ou fusionnée : « ${typed} » ne prend plus de partenaire. Indiquez une organisation du plan, son nom ou son identifiant (voir la page /organisations).\n`
			);
		}
	});

	it('export says which database it reads on stderr, the document alone on stdout', () => {
		// export reads an existing database only (made by db:migrate --creer; the plan seeded here).
		const result = command('export', ['--format', 'csv']);
		expect(result.status).toBe(0);
		expect(result.stderr).toBe(`Base de données : ${resolve(dir, 'commandes.db')}\n`);
		expect(result.stdout.split('\n')[0]).toMatch(/^\uFEFF?[a-z_]+,/);
	});

	it('demo says the updates it saved, and why one was refused, never one it did not make', () => {
		const fresh = { DATABASE_PATH: join(dir, 'demo.db') };
		const made = command('demo', ['--creer'], '', fresh);
		expect(made.status).toBe(0);
		expect(made.stdout).toContain(
			'Le partenaire (CDG46) a soumis deux mises à jour (fiches 1-2 et 9-1) et garde un brouillon (5-1).'
		);
		// Another database (the bench's) where CDG46 takes no part in 5-1: no draft is made there.
		const other = { DATABASE_PATH: join(dir, 'demo-autre.db') };
		expect(command('db-migrate', ['--creer'], '', other).status).toBe(0);
		expect(command('export', ['--resource', 'fiches'], '', other).status).toBe(0);
		const sqlite = new SQLite(other.DATABASE_PATH);
		for (const table of ['fiche_owner', 'fiche_partner'])
			sqlite
				.prepare(
					`DELETE FROM ${table} WHERE fiche_id = (SELECT id FROM fiche WHERE code = '5-1') AND organisation_id = (SELECT id FROM organisation WHERE slug = 'cdg46')`
				)
				.run();
		sqlite.close();
		const said = command('demo', [], '', other);
		expect(said.status).toBe(0);
		expect(said.stdout).toContain(
			'Le partenaire (CDG46) a soumis deux mises à jour (fiches 1-2 et 9-1).\nMise à jour de démonstration non enregistrée, fiche 5-1 : Votre organisation ne porte pas la fiche 5-1 et n’en est pas partenaire, ou ne l’est plus : Lot numérique l’en a peut-être retirée entre-temps.\nConnectez-vous'
		);
		expect(said.stdout).not.toContain('brouillon');
	});

	it('db:backup and db:restore read a relative file name from the folder where it was typed (INIT_CWD), and name it absolute', () => {
		const typedIn = join(dir, 'ailleurs');
		mkdirSync(typedIn);
		expect(
			command(
				'user-create',
				['--email', 'b@lot.test', '--name', 'Bea', '--role', 'admin'],
				'une phrase assez longue pour passer\n'
			).status
		).toBe(0);
		const result = command('db-backup', ['copie.db'], '', { INIT_CWD: typedIn });
		expect(result.status, result.stderr).toBe(0);
		expect(existsSync(join(typedIn, 'copie.db'))).toBe(true);
		expect(result.stdout).toMatch(`Sauvegarde écrite dans « ${join(typedIn, 'copie.db')} »`);

		// Read-back s45: db:restore named the backup as typed (« copie.db »), db:backup its path.
		const target = join(typedIn, 'restauree.db');
		const restored = command('db-restore', ['copie.db'], '', {
			INIT_CWD: typedIn,
			DATABASE_PATH: target
		});
		expect(restored.status, restored.stderr).toBe(0);
		expect(restored.stdout).toMatch(
			`Sauvegarde « ${join(typedIn, 'copie.db')} » vérifiée et restaurée dans « ${target} ».`
		);
		// Review s59, ops: restored into a new file to look into, it said « Redémarrez le portail. »
		expect(restored.stdout).toContain(
			'Ce fichier n’existait pas : aucun portail ne tourne sur cette base, rien à redémarrer.'
		);
		expect(restored.stdout).not.toContain('Redémarrez');
	});

	// Hostile probe s56: `mkfifo fifo.db; npm run db:restore -- fifo.db` waited without end and
	// without a word: SQLite opening a named pipe waits for a writer.
	it('db:restore refuses, at once and in French, a named pipe as backup or as DATABASE_PATH', () => {
		const folder = mkdtempSync(join(dir, 'tube-'));
		const pipe = join(folder, 'tube.db');
		expect(spawnSync('mkfifo', [pipe]).status).toBe(0);
		const backup = join(folder, 'sauvegarde.db');
		expect(command('db-backup', [backup]).status).toBe(0);
		const restore = (file: string, database: string) =>
			spawnSync(process.execPath, [testChild('db-restore'), file], {
				env: { ...process.env, DATABASE_PATH: database },
				encoding: 'utf8',
				timeout: 30_000
			});
		const fromPipe = restore(pipe, join(folder, 'portail.db'));
		expect(fromPipe.signal).toBeNull();
		expect(fromPipe.status).toBe(1);
		expect(fromPipe.stderr).toBe(
			`« ${pipe} » n’est pas un fichier ordinaire (un tube nommé, un périphérique ou une socket) : rien n’a été changé. Indiquez le fichier de sauvegarde à restaurer.\n`
		);
		const intoPipe = restore(backup, pipe);
		expect(intoPipe.signal).toBeNull();
		expect(intoPipe.status).toBe(1);
		expect(intoPipe.stderr).toBe(
			`« ${pipe} » n’est pas un fichier ordinaire (un tube nommé, un périphérique ou une socket) : rien n’a été changé. Vérifiez DATABASE_PATH.\n`
		);
		expect(readdirSync(folder).sort()).toEqual(['sauvegarde.db', 'tube.db']);
	});

	// Hostile probe s46: an older backup restored first (lost disk, new server), then a newer one
	// on top: the command said accounts enabled and passwords changed « since the backup » that the
	// backup had changed after them.
	it('db:restore carries nothing from a database older than the backup, and says so', () => {
		const folder = mkdtempSync(join(dir, 'plus-ancienne-'));
		const live = { DATABASE_PATH: join(folder, 'portail.db') };
		const admin = (email: string) =>
			command(
				'user-create',
				['--email', email, '--name', 'Anne', '--role', 'admin', '--creer'],
				'une phrase assez longue pour passer\n',
				live
			).status;
		const backUp = (name: string) => command('db-backup', [join(folder, name)], '', live).status;
		expect(admin('ancienne@lot.test')).toBe(0);
		expect(backUp('M.db')).toBe(0);
		expect(admin('nouvelle@lot.test')).toBe(0);
		expect(backUp('T.db')).toBe(0);
		const server = { DATABASE_PATH: join(folder, 'nouveau-serveur.db') };
		expect(command('db-restore', [join(folder, 'M.db')], '', server).status).toBe(0);
		const restored = command('db-restore', [join(folder, 'T.db')], '', server);
		expect(restored.status, restored.stderr).toBe(0);
		expect(restored.stdout).toContain(
			'La base remplacée est plus ancienne que la sauvegarde : rien n’en est repris'
		);
		expect(restored.stdout).toMatch(/Redémarrez le portail\.\n$/);
	});

	// Review s45, ops: « Base de données : /srv/sdusn/app/data/sdusn.db », then « La base
	// « data/sdusn.db » n’existe pas »: two lines, two paths, one of them relative to nothing said.
	it('db:backup names the absolute path of a relative DATABASE_PATH, read from the project’s folder', () => {
		const project = mkdtempSync(join(dir, 'projet-'));
		const typedIn = mkdtempSync(join(dir, 'tape-'));
		const result = spawnSync(process.execPath, [testChild('db-backup'), 'copie.db'], {
			env: { ...process.env, DATABASE_PATH: 'data/sdusn.db', INIT_CWD: typedIn },
			cwd: project,
			encoding: 'utf8',
			timeout: 60_000
		});
		const looked = join(project, 'data', 'sdusn.db');
		expect(result.status).toBe(1);
		expect(result.stderr).toBe(
			`Base de données : ${looked}\nLa base « ${looked} » n’existe pas (variable DATABASE_PATH).\n`
		);
		expect(readdirSync(typedIn)).toEqual([]);
	});

	it('db:backup of a damaged database deletes the copy that fails integrity_check, and fails', () => {
		// Readable page by page (the online copy goes through), but an index misses its rows.
		const damaged = join(dir, 'endommagee.db');
		const db = new SQLite(damaged);
		db.exec('CREATE TABLE t (x INTEGER, y INTEGER); CREATE INDEX t_x ON t (x);');
		for (let i = 0; i < 50; i++) db.prepare('INSERT INTO t VALUES (?, ?)').run(i, 100 - i);
		db.unsafeMode(true);
		db.pragma('writable_schema = ON');
		db.prepare(
			"UPDATE sqlite_master SET sql = 'CREATE INDEX t_x ON t (y)' WHERE name = 't_x'"
		).run();
		db.close();
		const folder = join(dir, 'copies');
		mkdirSync(folder);
		const result = command('db-backup', [join(folder, 'copie.db')], '', {
			DATABASE_PATH: damaged
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(
			'La copie ne passe pas la vérification d’intégrité de SQLite : elle a été supprimée.'
		);
		expect(readdirSync(folder)).toEqual([]);
	});

	// The shared parser (user:create), a command taking a file name (db:backup), one with its own
	// (plan:import), and two that take no option (demo would otherwise make an admin account).
	it.each(['user-create', 'db-backup', 'plan-import', 'db-migrate', 'demo'] as const)(
		'%s --aide prints its usage in French and touches no database',
		(script) => {
			const typedIn = mkdtempSync(join(dir, 'aide-'));
			const result = command(script, ['--aide'], '', {
				INIT_CWD: typedIn,
				DATABASE_PATH: join(typedIn, 'jamais.db')
			});
			expect(result.status, result.stderr).toBe(0);
			expect(result.stdout).toMatch(/^Usage : npm run (--silent )?[a-z:]+( -- |\n)/);
			expect(result.stderr).toBe('');
			// No database opened, and no file named after the option (db:backup takes a file name).
			expect(readdirSync(typedIn)).toEqual([]);
		}
	);

	// A mistyped DATABASE_PATH must not be created and seeded, then read as if it were the portal's.
	it.each([
		['export', []],
		['plan-export', ['--out', 'plan.xlsx']],
		['report', ['--year', '2018']]
	] as const)('%s refuses a DATABASE_PATH that names no file, and creates none', (script, args) => {
		const typedIn = mkdtempSync(join(dir, 'faute-'));
		const result = command(script, [...args], '', {
			INIT_CWD: typedIn,
			DATABASE_PATH: join(typedIn, 'sduns.db')
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(
			`La base « ${join(typedIn, 'sduns.db')} » n’existe pas (variable DATABASE_PATH) : vérifiez le chemin.`
		);
		expect(result.stdout).toBe('');
		expect(readdirSync(typedIn)).toEqual([]);
	});

	// Review s42, ops: user:create and db:migrate under a mistyped DATABASE_PATH (or none set, on
	// the server) created a new, empty database and reported success; the portal never saw the
	// account. A command that writes refuses a missing file, unless --creer says it is meant.
	const PASSWORD = 'une phrase assez longue pour passer\n';
	it.each([
		['user-create', ['--email', 'f@lot.test', '--name', 'Fanny', '--role', 'admin'], PASSWORD],
		['db-migrate', [], ''],
		['demo', [], ''],
		['plan-import', [join(process.cwd(), 'tests/fixtures/plan-exemple.xlsx')], '']
	] as const)(
		'%s refuses a database that does not exist, names the ones beside it, and creates none',
		(script, args, input) => {
			const typedIn = mkdtempSync(join(dir, 'absente-'));
			writeFileSync(join(typedIn, 'sdusn.db'), '');
			writeFileSync(join(typedIn, 'notes.txt'), '');
			const mistyped = join(typedIn, 'sduns.db');
			const result = command(script, [...args], input, {
				INIT_CWD: typedIn,
				DATABASE_PATH: mistyped
			});
			expect(result.status).toBe(1);
			expect(result.stderr).toContain(
				`La base « ${mistyped} » n’existe pas (variable DATABASE_PATH ; dans ce dossier : sdusn.db) : vérifiez le chemin, ou ajoutez --creer pour y créer une base neuve.\n`
			);
			expect(result.stdout).toBe('');
			expect(readdirSync(typedIn).sort()).toEqual(['notes.txt', 'sdusn.db']);
		}
	);

	it('without DATABASE_PATH, a command that writes refuses the default database it would create', () => {
		const typedIn = mkdtempSync(join(dir, 'defaut-'));
		const result = spawnSync(process.execPath, [testChild('db-migrate')], {
			env: { ...process.env, DATABASE_PATH: '' },
			cwd: typedIn,
			encoding: 'utf8',
			timeout: 60_000
		});
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(
			`La base « ${join(typedIn, 'data', 'sdusn.db')} » n’existe pas (chemin par défaut : DATABASE_PATH n’est pas réglée) : vérifiez le chemin, ou ajoutez --creer pour y créer une base neuve.`
		);
		expect(readdirSync(typedIn)).toEqual([]);
	});

	it('--creer creates the database: db:migrate, and user:create for a first account', () => {
		const typedIn = mkdtempSync(join(dir, 'creer-'));
		const migrated = join(typedIn, 'migree.db');
		const migrate = command('db-migrate', ['--creer'], '', { DATABASE_PATH: migrated });
		expect(migrate.status, migrate.stderr).toBe(0);
		expect(migrate.stdout).toContain(`Migrations appliquées à « ${migrated} »`);
		const first = join(typedIn, 'premiere.db');
		const created = command(
			'user-create',
			['--email', 'g@lot.test', '--name', 'Gaël', '--role', 'admin', '--creer'],
			PASSWORD,
			{ DATABASE_PATH: first }
		);
		expect(created.status, created.stderr).toBe(0);
		expect(created.stdout).toContain('créé pour g@lot.test (admin).');
		// The database exists now: the same command needs no --creer any more.
		const again = command(
			'user-create',
			['--email', 'h@lot.test', '--name', 'Hugo', '--role', 'commission'],
			PASSWORD,
			{ DATABASE_PATH: first }
		);
		expect(again.status, again.stderr).toBe(0);
	});

	// The bilan took 10 s to print before the write into a missing folder failed with a Node stack.
	it.each([
		['plan-export', ['--out', 'absent/plan.xlsx'], 'absent'],
		['report', ['--year', '2018', '--out', 'absent/b.pdf'], 'absent'],
		['report', ['--year', '2018', '--out', 'fichier/b.pdf'], 'fichier'],
		['plan-export', ['--out', 'dossier.xlsx'], 'dossier.xlsx']
	] as const)(
		'%s %o says in one French line where it cannot write, before any work',
		(script, args, named) => {
			const typedIn = mkdtempSync(join(dir, 'sortie-'));
			writeFileSync(join(typedIn, 'fichier'), '');
			mkdirSync(join(typedIn, 'dossier.xlsx'));
			const result = command(script, [...args], '', {
				INIT_CWD: typedIn,
				DATABASE_PATH: join(typedIn, 'jamais.db')
			});
			expect(result.status).toBe(1);
			// One line, naming the place, and before the database is even opened.
			expect(result.stderr).toMatch(/^(Le dossier )?« [^\n]+ » [^\n]+\(option --out\)\.\n$/);
			expect(result.stderr).toContain(`« ${join(typedIn, named)} »`);
			expect(readdirSync(typedIn).sort()).toEqual(['dossier.xlsx', 'fichier']);
		}
	);

	// The usual slip: db:restore typed as root leaves a root-owned 0600 database, which the service
	// user cannot open; or the backup it restores is root's. Both were told as other faults (the
	// folder, « pas une base SQLite »). Run as nobody, so that the file's rights apply.
	it.skipIf(process.getuid?.() !== 0)(
		'names the database file, its owner and rights, and an unreadable backup, when rights stop them',
		() => {
			const shared = mkdtempSync(join(dir, 'droits-'));
			for (const folder of [dir, shared, dirname(testChild('db-migrate'))])
				chmodSync(folder, folder === shared ? 0o777 : 0o755);
			const db = join(shared, 'sdusn.db');
			expect(command('db-migrate', ['--creer'], '', { DATABASE_PATH: db }).status).toBe(0);
			chmodSync(db, 0o600);
			const asNobody = (script: TestChild, args: string[]) =>
				spawnSync(process.execPath, [testChild(script), ...args], {
					env: { ...process.env, DATABASE_PATH: db, INIT_CWD: shared },
					cwd: shared,
					uid: 65534,
					gid: 65534,
					encoding: 'utf8',
					timeout: 60_000
				});
			const fileSentence = `Le fichier « ${db} » de la base de données ne peut pas être lu et écrit`;
			const rootOwned = asNobody('db-migrate', []);
			expect(rootOwned.status).toBe(1);
			expect(rootOwned.stderr).toContain(fileSentence);
			expect(rootOwned.stderr).toContain('(il appartient à root, droits 0600)');
			expect(rootOwned.stderr).not.toContain('vérifiez que le dossier');

			copyFileSync(db, join(shared, 'sauvegarde-root.db'));
			chmodSync(join(shared, 'sauvegarde-root.db'), 0o600);
			const restore = asNobody('db-restore', ['sauvegarde-root.db']);
			expect(restore.status).toBe(1);
			expect(restore.stderr).toMatch(/« .*sauvegarde-root\.db » est illisible \(droits\)/);
			expect(restore.stderr).not.toContain('pas une base SQLite');

			// A read-only file of the service user's own (here new, so that migrating must write).
			rmSync(db);
			writeFileSync(db, '');
			chownSync(db, 65534, 65534);
			chmodSync(db, 0o400);
			const readOnly = asNobody('db-migrate', []);
			expect(readOnly.status).toBe(1);
			expect(readOnly.stderr).toContain(fileSentence);

			// Restored by root, the database stays the service user's, who can then open it.
			const byRoot = command('db-restore', ['sauvegarde-root.db'], '', {
				DATABASE_PATH: db,
				INIT_CWD: shared
			});
			expect(byRoot.status, byRoot.stderr).toBe(0);
			expect(statSync(db).uid).toBe(65534);
			expect(asNobody('db-migrate', []).status).toBe(0);
			expect(readOnly.stderr).toContain('droits 0400');
		}
	);

	it('db:backup and demo refuse any other option, never taking it for a file name', () => {
		const typedIn = mkdtempSync(join(dir, 'option-'));
		const env = { INIT_CWD: typedIn, DATABASE_PATH: join(typedIn, 'jamais.db') };
		const backup = command('db-backup', ['-h'], '', env);
		expect(backup.status).toBe(1);
		expect(backup.stderr).toContain('Option inconnue « -h » : cette commande ne prend qu’un nom');
		const demo = command('demo', ['--force'], '', env);
		expect(demo.status).toBe(1);
		expect(demo.stderr).toContain(
			'Option inconnue « --force » : cette commande ne prend aucune option (--aide pour l’usage).'
		);
		const twice = command(
			'user-create',
			['--email=a@lot.test', '--email=b@lot.test', '--name', 'Zed', '--role', 'commission'],
			'',
			env
		);
		expect(twice.status).toBe(1);
		expect(twice.stderr).toContain('L’option --email est donnée deux fois : gardez-en une.');
		expect(readdirSync(typedIn)).toEqual([]);
	});

	it('--help is --aide; an unknown option names the possible ones and --aide', () => {
		expect(command('export', ['--help']).stdout).toMatch(/^Usage : npm run --silent export -- /);
		const result = command('user-create', ['--mail', 'a@lot.test']);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(
			'Option inconnue « --mail » (options possibles : --email, --name, --role, --organisation ; --aide pour l’usage).'
		);
	});
});
