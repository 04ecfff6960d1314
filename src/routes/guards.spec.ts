import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROUTES = new URL('.', import.meta.url).pathname;
// Who may do what is decided by can() alone (through authorize), never by a role named in a route.
const GUARD = /\b(requireUser|authorize)\(/;

/** Routes anyone may use: published pages, open data, and the ways in (login, invitation). */
const PUBLIC = new Set([
	'+layout.server.ts',
	'+page.server.ts',
	'historique/+page.server.ts',
	'fiches/+page.server.ts',
	'fiches/[code=fiche]/+page.server.ts',
	'fiches/[code=fiche]/historique/[annee=annee]/+page.server.ts',
	// Public; only the editors' names depend on can() (admins), see the route.
	'fiches/[code=fiche]/modifications/+page.server.ts',
	'organisations/+page.server.ts',
	'organisations/[slug=slug]/+page.server.ts',
	// A redirect to the address in lower case, nothing read.
	'organisations/[slug=slugInCapitals]/+server.ts',
	'donnees/+page.server.ts',
	'donnees/[fichier=ressource]/+server.ts',
	'donnees/plan.xlsx/+server.ts',
	'connexion/+page.server.ts',
	'invitation/[token]/+page.server.ts',
	// Mail (#17): password reset (throttled, guarded by its single-use token), one-click unsubscribe
	// (guarded by its signed single-purpose token).
	'mot-de-passe-oublie/+page.server.ts',
	'mot-de-passe-oublie/[token]/+page.server.ts',
	'desabonnement/[token]/+page.server.ts',
	'desabonnement/[token]/un-clic/+server.ts',
	'commission/priorites/+page.server.ts',
	'tableau-de-bord/+page.server.ts',
	'bilans/+page.server.ts',
	'bilans/[year=annee]/+page.server.ts',
	'bilans/[year=annee]/fiches/[code=fiche]/+page.server.ts',
	// The version to print of a published edition: the same public data as the edition's page.
	'bilans/[year=annee]/impression/+page.server.ts',
	'bilans/[year=annee]/[fichier=ressource]/+server.ts',
	'bilans/[year=annee]/[figure=figure].csv/+server.ts',
	'tableau-de-bord/[figure=figure].csv/+server.ts',
	'bilans/[year=annee]/[figure=figure].xlsx/+server.ts',
	'tableau-de-bord/[figure=figure].xlsx/+server.ts',
	// The charts of the pages rendered on the server only (ChartsScript.svelte).
	'bilans/[year=annee]/graphiques.json/+server.ts',
	'tableau-de-bord/graphiques.json/+server.ts',
	// Public once the sitting is closed: the handler checks the state itself (see access-matrix).
	'commission/seances/[id=id]/releve.csv/+server.ts',
	'commission/seances/[id=id]/releve.xlsx/+server.ts',
	// Health check for the supervisor: no personal data (see lib/server/health).
	'sante/+server.ts'
]);

/** Public loads in files whose actions are protected. */
const PUBLIC_HANDLERS = new Set([
	'commission/+page.server.ts#load',
	// Public when the sitting is closed; otherwise requireUser() then can(), answering 404 to whoever
	// may not read it (as for a séance that does not exist).
	'commission/seances/[id=id]/+page.server.ts#load'
]);

function serverFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return serverFiles(path);
		return /^\+(page|layout)\.server\.ts$|^\+server\.ts$/.test(name) ? [path] : [];
	});
}

/** What SvelteKit calls in a route file, besides the form actions (`actions`). */
const HANDLER_NAMES = new Set([
	'load',
	'GET',
	'POST',
	'PUT',
	'PATCH',
	'DELETE',
	'OPTIONS',
	'HEAD',
	'fallback'
]);

/** An expression without what does not change it: `(…)`, `… satisfies Actions`, `… as T`. */
function unwrapped(node: ts.Expression | undefined): ts.Expression | undefined {
	let current = node;
	while (
		current &&
		(ts.isParenthesizedExpression(current) ||
			ts.isSatisfiesExpression(current) ||
			ts.isAsExpression(current))
	)
		current = current.expression;
	return current;
}

/**
 * Each exported load, action and request handler, with the first line of its body's first
 * statement, read by TypeScript's parser: an arrow function, a function expression, an action
 * written as a method (`async save(event) {…}`), `export async function POST`. A handler whose body
 * cannot be read here (a value imported, a call, `export { x as POST }`) is listed with an empty
 * first statement, so that it fails rather than go unchecked.
 */
function handlers(source: string): { name: string; firstStatement: string }[] {
	const file = ts.createSourceFile('route.ts', source, ts.ScriptTarget.Latest, true);
	const found: { name: string; firstStatement: string }[] = [];
	const add = (name: string, fn: ts.Node | undefined) => {
		let text = '';
		if (
			fn &&
			(ts.isArrowFunction(fn) ||
				ts.isFunctionExpression(fn) ||
				ts.isFunctionDeclaration(fn) ||
				ts.isMethodDeclaration(fn)) &&
			fn.body
		)
			text = ts.isBlock(fn.body)
				? (fn.body.statements[0]?.getText(file) ?? '')
				: fn.body.getText(file);
		found.push({ name, firstStatement: text.split('\n')[0]!.trim() });
	};
	for (const statement of file.statements) {
		if (ts.isExportDeclaration(statement)) {
			if (statement.exportClause && ts.isNamedExports(statement.exportClause))
				for (const element of statement.exportClause.elements)
					if (HANDLER_NAMES.has(element.name.text) || element.name.text === 'actions')
						add(element.name.text, undefined);
			continue;
		}
		const exported =
			ts.canHaveModifiers(statement) &&
			ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
		if (!exported) continue;
		if (ts.isFunctionDeclaration(statement) && statement.name) {
			if (HANDLER_NAMES.has(statement.name.text)) add(statement.name.text, statement);
			continue;
		}
		if (!ts.isVariableStatement(statement)) continue;
		for (const declaration of statement.declarationList.declarations) {
			const name = declaration.name.getText(file);
			const value = unwrapped(declaration.initializer);
			if (name === 'actions') {
				if (!value || !ts.isObjectLiteralExpression(value)) {
					add(name, undefined);
					continue;
				}
				for (const action of value.properties) {
					const actionName = action.name?.getText(file) ?? '…';
					if (ts.isMethodDeclaration(action)) add(actionName, action);
					else if (ts.isPropertyAssignment(action)) add(actionName, unwrapped(action.initializer));
					else add(actionName, undefined);
				}
			} else if (HANDLER_NAMES.has(name)) add(name, value);
		}
	}
	return found;
}

describe('every protected route calls a guard first', () => {
	const files = serverFiles(ROUTES).map((path) => relative(ROUTES, path));

	it('finds the route files', () => {
		expect(files.length).toBeGreaterThan(10);
	});

	for (const file of files.filter((f) => !PUBLIC.has(f))) {
		it(file, () => {
			const source = readFileSync(join(ROUTES, file), 'utf8');
			const list = handlers(source);
			expect(list.length, 'exports a load, actions or a handler').toBeGreaterThan(0);
			for (const { name, firstStatement } of list) {
				if (PUBLIC_HANDLERS.has(`${file}#${name}`)) continue;
				expect(firstStatement, `${name} must start with a guard`).toMatch(GUARD);
			}
		});
	}

	it('fails for a handler without a guard (the check can fail)', () => {
		const source =
			'export const load: PageServerLoad = async (event) => {\n\tconst db = getDb();\n};\n';
		expect(handlers(source)[0]!.firstStatement).not.toMatch(GUARD);
	});

	it('finds every handler, however it is written (a regex missed the last three)', () => {
		const source = [
			'export const load: PageServerLoad = async (event) => {',
			'\t// Who may read it.',
			"\tawait authorize(event, 'plan.edit');",
			'};',
			'export const actions = {',
			"\tsave: async (event) => { await authorize(event, 'plan.edit'); },",
			'\tasync remove(event) {',
			'\t\tconst db = getDb();',
			'\t},',
			'\tdefault: importedAction',
			'} satisfies Actions;',
			'export async function POST(event) {',
			'\treturn json(await read(event));',
			'}'
		].join('\n');
		expect(handlers(source)).toEqual([
			{ name: 'load', firstStatement: "await authorize(event, 'plan.edit');" },
			{ name: 'save', firstStatement: "await authorize(event, 'plan.edit');" },
			{ name: 'remove', firstStatement: 'const db = getDb();' },
			{ name: 'default', firstStatement: '' },
			{ name: 'POST', firstStatement: 'return json(await read(event));' }
		]);
		const unguarded = handlers(source).filter(({ firstStatement }) => !GUARD.test(firstStatement));
		expect(unguarded.map(({ name }) => name)).toEqual(['remove', 'default', 'POST']);
	});
});

/**
 * The functions of a route file other than its handlers (`loadContext`, `ownUpdate`…) that call a
 * guard themselves: a handler's first statement is its guard, and a helper takes the user that
 * guard gave (s51: the partner's form read the signed-in person twice, in its load and again in
 * the load's helper). Functions declared at the top of the file, as statements or as constants.
 */
function helpersCallingGuard(source: string): string[] {
	const file = ts.createSourceFile('route.ts', source, ts.ScriptTarget.Latest, true);
	const found: string[] = [];
	const check = (name: string, fn: ts.Node) => {
		if (GUARD.test(fn.getText(file))) found.push(name);
	};
	for (const statement of file.statements) {
		if (ts.isFunctionDeclaration(statement) && statement.name) {
			if (!HANDLER_NAMES.has(statement.name.text)) check(statement.name.text, statement);
			continue;
		}
		if (!ts.isVariableStatement(statement)) continue;
		for (const declaration of statement.declarationList.declarations) {
			const name = declaration.name.getText(file);
			const value = unwrapped(declaration.initializer);
			if (
				name !== 'actions' &&
				!HANDLER_NAMES.has(name) &&
				value &&
				(ts.isArrowFunction(value) || ts.isFunctionExpression(value))
			)
				check(name, value);
		}
	}
	return found;
}

describe('a route’s helpers take the user its handler’s guard gave', () => {
	it('finds a helper that calls a guard, as a function or a constant, not a handler', () => {
		const source = [
			'async function loadContext(event) {',
			'	const user = requireUser(event);',
			'}',
			'const decide = async (event) => {',
			"	const admin = await authorize(event, 'queue.view');",
			'};',
			'function ownUpdate(event, user) {',
			'	return read(user, event.params.id);',
			'}',
			'export const load = async (event) => {',
			'	const user = requireUser(event);',
			'};',
			'export async function POST(event) {',
			"	await authorize(event, 'plan.edit');",
			'}'
		].join('\n');
		expect(helpersCallingGuard(source)).toEqual(['loadContext', 'decide']);
	});

	it('in every route file', () => {
		const offenders = serverFiles(ROUTES).flatMap((path) =>
			helpersCallingGuard(readFileSync(path, 'utf8')).map(
				(name) => `${relative(ROUTES, path)}: ${name}`
			)
		);
		expect(offenders).toEqual([]);
	});
});

/**
 * A permission decided in a route by comparing a role (`user.role === 'admin'`, `role !==
 * 'partenaire'`, either side) rather than by can(): each comparison, numbered. In the route's
 * server files and in the pages and components too: a page shows what its server's can() gave it
 * (the header's links, `viewer.links`), never a menu by a role it compares itself.
 */
const ROLE_COMPARED =
	/\brole\s*[!=]==?|[!=]==?\s*[\w.?]*\brole\b|['"](admin|commission|partenaire)['"]\s*[!=]==?/;

function roleComparisons(source: string): string[] {
	return source.split('\n').flatMap((line, index) => {
		const code = line.replace(/\/\/.*$/, '');
		return ROLE_COMPARED.test(code) ? [`${index + 1}: ${line.trim()}`] : [];
	});
}

describe('permissions are decided by can(), not by a role named in a route', () => {
	it('finds a role compared in a sample', () => {
		const sample = [
			"const health = await checkHealth(db, local || event.locals.user?.role === 'admin');",
			"if (signedIn.role !== 'partenaire') redirect(303, homeFor(signedIn.role));",
			"\t\t\tuser.role === 'partenaire' ? user.organisationId : undefined",
			"if ('admin' === user.role) return;",
			'if (role == other.role) return;',
			"// A partner (role === 'partenaire') reads its own.",
			"if (!can(signedIn, 'espace.enter')) redirect(303, homeFor(signedIn.role));",
			"const role = form.get('role');",
			"{#if data.viewer.role === 'admin'}<li>"
		].join('\n');
		expect(roleComparisons(sample).map((line) => line.split(':')[0])).toEqual([
			'1',
			'2',
			'3',
			'4',
			'5',
			'9'
		]);
	});

	it('compares no role in any route’s server file', () => {
		const offenders = serverFiles(ROUTES).flatMap((path) =>
			roleComparisons(readFileSync(path, 'utf8')).map((line) => `${relative(ROUTES, path)}:${line}`)
		);
		expect(offenders).toEqual([]);
	});

	// Left as noticed in s46: the header's « Administration » and « Mon espace » were shown by a role
	// compared in +layout.svelte, which this test did not read.
	it('compares no role in any page or component', () => {
		const LIB = new URL('../lib/', import.meta.url).pathname;
		const offenders = [...svelteFiles(ROUTES), ...svelteFiles(LIB)].flatMap((path) =>
			roleComparisons(readFileSync(path, 'utf8')).map((line) => `${relative(ROUTES, path)}:${line}`)
		);
		expect(offenders).toEqual([]);
	});
});

function svelteFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return svelteFiles(path);
		return name.endsWith('.svelte') ? [path] : [];
	});
}
