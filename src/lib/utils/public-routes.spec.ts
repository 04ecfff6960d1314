import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHED_ROUTES, isServerOnlyPage, publicRoutes } from './public-routes';

const ROUTES = join(import.meta.dirname, '../../routes');

/** SvelteKit's route id of a folder of src/routes. */
function routeId(dir: string): string {
	return '/' + relative(ROUTES, dir).split(sep).join('/');
}

/** Route ids of the pages whose +page.server.ts says `export const csr = false`. */
function pagesWithoutClient(dir = ROUTES): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return pagesWithoutClient(path);
		if (entry.name !== '+page.server.ts') return [];
		return /^export const csr = false;$/m.test(readFileSync(path, 'utf8')) ? [routeId(dir)] : [];
	});
}

const has = (id: string, file: string) => existsSync(join(ROUTES, id, file));

describe('public routes', () => {
	it('list as rendered on the server only every page that sends no SvelteKit client, and none else', () => {
		const found = pagesWithoutClient();
		expect(found).toContain('/fiches');
		const listed = publicRoutes().filter(([, route]) => route.serverOnly);
		expect(listed.map(([id]) => id).sort()).toEqual(found.sort());
	});

	it('name only routes that exist, each a page or a file, and no signed-in area', () => {
		for (const [id, route] of publicRoutes()) {
			const page = has(id, '+page.svelte');
			const endpoint = has(id, '+server.ts');
			expect(page || endpoint, id).toBe(true);
			// A route with both would answer according to the Accept header, which the cache key ignores.
			expect(page && endpoint, id).toBe(false);
			expect(id, id).not.toMatch(/^\/(admin|espace|compte|connexion|deconnexion|invitation)/);
			expect(route.serverOnly || route.cached, `${id} : ni l’un ni l’autre`).toBe(true);
		}
	});

	it('give the cached set and tell a server-only page by its route id', () => {
		expect(CACHED_ROUTES.has('/donnees/plan.xlsx')).toBe(true);
		expect(CACHED_ROUTES.has('/espace')).toBe(false);
		expect(isServerOnlyPage('/fiches/[code=fiche]')).toBe(true);
		expect(isServerOnlyPage('/accessibilite')).toBe(false);
		expect(isServerOnlyPage('/admin/suivis')).toBe(false);
		expect(isServerOnlyPage('toString')).toBe(false);
		expect(isServerOnlyPage(null)).toBe(false);
	});
});
