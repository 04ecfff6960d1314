import { render } from 'svelte/server';
import type { Component } from 'svelte';
import { CHARTS_DRAWN_BY_SCRIPT } from '$lib/components/charts/ChartsScript.svelte';
import { SITE_ORIGIN } from '$lib/components/PrintedLink.svelte';
import { originSetting } from '$lib/server/config.js';
import { KeptHtml } from './kept-html';

// What Svelte's render() puts around a component's own output (its hydration block markers).
const BLOCK_OPEN = '<!--[-->';
const BLOCK_CLOSE = '<!--]-->';

/**
 * A component's HTML as Svelte writes it inside a page rendered on the server only (`csr = false`)
 * and inside ChartsScript.svelte: the contexts the root layout (the portal's address, PrintedLink)
 * and ChartsScript (charts drawn by the separate script) give it, without the block markers
 * render() adds around a whole page. Written into the page by Verbatim.ts, the page's bytes are
 * those of the component rendered in place. The component writes nothing into the head.
 */
export function fragmentHtml<Props extends Record<string, unknown>>(
	component: Component<Props>,
	props: Props
): string {
	const context = new Map<unknown, unknown>([
		[CHARTS_DRAWN_BY_SCRIPT, true],
		[SITE_ORIGIN, originSetting()]
	]);
	const { head, body } = render(component as unknown as Component<Record<string, unknown>>, {
		props,
		context
	});
	if (head !== '' || !body.startsWith(BLOCK_OPEN) || !body.endsWith(BLOCK_CLOSE))
		throw new Error('fragmentHtml: the component wrote into the head, or Svelte’s markers changed');
	return body.slice(BLOCK_OPEN.length, -BLOCK_CLOSE.length);
}

const kept = new WeakMap<object, { variant: string; html: KeptHtml }>();

/**
 * The HTML `make` writes for `owner`, written once while `owner` lives and `variant` stays the
 * same. `owner` is data kept once per change of the published data (keyedByRevision: the
 * dashboard's view, an edition's page data), so the HTML follows each change, with nothing to
 * invalidate; `variant` is whatever else the HTML shows (the dashboard's day). Its bytes and its
 * step of the page's `ETag` are kept with it (KeptHtml, inAnswer).
 */
export function keptFragment(owner: object, variant: string, make: () => string): KeptHtml {
	const found = kept.get(owner);
	if (found && found.variant === variant) return found.html;
	const html = new KeptHtml(make());
	kept.set(owner, { variant, html });
	return html;
}
