// SvelteKit's server manifest loads the route parameter matchers (src/params/) with one dynamic
// `import()` per matcher on every request (`manifest._.matchers()`, called by `respond` before it
// finds the route). The modules are loaded once, but each `import()` of a loaded module still goes
// through Node's module loader, on every request: a share of a page rendered without the cache
// worth saving (docs/performance.md, « 2026-12-01 (evening) »). SvelteKit memoizes the imports of
// its page nodes (`__memo`), not these.
//
// `withMemoizedMatchers` wraps the adapter: before the adapter bundles the server, one statement
// is appended to the manifest module SvelteKit wrote, so that `manifest._.matchers` keeps the
// promise of its first call. What SvelteKit generates is not rewritten, only added to: a version
// that changes its inside still works, and one that no longer exports the manifest fails the build.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MEMOIZE = [
	'',
	'// Added by scripts/memoized-matchers.js: the matchers are imported once, not per request.',
	'{',
	'\tconst load = manifest._.matchers;',
	'\tlet loaded;',
	'\tmanifest._.matchers = () => (loaded ??= load());',
	'}',
	''
].join('\n');

/**
 * The manifest module's text with its matchers memoized.
 * @param {string} module
 * @returns {string}
 */
export function memoizeMatchers(module) {
	if (!module.startsWith('export const manifest = '))
		throw new Error('memoized-matchers : le manifeste de SvelteKit a changé de forme');
	return module + MEMOIZE;
}

/**
 * @param {import('@sveltejs/kit').Adapter} adapter
 * @returns {import('@sveltejs/kit').Adapter}
 */
export function withMemoizedMatchers(adapter) {
	return {
		...adapter,
		async adapt(builder) {
			const file = join(builder.getServerDirectory(), 'manifest.js');
			writeFileSync(file, memoizeMatchers(readFileSync(file, 'utf8')));
			return adapter.adapt(builder);
		}
	};
}
