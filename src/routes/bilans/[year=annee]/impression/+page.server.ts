import { getDb } from '$lib/server/db/instance';
import { renderedOnly } from '$lib/utils/rendered-only';
import { editionKeyOfUrl, editionPrintView } from '../edition';
import type { PageServerLoad } from './$types';

/**
 * The edition to print (`npm run report` prints it to PDF): the edition's page with, under each
 * fiche, its validated updates of the year, which the screen version leaves to the frozen fiche
 * pages. Rendered on the server only, like the edition.
 */
export const csr = false;

export const load: PageServerLoad = async (event) =>
	renderedOnly(
		event,
		await editionPrintView(getDb(), editionKeyOfUrl(event.params.year, event.url))
	);
