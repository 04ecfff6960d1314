// README « Refus par défaut »: tests/e2e/access-matrix.spec.ts asks every route and every action
// of the five profiles. Its rows are written by hand; this test reads them and the route files,
// and fails when a page, a request handler or an action has no row (a new route included).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROUTES = new URL('.', import.meta.url).pathname;
const MATRIX = new URL('../../tests/e2e/access-matrix.spec.ts', import.meta.url).pathname;

/** What the matrix does not ask, with the reason; each is tested elsewhere. */
const ASKED_ELSEWHERE: Record<string, string> = {
	// It would sign each profile out before the next rows: « logging out ends the session » in the
	// same file.
	'POST /deconnexion': 'signs out the client the matrix uses'
};

const matchers = import.meta.glob<{ match: (param: string) => boolean }>('../params/*.ts', {
	eager: true
});
const matcher = (name: string) => matchers[`../params/${name}.ts`]!.match;

/** A route's address pattern as a regex, its parameters checked by their matchers. */
function routeMatcher(route: string): (path: string) => boolean {
	const checks: ((value: string) => boolean)[] = [];
	const source = route
		.split('/')
		.map((segment) =>
			segment
				.split(/(\[[^\]]+\])/)
				.map((part) => {
					const param = /^\[(\w+)(?:=(\w+))?\]$/.exec(part);
					if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
					const name = param[2];
					checks.push(name ? matcher(name) : () => true);
					return '([^/]+?)';
				})
				.join('')
		)
		.join('/');
	const pattern = new RegExp(`^${source}$`);
	return (path) => {
		const found = pattern.exec(path);
		return !!found && found.slice(1).every((value, index) => checks[index]!(value));
	};
}

/** Each page (GET), request handler (its method) and form action (POST …?/name) of src/routes. */
function routeEntries(): { route: string; entries: string[] }[] {
	const byRoute = new Map<string, string[]>();
	for (const file of readdirSync(ROUTES, { recursive: true }) as string[]) {
		const name = file.split('/').pop()!;
		const route = `/${file.slice(0, -name.length - 1)}`.replace(/\/$/, '') || '/';
		const source = () => readFileSync(join(ROUTES, file), 'utf8');
		const entries = byRoute.get(route) ?? [];
		if (name === '+page.svelte') entries.push(`GET ${route}`);
		else if (name === '+server.ts')
			for (const [, method] of source().matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g))
				entries.push(`${method} ${route}`);
		else if (name === '+page.server.ts') {
			const actions = /export const actions\b[^{]*\{([\s\S]*?)\n\};/.exec(source())?.[1] ?? '';
			for (const [, action] of actions.matchAll(/^\t(\w+)(?:: |\()/gm))
				entries.push(action === 'default' ? `POST ${route}` : `POST ${route}?/${action}`);
		}
		byRoute.set(route, entries);
	}
	return [...byRoute].map(([route, entries]) => ({ route, entries }));
}

/** The matrix's rows as method and address, a `${…}` (an id found at run time) read as 1. */
function matrixRows(): { method: string; path: string; action: string | null }[] {
	const source = readFileSync(MATRIX, 'utf8');
	const rows = source.slice(source.indexOf('const rows = (): Row[] => ['));
	return [...rows.matchAll(/\[\s*'(GET|POST)',\s*(['`])(.*?)\2/g)].map(([, method, , address]) => {
		const [path, query = ''] = address!.replace(/\$\{[^}]*\}/g, '1').split('?');
		return { method: method!, path: path!, action: /^\/(\w+)/.exec(query)?.[1] ?? null };
	});
}

/** The route SvelteKit would give an address: of those that match, the one with fewest params. */
function routeOf(path: string, routes: string[]): string | undefined {
	const params = (route: string) => (route.match(/\[/g) ?? []).length;
	return routes
		.filter((route) => routeMatcher(route)(path))
		.sort((a, b) => params(a) - params(b))[0];
}

describe('tests/e2e/access-matrix.spec.ts', () => {
	const routes = routeEntries();
	const rows = matrixRows();

	it('reads the matrix and the routes', () => {
		expect(rows.length).toBeGreaterThan(100);
		expect(routes.length).toBeGreaterThan(50);
	});

	it('has a row for every page, request handler and action of src/routes', () => {
		const asked = new Set<string>();
		const unknown: string[] = [];
		for (const { method, path, action } of rows) {
			const route = routeOf(
				path,
				routes.map((r) => r.route)
			);
			if (!route) unknown.push(`${method} ${path}`);
			else asked.add(action ? `${method} ${route}?/${action}` : `${method} ${route}`);
		}
		expect(unknown, 'rows no route answers').toEqual([]);
		const missing = routes
			.flatMap((r) => r.entries)
			.filter((entry) => !asked.has(entry) && !(entry in ASKED_ELSEWHERE));
		expect(missing, 'routes and actions without a row in the matrix').toEqual([]);
	});

	it('names in ASKED_ELSEWHERE only what the routes have', () => {
		const entries = new Set(routes.flatMap((r) => r.entries));
		expect(Object.keys(ASKED_ELSEWHERE).filter((entry) => !entries.has(entry))).toEqual([]);
	});
});
