import { execFileSync, spawnSync } from 'node:child_process';
import {
	chmodSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const documents = [
	'README.md',
	...readdirSync(new URL('../docs', import.meta.url))
		.filter((f) => f.endsWith('.md'))
		.map((f) => `docs/${f}`)
];

describe('documentation', () => {
	it('cites the source register by name, date and deliberation, never a file outside the repository', () => {
		for (const path of documents) expect(read(path), path).not.toMatch(/shared\/seeds/);
		expect(read('docs/data-notes.md')).toMatch(
			/registre des\s+délibérations du syndicat mixte Lot numérique, séance du comité syndical du 1er février 2019/
		);
	});

	it('names every operator command, the partner option and how to get the first certificate', () => {
		const commands = read('README.md')
			.split('\n')
			.filter((line) => line.startsWith('| `npm '))
			.join('\n');
		for (const name of ['user:create', 'report', 'demo', '--organisation'])
			expect(commands, name).toContain(name);
		const operations = read('docs/operations.md');
		expect(operations).toMatch(/--role partenaire --organisation/);
		expect(operations).toContain('certbot certonly --webroot -w /var/www/html');
		// certbot's challenge is served over http, not redirected to https (the portal's 404).
		const http = read('docs/nginx/sdusn.conf').split('listen 443')[0] ?? '';
		expect(http).toMatch(/location \/\.well-known\/acme-challenge\/ \{\s*root \/var\/www\/html;/);
	});

	// tar run as root kept the build machine's owner (uid 1000) on the code the service runs, and
	// the service user's home, /srv/sdusn, let it rename app/.
	// Review h46: `report` went through ops.js without being named in its first line.
	it('names in ops.js every npm script that runs it', () => {
		const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
			.scripts;
		const named = read('scripts/ops.js').split('\n')[0]!;
		const runs = Object.entries(scripts)
			.filter(([, command]) => command.startsWith('node scripts/ops.js '))
			.map(([name]) => name);
		expect(runs.length).toBeGreaterThan(0);
		for (const name of runs) expect(named).toMatch(new RegExp(`[ |]${name}[|\`]`));
		// Readback s47: docs/operations.md's list of the commands going through ops.js left out
		// plan:export and plan:import.
		const listed = /Les commandes d’exploitation \(([^)]*)\) passent par `scripts\/ops\.js`/.exec(
			read('docs/operations.md')
		)?.[1];
		for (const name of runs) expect(listed, name).toContain(`\`${name}\``);
	});

	// Readback s47: `npm run preview` was in package.json and nowhere in README's command table.
	it('names every npm script in README’s command table, npm’s own `prepare` aside', () => {
		const scripts = Object.keys(
			(JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts
		);
		const table = read('README.md')
			.split('\n')
			.filter((line) => line.startsWith('| `npm '))
			.join('\n');
		for (const name of scripts.filter((n) => n !== 'prepare'))
			expect(table, name).toMatch(new RegExp(`\`npm (run (--silent )?)?${name}[\` ]`));
	});

	// The folder map is where a newcomer looks for a module: focusable-when-scrolling.ts and
	// drop-empty-fields.ts, among others, were in src/lib/client and not in it.
	// A folder of it (enhance-once/) has its own line below, which names each of its modules.
	it('names in README’s folder map every module of src/lib/client and of its folders', () => {
		const map = read('README.md').split('\n');
		const entries = readdirSync(new URL('../src/lib/client', import.meta.url), {
			withFileTypes: true
		});
		const unnamed = (line: string | undefined, folder: string) =>
			readdirSync(new URL(`../src/lib/client/${folder}`, import.meta.url)).filter(
				(f) => /\.(ts|js|svelte)$/.test(f) && !f.endsWith('.spec.ts') && !line?.includes(f)
			);
		const line = map.find((l) => /^ {4}client\/ /.test(l));
		expect(line).toBeDefined();
		expect(entries.filter((entry) => entry.isFile()).length).toBeGreaterThan(5);
		const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
		expect(folders.filter((folder) => !line!.includes(`${folder}/`))).toEqual([]);
		expect(unnamed(line, '')).toEqual([]);
		for (const folder of folders) {
			const own = map.find((l) => l.startsWith(`      ${folder}/ `));
			expect(unnamed(own, folder), folder).toEqual([]);
		}
	});

	// progress/service.ts (1,400 lines) and campaigns/service.ts (1,180) were split by job: their
	// folder's line of the map names each module, so that a newcomer finds where a thing lives.
	it('names in README’s folder map every module of src/lib/server/progress and campaigns', () => {
		const map = read('README.md').split('\n');
		// Test helpers, not the portal's: the specs' fixtures and durability.spec.ts's child process.
		const helper = (f: string) =>
			f.endsWith('.spec.ts') || f === 'testing.ts' || f === 'durability-server.ts';
		for (const folder of ['progress', 'campaigns']) {
			const line = map.find((l) => l.startsWith(`      ${folder}/ `));
			expect(line, folder).toBeDefined();
			const modules = readdirSync(new URL(`../src/lib/server/${folder}`, import.meta.url)).filter(
				(f) => f.endsWith('.ts') && !helper(f)
			);
			expect(modules.length, folder).toBeGreaterThan(5);
			expect(
				modules.filter((f) => !line!.includes(f)),
				folder
			).toEqual([]);
		}
	});

	// Readback s47: README and operations.md gave three different peaks of the server's memory.
	it('gives in README and operations.md the peak memory of performance.md’s latest measurement', () => {
		const performance = read('docs/performance.md');
		const latest = performance.slice(performance.lastIndexOf("the full bench's peak memory"));
		const peak = (dataset: string) =>
			new RegExp(`^\\| ${dataset} +\\|[^|]*\\| +(\\d+) MB \\|$`, 'm').exec(latest)?.[1];
		const [plan, tenYears] = [peak('plan'), peak('ten years')];
		expect(plan).toBeTruthy();
		expect(tenYears).toBeTruthy();
		for (const path of ['README.md', 'docs/operations.md']) {
			const text = read(path).replace(/\s+/g, ' ');
			expect(text, path).toContain(`${tenYears} Mo`);
			expect(text, path).toContain(`${plan} Mo avec le plan tel qu’adopté`);
		}
	});

	// Readback s47: ADMIN_ID, SMTP_PORT, SDUSN_LOOP_DELAY_FILE, AUDIT_STRICT and the E2E_* variables
	// were read by the code and missing from operations.md's list of variables for tests only.
	it('documents in README or docs/ every environment variable the code reads', () => {
		const NOT_OURS = new Set(['PATH', 'INIT_CWD', 'HOME', 'NODE_ENV']);
		const sources = (dir: string): string[] =>
			readdirSync(new URL(`../${dir}`, import.meta.url), { recursive: true, encoding: 'utf8' })
				.filter((f) => /\.(ts|js|svelte)$/.test(f) && !f.includes('node_modules'))
				.map((f) => `${dir}/${f}`);
		const files = [
			...['src', 'scripts', 'tests'].flatMap(sources),
			'playwright.config.ts',
			'vite.config.ts'
		];
		const names = new Set<string>();
		for (const file of files)
			for (const [, name] of read(file).matchAll(/process\.env(?:\.|\[')([A-Z][A-Z0-9_]+)/g))
				if (!NOT_OURS.has(name!)) names.add(name!);
		expect(names.size).toBeGreaterThan(10);
		const documentation = documents.map(read).join('\n');
		for (const name of names) expect(documentation, name).toContain(`\`${name}`);
	});

	// Review #14: README named `SITTING_EARLY_MINUTES` in rules.ts, whose constant is SITTING_EARLY_MS.
	it('names only what the file it cites beside a name holds (« `name`, `src/…` »)', () => {
		const cited = documents.flatMap((doc) =>
			[
				...read(doc).matchAll(
					/`([A-Za-z_]\w*)`(?:\s*\(|,\s*)`((?:src|scripts|tests)\/[^`]+\.(?:ts|js|svelte))`/g
				)
			].map(([, name, path]) => ({ doc, name: name!, path: path! }))
		);
		expect(cited.length).toBeGreaterThan(20);
		// A file gone since stands only in a dated note of the past (docs/performance.md); anywhere
		// else a citation of a file renamed or removed is wrong.
		const exists = (path: string) => existsSync(new URL(`../${path}`, import.meta.url));
		expect(cited.filter(({ doc, path }) => doc !== 'docs/performance.md' && !exists(path))).toEqual(
			[]
		);
		const present = cited.filter(({ path }) => exists(path));
		expect(
			present.filter(({ name, path }) => !new RegExp(`\\b${name}\\b`).test(read(path)))
		).toEqual([]);
	});

	// Review h46: benchmark figures left in code comments go stale; the comments point to
	// docs/performance.md instead, by a heading or a phrase that must be there.
	it('has in docs/performance.md every passage a comment points to', () => {
		const doc = read('docs/performance.md').replace(/[*`]/g, '').replace(/\s+/g, ' ');
		const sources = (dir: string): string[] =>
			readdirSync(new URL(`../${dir}`, import.meta.url), { withFileTypes: true }).flatMap((e) =>
				e.isDirectory()
					? sources(`${dir}/${e.name}`)
					: /\.(ts|js|svelte)$/.test(e.name) && !e.name.endsWith('.spec.ts')
						? [`${dir}/${e.name}`]
						: []
			);
		const pointers = ['src', 'scripts'].flatMap(sources).flatMap((path) =>
			[
				...read(path)
					.replace(/^\s*(?:\/\/|\*)\s?/gm, '')
					.replace(/\s+/g, ' ')
					.matchAll(/docs\/performance\.md, « ([^»]+) »/g)
			].map((m) => ({ path, passage: m[1]! }))
		);
		expect(pointers.length).toBeGreaterThan(5);
		expect(pointers.filter(({ passage }) => !doc.includes(passage))).toEqual([]);
	});

	it('installs the code as root’s, out of reach of the service user', () => {
		const operations = read('docs/operations.md');
		const extractions = operations.split('\n').filter((line) => /^tar x/.test(line));
		expect(extractions.length).toBeGreaterThanOrEqual(2);
		for (const line of extractions) expect(line).toMatch(/--no-same-owner --no-same-permissions/);
		// tar only takes bits away: each extraction is made readable by the service and nginx.
		const lines = operations.split('\n');
		for (const [i, line] of lines.entries())
			if (/^tar x/.test(line))
				expect(lines[i + 1]?.replace(/\s+#.*$/, '')).toBe(
					`chmod -R u+rwX,go+rX,go-w ${/-C (\S+)$/.exec(line)?.[1]}`
				);
		const adduser = operations.split('\n').find((line) => line.startsWith('adduser '));
		expect(adduser).toMatch(/--home \/nonexistent --no-create-home sdusn$/);
	});

	// `tar czf … --exclude=data .` dropped the seed data (src/lib/server/seed/data/) and shipped
	// whatever lay in the checkout: a .env, a database, the tests' leftovers.
	it('archives the repository’s files and build/, nothing else', () => {
		const line = read('docs/operations.md')
			.split('\n')
			.find((l) => l.startsWith('git ls-files -z | tar '));
		expect(line).toBeDefined();
		const root = mkdtempSync(join(tmpdir(), 'sdusn-archive-'));
		try {
			const checkout = join(root, 'sdusn');
			const files = {
				'package.json': '{}',
				'src/lib/server/seed/data/plan.json': '{}',
				'.gitignore': 'build/\n',
				'build/index.js': '',
				'.env': 'SMTP_URL=secret',
				'data/sdusn.db': '',
				'test-results/capture.png': '',
				'.svelte-kit/output/x.js': ''
			};
			for (const [path, text] of Object.entries(files)) {
				mkdirSync(join(checkout, path, '..'), { recursive: true });
				writeFileSync(join(checkout, path), text);
			}
			const git = (...args: string[]) => execFileSync('git', args, { cwd: checkout });
			git('init', '-q');
			git('add', 'package.json', 'src', '.gitignore');
			execFileSync('sh', ['-c', line ?? ''], { cwd: checkout });
			const listed = execFileSync('tar', ['tzf', join(root, 'sdusn.tar.gz')], { encoding: 'utf8' })
				.split('\n')
				.filter((name) => name && !name.endsWith('/'))
				.sort();
			expect(listed).toEqual([
				'.gitignore',
				'build/index.js',
				'package.json',
				'src/lib/server/seed/data/plan.json'
			]);
		} finally {
			rmSync(root, { recursive: true, force: true });
		}
	});

	// Review s55, ops: a server's pid file (look.db.serveur.pid) was committed, hence archived.
	it('keeps no server pid file in the repository, and ignores them', () => {
		const git = (...args: string[]) =>
			execFileSync('git', args, { cwd: new URL('..', import.meta.url), encoding: 'utf8' });
		expect(git('ls-files', '*.serveur.pid')).toBe('');
		expect(git('check-ignore', '--no-index', 'essai.db.serveur.pid')).toBe(
			'essai.db.serveur.pid\n'
		);
	});

	// Review s55, ops: the example named its backup by the day only, and a second backup the same
	// day was refused (« existe déjà »), which the list of what prevents the copy left out.
	it('names the manual backup to the minute and says an existing file is never overwritten', () => {
		const backup = read('docs/operations.md').split('## Sauvegarde\n')[1]!.split('\n### ')[0]!;
		expect(backup).toContain('db:backup -- /srv/sauvegardes/sdusn-$(date +%F-%Hh%M).db');
		expect(backup).toMatch(/Ce qui empêche la copie [^.]*fichier de sauvegarde qui existe déjà/);
	});

	// The administrator copies and edits this file: its explanations are in French.
	it('explains the nginx configuration in French', () => {
		const comments = read('docs/nginx/sdusn.conf')
			.split('\n')
			.filter((line) => line.trim().startsWith('#'));
		expect(comments.length).toBeGreaterThan(10);
		for (const comment of comments)
			expect(comment).not.toMatch(/\b(the|and|is|are|its|when|only|never|here)\b/i);
	});

	// The unit showed the SMTP password in Environment= (readable by anyone: systemctl show), let a
	// refused start loop every 5 s forever, and gave the stop less than its two stages can take.
	it('keeps secrets out of the unit, limits restarts and waits for both stages of the stop', () => {
		const unit = /```ini\n(\[Unit\][\s\S]*?)```/.exec(read('docs/operations.md'))?.[1] ?? '';
		const [head = '', service = ''] = unit.split('[Service]');
		const setting = (text: string, name: string) =>
			Number(new RegExp(`^${name}=(\\d+)`, 'm').exec(text)?.[1]);
		expect(service).toMatch(/^EnvironmentFile=\/etc\/sdusn\/sdusn\.env$/m);
		expect(unit).not.toMatch(/SMTP_URL=|MAIL_FROM=/);
		expect(setting(head, 'StartLimitIntervalSec')).toBeGreaterThan(
			setting(head, 'StartLimitBurst') * setting(service, 'RestartSec')
		);
		// The requests stage, then the tasks stage (scripts/start.js): each up to SHUTDOWN_TIMEOUT.
		const shutdown = Number(/^Environment=SHUTDOWN_TIMEOUT=(\d+)$/m.exec(service)?.[1]);
		expect(setting(service, 'TimeoutStopSec')).toBeGreaterThanOrEqual(2 * shutdown + 5);
	});

	// Each db:restore leaves full copies of the replaced database (password hashes included) in
	// the data folder, where nothing ever removed them.
	it('says what to do with the copies a restore sets aside', () => {
		const restore = read('docs/operations.md').split('### Restaurer')[1]?.split('\n## ')[0] ?? '';
		expect(restore).toContain('mv /srv/sdusn/data/sdusn.db.avant-restauration-* /srv/sauvegardes/');
		expect(restore).toContain('rm /srv/sdusn/data/sdusn.db.avant-restauration-*');
	});

	it('says commission members run the sittings', () => {
		const row = read('README.md')
			.split('\n')
			.find((line) => line.startsWith('| `commission`'));
		expect(row).toMatch(/tenir les séances/);
		expect(row).not.toMatch(/autre chantier/);
	});

	// The upgrade block is pasted as it stands: replayed twice, then undone, on a copy of /srv with
	// systemctl, sudo and npm stubbed (the backup refuses an existing name, as db:backup does). With
	// fixed names, the second backup was refused, the block went on, and the way back restored the
	// first upgrade's backup and the version from two upgrades ago.
	it('documents an upgrade that can be done again and undone, stopping at the first failure', () => {
		const section = read('docs/operations.md').split('### Mettre à jour le portail')[1] ?? '';
		const [upgrade, undo] = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
		const root = mkdtempSync(join(tmpdir(), 'sdusn-mise-a-jour-'));
		try {
			const srv = join(root, 'srv');
			const bin = join(root, 'bin');
			const log = join(root, 'journal');
			for (const dir of [bin, `${srv}/sdusn/app`, `${srv}/sdusn/data`, `${srv}/sauvegardes`])
				mkdirSync(dir, { recursive: true });
			const stub = (name: string, body: string) => {
				writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
				chmodSync(join(bin, name), 0o755);
			};
			stub('systemctl', `echo "systemctl $*" >> ${log}`);
			stub('journalctl', 'true');
			// The new version answers /sante, unless the test says it is mute.
			stub('curl', `test ! -e ${root}/muet`);
			stub('sleep', 'true');
			stub('sudo', 'shift 2; exec "$@"');
			// A new name each call, as date gives a minute later.
			stub(
				'date',
				`n=$(cat ${root}/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${root}/n; echo "2026-12-0$n-081500"`
			);
			stub(
				'npm',
				[
					`echo "npm $* ($(cat VERSION))" >> ${log}`,
					'db="$DATABASE_PATH"; eval "last=\\${$#}"',
					'case "$*" in',
					'*db:backup*) test ! -e "$last" || { echo existe déjà >&2; exit 1; }; cp "$db" "$last";;',
					'*db:restore*) cp "$last" "$db";;',
					'esac'
				].join('\n')
			);
			// Made on a build machine: owned by its uid 1000, group-writable; a build machine with
			// umask 077 makes the rest 0600 and 0700.
			const release = (version: string) => {
				const tree = join(root, `v${version}`);
				mkdirSync(tree);
				writeFileSync(join(tree, 'VERSION'), version, { mode: 0o664 });
				chmodSync(join(tree, 'VERSION'), 0o664);
				mkdirSync(join(tree, 'build'));
				writeFileSync(join(tree, 'build/index.js'), '');
				chmodSync(join(tree, 'build/index.js'), 0o600);
				chmodSync(join(tree, 'build'), 0o700);
				execFileSync('tar', [
					'czf',
					join(root, 'sdusn.tar.gz'),
					'--owner=1000',
					'--group=1000',
					'-C',
					tree,
					'.'
				]);
			};
			const run = (block: string, quand = '') =>
				spawnSync(
					'sh',
					[
						'-c',
						`umask 022\n${block.replaceAll('/srv/', `${srv}/`).replace(/^quand=2026-.*$/m, `quand=${quand}`)}`
					],
					{
						cwd: root,
						env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
						encoding: 'utf8'
					}
				);
			const version = () => readFileSync(`${srv}/sdusn/app/VERSION`, 'utf8');
			const database = () => readFileSync(`${srv}/sdusn/data/sdusn.db`, 'utf8');
			writeFileSync(`${srv}/sdusn/app/VERSION`, '1');
			writeFileSync(`${srv}/sdusn/data/sdusn.db`, 'saisi sous 1');
			for (const next of ['2', '3']) {
				release(next);
				const done = run(upgrade ?? '');
				expect(done.status, done.stderr).toBe(0);
				expect(version()).toBe(next);
				// Run as root (the administrator's shell), tar keeps neither the archive's owner nor
				// its group-writable mode: the code the service runs is root's alone.
				const code = statSync(`${srv}/sdusn/app/VERSION`);
				expect(code.uid).toBe(process.getuid?.());
				expect(code.mode & 0o022).toBe(0);
				// Read-back s45: --no-same-permissions only takes bits away; 0600 and 0700 stayed so,
				// out of the service's and nginx's reach.
				expect(statSync(`${srv}/sdusn/app/build/index.js`).mode & 0o777).toBe(0o644);
				expect(statSync(`${srv}/sdusn/app/build`).mode & 0o777).toBe(0o755);
				writeFileSync(`${srv}/sdusn/data/sdusn.db`, `saisi sous ${next}`);
			}
			// npm ci runs in the new tree while the old one still serves.
			const steps = readFileSync(log, 'utf8').split('\n');
			expect(steps.indexOf('npm ci --omit=dev (3)')).toBeLessThan(
				steps.lastIndexOf('systemctl stop sdusn')
			);
			// Undoing the second upgrade puts back version 2 and what was saved under it.
			const undone = run(undo ?? '', '2026-12-02-081500');
			expect(undone.status, undone.stderr).toBe(0);
			expect(undone.stdout).toContain(
				'Retour en arrière réussi : la version d’avant 2026-12-02-081500 répond à /sante'
			);
			expect(version()).toBe('2');
			expect(database()).toBe('saisi sous 2');
			// A new version that does not answer /sante: the block says so, with the way back.
			release('4');
			writeFileSync(join(root, 'muet'), '');
			const mute = run(upgrade ?? '');
			expect(mute.status).not.toBe(0);
			expect(mute.stdout).not.toContain('réussie');
			expect(mute.stderr).toMatch(
				/^ÉCHEC : la version (2026-12-\d\d-081500) ne répond pas à \/sante\. Revenez en arrière \(bloc suivant\) avec quand=\1$/m
			);
			// Review s45, ops: the way back did not wait for /sante, and said nothing of a previous
			// version that does not answer either; it now says so, as the upgrade does.
			const muteBack = run(undo ?? '', '2026-12-03-081500');
			expect(muteBack.status).not.toBe(0);
			expect(version()).toBe('2');
			expect(muteBack.stdout).not.toContain('réussi');
			expect(muteBack.stderr).toMatch(
				/^ÉCHEC : la version d’avant 2026-12-03-081500, remise en place, ne répond pas à \/sante : lisez le journal ci-dessus$/m
			);
			rmSync(join(root, 'muet'));
			// A failure stops the block before the service is stopped.
			rmSync(join(root, 'sdusn.tar.gz'));
			writeFileSync(log, '');
			expect(run(upgrade ?? '').status).not.toBe(0);
			expect(readFileSync(log, 'utf8')).toBe('');
		} finally {
			rmSync(root, { recursive: true, force: true });
		}
	});
});
