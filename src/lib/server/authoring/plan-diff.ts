import { sameWords } from '../../utils/text';
import type { FieldChange } from '../result';
import type { RevisionEntity } from './revisions-repository';
import { NEW_FICHE_PRIORITY, type PlanModel } from './plan-model';
import { INDICATOR_KIND_NAMES } from '../../utils/indicator-kinds';
import {
	indicatorChanges,
	readableIndicator,
	readableLinks,
	readableOwners,
	readablePartners
} from './fiche-changes';
import {
	capitalized,
	FICHE_FIELD_LABELS,
	INDICATOR_FIELD_LABELS,
	MEANING_WOULD_CHANGE,
	ORGANISATION_KIND_LABELS,
	RESTORED_WORD,
	STATUS_LABELS,
	STRUCTURE_LABELS
} from '../../utils/vocabulary';
import { formatDate, formatExactNumber, formatNumberInput } from '../../utils/format';
import type { FicheStatus } from '../db/schema';
import { SHEETS, spreadsheetDigits, type WorkbookProblem } from './workbook';

/**
 * What an import would change in the plan: records added, modified (field by field, before →
 * after), moved or retired, compared by their keys (codes, numbers, identifiers). Pure.
 */

export type ChangeAction = 'created' | 'updated' | 'moved' | 'retired';

export interface EntityChange {
	entity: RevisionEntity;
	/** Its key in the workbook: code, number, identifier, « fiche#N » for an indicator. */
	key: string;
	/** How a person names it: « Fiche 4-2 — Titre ». */
	title: string;
	action: ChangeAction;
	/** The fiche it belongs to (a fiche, or one of its indicators). */
	fiche: string | null;
	/**
	 * Field by field, before → after; an indicator's in the lines of its fiche's form
	 * (indicatorChanges), which its revision records as they are shown.
	 */
	changes: FieldChange[];
	/** The workbook's columns of an indicator that change (`target_date`…): what the import writes. */
	columns?: string[];
}

export interface PlanDiff {
	changes: EntityChange[];
	/** What the workbook asks that an import may not do (nothing is written then). */
	problems: WorkbookProblem[];
}

type Value = string | number | null | undefined;

function shown(value: Value): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return formatNumberInput(value);
	return value;
}

/** A measured quantity as people read it (« 1 200,5 »), every decimal kept so no change is hidden. */
function exactNumber(value: number | null | undefined): string | null {
	return value === null || value === undefined ? null : formatExactNumber(value);
}

/**
 * A target or a baseline compared as the workbook reads it, to 15 significant digits: a value
 * stored with more (the forms allowed 16 before they kept 15) comes back from the portal's own
 * export unchanged, not as a change of its last digit.
 */
function workbookNumber(value: number | null | undefined): string | null {
	return exactNumber(value === null || value === undefined ? value : spreadsheetDigits(value));
}

/** A day as people read it (« 31 décembre 2026 »), not as stored (« 2026-12-31 »). */
function dayText(day: string | null | undefined): string | null {
	return day ? formatDate(day) : null;
}

interface FieldSpec<T> {
	field: string;
	label: string;
	get: (item: T) => Value;
}

function fieldChanges<T>(fields: FieldSpec<T>[], before: T | undefined, after: T): FieldChange[] {
	const changes: FieldChange[] = [];
	for (const { field, label, get } of fields) {
		const b = before === undefined ? '' : shown(get(before));
		const a = shown(get(after));
		if (b !== a) changes.push({ field, label, before: b, after: a });
	}
	return changes;
}

const statusLabel = (status: FicheStatus | undefined) => (status ? STATUS_LABELS[status] : '');

function byKey<T>(items: T[], key: (item: T) => string): Map<string, T> {
	return new Map(items.map((item) => [key(item), item]));
}

/**
 * Said where a problem may come from a workbook exported before (a retired indicator's N°); a
 * workbook out of date is told so once, above its problems (importProblemsSummary).
 */
const DOWNLOAD_AGAIN =
	'téléchargez à nouveau le plan (/donnees/plan.xlsx) et reportez-y vos modifications';

/** What the import knows beside the two plans, to tell what a workbook may not change. */
interface DiffOptions {
	ficheRows?: Map<string, number>;
	retiredFiches?: string[];
	/**
	 * The retired indicators of the plan's fiches, by « fiche#N » (the workbook leaves them out):
	 * their N° is not given to a new row.
	 */
	retiredIndicators?: Map<string, { label: string; retiredAt: string }>;
	/** Each fiche's status now: what a fiche removed from the workbook was before it is retired. */
	statuses?: Map<string, FicheStatus>;
	/** Codes fiches had before they moved to another objective, and the code each has now. */
	formerCodes?: Map<string, string>;
	/**
	 * What happened to fiches after the workbook's export, outside its cells (its abandonment:
	 * « le 4 décembre 2026 par … » ; a priority decision: « par la séance du … »), by code: the
	 * workbook is then said out of date, not the owner's edit refused.
	 */
	abandonedSinceExport?: Map<string, string>;
	prioritySinceExport?: Map<string, string>;
	/** Former codes (formerCodes) of fiches moved after the workbook's export. */
	movedSinceExport?: Set<string>;
	/**
	 * The indicators retired after the workbook's export (by their fiche's form, or another
	 * import), by « fiche#N »: « le 4 décembre 2026 par … ». The workbook still lists them: it is
	 * out of date, the row is not a new indicator of the importer's.
	 */
	retiredSinceExport?: Map<string, string>;
	/**
	 * The axes, orientations and objectives added after the workbook's export, by « entity:key »
	 * (« axis:sobriete »): « le 4 décembre 2026 par … ». The workbook, which has no row for them, is
	 * out of date: they are not rows the person took out.
	 */
	structureAddedSinceExport?: Map<string, string>;
	/**
	 * The ids of the plan's indicators by « fiche#N »: an indicator's lines name it
	 * (`indicator.<id>.label`), as its fiche's form does.
	 */
	indicatorIds?: Map<string, number>;
}

/** Compares the plan in the database with the plan of a workbook. */
export function diffPlans(
	current: PlanModel,
	next: PlanModel,
	options: DiffOptions = {}
): PlanDiff {
	const parts: PlanDiff[] = [
		comparePlanInfo(current.plan, next.plan),
		compareLevel(AXES, current.axes, next.axes, options.structureAddedSinceExport),
		compareLevel(
			ORIENTATIONS,
			current.orientations,
			next.orientations,
			options.structureAddedSinceExport
		),
		compareLevel(
			OBJECTIVES,
			current.objectives,
			next.objectives,
			options.structureAddedSinceExport
		),
		compareOrganisations(current, next),
		compareFiches(current, next, options),
		compareIndicators(current, next, options)
	];
	return {
		// A record the workbook leaves as it is changes nothing.
		changes: parts
			.flatMap((part) => part.changes)
			.filter((change) => change.action !== 'updated' || change.changes.length > 0),
		problems: parts.flatMap((part) => part.problems)
	};
}

/** The plan's own row (« Plan » sheet). */
function comparePlanInfo(current: PlanModel['plan'], plan: PlanModel['plan']): PlanDiff {
	if (!plan) return { changes: [], problems: [] };
	const fields: FieldSpec<typeof plan>[] = [
		{ field: 'title', label: 'Titre', get: (p) => p.title },
		{ field: 'territory', label: 'Territoire', get: (p) => p.territory },
		{ field: 'period_start', label: 'Début', get: (p) => p.periodStart },
		{ field: 'period_end', label: 'Fin', get: (p) => p.periodEnd },
		{ field: 'adopted_on', label: 'Adopté le', get: (p) => dayText(p.adoptedOn) },
		{ field: 'finalised_on', label: 'Finalisé le', get: (p) => dayText(p.finalisedOn) },
		{ field: 'source', label: 'Source', get: (p) => p.source }
	];
	const change: EntityChange = {
		entity: 'plan',
		key: 'plan',
		title: `Plan « ${plan.title} »`,
		action: current ? 'updated' : 'created',
		fiche: null,
		changes: fieldChanges(fields, current ?? undefined, plan)
	};
	return { changes: [change], problems: [] };
}

/** One level of the plan's structure (axes, orientations, objectives), as compareLevel reads it. */
interface Level<T> {
	entity: RevisionEntity;
	sheet: string;
	key: (item: T) => string;
	title: (item: T) => string;
	fields: FieldSpec<T>[];
	/** The key of the level above (an orientation's axis): another one is a move. */
	parent: (item: T) => string;
	/** Whether the rows' order is the records' (« Ordre »): not for objectives, by number. */
	ordered: boolean;
	what: string;
	/** « ajouté », « ajoutée ». */
	added: string;
}

const AXES: Level<PlanModel['axes'][number]> = {
	entity: 'axis',
	sheet: SHEETS.axes.name,
	key: (a) => a.code,
	title: (a) => `Axe « ${a.label} »`,
	fields: [
		{ field: 'short_name', label: STRUCTURE_LABELS.axis.short_name, get: (a) => a.shortName },
		{ field: 'label', label: STRUCTURE_LABELS.axis.label, get: (a) => a.label }
	],
	parent: () => '',
	ordered: true,
	what: 'l’axe',
	added: 'ajouté'
};

const ORIENTATIONS: Level<PlanModel['orientations'][number]> = {
	entity: 'orientation',
	sheet: SHEETS.orientations.name,
	key: (o) => o.code,
	title: (o) => `Orientation « ${o.label} »`,
	fields: [
		{ field: 'axis', label: STRUCTURE_LABELS.orientation.axis, get: (o) => o.axis },
		{ field: 'label', label: STRUCTURE_LABELS.orientation.label, get: (o) => o.label }
	],
	parent: (o) => o.axis,
	ordered: true,
	what: 'l’orientation',
	added: 'ajoutée'
};

const OBJECTIVES: Level<PlanModel['objectives'][number]> = {
	entity: 'objective',
	sheet: SHEETS.objectives.name,
	key: (o) => String(o.number),
	title: (o) => `Objectif ${o.number} « ${o.label} »`,
	fields: [
		{
			field: 'orientation',
			label: STRUCTURE_LABELS.objective.orientation,
			get: (o) => o.orientation
		},
		{ field: 'label', label: STRUCTURE_LABELS.objective.label, get: (o) => o.label },
		{
			field: 'synthesis_label',
			label: STRUCTURE_LABELS.objective.synthesis_label,
			get: (o) => o.synthesisLabel
		}
	],
	parent: (o) => o.orientation,
	ordered: false,
	what: 'l’objectif',
	added: 'ajouté'
};

/**
 * The records of one level of the structure: added, changed (its order too, by its row), moved
 * under another parent; one left out of the sheet is refused, an import removes none — one added
 * in the portal after the workbook's export (`addedSinceExport`, by « entity:key »: when, by whom)
 * is the workbook out of date, not a row to put back.
 */
function compareLevel<T>(
	level: Level<T>,
	currentItems: T[],
	nextItems: T[],
	addedSinceExport = new Map<string, string>()
): PlanDiff {
	const { entity, key, parent } = level;
	const before = byKey(currentItems, key);
	const positions = new Map(currentItems.map((item, i) => [key(item), i + 1]));
	const fields: FieldSpec<T & { _position: number }>[] = [
		...(level.fields as FieldSpec<T & { _position: number }>[]),
		...(level.ordered
			? [
					{
						field: 'position',
						label: 'Ordre',
						get: (item: { _position: number }) => item._position
					}
				]
			: [])
	];
	const changes = nextItems.map((item, i): EntityChange => {
		const old = before.get(key(item));
		const oldWithPosition = old ? { ...old, _position: positions.get(key(item))! } : undefined;
		return {
			entity,
			key: key(item),
			title: level.title(item),
			action: !old ? 'created' : parent(old) !== parent(item) ? 'moved' : 'updated',
			fiche: null,
			changes: fieldChanges(fields, oldWithPosition, { ...item, _position: i + 1 })
		};
	});
	const kept = new Set(nextItems.map(key));
	const problems = currentItems
		.filter((item) => !kept.has(key(item)))
		.map((item): WorkbookProblem => {
			const added = addedSinceExport.get(`${entity}:${key(item)}`);
			const removes = 'un import ne supprime ni axe, ni orientation, ni objectif';
			return {
				sheet: level.sheet,
				row: null,
				column: null,
				...(added === undefined
					? {
							message: `${level.what} « ${key(item)} » n’est plus dans la feuille : ${removes} (remettez sa ligne)`
						}
					: {
							message: `${level.what} « ${key(item)} » a été ${level.added} ${added}, après l’export de ce classeur, qui ne l’a pas : ${removes}`,
							outOfDate: true as const
						})
			};
		});
	return { changes, problems };
}

/** An organisation's own columns in the workbook, as its changes name them. */
const ORGANISATION_FIELDS: FieldSpec<PlanModel['organisations'][number]>[] = [
	{ field: 'name', label: 'Nom', get: (o) => o.name },
	{ field: 'full_name', label: 'Nom complet', get: (o) => o.fullName },
	{ field: 'kind', label: 'Type', get: (o) => ORGANISATION_KIND_LABELS[o.kind] }
];

/**
 * The organisations of the sheet: added, changed, or retired and listed again, which restores
 * them (« État : retirée le … → rétablie », then only the fields that change; plan-import refuses
 * one merged into another).
 */
function compareOrganisations(current: PlanModel, next: PlanModel): PlanDiff {
	const organisations = byKey(current.organisations, (o) => o.slug);
	const retired = byKey(current.retiredOrganisations ?? [], (o) => o.slug);
	const changes = next.organisations.map((organisation): EntityChange => {
		const old = organisations.get(organisation.slug);
		const restored = old ? undefined : retired.get(organisation.slug);
		const state: FieldChange[] = restored
			? [
					{
						field: 'state',
						label: 'État',
						before: `retirée le ${formatDate(restored.retiredAt)}`,
						after: RESTORED_WORD
					}
				]
			: [];
		return {
			entity: 'organisation',
			key: organisation.slug,
			title: `Organisation « ${organisation.name} »`,
			action: old || restored ? 'updated' : 'created',
			fiche: null,
			changes: [...state, ...fieldChanges(ORGANISATION_FIELDS, old ?? restored, organisation)]
		};
	});
	return { changes, problems: [] };
}

/** A fiche's owners, partners and links: as shown (with names), and as compared (by keys). */
interface Relations {
	owners: string;
	partners: string;
	ownerKeys: string;
	partnerKeys: string;
	links: string;
}

/**
 * How each side names its organisations on the fiches. Owners, partners and links are compared by
 * organisation identifier and fiche code (a renamed organisation does not change every fiche it
 * works on), each side shown with its own names: before as the plan names them today, after as
 * the workbook does (two organisations that swap names would otherwise show today's owner under
 * tomorrow's name). An organisation renamed here is shown with its identifier too: after a swap of
 * names, the same name stands for another organisation on each side.
 */
function organisationNames(current: PlanModel, next: PlanModel) {
	const renamed = new Set(
		next.organisations
			.filter((o) => current.organisations.some((c) => c.slug === o.slug && c.name !== o.name))
			.map((o) => o.slug)
	);
	// A retired organisation still named on a fiche is named by its name too, not its identifier.
	const namesOf = (model: PlanModel) =>
		new Map([
			...(model.retiredOrganisations ?? []).map((o) => [o.slug, o.name] as const),
			...model.organisations.map(
				(o) => [o.slug, renamed.has(o.slug) ? `${o.name} (${o.slug})` : o.name] as const
			)
		]);
	return { current: namesOf(current), next: namesOf(next) };
}

/**
 * A fiche's relations in a plan, its organisations named by `names` (organisationNames): told as
 * the fiche's form tells them (readableOwners, readablePartners), so that a form opened before the
 * import recognises an unchanged list and takes the import's (rebaseTyping).
 */
function ficheRelations(model: PlanModel, names: Map<string, string>, code: string): Relations {
	const people = model.people.filter((p) => p.fiche === code);
	const of = (role: 'owner' | 'partner') =>
		people
			.filter((p) => p.role === role)
			.map((p) => ({ ...p, name: names.get(p.organisation) ?? p.organisation }));
	const keys = (role: 'owner' | 'partner') =>
		people
			.filter((p) => p.role === role)
			.map((p) => `${p.organisation}|${p.detail ?? ''}|${p.note ?? ''}`)
			.join('\n');
	return {
		owners: readableOwners(of('owner').map((o) => ({ ...o, scope: o.detail }))),
		partners: readablePartners(of('partner')),
		ownerKeys: keys('owner'),
		partnerKeys: keys('partner'),
		links: readableLinks(model.links.filter((l) => l.fiche === code).map((l) => l.linked))
	};
}

/** The fiches: each row a change or a problem, and those left out of the workbook retired. */
function compareFiches(current: PlanModel, next: PlanModel, options: DiffOptions): PlanDiff {
	const changes: EntityChange[] = [];
	const problems: WorkbookProblem[] = [];
	const fiches = byKey(current.fiches, (f) => f.code);
	const names = organisationNames(current, next);
	for (const fiche of next.fiches) {
		const old = fiches.get(fiche.code);
		const problem =
			ficheCodeProblem(fiche, old, options) ?? fichePriorityProblem(fiche, old, current, options);
		if (problem) {
			problems.push(problem);
			continue;
		}
		const before = old ? ficheRelations(current, names.current, fiche.code) : undefined;
		changes.push(
			ficheChange(fiche, old, before, ficheRelations(next, names.next, fiche.code), next.objectives)
		);
	}
	const nextFiches = new Set(next.fiches.map((f) => f.code));
	for (const fiche of current.fiches)
		if (!nextFiches.has(fiche.code))
			changes.push({
				entity: 'fiche',
				key: fiche.code,
				title: `Fiche ${fiche.code} — ${fiche.title}`,
				action: 'retired',
				fiche: fiche.code,
				changes: [
					{
						field: 'status',
						label: FICHE_FIELD_LABELS.status,
						before: statusLabel(options.statuses?.get(fiche.code)),
						after: 'Abandonnée (retirée du plan)'
					}
				]
			});
	return { changes, problems };
}

type Fiche = PlanModel['fiches'][number];

/** A problem of the « Fiches » sheet, at the fiche's row. */
function ficheProblem(
	fiche: Fiche,
	options: DiffOptions,
	column: 'Code' | 'Priorité',
	message: string,
	outOfDate?: true
): WorkbookProblem {
	return {
		sheet: SHEETS.fiches.name,
		row: options.ficheRows?.get(fiche.code) ?? null,
		column,
		message,
		...(outOfDate ? { outOfDate } : {})
	};
}

/**
 * A new fiche's code that is no longer free: an abandoned fiche's, or the former code of a fiche
 * moved to another objective (said out of date when that came after the workbook's export).
 */
function ficheCodeProblem(
	fiche: Fiche,
	old: Fiche | undefined,
	options: DiffOptions
): WorkbookProblem | null {
	if (old) return null;
	const problem = (message: string, outOfDate?: true) =>
		ficheProblem(fiche, options, 'Code', message, outOfDate);
	if (options.retiredFiches?.includes(fiche.code)) {
		const abandonedSince = options.abandonedSinceExport?.get(fiche.code);
		return abandonedSince
			? problem(
					`la fiche ${fiche.code} a été abandonnée ${abandonedSince}, après l’export de ce classeur, qui en a l’ancienne version`,
					true
				)
			: problem(
					`la fiche ${fiche.code} est abandonnée (elle reste lisible avec son historique) et ne se modifie plus par le classeur : retirez ses lignes de chaque feuille (Fiches, Porteurs et partenaires, Liens, Indicateurs), ou donnez un autre code s’il s’agit d’une nouvelle fiche`
				);
	}
	const movedTo = options.formerCodes?.get(fiche.code);
	if (!movedTo) return null;
	return options.movedSinceExport?.has(fiche.code)
		? problem(
				`la fiche ${fiche.code} a été rattachée à un autre objectif, sous le code ${movedTo}, après l’export de ce classeur, qui en a l’ancienne place`,
				true
			)
		: problem(
				`le code ${fiche.code} était celui de la fiche ${movedTo} avant son rattachement à un autre objectif, et son ancienne adresse y mène : donnez un autre code à la nouvelle fiche`
			);
}

/**
 * A priority the workbook changes: only the commission changes it (said out of date when one of
 * its sittings did after the workbook's export); a fiche added to a plan in force starts at
 * NEW_FICHE_PRIORITY, as from its form (a workbook that creates the whole plan gives each its own).
 */
function fichePriorityProblem(
	fiche: Fiche,
	old: Fiche | undefined,
	current: PlanModel,
	options: DiffOptions
): WorkbookProblem | null {
	const problem = (message: string, outOfDate?: true) =>
		ficheProblem(fiche, options, 'Priorité', message, outOfDate);
	if (old && old.priority !== fiche.priority) {
		const prioritySince = options.prioritySinceExport?.get(fiche.code);
		return prioritySince
			? problem(
					`la priorité de la fiche ${fiche.code} est passée de ${fiche.priority} à ${old.priority} ${prioritySince}, après l’export de ce classeur, qui en a l’ancienne`,
					true
				)
			: problem(
					`la priorité de la fiche ${fiche.code} passe de ${old.priority} à ${fiche.priority} : elle ne change que par une décision de la commission (remettez ${old.priority})`
				);
	}
	if (!old && current.plan !== null && fiche.priority !== NEW_FICHE_PRIORITY)
		return problem(
			`la nouvelle fiche ${fiche.code} commence en priorité ${NEW_FICHE_PRIORITY}, comme une fiche ajoutée depuis son formulaire : elle ne devient prioritaire que par une décision de la commission (mettez ${NEW_FICHE_PRIORITY})`
		);
	return null;
}

/** A fiche's own fields (its priority only when it is new), as its form names them. */
function ficheFields(isNew: boolean): FieldSpec<Fiche>[] {
	return [
		{ field: 'title', label: FICHE_FIELD_LABELS.title, get: (f) => f.title },
		{ field: 'short_title', label: FICHE_FIELD_LABELS.shortTitle, get: (f) => f.shortTitle },
		...(isNew
			? [{ field: 'priority', label: FICHE_FIELD_LABELS.priority, get: (f: Fiche) => f.priority }]
			: []),
		{ field: 'context', label: FICHE_FIELD_LABELS.context, get: (f) => f.context },
		{ field: 'existing', label: FICHE_FIELD_LABELS.existing, get: (f) => f.existing },
		{ field: 'description', label: FICHE_FIELD_LABELS.description, get: (f) => f.description },
		{
			field: 'success_factors',
			label: FICHE_FIELD_LABELS.successFactors,
			get: (f) => f.successFactors
		},
		{ field: 'owners_note', label: FICHE_FIELD_LABELS.ownersNote, get: (f) => f.ownersNote }
	];
}

/** The relations' fields: name, label, what is shown, what is compared. */
const RELATION_FIELDS: [
	string,
	string,
	'owners' | 'partners' | 'links',
	'ownerKeys' | 'partnerKeys' | 'links'
][] = [
	['owners', FICHE_FIELD_LABELS.owners, 'owners', 'ownerKeys'],
	['partners', FICHE_FIELD_LABELS.partners, 'partners', 'partnerKeys'],
	['links', FICHE_FIELD_LABELS.links, 'links', 'links']
];

/**
 * A fiche added or changed: its own fields, then its owners, partners and links. A fiche added
 * begins with its code and objective (« 4. … »), as the form that adds one records them
 * (createFiche): its revision, on its public history, says where it was added.
 */
function ficheChange(
	fiche: Fiche,
	old: Fiche | undefined,
	before: Relations | undefined,
	after: Relations,
	objectives: PlanModel['objectives']
): EntityChange {
	const objective = objectives.find((o) => o.number === fiche.objective);
	const placed: FieldChange[] = old
		? []
		: [
				{ field: 'code', label: FICHE_FIELD_LABELS.code, before: '', after: fiche.code },
				{
					field: 'objective',
					label: FICHE_FIELD_LABELS.objective,
					before: '',
					after: objective ? `${objective.number}. ${objective.label}` : String(fiche.objective)
				}
			];
	const fields = [...placed, ...fieldChanges(ficheFields(!old), old, fiche)];
	for (const [field, label, shownKey, compareKey] of RELATION_FIELDS)
		if ((before?.[compareKey] ?? '') !== after[compareKey])
			fields.push({ field, label, before: before?.[shownKey] ?? '', after: after[shownKey] });
	return {
		entity: 'fiche',
		key: fiche.code,
		title: `Fiche ${fiche.code} — ${fiche.title}`,
		action: old ? 'updated' : 'created',
		fiche: fiche.code,
		changes: fields
	};
}

type Indicator = PlanModel['indicators'][number];

const indicatorKey = (i: { fiche: string; position: number }) => `${i.fiche}#${i.position}`;

/**
 * An indicator's columns, compared as the workbook reads them: what changes is written, and told
 * in the form's lines (indicatorChanges).
 */
const indicatorField = (
	field: keyof typeof INDICATOR_FIELD_LABELS,
	get: (i: Indicator) => Value
): FieldSpec<Indicator> => ({ field, label: capitalized(INDICATOR_FIELD_LABELS[field]), get });

const INDICATOR_FIELDS: FieldSpec<Indicator>[] = [
	indicatorField('label', (i) => i.label),
	indicatorField('unit', (i) => i.unit),
	indicatorField('kind', (i) => INDICATOR_KIND_NAMES[i.kind]),
	indicatorField('target', (i) => workbookNumber(i.target)),
	indicatorField('target_date', (i) => dayText(i.targetDate)),
	indicatorField('baseline', (i) => workbookNumber(i.baseline)),
	indicatorField('baseline_date', (i) => dayText(i.baselineDate))
];

/**
 * The indicators: each row a change or a problem, and those the workbook leaves out of a fiche it
 * keeps retired (their measurements stay). Each told in its fiche's form's lines (indicatorChanges).
 */
function compareIndicators(current: PlanModel, next: PlanModel, options: DiffOptions): PlanDiff {
	const changes: EntityChange[] = [];
	const problems: WorkbookProblem[] = [];
	const indicators = byKey(current.indicators, indicatorKey);
	const idOf = (indicator: Indicator) => options.indicatorIds?.get(indicatorKey(indicator)) ?? 0;
	const title = (indicator: Indicator) =>
		`Indicateur ${indicator.position} de la fiche ${indicator.fiche} — ${indicator.label}`;
	for (const indicator of next.indicators) {
		const old = indicators.get(indicatorKey(indicator));
		const problem = indicatorNumberProblem(indicator, old, current, next, options);
		if (problem) {
			problems.push(problem);
			continue;
		}
		const columns = fieldChanges(INDICATOR_FIELDS, old, indicator).map((c) => c.field);
		const id = idOf(indicator);
		changes.push({
			entity: 'indicator',
			key: indicatorKey(indicator),
			title: title(indicator),
			action: old ? 'updated' : 'created',
			fiche: indicator.fiche,
			changes: old
				? indicatorChanges(readable(old, id), readable(indicator, id), id, 0, columns)
				: indicatorChanges(undefined, readable(indicator, id), id, indicator.position),
			columns
		});
	}
	const nextFiches = new Set(next.fiches.map((f) => f.code));
	const nextIndicators = new Set(next.indicators.map(indicatorKey));
	for (const indicator of current.indicators)
		if (nextFiches.has(indicator.fiche) && !nextIndicators.has(indicatorKey(indicator))) {
			const id = idOf(indicator);
			changes.push({
				entity: 'indicator',
				key: indicatorKey(indicator),
				title: title(indicator),
				action: 'retired',
				fiche: indicator.fiche,
				changes: indicatorChanges(
					readable(indicator, id),
					readable(indicator, id, true),
					id,
					indicator.position
				)
			});
		}
	return { changes, problems };
}

/** A row of the « Indicateurs » sheet as its fiche's form reads it (retired or not). */
const readable = (indicator: Indicator, id: number, retired = false) =>
	readableIndicator({ ...indicator, id, retiredAt: retired ? 'retiré' : null });

/**
 * An indicator row whose N° is not its own: a retired indicator's, or another indicator's of the
 * fiche (rows renumbered). Said by fiche and N°, not by row, as the other indicators' problems are.
 */
function indicatorNumberProblem(
	indicator: Indicator,
	old: Indicator | undefined,
	current: PlanModel,
	next: PlanModel,
	options: DiffOptions
): WorkbookProblem | null {
	const where = `feuille « ${SHEETS.indicators.name} », indicateur ${indicator.position} de la fiche ${indicator.fiche}, colonne « N° »`;
	const problem = (message: string, outOfDate?: true): WorkbookProblem => ({
		sheet: null,
		row: null,
		column: null,
		message: `${where} : ${message}`,
		...(outOfDate ? { outOfDate } : {})
	});
	const retiredHere = old ? undefined : options.retiredIndicators?.get(indicatorKey(indicator));
	const retiredSince = retiredHere && options.retiredSinceExport?.get(indicatorKey(indicator));
	if (retiredHere && retiredSince)
		return problem(
			`l’indicateur « ${retiredHere.label} » a été retiré ${retiredSince}, après l’export de ce classeur, qui en a l’ancienne version`,
			true
		);
	if (retiredHere)
		return problem(
			`ce N° est celui de l’indicateur « ${retiredHere.label} », retiré le ${formatDate(retiredHere.retiredAt)}, dont les mesures restent publiées sous ce N°. Une nouvelle ligne est un nouvel indicateur : donnez-lui le N° ${freeIndicatorNumber(current, next, options.retiredIndicators!, indicator.fiche)}. Pour remettre l’indicateur retiré en service, décochez « Indicateur retiré » dans le formulaire de la fiche (si ce classeur a été exporté avant son retrait, ${DOWNLOAD_AGAIN})`
		);
	const renumbered = old && renumberedFrom(current.indicators, old, indicator);
	if (renumbered)
		return problem(
			`la ligne porte le libellé de son indicateur ${renumbered.position} (« ${renumbered.label} ») : le N° d’un indicateur l’identifie, et ses mesures restent attachées à ce N°, ${MEANING_WOULD_CHANGE}. L’ordre des indicateurs ne se change pas par le classeur : remettez à chaque ligne son N° d’origine (pour corriger un libellé, modifiez-le sur sa ligne)`
		);
	return null;
}

/** The first N° of a fiche that neither its indicators, retired or not, nor the workbook's rows hold. */
function freeIndicatorNumber(
	current: PlanModel,
	next: PlanModel,
	retired: Map<string, unknown>,
	fiche: string
): number {
	const taken = [
		...[...current.indicators, ...next.indicators]
			.filter((i) => i.fiche === fiche)
			.map((i) => i.position),
		...[...retired.keys()]
			.filter((key) => key.startsWith(`${fiche}#`))
			.map((key) => Number(key.slice(fiche.length + 1)))
	];
	return taken.reduce((max, n) => Math.max(max, n), 0) + 1;
}

/**
 * The indicator of the same fiche whose label the row under this N° now bears, when it is not its
 * own (alike as the fiche form compares names, sameWords): rows renumbered (two N° swapped, a row
 * inserted above others), which would re-label the indicator and its measurements. Null for a
 * label corrected or replaced by a new one.
 */
function renumberedFrom(
	current: PlanModel['indicators'],
	old: PlanModel['indicators'][number],
	next: PlanModel['indicators'][number]
): PlanModel['indicators'][number] | null {
	if (sameWords(old.label, next.label)) return null;
	return (
		current.find(
			(other) =>
				other.fiche === next.fiche &&
				other.position !== next.position &&
				sameWords(other.label, next.label)
		) ?? null
	);
}

/** How many fields change in all (the round trip counts them). */
export function countFieldChanges(diff: PlanDiff): number {
	return diff.changes.reduce((sum, change) => sum + change.changes.length, 0);
}
