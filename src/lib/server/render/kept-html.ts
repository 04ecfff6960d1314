/**
 * Kept HTML: the HTML of a component rendered apart on the server (fragmentHtml) and written into a
 * page rendered on the server only (`csr = false`) by the component KeptHtml
 * (src/lib/components/KeptHtml.ts), with the bytes the component rendered in place would give. One
 * module, two ways for the load to hand it to its page; the rule:
 *
 * - HTML the load puts together for this request, or small (a filtered list of fiches from its kept
 *   rows, the home page's lists and events): the string itself. SvelteKit hashes and writes it with
 *   the rest of the page.
 * - HTML large and the same for many requests (the dashboard's figures, an edition's report): a
 *   KeptHtml kept once per change (keptFragment), given as inAnswer(event, kept). The page gets a
 *   mark that the server's last hook (keptHtmlInAnswers) replaces with the kept bytes, their step
 *   of the `ETag` reused: SvelteKit no longer hashes and encodes those bytes on every request.
 *
 * Either way the page writes it with `<KeptHtml of={Component} html={data.…} />`.
 */
import { randomUUID } from 'node:crypto';
import type { Handle } from '@sveltejs/kit';
import { render } from 'svelte/server';
import type { Component } from 'svelte';
import { CHARTS_DRAWN_BY_SCRIPT } from '$lib/components/charts/ChartsScript.svelte';
import { SITE_ORIGIN } from '$lib/components/PrintedLink.svelte';
import { originSetting } from '$lib/server/config.js';

/**
 * SvelteKit's `ETag` of a page is djb2 over its HTML, read from the last character to the first
 * (`@sveltejs/kit/src/utils/hash.js`, as scripts/vite-server-hashes.js writes it): `state` is the
 * hash of what follows `text`, the result that of `text` and what follows it.
 */
function djb2(state: number, text: string): number {
	let hash = state;
	let i = text.length;
	while (i) hash = Math.imul(hash, 33) ^ text.charCodeAt(--i);
	return hash;
}
const DJB2_START = 5381;
/** Hashes of what follows a kept HTML that it remembers (in practice one: the page's end). */
const STEPS_KEPT = 8;

// What Svelte's render() puts around a component's own output (its hydration block markers).
const BLOCK_OPEN = '<!--[-->';
const BLOCK_CLOSE = '<!--]-->';

/**
 * A component's HTML as Svelte writes it inside a page rendered on the server only (`csr = false`)
 * and inside ChartsScript.svelte: the contexts the root layout (the portal's address, PrintedLink)
 * and ChartsScript (charts drawn by the separate script) give it, without the block markers
 * render() adds around a whole page. Written into the page by the component KeptHtml, the page's
 * bytes are those of the component rendered in place. The component writes nothing into the head.
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

/**
 * HTML written once per change of the published data (fragmentHtml, keptFragment: the dashboard's
 * figures, an edition's report), with what every answer that carries it reuses: its UTF-8 bytes,
 * and its step of the page's `ETag` (djb2 over it, from the hash of what follows it).
 */
export class KeptHtml {
	#bytes: Buffer | null = null;
	readonly #steps = new Map<number, number>();

	constructor(readonly html: string) {}

	get bytes(): Buffer {
		return (this.#bytes ??= Buffer.from(this.html, 'utf8'));
	}

	/** djb2 over this HTML from `state`, the hash of what follows it in the page. */
	hashFrom(state: number): number {
		let hash = this.#steps.get(state);
		if (hash === undefined) {
			hash = djb2(state, this.html);
			if (this.#steps.size >= STEPS_KEPT) this.#steps.clear();
			this.#steps.set(state, hash);
		}
		return hash;
	}
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

/**
 * Where a kept HTML goes in a page, until the answer is written: a mark no text can hold (the NUL
 * character and a number drawn when the server starts), then the HTML's place in the request's list.
 */
const MARK = `\u0000kept-html-${randomUUID()}-`;
const MARK_END = '\u0000';

/**
 * What a page's `load` gives the component KeptHtml for `kept`. A page's answer gets a mark,
 * replaced by the kept bytes once SvelteKit has written the page (keptHtmlInAnswers): SvelteKit
 * then renders, hashes and encodes a page of a few KB, not the whole HTML on every request
 * (docs/performance.md, « 2026-12-06 (morning) »). A request for the data alone (`__data.json`)
 * gets the HTML itself.
 */
export function inAnswer(
	event: { isDataRequest: boolean; locals: App.Locals },
	kept: KeptHtml
): string {
	if (event.isDataRequest) return kept.html;
	const list = (event.locals.keptHtml ??= []);
	list.push(kept);
	return `${MARK}${list.length - 1}${MARK_END}`;
}

/**
 * The marks of `kept` found in `text`, every copy of each (a page that renders a kept HTML twice
 * shows it twice, no mark left), in the page's order.
 */
function marksIn(text: string, kept: readonly KeptHtml[]) {
	const found: { at: number; mark: string; html: KeptHtml }[] = [];
	kept.forEach((html, i) => {
		const mark = `${MARK}${i}${MARK_END}`;
		for (let at = text.indexOf(mark); at >= 0; at = text.indexOf(mark, at + mark.length))
			found.push({ at, mark, html });
	});
	return found.sort((a, b) => a.at - b.at);
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The answer SvelteKit wrote with each mark replaced by its kept bytes: the same body, the same
 * `Content-Length` and the same `ETag` as the page rendered with the HTML in place, other headers
 * and status as they are.
 */
export async function answerWithKeptHtml(
	response: Response,
	kept: readonly KeptHtml[]
): Promise<Response> {
	if (!response.body) return response;
	const bytes = Buffer.from(await response.arrayBuffer());
	const text = decoder.decode(bytes);
	const marks = marksIn(text, kept);
	const init = { status: response.status, statusText: response.statusText };
	if (marks.length === 0) return new Response(bytes, { ...init, headers: response.headers });
	// The page's text between the marks, and the kept HTML in their places, in the page's order.
	const pieces: (string | KeptHtml)[] = [];
	const parts: Uint8Array[] = [];
	let charAt = 0;
	let byteAt = 0;
	for (const { at, mark, html } of marks) {
		// Before the first mark and between marks, characters and bytes differ; a mark is ASCII.
		const byte = bytes.indexOf(mark, byteAt, 'latin1');
		pieces.push(text.slice(charAt, at), html);
		parts.push(bytes.subarray(byteAt, byte), html.bytes);
		charAt = at + mark.length;
		byteAt = byte + mark.length;
	}
	pieces.push(text.slice(charAt));
	parts.push(bytes.subarray(byteAt));
	const body = Buffer.concat(parts);
	const headers = new Headers(response.headers);
	if (headers.has('content-length')) headers.set('content-length', String(body.byteLength));
	if (headers.has('etag')) {
		let hash = DJB2_START;
		for (let i = pieces.length - 1; i >= 0; i--) {
			const piece = pieces[i]!;
			hash = typeof piece === 'string' ? djb2(hash, piece) : piece.hashFrom(hash);
		}
		headers.set('etag', `"${(hash >>> 0).toString(36)}"`);
	}
	return new Response(body, { ...init, headers });
}

/**
 * The kept HTML a page's `load` gave (inAnswer) written into its answer. Last of the server's
 * hooks, next to SvelteKit's render: the page cache, the log and the 304 SvelteKit answers to a
 * browser holding the page all see the whole answer.
 */
export const keptHtmlInAnswers: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const kept = event.locals.keptHtml;
	return kept?.length ? answerWithKeptHtml(response, kept) : response;
};
