import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { serverHashes } from './vite-server-hashes.js';

// SvelteKit's own files, rewritten by the plugin as the build rewrites them, must give the very
// values of the originals: the same ETag for the same page, the same CSP hash for the same script.
const kit = dirname(createRequire(import.meta.url).resolve('@sveltejs/kit/package.json'));
const dir = mkdtempSync(join(tmpdir(), 'sdusn-hashes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Transform = (code: string, id: string, options?: { ssr?: boolean }) => { code: string } | null;
const transform = serverHashes().transform as unknown as Transform;

async function rewritten<T>(relative: string, ssr: boolean): Promise<T> {
	const id = join(kit, relative);
	const result = transform(readFileSync(id, 'utf8'), id, { ssr });
	if (!result) throw new Error(`${relative} n’est pas réécrit`);
	// crypto.js imports text_encoder from ../../utils.js: the rewrite no longer needs it.
	const file = join(dir, relative.replaceAll('/', '_'));
	writeFileSync(file, result.code);
	return import(pathToFileURL(file).href) as Promise<T>;
}

const SAMPLES = [
	'',
	'a',
	'<!doctype html><html lang="fr"><body>Bilan 2028 — 12 %</body></html>',
	'é'.repeat(5000) + '😀' + 'x'.repeat(70_000),
	Array.from({ length: 3000 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join('')
];

describe('vite-server-hashes', () => {
	it('keeps djb2’s value (the page’s ETag) for strings and bytes', async () => {
		const original = (await import(pathToFileURL(join(kit, 'src/utils/hash.js')).href)) as {
			hash: (...values: unknown[]) => string;
		};
		const { hash } = await rewritten<typeof original>('src/utils/hash.js', false);
		for (const sample of SAMPLES) {
			expect(hash(sample)).toBe(original.hash(sample));
			const bytes = new TextEncoder().encode(sample);
			expect(hash(bytes)).toBe(original.hash(bytes));
		}
	});

	it('keeps SHA-256’s base64 digest (the CSP hash of the inline script)', async () => {
		const original = (await import(
			pathToFileURL(join(kit, 'src/runtime/server/page/crypto.js')).href
		)) as { sha256: (data: string) => string };
		const { sha256 } = await rewritten<typeof original>('src/runtime/server/page/crypto.js', true);
		for (const sample of SAMPLES) expect(sha256(sample)).toBe(original.sha256(sample));
	});

	it('leaves the browser’s copy of crypto.js and every other file alone', () => {
		expect(transform('x', join(kit, 'src/runtime/server/page/crypto.js'), { ssr: false })).toBe(
			null
		);
		expect(transform('x', join(kit, 'src/runtime/server/page/render.js'), { ssr: true })).toBe(
			null
		);
	});

	it('fails the build when SvelteKit’s text is no longer there', () => {
		expect(() => transform('export function hash() {}', join(kit, 'src/utils/hash.js'))).toThrow(
			/SvelteKit a changé/
		);
	});
});
