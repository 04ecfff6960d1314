// Two hashes SvelteKit computes on every rendered page, made cheaper without changing their value
// (docs/performance.md, « 2026-11-30 (night) — cold renders »):
//
// - the `ETag` of each page is djb2 over the whole HTML (`@sveltejs/kit/src/utils/hash.js`),
//   written `(hash * 33) ^ c`: the product leaves the 32-bit range, so V8 computes it in floating
//   point; `Math.imul(hash, 33) ^ c` is the same value (the `^` truncates to 32 bits either way)
//   in integer arithmetic, several times faster on a large page (docs/performance.md);
// - the Content-Security-Policy hash of the inline hydration script is SHA-256 written in
//   JavaScript (`page/crypto.js`, server only); Node's own SHA-256 gives the same base64 digest.
//
// Each rewrite checks that the text it replaces is there: a SvelteKit upgrade that changes it fails
// the build instead of silently dropping the change.

/** @type {{ file: string; ssrOnly: boolean; rewrite: (code: string) => string }[]} */
const REWRITES = [
	{
		file: '/@sveltejs/kit/src/utils/hash.js',
		ssrOnly: false,
		rewrite: (code) =>
			replaceExactly(
				replaceExactly(
					code,
					'hash = (hash * 33) ^ value.charCodeAt(--i);',
					'hash = Math.imul(hash, 33) ^ value.charCodeAt(--i);'
				),
				'hash = (hash * 33) ^ buffer[--i];',
				'hash = Math.imul(hash, 33) ^ buffer[--i];'
			)
	},
	{
		file: '/@sveltejs/kit/src/runtime/server/page/crypto.js',
		ssrOnly: true,
		rewrite: (code) => {
			replaceExactly(code, 'export function sha256(data) {', '');
			return [
				"import { createHash } from 'node:crypto';",
				'/** @param {string} data */',
				'export function sha256(data) {',
				"\treturn createHash('sha256').update(data, 'utf8').digest('base64');",
				'}'
			].join('\n');
		}
	}
];

/**
 * @param {string} code
 * @param {string} from
 * @param {string} to
 */
function replaceExactly(code, from, to) {
	if (!code.includes(from))
		throw new Error(`vite-server-hashes : « ${from} » introuvable, SvelteKit a changé`);
	return code.replace(from, to);
}

/** @returns {import('vite').Plugin} */
export function serverHashes() {
	return {
		name: 'sdusn-server-hashes',
		enforce: 'pre',
		transform(code, id, options) {
			const path = id.replaceAll('\\', '/').split('?')[0] ?? '';
			const entry = REWRITES.find((r) => path.endsWith(r.file));
			if (!entry || (entry.ssrOnly && !options?.ssr)) return null;
			return { code: entry.rewrite(code), map: null };
		}
	};
}
