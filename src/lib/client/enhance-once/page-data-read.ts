// The page's data read again after a form's answer (`readingPageData`), kept from SvelteKit's
// whole-page reload when that read fails: `window.fetch` wrapped while an answer is applied.
//
// It relies on SvelteKit's internals (@sveltejs/kit 2, runtime/client/client.js `load_data`,
// runtime/pathname.js `add_data_suffix`), none of them a public API:
// - the address of a page's data: the page's path, its final « / » dropped, followed by
//   `/__data.json` (`DATA_SUFFIX`; the page `/` reads `/__data.json`), with the query of the page
//   and SvelteKit's own parameters `x-sveltekit-invalidated` and `x-sveltekit-trailing-slash`
//   (`pageAddress` leaves them out to compare a read with a save's redirect);
// - that read made by calling `window.fetch` as it is at the time of the read (not a copy taken at
//   start), which the wrapper (`watchedFetch`) replaces meanwhile;
// - the answer's shape: JSON lines whose first is `{ "type": "data", "nodes": [...] }`, a node
//   left out (`nodes: []`) read as `skip`, its data kept as it is (`NOTHING_CHANGED`);
// - a failing read of an invalidation (invalidateAll, update()) left unanswered: SvelteKit waits,
//   and the next navigation or read replaces it.
// Should SvelteKit change any of them, nothing fails to build and no message says so: the reads
// pass unwatched (another address, another fetch) or the answer made up is misread (another
// shape), and a read that fails after an answer reloads the whole page again, the typing in the
// page's other forms lost without a question. The e2e specs typing-while-sent (« whose page’s data
// cannot be read ») and form-basis (« La page n’a pas pu être relue ») fail then: see to this
// module before upgrading SvelteKit past a minor version.

import { navigating } from '$app/state';

/**
 * Told when the page's data could not be read, for each read under way (readingPageData);
 * `navigation`: the read was a navigation's, answered all the same (watchedFetch).
 */
const dataReads = new Set<(navigation: boolean) => void>();
let nativeFetch: typeof window.fetch | undefined;
/** The addresses the saves being applied lead to (their redirect's), as `pageAddress` writes them. */
const redirects: string[] = [];

/**
 * Applies an answer (`apply`), which reads the page's data again (after a save, or a refusal
 * read again: readAgainOnRefusal); `false` if that read got no answer (the connection lost) or a
 * failing one (503). SvelteKit, the page's data not read, reloads the whole page (client.js:
 * load_root_error_page, then native_navigation), without the leave question during a navigation
 * (a save's redirect to its page, « ?enregistre=1 »): the typing in the page's other forms lost.
 * The read that failed is instead:
 * - an invalidation's (a save or a refusal on the page): never answered to SvelteKit, it stays
 *   unfinished (the next navigation or read replaces it) and the page stays as it is;
 * - a navigation's to the save's redirect (`location`): answered « nothing changed » (each node's
 *   data kept as it is), the page kept, at the redirect's address: left unfinished, the
 *   navigation would leave SvelteKit navigating, which then calls no `beforeNavigate`, and so asks
 *   no question before leaving. A navigation meanwhile to another address of the page (a link
 *   with another query) is left to SvelteKit: answered so, it would show the page's data as it was
 *   under that address.
 * Either way the submit function's steps after `update()` never run (`read`, given to `apply`):
 * a form drawn anew from the page's data as it was would show the record before its save.
 * Only the page's own data (`…/__data.json`) is watched, and only meanwhile: `window.fetch`,
 * which SvelteKit calls for it, is wrapped until the answer is applied.
 */
export async function readingPageData(
	apply: (read: () => Promise<void>) => Promise<void>,
	location?: string
): Promise<boolean> {
	let failed = false;
	let stop = () => {};
	const stopped = new Promise<false>((resolve) => (stop = () => resolve(false)));
	const told = (navigation: boolean) => {
		failed = true;
		if (!navigation) stop();
	};
	const read = async () => {
		if (!failed) return;
		stop();
		await new Promise<never>(() => {});
	};
	if (dataReads.size === 0) {
		nativeFetch = window.fetch;
		window.fetch = watchedFetch;
	}
	dataReads.add(told);
	const redirect =
		location === undefined ? undefined : pageAddress(new URL(location, window.location.href));
	if (redirect !== undefined) redirects.push(redirect);
	try {
		return await Promise.race([apply(read).then(() => !failed), stopped]);
	} finally {
		dataReads.delete(told);
		if (redirect !== undefined) redirects.splice(redirects.indexOf(redirect), 1);
		if (dataReads.size === 0 && nativeFetch) window.fetch = nativeFetch;
	}
}

const DATA_SUFFIX = '/__data.json';

/** Whether `url`, a read of the page's data, is the one of a save's redirect being applied. */
function redirectRead(url: URL): boolean {
	const page = new URL(url);
	page.pathname = page.pathname.slice(0, -DATA_SUFFIX.length);
	return redirects.includes(pageAddress(page));
}

/** The page's data as SvelteKit reads it, with no node (each one's kept as it is: `skip`). */
const NOTHING_CHANGED = `${JSON.stringify({ type: 'data', nodes: [] })}\n`;

/** A page's address, its path and query (SvelteKit's own parameters of a data read left out). */
function pageAddress(url: URL): string {
	const query = new URLSearchParams(url.search);
	query.delete('x-sveltekit-invalidated');
	query.delete('x-sveltekit-trailing-slash');
	return `${url.pathname.replace(/\/$/, '') || '/'}?${query}`;
}

async function watchedFetch(resource: RequestInfo | URL, init?: RequestInit): Promise<Response> {
	const fetch = nativeFetch ?? window.fetch;
	const url = new URL(resource instanceof Request ? resource.url : resource, location.href);
	const pageData = url.pathname === location.pathname.replace(/\/$/, '') + DATA_SUFFIX;
	if (!pageData || dataReads.size === 0) return fetch.call(window, resource, init);
	// A navigation meanwhile to another address of the page than a save's redirect (a link with
	// another query) is SvelteKit's own, its failure too.
	const others = () => navigating.type !== null && !redirectRead(url);
	try {
		const response = await fetch.call(window, resource, init);
		if (response.ok || others()) return response;
	} catch (error) {
		// No answer: the connection lost.
		if (others()) throw error;
	}
	const navigation = navigating.type !== null;
	for (const failed of dataReads) failed(navigation);
	if (navigation)
		return new Response(NOTHING_CHANGED, { headers: { 'content-type': 'application/json' } });
	return new Promise<Response>(() => {});
}
