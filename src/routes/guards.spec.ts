import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
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
	// Public when the sitting is closed, guarded by authorize() otherwise.
	'commission/seances/[id=id]/+page.server.ts#load'
]);

function serverFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return serverFiles(path);
		return /^\+(page|layout)\.server\.ts$|^\+server\.ts$/.test(name) ? [path] : [];
	});
}

/** Each exported load, action and request handler, with the first statement of its body. */
function handlers(source: string): { name: string; firstStatement: string }[] {
	const found: { name: string; firstStatement: string }[] = [];
	const patterns = [
		/export const (load|GET|POST|PUT|PATCH|DELETE)\b[^=]*=\s*(?:async\s*)?\([^)]*\)\s*=>\s*\{\s*([^\n]*)/g,
		/^\t(\w+): (?:async )?\([^)]*\) => \{\s*(?:\/\/[^\n]*\n\s*)?([^\n]*)/gm
	];
	for (const pattern of patterns) {
		for (const match of source.matchAll(pattern))
			found.push({ name: match[1]!, firstStatement: match[2]!.trim() });
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
			const exported = (source.match(/export const (load|GET|POST|PUT|PATCH|DELETE)\b/g) ?? [])
				.length;
			const actions = (source.match(/^\t\w+: (?:async )?\(/gm) ?? []).length;
			expect(exported, 'exports a load, actions or a handler').toBeGreaterThan(0);
			expect(list.length, 'every load, handler and action is found').toBe(exported + actions);
			for (const { name, firstStatement } of list) {
				if (PUBLIC_HANDLERS.has(`${file}#${name}`)) continue;
				expect(firstStatement, `${name} must start with a guard`).toMatch(GUARD);
			}
		});
	}

	it('fails for a handler without a guard (the check can fail)', () => {
		const source =
			'export const load: PageServerLoad = async (event) => {\n\tconst db = getDb();\n';
		expect(handlers(source)[0]!.firstStatement).not.toMatch(GUARD);
	});
});
