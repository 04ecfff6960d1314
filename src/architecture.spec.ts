import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The query layer's one rule: SQL is written only in repositories (`repository.ts` or
 * `*-repository.ts`), in `migrations/`, in `src/lib/server/db/`, and in tests and their helpers.
 * Services, routes, scripts and everything else call repository functions.
 */
const ROOT = join(import.meta.dirname, '..');
const SCANNED = ['src', 'scripts'];

/** Kysely's query builders: a call, a computed member (`db['selectFrom']`) or a name kept in a string. */
const QUERY_METHODS = new Set([
	'selectFrom',
	'insertInto',
	'updateTable',
	'deleteFrom',
	'replaceInto'
]);
/** SQL written as text, in any case, for Kysely's `sql` or any other runner. */
const RAW_SQL = /\b(insert\s+into|delete\s+from|update\s+\w+\s+set|select\b[^;]*?\bfrom)\b/i;
/** `connectionOf` (`$lib/server/db`) hands out better-sqlite3 itself: its `prepare` runs any SQL. */
const RAW_CONNECTION = 'connectionOf';

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

/** A `.svelte` file's scripts, the rest blanked so that line numbers hold; other files whole. */
function scriptText(path: string, text: string): string {
	if (!path.endsWith('.svelte')) return text;
	const blank = (part: string) => part.replace(/[^\n]/g, ' ');
	return text.replace(
		/(<script\b[^>]*>)([\s\S]*?)(<\/script>)|[\s\S]+?(?=<script\b|$)/g,
		(whole, open?: string, body?: string, close?: string) =>
			open === undefined ? blank(whole) : blank(open) + body + blank(close!)
	);
}

/** The text of a string or template literal, a template's parts joined. */
function literalText(node: ts.Node): string | undefined {
	if (ts.isStringLiteralLike(node)) return node.text;
	if (ts.isTemplateExpression(node))
		return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ? ');
	return undefined;
}

const RAW_MODULE = /^(better-sqlite3|kysely(\/.*)?)$/;

/** A value (not only a type) imported from Kysely or better-sqlite3, statically or not. */
function importsRawModule(node: ts.Node): boolean {
	if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
		const clause = node.importClause;
		const values =
			clause === undefined ||
			(!clause.isTypeOnly &&
				(clause.name !== undefined ||
					(clause.namedBindings !== undefined &&
						(ts.isNamespaceImport(clause.namedBindings) ||
							clause.namedBindings.elements.some((element) => !element.isTypeOnly)))));
		return values && RAW_MODULE.test(node.moduleSpecifier.text);
	}
	return (
		ts.isCallExpression(node) &&
		(node.expression.kind === ts.SyntaxKind.ImportKeyword ||
			(ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
		node.arguments.some((argument) => RAW_MODULE.test(literalText(argument) ?? ''))
	);
}

/** Whether a node is SQL outside the query layer. */
function isSql(node: ts.Node): boolean {
	const literal = literalText(node);
	return (
		importsRawModule(node) ||
		(ts.isIdentifier(node) && node.text === RAW_CONNECTION) ||
		(ts.isPropertyAccessExpression(node) && QUERY_METHODS.has(node.name.text)) ||
		(literal !== undefined && (QUERY_METHODS.has(literal) || RAW_SQL.test(literal)))
	);
}

/**
 * What in a file is SQL outside the query layer: each offending line, numbered. The file is read
 * whole by TypeScript's parser, not line by line: an import over several lines, a namespace
 * import, SQL in any case or over several lines, a computed member all count; comments do not.
 */
function sqlOutsideRepositories(text: string, path = 'sample.ts'): string[] {
	const kind = path.endsWith('.svelte') ? ts.ScriptKind.TS : undefined;
	const source = ts.createSourceFile(
		path,
		scriptText(path, text),
		ts.ScriptTarget.Latest,
		true,
		kind
	);
	const lines = new Set<number>();
	const visit = (node: ts.Node): void => {
		// A chained call is reported on the line of its method.
		const at = ts.isPropertyAccessExpression(node) ? node.name : node;
		if (isSql(node)) lines.add(source.getLineAndCharacterOfPosition(at.getStart(source)).line);
		ts.forEachChild(node, visit);
	};
	visit(source);
	const all = text.split('\n');
	return [...lines].sort((a, b) => a - b).map((line) => `${line + 1}: ${all[line]!.trim()}`);
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
		expect(
			sqlOutsideRepositories("import { type Kysely, type Selectable } from 'kysely';")
		).toEqual([]);
	});

	it('finds the ways around a line-by-line reading', () => {
		// Each written as a newcomer would, and as the review's probe (h41) did.
		const sample = [
			'import {',
			'\tsql,',
			'\ttype Kysely',
			"} from 'kysely';",
			"import * as k from 'kysely';",
			"import { connectionOf } from '../db';",
			'await k.sql`SELECT count(*) FROM fiche`.execute(db);',
			'await raw`delete from campaign where id = ${1}`.execute(db);',
			'const ids = run(`select f.id',
			'\tfrom fiche f where f.id = ${id}`);',
			"connectionOf(db).prepare('select id from fiche').all();",
			"const rows = db['selectFrom']('fiche').selectAll().execute();",
			"const from = 'insertInto' as const;",
			'// Select the fiches from the plan: a comment is not SQL.',
			"const label = 'Sélectionnez une fiche dans la liste';",
			"const { sql: text } = await import('kysely');"
		].join('\n');
		expect(sqlOutsideRepositories(sample)).toEqual([
			'1: import {',
			"5: import * as k from 'kysely';",
			"6: import { connectionOf } from '../db';",
			'7: await k.sql`SELECT count(*) FROM fiche`.execute(db);',
			'8: await raw`delete from campaign where id = ${1}`.execute(db);',
			'9: const ids = run(`select f.id',
			"11: connectionOf(db).prepare('select id from fiche').all();",
			"12: const rows = db['selectFrom']('fiche').selectAll().execute();",
			"13: const from = 'insertInto' as const;",
			"16: const { sql: text } = await import('kysely');"
		]);
		const component = [
			'<script lang="ts">',
			"\timport { sql } from 'kysely';",
			'</script>',
			'',
			'<p>Select one from the list</p>'
		].join('\n');
		expect(sqlOutsideRepositories(component, 'src/lib/components/Probe.svelte')).toEqual([
			"2: import { sql } from 'kysely';"
		]);
		expect(mayHoldSql('src/lib/server/commission/service.ts')).toBe(false);
		expect(mayHoldSql('src/lib/server/auth/throttle-repository.ts')).toBe(true);
	});

	it('allows SQL of its own only to files that still hold some', () => {
		expect(
			Object.keys(RAW_SQL_ALLOWED).filter(
				(path) => sqlOutsideRepositories(readFileSync(join(ROOT, path), 'utf8'), path).length === 0
			)
		).toEqual([]);
	});

	it('has SQL only in repositories, migrations, db/ and tests', () => {
		const offenders = SCANNED.flatMap(sourceFiles)
			.filter((path) => !mayHoldSql(path) && !(path in RAW_SQL_ALLOWED))
			.flatMap((path) =>
				sqlOutsideRepositories(readFileSync(join(ROOT, path), 'utf8'), path).map(
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
const SITTING_FOLDERS = [
	'src/lib/server/commission',
	'src/routes/commission',
	'src/lib/server/opendata',
	// A séance's messages are written from here (their words, their outbox rows' `sittingId`).
	'src/lib/server/mail'
];
const SESSION_WORD = /\b[A-Za-z]*[sS]ession[A-Za-z]*\b/g;
const LOGIN_OR_STORED = /^(session_\w+|commission_session\w*|user_session)$/;
/** The login's session, the journal's stored actions, and the login's « autres sessions » in French. */
const LOGIN_OR_STORED_TEXT = /locals\.session\b|['"]session\.\w+['"]|autres sessions\b/g;

function sessionWordsForSittings(text: string): string[] {
	return text.split('\n').flatMap((line, index) =>
		[...line.replace(LOGIN_OR_STORED_TEXT, '').matchAll(SESSION_WORD)]
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
			'export const SessionSchema = z.object({});',
			"\t\t'Il sert une seule fois ; l’utiliser ferme vos autres sessions.',",
			'\tawait notifySessionConvened(db, sessionId);'
		].join('\n');
		expect(sessionWordsForSittings(sample)).toEqual([
			'1: session',
			'4: SessionSchema',
			'6: notifySessionConvened',
			'6: sessionId'
		]);
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

/**
 * A name exported by two modules of `src/lib` reads as one thing and is two (two `retireFiche`, a
 * Result-returning service and a raw write; two `listAxes` returning other columns): each
 * exported name is declared in one module, the scripts' included. A name's overloads in one file are one declaration.
 */
const EXPORTED_DECLARATION =
	/^export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|interface|type|const|let|class|enum)\s+([A-Za-z_$][\w$]*)/gm;

function exportedNames(text: string): Set<string> {
	return new Set([...text.matchAll(EXPORTED_DECLARATION)].map((match) => match[1]!));
}

function namesDeclaredTwice(files: { path: string; text: string }[]): string[] {
	const homes = new Map<string, string[]>();
	for (const { path, text } of files)
		for (const name of exportedNames(text)) homes.set(name, [...(homes.get(name) ?? []), path]);
	return [...homes]
		.filter(([, paths]) => paths.length > 1)
		.map(([name, paths]) => `${name}: ${paths.join(', ')}`)
		.sort();
}

describe('architecture: one meaning for an exported name', () => {
	it('finds a name exported by two modules in a sample', () => {
		expect(
			namesDeclaredTwice([
				{
					path: 'authoring/service.ts',
					text: 'export async function retireFiche(db: Db) {}\nexport function ok(): Ok;\nexport function ok(v) {}'
				},
				{ path: 'authoring/import-repository.ts', text: 'export async function retireFiche() {}' },
				{ path: 'plan/repository.ts', text: 'export interface PlanInfo {}\nconst local = 1;' },
				{ path: 'authoring/plan-model.ts', text: 'export interface PlanInfo {}' }
			])
		).toEqual([
			'PlanInfo: plan/repository.ts, authoring/plan-model.ts',
			'retireFiche: authoring/service.ts, authoring/import-repository.ts'
		]);
	});

	// Left as noticed in s46: Measurement was the bench's load run to check and the plan's indicator value.
	it('declares each name exported in src/lib and scripts in one module', () => {
		const files = [...sourceFiles('src/lib'), ...sourceFiles('scripts')]
			.filter((path) => path.endsWith('.ts') && !/\.(spec|test)\.ts$/.test(path))
			.map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
		expect(namesDeclaredTwice(files)).toEqual([]);
	});
});
