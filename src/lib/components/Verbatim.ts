import type { Component } from 'svelte';

/**
 * Writes `html`, the output of the component `of` rendered apart by fragmentHtml
 * (src/lib/server/render/fragment.ts), into a page rendered on the server only (`csr = false`),
 * exactly as it is. In a page's answer `html` is the mark inAnswer gives
 * (src/lib/server/render/kept-html.ts), which the server's last hook replaces with the kept bytes. Svelte's `{@html}` would write two hydration markers around it; the fragment
 * already carries the markers of the component it comes from, so that the page's bytes are those
 * of `of` rendered in place. Naming `of` here keeps the page's module graph as it was with the
 * component in place: its styles, and those of the components it uses, are linked by the page as
 * before, in the same order. A component compiled for the server is a function of the page's
 * renderer and its props; this one pushes the string. Nothing in the browser ever calls it: the
 * pages using it send no SvelteKit client.
 */
function Verbatim(renderer: unknown, props: { html: string; of: Component<never> }): void {
	const target = renderer as { push?: (content: string) => void };
	if (typeof target.push !== 'function' || typeof props.of !== 'function')
		throw new Error('Verbatim is rendered on the server only (csr = false)');
	target.push(props.html);
}

export default Verbatim as unknown as Component<{ html: string; of: Component<never> }>;
