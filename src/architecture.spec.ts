import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The query layer's one rule: SQL is written only in repositories (`repository.ts` or
 * `*-repository.ts`), in `migrations/`, in `src/lib/server/db/`, and in tests and their helpers.
 * Services, routes, scripts and everything else call repository functions.
 */
const ROOT = join(import.meta.dirname, '..');
const SCANNED = ['src', 'scripts'];

const QUERY_CALL = /\.\s*(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\s*\(/;
const SQL_IMPORT = /import\s*(?:type\s*)?\{[^}]*\bsql\b[^}]*\}\s*from\s*['"]kysely['"]/;
/** SQL written as text, for Kysely's `sql` or any other runner, and better-sqlite3 itself. */
const RAW_SQL =
	/\b(INSERT INTO|DELETE FROM|UPDATE \w+ SET|SELECT [\w*, ]+ FROM)\b|from\s*['"]better-sqlite3['"]/;

/**
 * Files outside the query layer allowed SQL of their own, with the reason. Each is run by the
 * test suite, so a column a migration renames or makes required fails `npx vitest run`, not only
 * the command.
 */
const RAW_SQL_ALLOWED: Record<string, string> = {
	// The bench's « ten years » of history: hundreds of thousands of rows in one transaction with
	// better-sqlite3's synchronous prepared statements, in seconds. src/routes/statement-count.spec.ts
	// generates it (scale 40) on every run.
	'scripts/bench/generate.ts': 'bulk writes of the benchmark dataset, run by statement-count.spec'
};

/** Where SQL may be written. */
function mayHoldSql(path: string): boolean {
	const file = path.split('/').at(-1) ?? '';
	return (
		file === 'repository.ts' ||
		file.endsWith('-repository.ts') ||
		path.startsWith('migrations/') ||
		path.startsWith('src/lib/server/db/') ||
		/\.(spec|test)\.ts$/.test(file) ||
		file === 'testing.ts' ||
		path.startsWith('tests/')
	);
}

/** What in a file's text is SQL outside the query layer: each offending line, numbered. */
function sqlOutsideRepositories(text: string): string[] {
	return text
		.split('\n')
		.map((line, index) => ({ line, number: index + 1 }))
		.filter(
			({ line }) =>
				QUERY_CALL.test(line) ||
				SQL_IMPORT.test(line) ||
				(RAW_SQL.test(line) && !/^\s*(\/\/|\*)/.test(line))
		)
		.map(({ line, number }) => `${number}: ${line.trim()}`);
}

/**
 * A query built by reassignment (`let q = db…; if (…) q = q.where(…)`) instead of Kysely's
 * `$if`: each offending line, numbered.
 */
const REASSIGNED_QUERY =
	/\b(\w+)\s*=\s*\1\s*\.\s*(where|whereRef|orderBy|limit|offset|innerJoin|leftJoin|select|groupBy|having)\b/g;

function reassignedQueries(text: string): string[] {
	return [...text.matchAll(REASSIGNED_QUERY)].map((match) => {
		const number = text.slice(0, match.index).split('\n').length;
		return `${number}: ${text.split('\n')[number - 1]!.trim()}`;
	});
}

function isRepository(path: string): boolean {
	const file = path.split('/').at(-1) ?? '';
	return file === 'repository.ts' || file.endsWith('-repository.ts');
}

function sourceFiles(folder: string): string[] {
	return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
		const path = `${folder}/${entry.name}`;
		if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
		return /\.(ts|js|svelte)$/.test(entry.name) ? [path] : [];
	});
}

describe('architecture: one query layer', () => {
	it('finds a query builder call and the sql helper in a sample', () => {
		const sample = [
			"import { sql } from 'kysely';",
			'const fiche = await db.selectFrom("fiche").selectAll().execute();',
			'await trx',
			"\t.deleteFrom('user_session')",
			'const kept = list.filter(Boolean);',
			"import SQLite from 'better-sqlite3';",
			"const rows = db.prepare('SELECT id, code FROM fiche ORDER BY id').all();",
			'db.prepare("INSERT INTO organisation (slug) VALUES (?)").run(slug);',
			"db.prepare('UPDATE fiche SET status = ?').run(status);",
			'// Written in one INSERT INTO statement.'
		].join('\n');
		expect(sqlOutsideRepositories(sample)).toEqual([
			"1: import { sql } from 'kysely';",
			'2: const fiche = await db.selectFrom("fiche").selectAll().execute();',
			"4: .deleteFrom('user_session')",
			"6: import SQLite from 'better-sqlite3';",
			"7: const rows = db.prepare('SELECT id, code FROM fiche ORDER BY id').all();",
			'8: db.prepare("INSERT INTO organisation (slug) VALUES (?)").run(slug);',
			"9: db.prepare('UPDATE fiche SET status = ?').run(status);"
		]);
		expect(sqlOutsideRepositories("import type { Kysely } from 'kysely';")).toEqual([]);
		expect(mayHoldSql('src/lib/server/commission/service.ts')).toBe(false);
		expect(mayHoldSql('src/lib/server/auth/throttle-repository.ts')).toBe(true);
	});

	it('allows SQL of its own only to files that still hold some', () => {
		expect(
			Object.keys(RAW_SQL_ALLOWED).filter(
				(path) => sqlOutsideRepositories(readFileSync(join(ROOT, path), 'utf8')).length === 0
			)
		).toEqual([]);
	});

	it('has SQL only in repositories, migrations, db/ and tests', () => {
		const offenders = SCANNED.flatMap(sourceFiles)
			.filter((path) => !mayHoldSql(path) && !(path in RAW_SQL_ALLOWED))
			.flatMap((path) =>
				sqlOutsideRepositories(readFileSync(join(ROOT, path), 'utf8')).map(
					(line) => `${relative('.', path)}:${line}`
				)
			);
		expect(offenders).toEqual([]);
	});
});

describe('architecture: one way to build a query', () => {
	it('finds a reassigned query in a sample', () => {
		const sample = [
			"let query = db.selectFrom('fiche').select('id');",
			"if (axis) query = query.where('axis', '=', axis);",
			'if (limit) q = q',
			'\t.limit(limit);',
			"const rows = await db.selectFrom('fiche').$if(Boolean(axis), (q) => q.where('axis', '=', axis!));",
			'value = value.trim();'
		].join('\n');
		expect(reassignedQueries(sample)).toEqual([
			"2: if (axis) query = query.where('axis', '=', axis);",
			'3: if (limit) q = q'
		]);
		expect(isRepository('src/lib/server/auth/throttle-repository.ts')).toBe(true);
		expect(isRepository('src/lib/server/auth/service.ts')).toBe(false);
	});

	it('builds optional conditions with $if in every repository', () => {
		const offenders = sourceFiles('src')
			.filter(isRepository)
			.flatMap((path) =>
				reassignedQueries(readFileSync(join(ROOT, path), 'utf8')).map((line) => `${path}:${line}`)
			);
		expect(offenders).toEqual([]);
	});
});

/**
 * A séance of the commission is a `sitting` in code; `session` is the login's (`locals.session`).
 * The database keeps its names (`commission_session`, `session_id`), and so do the journal's
 * actions (`'session.created'`) and what is already stored under them.
 */
const SITTING_FOLDERS = ['src/lib/server/commission', 'src/routes/commission'];
const SESSION_WORD = /\b[A-Za-z]*[sS]ession[A-Za-z]*\b/g;
const LOGIN_OR_STORED = /^(session_\w+|commission_session\w*|user_session)$/;

function sessionWordsForSittings(text: string): string[] {
	return text.split('\n').flatMap((line, index) =>
		[...line.replace(/locals\.session\b|['"]session\.\w+['"]/g, '').matchAll(SESSION_WORD)]
			.map(([word]) => word)
			.filter((word) => !LOGIN_OR_STORED.test(word))
			.map((word) => `${index + 1}: ${word}`)
	);
}

describe('architecture: one word for a séance', () => {
	it('finds a séance called session in a sample', () => {
		const sample = [
			'const session = await findSitting(db, id);',
			"\t.where('session_id', '=', id).innerJoin('commission_session as s', 's.id', 'x')",
			"const user = event.locals.session ? event.locals.user : null; // action: 'session.created'",
			'export const SessionSchema = z.object({});'
		].join('\n');
		expect(sessionWordsForSittings(sample)).toEqual(['1: session', '4: SessionSchema']);
	});

	it('names a séance `sitting` in the commission’s code', () => {
		const offenders = SITTING_FOLDERS.flatMap(sourceFiles).flatMap((path) =>
			sessionWordsForSittings(readFileSync(join(ROOT, path), 'utf8')).map(
				(line) => `${path}:${line}`
			)
		);
		expect(offenders).toEqual([]);
	});
});
