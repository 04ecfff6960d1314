import EditionReport from '$lib/components/EditionReport.svelte';
import { getDb } from '$lib/server/db/instance';
import { fragmentHtml, inAnswer, keptFragment, type KeptHtml } from '$lib/server/render/kept-html';
import { renderedOnly } from '$lib/utils/rendered-only';
import { editionKeyOfUrl, editionView } from './edition';
import type { PageServerLoad } from './$types';

/**
 * The edition's page is rendered on the server only: nothing in it needs SvelteKit's client but
 * its charts, which ChartsScript.svelte draws from the edition's `graphiques.json`. No
 * hydration script, no hydration data (renderedOnly: not walked by the serialiser).
 */
export const csr = false;

type EditionView = Awaited<ReturnType<typeof editionView>>;

/**
 * The report (EditionReport.svelte, most of the page: the figures' tables, every fiche, the
 * decisions) rendered once per edition's page data, itself kept once per change of the published
 * data, instead of on every request (docs/performance.md, « figures rendered once per change »).
 */
function reportHtml(view: EditionView): KeptHtml {
	return keptFragment(view, '', () => {
		const { snapshot, portal, laterSittings, laterUpdates, versions } = view;
		return fragmentHtml(EditionReport, {
			snapshot,
			csvBase: `/bilans/${snapshot.year}`,
			ficheBase: `/bilans/${snapshot.year}/fiches`,
			portal,
			laterSittings,
			laterUpdates,
			versions
		});
	});
}

export const load: PageServerLoad = async (event) => {
	const view = await editionView(getDb(), editionKeyOfUrl(event.params.year, event.url));
	return renderedOnly(event, { ...view, report: inAnswer(event, reportHtml(view)) });
};
