import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { withMemoizedMatchers } from './scripts/memoized-matchers.js';
import { frenchSpacingPreprocess } from './scripts/svelte-french-spacing.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	// French spacing in the templates' own text (« Statut : »), once at compile time.
	preprocess: [vitePreprocess(), frenchSpacingPreprocess()],
	kit: {
		// The route parameter matchers loaded once, not on every request (scripts/memoized-matchers.js).
		adapter: withMemoizedMatchers(adapter({ precompress: true })),
		// Vitest gets its own copy of SvelteKit's generated files: `npm test` builds while the unit
		// tests run (scripts/test.js), and the two processes would otherwise write the same files,
		// the build's version hash among them (a server built with Vitest's hash never hydrates).
		outDir: process.env.VITEST ? '.svelte-kit/vitest' : '.svelte-kit',
		// Absolute asset paths (/_app/…): with relative ones, the preload `Link` header repeated
		// "../" once per level of the requested path, and a deep made-up address made a header too
		// large for a proxy.
		paths: { relative: false },
		// Forms posted from another site are refused by the server hooks (sameOriginForms in
		// src/lib/server/http/hardening.ts), first of all and in French; SvelteKit's own check,
		// the same rule answered in English plain text, is switched off here in its favour.
		csrf: { trustedOrigins: ['*'] },
		// Hashes of SvelteKit's own inline bootstrap script; nothing else may run inline. Hashes
		// rather than nonces: a public page is rendered once and replayed from the page cache, and a
		// replayed nonce would no longer be a nonce.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'frame-ancestors': ['none'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
