import type { IndicatorKind, OrganisationKind } from '../db/schema';
import type { IndicatorDefinition } from '../../utils/indicator-target';
import type { PlanInfo } from '../plan/repository';

/**
 * The priority of a fiche added to a plan in force, from its form (createFiche) as from the
 * workbook (plan-diff.ts refuses another): the commission alone makes it a priority.
 */
export const NEW_FICHE_PRIORITY = 2;

/**
 * Why a new link to an abandoned fiche is refused, by the fiche's form (readLinkedCodes) and by
 * the workbook (FicheReferences) alike.
 */
export const ABANDONED_LINK_RULE =
	'une fiche abandonnée ne reçoit plus de nouveau lien (ceux qu’une fiche a déjà vers elle restent)';

/**
 * The plan as the workbook holds it (src/lib/server/authoring/workbook.ts) and as the import
 * compares it: flat rows keyed by what a person reads (codes, numbers, organisation identifiers),
 * text sections as the text of their cell. Read from the database by import-repository.ts, from a
 * workbook by workbook.ts, compared by plan-diff.ts.
 */
export interface PlanModel {
	plan: PlanInfo | null;
	axes: AxisRow[];
	orientations: OrientationRow[];
	objectives: ObjectiveRow[];
	organisations: OrganisationRow[];
	fiches: FicheRow[];
	people: PersonRow[];
	links: LinkRow[];
	indicators: IndicatorRow[];
	/**
	 * Organisations retired from the plan, which fiches may still name (a retirement leaves them
	 * there): not in the « Organisations » sheet, but named in the sheet of owners and partners.
	 */
	retiredOrganisations?: RetiredOrganisation[];
}

export interface RetiredOrganisation extends OrganisationRow {
	/** Its retirement's day (a merge retires the one absorbed). */
	retiredAt: string;
	/** The organisation it was merged into, when it was. */
	mergedInto?: string | null;
}

export interface AxisRow {
	code: string;
	shortName: string;
	label: string;
}

export interface OrientationRow {
	code: string;
	axis: string;
	label: string;
}

export interface ObjectiveRow {
	number: number;
	orientation: string;
	label: string;
	synthesisLabel: string | null;
}

export interface OrganisationRow {
	slug: string;
	name: string;
	fullName: string | null;
	kind: OrganisationKind;
}

export interface FicheRow {
	code: string;
	objective: number;
	title: string;
	shortTitle: string | null;
	priority: number;
	context: string;
	existing: string;
	description: string;
	successFactors: string;
	ownersNote: string | null;
}

export interface PersonRow {
	fiche: string;
	role: 'owner' | 'partner';
	/** The organisation's identifier (slug). */
	organisation: string;
	/** An owner's scope, a partner's detail. */
	detail: string | null;
	/** An owner's note. */
	note: string | null;
}

export interface LinkRow {
	fiche: string;
	linked: string;
}

export interface IndicatorRow extends IndicatorDefinition {
	fiche: string;
	position: number;
}

export function emptyPlanModel(): PlanModel {
	return {
		plan: null,
		axes: [],
		orientations: [],
		objectives: [],
		organisations: [],
		fiches: [],
		people: [],
		links: [],
		indicators: []
	};
}

/** The words of the workbook's « Nature » column for each kind of indicator (written and read). */
export const INDICATOR_KIND_CELLS: Record<IndicatorKind, string> = {
	count: 'Nombre',
	percentage: 'Pourcentage',
	amount: 'Montant en euros',
	boolean: 'Oui ou non'
};
