import { describe, expect, it } from 'vitest';
import config from '../svelte.config.js';
import { frenchSpacingPreprocess, spaceTemplateText } from './svelte-french-spacing.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('French spacing in the templates’ own text, at compile time', () => {
	it('spaces the markup’s text, one character for one', () => {
		const source = [
			'<script lang="ts">let n: number = 3; const s = "a : b";</script>',
			'<p>Statut : {n} fiches ; « {s} » <strong>Raison :</strong> ok ?</p>',
			'{#if n}<span>{n} :</span>{:else}3 fiches{/if}'
		].join('\n');
		const code = spaceTemplateText(source, 'Essai.svelte');
		expect(code).toHaveLength(source.length);
		expect(code).toContain(`<p>Statut${NBSP}: {n} fiches${NNBSP}; «${NBSP}{s}${NBSP}» `);
		expect(code).toContain(`<strong>Raison${NBSP}:</strong> ok${NNBSP}?</p>`);
		expect(code).toContain(`<span>{n}${NBSP}:</span>{:else}3${NBSP}fiches{/if}`);
		// The script is code, not text.
		expect(code).toContain('const s = "a : b";');
	});

	it('leaves attribute values, expressions and what is shown as typed alone', () => {
		const source = [
			'<input title="Statut : actif" placeholder="3 fiches" />',
			'<p>{`a : ${1}`}</p>',
			'<code>x : y</code><pre>a ; b</pre><kbd>Ctrl :</kbd><textarea>Note : ici</textarea>',
			'<style>a :global(b) { color: red; }</style>'
		].join('\n');
		expect(spaceTemplateText(source)).toBe(source);
	});

	it('stops at a text it would shorten (two spaces in a row), with its place', () => {
		expect(() => spaceTemplateText('<p>\n</p>\n<p>Statut  : actif</p>', 'Essai.svelte')).toThrow(
			'Essai.svelte, ligne 3 : deux espaces de suite dans « Statut  : actif »'
		);
	});

	it('is one of svelte.config.js’s preprocessors, after vitePreprocess', () => {
		const groups = [config.preprocess].flat() as { name?: string }[];
		expect(groups.at(-1)?.name).toBe(frenchSpacingPreprocess().name);
	});
});
