import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { memoizeMatchers, withMemoizedMatchers } from './memoized-matchers.js';

const dir = mkdtempSync(join(tmpdir(), 'sdusn-matchers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The shape SvelteKit writes: an exported manifest whose matchers import their modules anew on
// every call (counted here on globalThis).
const MODULE = [
	'export const manifest = (() => ({',
	'\t_: { matchers: async () => {',
	'\t\tglobalThis.sdusnMatcherImports = (globalThis.sdusnMatcherImports ?? 0) + 1;',
	'\t\treturn { id: (p) => /^\\d+$/.test(p) };',
	'\t} }',
	'}))();',
	''
].join('\n');

type Loaded = { manifest: { _: { matchers: () => Promise<{ id: (p: string) => boolean }> } } };
const imports = () => (globalThis as { sdusnMatcherImports?: number }).sdusnMatcherImports;

describe('memoized-matchers', () => {
	it('loads the matchers once, and gives every call the same ones', async () => {
		const file = join(dir, 'manifest.js');
		writeFileSync(file, memoizeMatchers(MODULE));
		const loaded = (await import(pathToFileURL(file).href)) as Loaded;
		const first = await loaded.manifest._.matchers();
		const second = await loaded.manifest._.matchers();
		expect(second).toBe(first);
		expect(first.id('12')).toBe(true);
		expect(imports()).toBe(1);
	});

	it('refuses a manifest module of another shape (a SvelteKit that changed fails the build)', () => {
		expect(() => memoizeMatchers('const manifest = {};\nexport { manifest };\n')).toThrow(
			/a changé de forme/
		);
	});

	it('appends to the manifest the adapter is about to bundle, then hands over', async () => {
		const server = mkdtempSync(join(dir, 'server-'));
		const file = join(server, 'manifest.js');
		writeFileSync(file, MODULE);
		let seen = '';
		const adapter = withMemoizedMatchers({
			name: 'essai',
			adapt: () => {
				seen = readFileSync(file, 'utf8');
			}
		});
		expect(adapter.name).toBe('essai');
		await adapter.adapt({ getServerDirectory: () => server } as never);
		expect(seen).toContain('manifest._.matchers = () => (loaded ??= load());');
	});
});
