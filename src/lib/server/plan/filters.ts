import { isFicheStatus, STATUS_LABELS } from '../../utils/vocabulary';
import { excerpt, foldSearchQuery, holdsSearch } from '../../utils/text';
import { spacedOutForbidden } from '../../schemas/form';
import type { AxisRef, FicheQuery, ObjectiveRef, OrientationRef } from './repository';

/** URL parameters of /fiches (French, as users see them). */
export const FILTER_PARAMS = {
	axis: 'axe',
	orientation: 'orientation',
	objective: 'objectif',
	priority: 'priorite',
	status: 'statut',
	organisation: 'organisation',
	text: 'q'
} as const;

export interface FilterVocabulary {
	axes: string[];
	orientations: string[];
	objectives: number[];
	organisations: string[];
	/**
	 * Axes, orientations and objectives withdrawn from the plan (`axis:code`, `orientation:code`,
	 * `objective:18`): a filter on one says so, rather than « inconnu ».
	 */
	withdrawn?: Set<string>;
	/** Where each orientation and objective belongs, to drop one that contradicts a wider choice */
	parents?: {
		orientationAxis: Map<string, string>;
		objectiveOrientation: Map<number, string>;
		/** An orientation's name, for a note that drops it (its code otherwise). */
		orientationLabel?: Map<string, string>;
	};
}

export interface ParsedFilters {
	query: FicheQuery;
	/** The raw accepted values, to refill the form */
	values: Partial<Record<keyof typeof FILTER_PARAMS, string>>;
	/** One French sentence per ignored value */
	ignored: string[];
}

const MAX_TEXT_LENGTH = 200;

/**
 * A refused value as its notice quotes it, after the word naming the filter: ` « x »` (excerpt).
 * The address may carry anything: each run of control characters (`%00`, an escape, a line break)
 * or of characters reversing the text's direction (`%E2%80%AE`: the rest of the notice would read
 * backwards) is shown as one space, never copied raw into the page (a NUL made grep call the page
 * « binary »), the characters a one-line field refuses (`spacedOutForbidden`), and a value made of
 * them alone is not quoted (« Organisation inconnue : filtre ignoré. »).
 */
function quoted(value: string): string {
	const shown = spacedOutForbidden(value).trim();
	return shown ? ` « ${excerpt(shown)} »` : '';
}
/**
 * A fiche's code as typed in the search: « 14-1 », « 14 - 1 », « 01-1 », « 14.1 », with a
 * typographic hyphen or dash — looser than FICHE_CODE_PATTERN (the code as written in addresses
 * and files); and as a reader types it: « fiche 14-1 », « fiche-action nº 14-1 », « numéro 14-1 »,
 * between quotes or followed by a full stop.
 */
const FICHE_CODE =
	// eslint-disable-next-line regexp/no-super-linear-backtracking -- read on MAX_TEXT_LENGTH characters at most: under a millisecond, whatever is typed
	/^[\s«"“'(]*(?:fiches?(?:[\s-]*actions?)?\s*)?(?:n\s*[°ºo]?\.?|num[ée]ro)?\s*(\d{1,2})\s*[-‐‑–.]\s*(\d{1,2})[\s.,;:!?»"”')]*$/iu;

/** The first non-empty value of a filter of the address; a note in `ignored` when given twice. */
function takeFilter(params: URLSearchParams, name: string, ignored: string[]): string | undefined {
	const nonEmpty = params
		.getAll(name)
		.map((v) => v.trim())
		.filter((v) => v !== '');
	if (nonEmpty.length > 1) {
		ignored.push(
			`Le filtre « ${name} » a été donné plusieurs fois : seule la première valeur est retenue.`
		);
	}
	return nonEmpty[0];
}

/**
 * Reads the axis filter (`axe`) of an address, as /fiches and /commission/priorites take it: the
 * axis when known, and the notes of what was ignored (given twice, unknown, withdrawn).
 */
export function parseAxisFilter(
	params: URLSearchParams,
	vocab: Pick<FilterVocabulary, 'axes' | 'withdrawn'>
): { axis?: string; ignored: string[] } {
	const ignored: string[] = [];
	const axis = takeFilter(params, FILTER_PARAMS.axis, ignored);
	if (axis === undefined) return { ignored };
	if (vocab.axes.includes(axis)) return { axis, ignored };
	if (vocab.withdrawn?.has(`axis:${axis}`))
		ignored.push(`Axe${quoted(axis)} retiré du plan : filtre ignoré.`);
	else ignored.push(`Axe inconnu${quoted(axis)} : filtre ignoré.`);
	return { ignored };
}

/**
 * Reads the filters of the fiche list from the URL. A value that is unknown, malformed or given
 * twice is ignored with a note; it never raises.
 */
export function parseFicheFilters(params: URLSearchParams, vocab: FilterVocabulary): ParsedFilters {
	const query: FicheQuery = {};
	const values: ParsedFilters['values'] = {};
	const { axis, ignored } = parseAxisFilter(params, vocab);
	if (axis !== undefined) {
		query.axis = axis;
		values.axis = axis;
	}

	const take = (key: keyof typeof FILTER_PARAMS): string | undefined =>
		takeFilter(params, FILTER_PARAMS[key], ignored);

	const orientation = take('orientation');
	if (orientation !== undefined) {
		if (vocab.orientations.includes(orientation)) {
			query.orientation = orientation;
			values.orientation = orientation;
		} else if (vocab.withdrawn?.has(`orientation:${orientation}`))
			ignored.push(`Orientation${quoted(orientation)} retirée du plan : filtre ignoré.`);
		else ignored.push(`Orientation inconnue${quoted(orientation)} : filtre ignoré.`);
	}
	const objective = take('objective');
	if (objective !== undefined) {
		const n = /^\d{1,3}$/.test(objective) ? Number(objective) : NaN;
		if (vocab.objectives.includes(n)) {
			query.objective = n;
			values.objective = objective;
		} else if (vocab.withdrawn?.has(`objective:${n}`))
			ignored.push(`Objectif ${n} retiré du plan : filtre ignoré.`);
		else ignored.push(`Objectif inconnu${quoted(objective)} : filtre ignoré.`);
	}
	const priority = take('priority');
	if (priority !== undefined) {
		if (priority === '1' || priority === '2') {
			query.priority = Number(priority);
			values.priority = priority;
		} else ignored.push(`Priorité${quoted(priority)} invalide (1 ou 2 attendu) : filtre ignoré.`);
	}
	const status = take('status');
	if (status !== undefined) {
		if (isFicheStatus(status)) {
			query.status = status;
			values.status = status;
		} else
			ignored.push(
				`Statut inconnu${quoted(status)} (valeurs possibles : ${Object.values(STATUS_LABELS).join(', ')}) : filtre ignoré.`
			);
	}
	const organisation = take('organisation');
	if (organisation !== undefined) {
		if (vocab.organisations.includes(organisation)) {
			query.organisation = organisation;
			values.organisation = organisation;
		} else ignored.push(`Organisation inconnue${quoted(organisation)} : filtre ignoré.`);
	}
	const text = take('text');
	if (text !== undefined) {
		const cleaned = text.replace(/\p{Cc}/gu, ' ');
		if (cleaned.length > MAX_TEXT_LENGTH) {
			ignored.push(`Recherche trop longue (${MAX_TEXT_LENGTH} caractères au plus) : texte ignoré.`);
		} else {
			// « 1-1 » is a fiche's code, not the words « 1 » and « 1 » (found in every fiche).
			const code = FICHE_CODE.exec(cleaned.trim());
			const folded = foldSearchQuery(cleaned);
			if (code) {
				query.code = `${Number(code[1])}-${Number(code[2])}`;
				values.text = cleaned.trim();
			} else if (folded) {
				query.text = folded;
				values.text = cleaned.trim();
			} else if (cleaned.trim()) {
				ignored.push(`Recherche${quoted(cleaned)} sans lettre ni chiffre : texte ignoré.`);
			}
		}
	}
	dropContradictions(query, values, ignored, vocab.parents);
	return { query, values, ignored };
}

/**
 * An orientation outside the chosen axis, or an objective outside the chosen orientation or axis,
 * can only give an empty list: it is dropped with a note (the form's lists are narrowed as well).
 */
function dropContradictions(
	query: FicheQuery,
	values: ParsedFilters['values'],
	ignored: string[],
	parents: FilterVocabulary['parents']
): void {
	if (!parents) return;
	if (query.axis && query.orientation) {
		if (parents.orientationAxis.get(query.orientation) !== query.axis) {
			ignored.push(
				`L’orientation « ${parents.orientationLabel?.get(query.orientation) ?? query.orientation} » n’appartient pas à l’axe choisi : filtre ignoré.`
			);
			delete query.orientation;
			delete values.orientation;
		}
	}
	if (query.objective !== undefined) {
		const orientation = parents.objectiveOrientation.get(query.objective);
		const axis = orientation === undefined ? undefined : parents.orientationAxis.get(orientation);
		if (
			(query.orientation && orientation !== query.orientation) ||
			(query.axis && axis !== query.axis)
		) {
			ignored.push(
				`L’objectif ${query.objective} n’appartient pas à l’axe ou à l’orientation choisis : filtre ignoré.`
			);
			delete query.objective;
			delete values.objective;
		}
	}
}

/**
 * An axis, orientation or objective whose label holds a search that found no fiche (the search
 * reads the fiches' own text, not the plan's labels): the page names it, with the filter that
 * lists its fiches.
 */
export interface LabelHoldingSearch {
	level: 'axe' | 'orientation' | 'objectif';
	/** The axis's position, the objective's number; none for an orientation (its label names it). */
	number: number | null;
	label: string;
	href: string;
}

/** At most this many labels named under a search that found nothing. */
const MAX_LABELS_NAMED = 5;

/** The labels of the plan's structure that hold `query` (folded, as FicheQuery's `text`), in the plan's order. */
export function labelsHoldingSearch(
	query: string,
	structure: { axes: AxisRef[]; orientations: OrientationRef[]; objectives: ObjectiveRef[] }
): LabelHoldingSearch[] {
	const filter = (param: 'axis' | 'orientation' | 'objective', value: string) =>
		`/fiches?${new URLSearchParams({ [FILTER_PARAMS[param]]: value })}#resultats`;
	return [
		...structure.axes
			.filter((a) => holdsSearch(a.label, query))
			.map((a) => ({
				level: 'axe' as const,
				number: a.position,
				label: a.label,
				href: filter('axis', a.code)
			})),
		...structure.orientations
			.filter((o) => holdsSearch(o.label, query))
			.map((o) => ({
				level: 'orientation' as const,
				number: null,
				label: o.label,
				href: filter('orientation', o.code)
			})),
		...structure.objectives
			.filter((o) => holdsSearch(o.label, query))
			.map((o) => ({
				level: 'objectif' as const,
				number: o.number,
				label: o.label,
				href: filter('objective', String(o.number))
			}))
	].slice(0, MAX_LABELS_NAMED);
}
