import { publishedFiche } from '../../edition';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

export const load: PageServerLoad = async ({ params, url }) =>
	publishedFiche(params.year, params.code, url);
