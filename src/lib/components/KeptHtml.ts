import type { Component } from 'svelte';

/**
 * Writes kept HTML (src/lib/server/render/kept-html.ts, whose header says which of its two ways a
 * load takes): `html`, the output of the component `of` rendered apart by fragmentHtml, or the mark
 * inAnswer gives in its place, written into a page rendered on the server only (`csr = false`)
 * exactly as it is (a mark is replaced by the kept bytes in the server's last hook). Svelte's
 * `{@html}` would write two hydration markers around it; the fragment already carries the markers
 * of the component it comes from, so that the page's bytes are those of `of` rendered in place. Naming `of` here keeps the page's module graph as it was with the
 * component in place: its styles, and those of the components it uses, are linked by the page as
 * before, in the same order. A component compiled for the server is a function of the page's
 * renderer and its props; this one pushes the string. Nothing in the browser ever calls it: the
 * pages using it send no SvelteKit client.
 */
function KeptHtml(renderer: unknown, props: { html: string; of: Component<never> }): void {
	const target = renderer as { push?: (content: string) => void };
	if (typeof target.push !== 'function' || typeof props.of !== 'function')
		throw new Error('KeptHtml is rendered on the server only (csr = false)');
	target.push(props.html);
}

export default KeptHtml as unknown as Component<{ html: string; of: Component<never> }>;
