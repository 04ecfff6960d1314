import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isServerOnlyPage, serverOnlyPages } from './server-only-pages';

const ROUTES = join(import.meta.dirname, '../../routes');

/** Route ids of the pages whose +page.server.ts says `export const csr = false`. */
function pagesWithoutClient(dir = ROUTES): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return pagesWithoutClient(path);
		if (entry.name !== '+page.server.ts') return [];
		if (!/^export const csr = false;$/m.test(readFileSync(path, 'utf8'))) return [];
		return ['/' + relative(ROUTES, dir).split(sep).join('/')].map((id) =>
			id === '/' ? id : id.replace(/\/$/, '')
		);
	});
}

describe('server-only pages', () => {
	it('are every page that sends no SvelteKit client, and none else', () => {
		const found = pagesWithoutClient();
		expect(found).toContain('/fiches');
		expect(serverOnlyPages().sort()).toEqual(found.sort());
	});

	it('are told by their route id', () => {
		expect(isServerOnlyPage('/fiches/[code=fiche]')).toBe(true);
		expect(isServerOnlyPage('/admin/suivis')).toBe(false);
		expect(isServerOnlyPage(null)).toBe(false);
	});
});
