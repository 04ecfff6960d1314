/**
 * Load data of a page rendered on the server only (`csr = false`). SvelteKit still serialises a
 * page's data into the HTML's hydration script with devalue (a walk over every value), then throws
 * the script away when the page sends no JavaScript: at ten years a tenth of the fiche and home
 * pages' render. Marked data is sent by the transport hook (src/hooks.ts) as one placeholder,
 * without a walk. A request for the data alone (`__data.json`, SvelteKit's client navigation) gets
 * it unmarked, serialised as usual. The page's component receives the same values either way.
 */
const RENDERED_ONLY = Symbol('rendered on the server only');

export function renderedOnly<T extends object>(event: { isDataRequest: boolean }, data: T): T {
	return event.isDataRequest ? data : { ...data, [RENDERED_ONLY]: true };
}

export function isRenderedOnly(value: unknown): boolean {
	return typeof value === 'object' && value !== null && RENDERED_ONLY in value;
}
