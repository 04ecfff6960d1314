import { redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db/instance';
import { cachedByRevision } from '$lib/server/db/revision-cache';
import {
	labelsHoldingSearch,
	parseFicheFilters,
	type FilterVocabulary
} from '$lib/server/plan/filters';
import {
	listAxes,
	listFiches,
	listFormerNames,
	listMergedSlugs,
	listObjectives,
	listOrganisationRefs,
	listOrientations
} from '$lib/server/plan/repository';
import { ficheListHtml } from '$lib/server/render/fiche-list';
import { renderedOnly } from '$lib/utils/rendered-only';
import { organisationNameKey } from '$lib/utils/text';
import { findMovedFicheCode } from '$lib/server/authoring/revisions-repository';
import { listRetiredStructureKeys } from '$lib/server/authoring/import-repository';
import type { PageServerLoad } from './$types';

// Nothing to interact with: rendered on the server only, no script sent (docs/performance.md).
export const csr = false;

/**
 * The plan's structure and organisations the filters offer, what the filters are read against
 * (parseFicheFilters), and every fiche (the list without a filter, `/fiches` itself), read and put
 * together once per change: each filtered request made the vocabulary's lists and maps anew.
 */
const filterChoices = cachedByRevision(async (db) => {
	const axes = await listAxes(db);
	const orientations = await listOrientations(db);
	const objectives = await listObjectives(db);
	const organisations = await listOrganisationRefs(db);
	const orientationAxis = new Map(orientations.map((o) => [o.code, o.axis]));
	const vocabulary: FilterVocabulary = {
		axes: axes.map((a) => a.code),
		orientations: orientations.map((o) => o.code),
		objectives: objectives.map((o) => o.number),
		organisations: organisations.map((o) => o.slug),
		withdrawn: await listRetiredStructureKeys(db),
		parents: {
			orientationAxis,
			objectiveOrientation: new Map(objectives.map((o) => [o.number, o.orientation])),
			orientationLabel: new Map(orientations.map((o) => [o.code, o.label]))
		}
	};
	return {
		everyFiche: await listFiches(db),
		axes,
		orientations,
		objectives: objectives.map((o) => ({ ...o, axis: orientationAxis.get(o.orientation) ?? '' })),
		organisations,
		merged: await listMergedSlugs(db),
		// A search for a former name finds the fiches of the organisation that had it: the page says whose.
		formerNames: new Map(
			(await listFormerNames(db)).map((f) => [organisationNameKey(f.former), f])
		),
		vocabulary
	};
});

export const load: PageServerLoad = async (event) => {
	const { url } = event;
	// A form sends its empty fields too (`?q=&axe=…&orientation=`): the address keeps only the
	// filters that are set, by one redirect, so it can be read, shared and bookmarked.
	const set = [...url.searchParams].filter(([, value]) => value.trim() !== '');
	if (set.length !== [...url.searchParams].length)
		redirect(303, set.length > 0 ? `/fiches?${new URLSearchParams(set)}` : '/fiches');

	const db = getDb();
	const { everyFiche, merged, formerNames, vocabulary, ...lists } = await filterChoices(db);
	// An organisation merged into another (an address saved before the merge): its fiches are
	// that one's now, as its page is.
	const into = merged.get(url.searchParams.get('organisation')?.trim() ?? '');
	if (into) {
		const params = new URLSearchParams(url.searchParams);
		params.set('organisation', into);
		redirect(308, `/fiches?${params}`);
	}
	const { query, values, ignored } = parseFicheFilters(url.searchParams, vocabulary);
	let fiches = Object.keys(query).length === 0 ? everyFiche : await listFiches(db, query);
	// A former code typed alone (9-1, moved since to another objective): the fiche it names now.
	const moved =
		query.code && fiches.length === 0 ? await findMovedFicheCode(db, query.code) : undefined;
	if (moved) fiches = await listFiches(db, { ...query, code: moved });
	// Each orientation and objective says where it belongs; those outside the chosen axis (and
	// orientation) are sent hidden: the page's style shows them again when another axis is chosen.
	const outside = (axis: string, orientation: string | null) =>
		(query.axis !== undefined && axis !== query.axis) ||
		(query.orientation !== undefined && orientation !== null && orientation !== query.orientation);
	const searchAlone = query.text !== undefined && Object.keys(query).length === 1;
	return renderedOnly(event, {
		axes: lists.axes,
		orientations: lists.orientations.map((o) => ({ ...o, outside: outside(o.axis, null) })),
		objectives: lists.objectives.map((o) => ({ ...o, outside: outside(o.axis, o.orientation) })),
		organisations: lists.organisations,
		fiches,
		// Written by KeptHtml: each fiche's row rendered once (src/lib/server/render/fiche-list.ts).
		ficheList: ficheListHtml(fiches),
		movedFrom: moved ? { former: query.code!, code: moved } : null,
		formerName: query.text
			? (formerNames.get(organisationNameKey(values.text ?? '')) ?? null)
			: null,
		// A search alone that found no fiche, held by a label of the plan (which it does not read):
		// the page says so, with the filters that list those fiches. Beside another filter, that
		// filter may be what emptied the list: nothing is said of the labels.
		labelsHolding:
			query.text && searchAlone && fiches.length === 0
				? labelsHoldingSearch(query.text, lists)
				: [],
		// Nothing but a search: « Aucune fiche ne contient « … » » says why nothing was found.
		searchAlone,
		values,
		ignored
	});
};
