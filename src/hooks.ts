import type { Transport } from '@sveltejs/kit';
import { isRenderedOnly } from '$lib/utils/rendered-only';

/** Types page data may carry besides what SvelteKit's serialiser knows. */
export const transport: Transport = {
	// The data of a page without script (csr = false): never read by a browser, so not written out.
	RenderedOnly: {
		encode: (value) => isRenderedOnly(value) && 1,
		decode: () => ({})
	}
};
