import {
	INDICATOR_PARTS,
	indicatorRowField,
	MAX_INDICATORS,
	MAX_OWNERS,
	MAX_PARTNERS,
	ownerField,
	partnerField,
	repeatedOrganisationProblem,
	repeatedOrganisationRows,
	type FicheEditInput,
	type IndicatorInput,
	type IndicatorPart
} from '../../schemas/plan-edit';
import { markupToRichText, richTextToMarkup } from '../../utils/rich-text-markup';
import { INCOMPLETE_FORM } from '../../schemas/form';
import type { RichText } from '../../utils/rich-text';
import { formatNumber, listInWords, plural } from '../../utils/format';
import { parisDate } from '../../utils/dates';
import {
	INDICATOR_KIND_NAMES,
	INDICATOR_KINDS,
	indicatorValueProblem,
	type IndicatorKind
} from '../../utils/indicator-kinds';
import {
	FICHE_FIELD_LABELS,
	FICHE_NOT_FOUND,
	measuredKindRefusal,
	measuredUnitRefusal,
	STATUS_LABELS
} from '../../utils/vocabulary';
import { FICHE_CODE_PATTERN, foldForMatching, MAX_FICHE_NUMBER } from '../../utils/text';
import type { User } from '../auth/users';
import type { Db, Executor } from '../db';
import { listFiches, refreshSearchText } from '../plan/repository';
import { invalidFields, ok, refuse, type FieldChange, type Refusal, type Result } from '../result';
import {
	ficheChanges,
	mergeChanges,
	readableIndicator,
	readableLinks,
	readableOwners,
	readablePartners,
	type ReadableFiche,
	type ReadableIndicator
} from './fiche-changes';
import {
	findOrganisationStates,
	findFicheIdsByCodes,
	findFicheState,
	insertFiche,
	insertIndicator,
	lastFicheRevisionId,
	markFicheRetired,
	listDecisionChoices,
	listFicheChoices,
	listObjectiveFicheNumbers,
	listObjectiveChoices,
	listOrganisationChoices,
	replaceLinks,
	replaceOwners,
	replacePartners,
	updateFicheFields,
	updateIndicator,
	listStructure,
	type FicheState,
	listIndicatorValues,
	countMeasurements
} from './repository';
import { listFicheRevisions } from './revisions-repository';
import { ficheFormValues } from './fiche-form';
import { ABANDONED_LINK_RULE, NEW_FICHE_PRIORITY } from './plan-model';
import {
	checkDecision,
	conflictRefusal,
	recordChange,
	type ConflictWords,
	type RevisionInput
} from './edits';
import { withdrawnMeanwhile } from './structure';

/*
 * A fiche edited by an admin: added to an objective (createFiche), its edit page (ficheEditor),
 * its edit (updateFiche) and the typing kept through a conflict (rebaseTyping), abandoned
 * (retireFiche). What every edit shares is in edits.ts.
 */

/** The number of a new fiche in its objective: one more than the highest ever given there. */
export function nextFicheNumber(used: number[]): number {
	return used.reduce((max, n) => Math.max(max, n), 0) + 1;
}

/**
 * The number a fiche takes in the objective it is moved to: the one it had there, when it comes
 * back (a move undone gives its code back; that code was never given to another fiche,
 * listObjectiveFicheNumbers), otherwise the next free one.
 */
async function numberInObjective(
	db: Executor,
	ficheId: number,
	objective: { id: number; number: number }
): Promise<number> {
	const prefix = `${objective.number}-`;
	const former = (await listFicheRevisions(db, ficheId))
		.filter((r) => r.entity === 'fiche' && r.action === 'moved')
		.flatMap((r) => r.changes.filter((c) => c.field === 'code' && c.before.startsWith(prefix)))
		.map((c) => Number(c.before.slice(prefix.length)))
		.find((n) => Number.isInteger(n) && n > 0);
	return former ?? nextFicheNumber(await listObjectiveFicheNumbers(db, objective.id));
}

/**
 * The refusal of a fiche created in, or moved to, an objective whose nine numbers were all given
 * (a code has one digit after the dash: 4-10 would be no fiche's address, nor valid open data).
 */
function objectiveFull(objectiveNumber: number, number: number): Refusal | null {
	if (number <= MAX_FICHE_NUMBER) return null;
	const message = `L’objectif ${objectiveNumber} a déjà reçu neuf fiches (${objectiveNumber}-1 à ${objectiveNumber}-${MAX_FICHE_NUMBER}, abandonnées ou déplacées comprises) : un code de fiche n’a qu’un chiffre après le tiret. Choisissez un autre objectif, ou créez-en un.`;
	return refuse(409, message, { fieldErrors: { objective: message } });
}

function ficheCode(objectiveNumber: number, ficheNumber: number): string {
	return `${objectiveNumber}-${ficheNumber}`;
}

const markup = (json: string) => richTextToMarkup(JSON.parse(json) as RichText);

/** The fiche as stored, in the words of a revision. */
function readableState(state: FicheState, objectiveLabel: string): ReadableFiche {
	return {
		code: state.code,
		objective: objectiveLabel,
		title: state.title,
		shortTitle: state.shortTitle ?? '',
		context: markup(state.context),
		existing: markup(state.existing),
		description: markup(state.description),
		successFactors: markup(state.successFactors),
		ownersNote: state.ownersNote ?? '',
		owners: readableOwners(state.owners),
		partners: readablePartners(state.partners),
		links: readableLinks(state.links.map((l) => l.code)),
		indicators: state.indicators.map(readableIndicator)
	};
}

/** A row's organisation that may no longer be chosen: named, when it exists, retired or merged. */
function organisationGoneMessage(name: string | undefined): string {
	return `${name === undefined ? 'Cette organisation' : `L’organisation « ${name} »`} a été retirée ou fusionnée entre-temps : choisissez-en une autre, ou « aucune » pour retirer la ligne.`;
}

/** A new link to abandoned fiches: « La fiche 2-2 est abandonnée : … » (ABANDONED_LINK_RULE). */
function abandonedLinkProblem(codes: string[]): string {
	return `${plural(codes.length, 'La fiche', 'Les fiches')} ${listInWords(codes)} ${plural(codes.length, 'est abandonnée', 'sont abandonnées')}\u00a0: ${ABANDONED_LINK_RULE}.`;
}

/**
 * The fiches a fiche's form links to, by code, and what is wrong with them: a code no fiche has,
 * an abandoned fiche it does not link to yet, or the fiche itself. Also asked when another field is refused, so that the form says it at once.
 */
export async function readLinkedCodes(db: Executor, ficheCode: string, codes: string[]) {
	// A code that is not one is told by the form's schema, with these.
	const wellFormed = codes.filter((c) => FICHE_CODE_PATTERN.test(c));
	const linked = await findFicheIdsByCodes(db, wellFormed, ficheCode);
	const missing = wellFormed.filter((c) => !linked.some((l) => l.code === c));
	// A link the fiche already has to a fiche abandoned since stays; a new one is refused, as the
	// workbook refuses it (FicheReferences): an abandoned fiche is out of the plan's work.
	const abandoned = linked.filter((l) => l.abandoned && !l.linked).map((l) => l.code);
	// Every problem of the field at once, in one message (not one at a time, a new one per try).
	const problems = [
		missing.length > 0 &&
			`Aucune fiche ne porte ${plural(missing.length, 'le code', 'les codes')} ${listInWords(missing)}.`,
		abandoned.length > 0 && abandonedLinkProblem(abandoned),
		wellFormed.includes(ficheCode) && 'Une fiche ne peut pas être liée à elle-même.'
	].filter((p): p is string => typeof p === 'string');
	return { linked, problem: problems.length > 0 ? problems.join(' ') : null };
}

/**
 * The owner or partner rows of a fiche's form that repeat an earlier one as its tables forbid
 * (repeatedOrganisationRows), each refused on its organisation's field, naming the organisation
 * and the row it repeats: saved, they broke the tables' unique keys (a 500).
 */
export async function repeatedOrganisationErrors(
	db: Executor,
	ficheCode: string,
	rows: Pick<FicheEditInput, 'owners' | 'partners'>
): Promise<Record<string, string>> {
	const repeated = repeatedOrganisationRows(rows);
	if (repeated.length === 0) return {};
	const names = await findOrganisationStates(db, [
		...new Set(repeated.map((r) => r.organisationId))
	]);
	const errors: Record<string, string> = {};
	for (const repeat of repeated) {
		const [field, legend] =
			repeat.role === 'owner' ? [ownerField, 'Porteur'] : [partnerField, 'Partenaire'];
		const name = names.get(repeat.organisationId)?.name ?? String(repeat.organisationId);
		errors[field(repeat.row, 'org')] =
			`${repeatedOrganisationProblem(repeat, name, ficheCode, `${legend} ${repeat.first + 1}`)}. Gardez une seule ligne${repeat.role === 'owner' ? ', ou donnez à celle-ci un autre périmètre' : ''}.`;
	}
	return errors;
}

/**
 * The indicator rows of a fiche's form whose new kind or unit would change what the values the
 * indicator already received say, each refused on its field; `own`: the fiche's indicators as
 * stored. Published measurements keep their number and are read in the indicator's kind and unit
 * (« 10 bornes » would read « 10 % »): a new kind is refused, a new unit asks the box beside it
 * ticked (a unit corrected, « commune » → « communes »). Unpublished values refuse a kind they do
 * not fit.
 */
async function indicatorMeaningErrors(
	db: Executor,
	own: { id: number; kind: IndicatorKind; unit: string | null }[],
	indicators: IndicatorInput[]
): Promise<Record<string, string>> {
	const errors: Record<string, string> = {};
	for (const [position, indicator] of indicators.entries()) {
		const row = indicator.row ?? position;
		const stored = own.find((i) => indicator.id !== null && i.id === indicator.id);
		const newKind = stored && stored.kind !== indicator.kind;
		const newUnit = stored && (stored.unit ?? '') !== (indicator.unit ?? '');
		if (!stored || (!newKind && !newUnit)) continue;
		const counts = await countMeasurements(db, stored.id);
		const published = counts.published;
		if (newKind && published > 0)
			errors[indicatorRowField(row, 'kind')] = measuredKindRefusal(published);
		else if (newKind) {
			const misfits = (await listIndicatorValues(db, stored.id)).filter(
				(value) => indicatorValueProblem(indicator.kind, value) !== null
			);
			if (misfits.length > 0)
				errors[indicatorRowField(row, 'kind')] =
					`Cet indicateur a déjà reçu ${plural(misfits.length, 'une valeur qui ne convient', 'des valeurs qui ne conviennent')} pas à la nature « ${INDICATOR_KIND_NAMES[indicator.kind]} » (${misfits.slice(0, 3).map(formatNumber).join(' ; ')}${misfits.length > 3 ? '…' : ''}) : gardez sa nature, ou retirez-le et créez un nouvel indicateur.`;
		}
		if (newUnit && published + counts.submitted > 0 && !indicator.unitConfirmed)
			errors[indicatorRowField(row, 'unit')] = measuredUnitRefusal(
				counts,
				stored.unit ?? '',
				indicator.unit ?? ''
			);
	}
	return errors;
}

/**
 * The same, for the indicator rows of the form of the fiche `ficheCode` (by code): also asked
 * when another field is refused, so that a kind the values do not fit is told with the target it
 * makes wrong, not at the next try (walkthrough of December 2026).
 */
export async function indicatorKindErrors(
	db: Executor,
	ficheCode: string,
	indicators: IndicatorInput[]
): Promise<Record<string, string>> {
	const state = await findFicheState(db, ficheCode);
	return state ? indicatorMeaningErrors(db, state.indicators, indicators) : {};
}

/**
 * Why an objective may not be chosen: withdrawn from the plan meanwhile (the page was opened
 * before), said with its name; otherwise not in the list.
 */
async function objectiveChoiceProblem(db: Executor, id: number): Promise<string> {
	const withdrawn = (await listStructure(db)).objectives.find((o) => o.id === id && o.retiredAt);
	return withdrawn
		? withdrawnMeanwhile('objective', withdrawn)
		: 'Choisissez l’objectif dans la liste.';
}

/** An edit of a fiche refused because another came first (`conflictRefusal`). */
const FICHE_CONFLICT: ConflictWords = {
	record: 'cette fiche',
	since: 'depuis que vous l’avez ouverte',
	listed:
		'Ses changements sont listés ci-dessous ; vos saisies sont gardées. Relisez-les, puis enregistrez à nouveau.',
	// The page shows no list then.
	unlisted:
		'Vos saisies sont gardées ; ouvrez la fiche dans un autre onglet pour voir ce qui a changé, puis enregistrez à nouveau.'
};

type ObjectiveChoice = Awaited<ReturnType<typeof listObjectiveChoices>>[number];
type LinkedFiche = Awaited<ReturnType<typeof readLinkedCodes>>['linked'][number];

/** What an admin's edit of a fiche is checked into: the objective chosen, every objective, the links. */
interface CheckedFicheEdit {
	objective: ObjectiveChoice;
	objectives: ObjectiveChoice[];
	linked: LinkedFiche[];
}

/**
 * The problems of an admin's edit of a fiche, every field at once: its objective, organisations
 * newly chosen (active), an organisation named twice, its links, an indicator's new kind that its
 * values do not fit. A refusal when there is one (an indicator of another fiche: a form forged or
 * out of date), else what the edit is made of.
 */
async function ficheEditProblems(
	trx: Executor,
	state: FicheState,
	input: FicheEditInput
): Promise<Refusal | CheckedFicheEdit> {
	const fieldErrors: Record<string, string> = {};
	const objectives = await listObjectiveChoices(trx);
	const objective = objectives.find((o) => o.id === input.objectiveId);
	if (!objective) fieldErrors.objective = await objectiveChoiceProblem(trx, input.objectiveId);
	// An organisation already on the fiche stays even when retired since; one newly chosen must
	// be active: retired or merged meanwhile (the page was opened before), its row says so.
	const known = new Set([...state.owners, ...state.partners].map((o) => o.organisationId));
	const chosen = [
		...input.owners.map((o, i) => ({ ...o, field: ownerField(o.row ?? i, 'org') })),
		...input.partners.map((o, i) => ({ ...o, field: partnerField(o.row ?? i, 'org') }))
	].filter((o) => !known.has(o.organisationId));
	const states = await findOrganisationStates(trx, [
		...new Set(chosen.map((o) => o.organisationId))
	]);
	for (const row of chosen) {
		const state = states.get(row.organisationId);
		if (!state || state.retired) fieldErrors[row.field] = organisationGoneMessage(state?.name);
	}
	for (const [field, message] of Object.entries(
		await repeatedOrganisationErrors(trx, state.code, input)
	))
		fieldErrors[field] ??= message;
	// Renamed under another fiche's title, as the form that adds a fiche and the import refuse; a
	// title left as it was (but for case or accents) is not checked again.
	if (foldForMatching(input.title) !== foldForMatching(state.title)) {
		const twin = await liveTwin(trx, input.title, state.code);
		if (twin)
			fieldErrors.title = `${ficheTitleTaken(twin.code)} (capitales, accents, espaces et ponctuation mis à part) : donnez à celle-ci un autre titre.`;
	}
	const { linked, problem } = await readLinkedCodes(trx, state.code, input.linkedCodes);
	if (problem) fieldErrors.links = problem;
	const ownIndicators = new Map(state.indicators.map((i) => [i.id, i]));
	if (input.indicators.some((i) => i.id !== null && !ownIndicators.has(i.id)))
		return refuse(400, INCOMPLETE_FORM);
	for (const [field, message] of Object.entries(
		await indicatorMeaningErrors(trx, state.indicators, input.indicators)
	))
		fieldErrors[field] ??= message;
	if (Object.keys(fieldErrors).length > 0 || !objective) return invalidFields(fieldErrors);
	return { objective, objectives, linked };
}

/**
 * The fiche's code and number in the objective chosen: its own when it stays; when it changes
 * objective, the next free code of its new objective, or the code it had there before.
 */
async function placeInObjective(
	trx: Executor,
	state: FicheState,
	objective: ObjectiveChoice
): Promise<Refusal | { code: string; number: number }> {
	if (objective.id === state.objectiveId) return { code: state.code, number: state.number };
	const number = await numberInObjective(trx, state.id, objective);
	return (
		objectiveFull(objective.number, number) ?? {
			code: ficheCode(objective.number, number),
			number
		}
	);
}

/**
 * The fiche's indicators after the edit, in their order, as the form sends them; those left out of
 * the form (added by someone else since it was opened) are kept as they are; new ones come after
 * all. One retired today is dated today; one retired before keeps its day.
 */
function indicatorsAfterEdit(state: FicheState, input: FicheEditInput, now: Date) {
	const ownIndicators = new Map(state.indicators.map((i) => [i.id, i]));
	const retiredOn = parisDate(now);
	const typedIndicators = input.indicators.map((i) => ({
		...i,
		retiredAt: i.retire ? (ownIndicators.get(i.id ?? -1)?.retiredAt ?? retiredOn) : null
	}));
	return [
		...state.indicators.map((i) => typedIndicators.find((x) => x.id === i.id) ?? i),
		...typedIndicators.filter((i) => i.id === null)
	];
}

type EditedIndicators = ReturnType<typeof indicatorsAfterEdit>;

/** The fiche as its revision reads it after the edit (ficheChanges compares it with readableState). */
async function readableAfter(
	trx: Executor,
	state: FicheState,
	input: FicheEditInput,
	code: string,
	objectiveLabel: string,
	indicators: EditedIndicators
): Promise<ReadableFiche> {
	const names = new Map(
		(await listOrganisationChoices(trx)).map((o) => [o.id, o.name] as [number, string])
	);
	for (const o of [...state.owners, ...state.partners]) names.set(o.organisationId, o.name);
	return {
		code,
		objective: objectiveLabel,
		title: input.title,
		shortTitle: input.shortTitle ?? '',
		context: richTextToMarkup(input.texts.context),
		existing: richTextToMarkup(input.texts.existing),
		description: richTextToMarkup(input.texts.description),
		successFactors: richTextToMarkup(input.texts.success_factors),
		ownersNote: input.ownersNote ?? '',
		owners: readableOwners(
			input.owners.map((o) => ({ ...o, name: names.get(o.organisationId) ?? '' }))
		),
		partners: readablePartners(
			input.partners.map((p) => ({ ...p, name: names.get(p.organisationId) ?? '' }))
		),
		links: readableLinks(input.linkedCodes),
		indicators: indicators.map(readableIndicator)
	};
}

/**
 * Writes an admin's edit of a fiche: its fields (false when another edit came first: its version
 * moved), then its owners, partners and links when they changed, and its indicators.
 */
async function writeFicheEdit(
	trx: Executor,
	state: FicheState,
	input: FicheEditInput,
	edit: {
		place: { code: string; number: number };
		objectiveId: number;
		linked: LinkedFiche[];
		indicators: EditedIndicators;
		before: ReadableFiche;
		after: ReadableFiche;
	}
): Promise<boolean> {
	const { before, after } = edit;
	const saved = await updateFicheFields(trx, state.id, state.version, {
		code: edit.place.code,
		number: edit.place.number,
		objectiveId: edit.objectiveId,
		title: input.title,
		shortTitle: input.shortTitle,
		context: JSON.stringify(input.texts.context),
		existing: JSON.stringify(input.texts.existing),
		description: JSON.stringify(input.texts.description),
		successFactors: JSON.stringify(input.texts.success_factors),
		ownersNote: input.ownersNote
	});
	if (!saved) return false;
	if (before.owners !== after.owners) await replaceOwners(trx, state.id, input.owners);
	if (before.partners !== after.partners) await replacePartners(trx, state.id, input.partners);
	if (before.links !== after.links)
		await replaceLinks(
			trx,
			state.id,
			input.linkedCodes.map((c) => edit.linked.find((l) => l.code === c)!.id)
		);
	// Numbered 1, 2… in that order: an indicator only ever moves down until the new ones are
	// written after all, so no two share a position (unique per fiche), not even for a moment.
	let position = 0;
	for (const indicator of edit.indicators) {
		position++;
		if (indicator.id === null) await insertIndicator(trx, state.id, position, indicator);
		else await updateIndicator(trx, indicator.id, position, indicator);
	}
	return true;
}

/**
 * An admin's edit of a fiche: every field, owners, partners, links and indicators, in one
 * transaction with one revision (fields before → after), one journal line and the search text.
 * Refused without change when another edit came first (`version`), with what it changed.
 * Its steps: ficheEditProblems, placeInObjective, readableAfter, writeFicheEdit.
 */
export async function updateFiche(
	db: Db,
	user: User,
	code: string,
	input: FicheEditInput,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ code: string; changed: number }>> {
	return db.transaction().execute(async (trx) => {
		const state = await findFicheState(trx, code);
		if (!state) return refuse(404, FICHE_NOT_FOUND);
		if (state.version !== input.version) {
			const since = (await listFicheRevisions(trx, state.id))
				.filter((r) => r.id > input.seenRevision)
				.reverse();
			return conflictRefusal(FICHE_CONFLICT, since, mergeChanges(since), user.id);
		}
		const refusal = await checkDecision(trx, input.decisionId, state.code);
		if (refusal) return refusal;

		const checked = await ficheEditProblems(trx, state, input);
		if ('ok' in checked) return checked;
		const { objective, objectives, linked } = checked;
		const place = await placeInObjective(trx, state, objective);
		if ('ok' in place) return place;

		const objectiveLabel = (id: number) => {
			const o = objectives.find((x) => x.id === id);
			return o ? `${o.number}. ${o.label}` : '';
		};
		const indicators = indicatorsAfterEdit(state, input, now);
		const before = readableState(state, objectiveLabel(state.objectiveId));
		const after = await readableAfter(
			trx,
			state,
			input,
			place.code,
			objectiveLabel(objective.id),
			indicators
		);
		const changes = ficheChanges(before, after);
		if (changes.length === 0)
			return refuse(400, 'Aucune modification à enregistrer : la fiche est déjà ainsi.');

		const edit = { place, objectiveId: objective.id, linked, indicators, before, after };
		if (!(await writeFicheEdit(trx, state, input, edit)))
			return conflictRefusal(FICHE_CONFLICT, [], [], user.id);
		const newCode = place.code;
		await recordChange(
			{ trx, user, why: input, clientAddress, now },
			{
				entity: 'fiche',
				entityId: state.id,
				ficheId: state.id,
				action: objective.id !== state.objectiveId ? 'moved' : 'updated',
				changes
			},
			{
				action: 'plan.fiche_updated',
				target: { type: 'fiche', id: newCode },
				summary: `Fiche ${newCode} modifiée (${changes.map((c) => c.label).join(', ')})`
			}
		);
		await refreshSearchText(trx);
		return ok({ code: newCode, changed: changes.length });
	});
}

/** What the fiche's edit page needs: the form filled with the fiche, and every list to pick from. */
export async function ficheEditor(db: Db, code: string) {
	const state = await findFicheState(db, code);
	if (!state) return refuse(404, FICHE_NOT_FOUND);
	const organisations = await listOrganisationChoices(db);
	// An owner or partner retired since stays on the list of the fiche that still names it.
	for (const o of [...state.owners, ...state.partners])
		if (!organisations.some((x) => x.id === o.organisationId))
			organisations.push({ id: o.organisationId, name: o.name });
	return ok({
		fiche: {
			id: state.id,
			code: state.code,
			title: state.title,
			priority: state.priority,
			status: state.status,
			indicators: state.indicators.map((i) => ({ id: i.id, label: i.label }))
		},
		values: ficheFormValues(state, await lastFicheRevisionId(db, state.id)),
		objectives: await listObjectiveChoices(db),
		organisations,
		fiches: (await listFicheChoices(db)).filter((f) => f.code !== state.code),
		decisions: await listDecisionChoices(db)
	});
}

const SIMPLE_FIELDS: Record<string, string> = {
	title: 'title',
	shortTitle: 'short_title',
	ownersNote: 'owners_note',
	links: 'links'
};
const TEXT_FIELDS: Record<string, string> = {
	context: 'context',
	existing: 'existing',
	description: 'description',
	successFactors: 'success_factors'
};

/**
 * After a refused edit (another came first): what the person typed, except where the other edit
 * changed a field this person had left as it was — there the form takes the fiche as it is now, so
 * that saving again keeps the other's change. The same holds for each field of each indicator.
 */
export async function rebaseTyping(
	db: Db,
	code: string,
	typed: Record<string, string>,
	input: FicheEditInput,
	changes: FieldChange[]
): Promise<Record<string, string>> {
	const editor = await ficheEditor(db, code);
	if (!editor.ok) return typed;
	const fresh = editor.value.values;
	// Each indicator as this person's form reads it.
	const typedIndicators = new Map(
		input.indicators.filter((i) => i.id !== null).map((i) => [i.id!, i])
	);
	const names = new Map(editor.value.organisations.map((o) => [String(o.id), o.name]));
	const rows = (prefix: string, max: number, parts: string[]) =>
		Array.from({ length: max }, (_, i) =>
			parts.map((p) => (typed[`${prefix}_${i}_${p}`] ?? '').trim())
		)
			.filter(([org]) => org !== '')
			.map(([org, ...texts]) => [names.get(org!) ?? '', ...texts.map((t) => t || null)] as const);
	const typedOwners = readableOwners(
		rows('owner', MAX_OWNERS, ['org', 'scope', 'note']).map(([name, scope, note]) => ({
			name,
			scope: scope ?? null,
			note: note ?? null
		}))
	);
	const typedPartners = readablePartners(
		rows('partner', MAX_PARTNERS, ['org', 'detail']).map(([name, detail]) => ({
			name,
			detail: detail ?? null
		}))
	);
	const objective = editor.value.objectives.find((o) => String(o.id) === typed.objective);
	const result: Record<string, string> = {
		...typed,
		version: fresh.version!,
		seen_revision: fresh.seen_revision!
	};
	const takeFresh = (prefix: string) => {
		for (const key of Object.keys(result)) if (key.startsWith(prefix)) delete result[key];
		for (const [key, value] of Object.entries(fresh))
			if (key.startsWith(prefix)) result[key] = value;
	};
	for (const change of changes) {
		const simple = SIMPLE_FIELDS[change.field];
		const text = TEXT_FIELDS[change.field];
		if (simple) {
			const value = (typed[simple] ?? '').trim();
			const same =
				simple === 'links'
					? readableLinks(value.split(/[\s,;]+/).filter(Boolean)) === change.before
					: value === change.before;
			if (same) result[simple] = fresh[simple] ?? '';
		} else if (text) {
			if (richTextToMarkup(markupToRichText(typed[text] ?? '')) === change.before)
				result[text] = fresh[text] ?? '';
		} else if (change.field === 'objective') {
			if (objective && `${objective.number}. ${objective.label}` === change.before)
				result.objective = fresh.objective!;
		} else if (change.field === 'owners' && typedOwners === change.before) takeFresh('owner_');
		else if (change.field === 'partners' && typedPartners === change.before) takeFresh('partner_');
		else rebaseIndicatorField(change, changes, typed, fresh, typedIndicators, result);
	}
	return withIndicatorsAddedMeanwhile(result, fresh);
}

/**
 * The indicators the other edit added, which this person's form does not have: shown as they are
 * now, before the rows this person added (which the form moves down by as many), so that saving
 * again lists every indicator in the fiche's order. Past the form's last row, the form is left as
 * it was (saving keeps them anyway).
 */
function withIndicatorsAddedMeanwhile(
	values: Record<string, string>,
	fresh: Record<string, string>
): Record<string, string> {
	const row = (source: Record<string, string>, i: number) =>
		Object.fromEntries(INDICATOR_PARTS.map((p) => [p, source[indicatorRowField(i, p)] ?? '']));
	const all = Array.from({ length: MAX_INDICATORS }, (_, i) => i);
	const ids = new Set(all.map((i) => values[indicatorRowField(i, 'id')]).filter(Boolean));
	const added = all
		.filter((i) => fresh[indicatorRowField(i, 'id')] && !ids.has(fresh[indicatorRowField(i, 'id')]))
		.map((i) => row(fresh, i));
	if (added.length === 0) return values;
	const typed = all.map((i) => row(values, i));
	const firstNew = typed.findIndex((r) => !r.id);
	if (firstNew < 0) return values;
	const rows = [...typed.slice(0, firstNew), ...added, ...typed.slice(firstNew)];
	// Blank rows at the end make room; a row with typing is never pushed out.
	const blank = (r: Record<string, string>) =>
		INDICATOR_PARTS.every((p) => p === 'kind' || r[p] === '');
	while (rows.length > MAX_INDICATORS && blank(rows.at(-1)!)) rows.pop();
	if (rows.length > MAX_INDICATORS) return values;
	const result = { ...values };
	rows.forEach((r, i) => {
		for (const part of INDICATOR_PARTS) {
			if (r[part]) result[indicatorRowField(i, part)] = r[part];
			else delete result[indicatorRowField(i, part)];
		}
	});
	return result;
}

/** The parts of an indicator's row in the form that make each of its readable fields. */
const INDICATOR_FIELD_PARTS: Record<string, readonly IndicatorPart[]> = {
	label: ['label'],
	unit: ['unit'],
	kind: ['kind'],
	target: ['target', 'target_date'],
	baseline: ['baseline', 'baseline_date'],
	state: ['retire']
};

/**
 * One field of an indicator changed by the other edit (`indicator.<id>.<field>`): when this
 * person's row for that indicator still reads as before, the row's parts take the indicator as it
 * is now; a field this person changed too keeps the typing.
 */
function rebaseIndicatorField(
	change: FieldChange,
	changes: FieldChange[],
	typed: Record<string, string>,
	fresh: Record<string, string>,
	typedIndicators: Map<number, IndicatorInput>,
	result: Record<string, string>
): void {
	const match = /^indicator\.(\d+)\.(\w+)$/.exec(change.field);
	const parts = match ? INDICATOR_FIELD_PARTS[match[2]!] : undefined;
	if (!match || !parts) return;
	const id = match[1]!;
	const field = match[2] as Exclude<keyof ReadableIndicator, 'id' | 'stored'>;
	const rowOf = (values: Record<string, string>) =>
		Array.from({ length: MAX_INDICATORS }, (_, i) => i).find(
			(i) => values[indicatorRowField(i, 'id')] === id
		);
	const mine = rowOf(typed);
	const theirs = rowOf(fresh);
	const typedIndicator = typedIndicators.get(Number(id));
	if (mine === undefined || theirs === undefined || !typedIndicator) return;
	// A target or baseline is read in the unit and kind « before » was written with (the other
	// edit's own « before » of them, or the indicator's now when it left them): this person's
	// change of the unit or kind alone leaves the number and date as they were, untouched.
	const before = (part: 'unit' | 'kind') =>
		changes.find((c) => c.field === `indicator.${id}.${part}`)?.before;
	const kindBefore = before('kind');
	const valued = field === 'target' || field === 'baseline';
	const readable = readableIndicator({
		...typedIndicator,
		retiredAt: typedIndicator.retire ? 'retiré' : null,
		...(valued && {
			unit: (before('unit') ?? fresh[indicatorRowField(theirs, 'unit')]) || null,
			kind:
				INDICATOR_KINDS.find((k) => INDICATOR_KIND_NAMES[k] === kindBefore) ??
				(fresh[indicatorRowField(theirs, 'kind')] as IndicatorKind)
		})
	});
	if (readable[field] !== change.before) return;
	for (const part of parts)
		result[indicatorRowField(mine, part)] = fresh[indicatorRowField(theirs, part)] ?? '';
}

/**
 * Said of a title another fiche of the plan bears (not an abandoned one), compared with
 * foldForMatching, by the form that adds a fiche and by the plan's import.
 */
export const ficheTitleTaken = (code: string) => `La fiche ${code} porte déjà ce titre`;

/**
 * The fiche of the plan, other than `except`, that bears `title` (foldForMatching), abandoned ones
 * aside: an abandoned fiche's title may be taken again (a fiche started afresh).
 */
async function liveTwin(trx: Executor, title: string, except?: string) {
	return (await listFiches(trx)).find(
		(f) =>
			f.code !== except &&
			f.status !== 'abandonnee' &&
			foldForMatching(f.title) === foldForMatching(title)
	);
}

/** Adds a fiche to an objective under the next free code; the edit form completes it. */
export async function createFiche(
	db: Db,
	user: User,
	input: RevisionInput & { objectiveId: number; title: string },
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ code: string }>> {
	return db.transaction().execute(async (trx) => {
		const objective = (await listObjectiveChoices(trx)).find((o) => o.id === input.objectiveId);
		if (!objective)
			return invalidFields({ objective: await objectiveChoiceProblem(trx, input.objectiveId) });
		// The same form sent twice (Back then send again, two tabs, a double click without script)
		// would add two public fiches, whose codes are never given again.
		// An abandoned fiche's title may be taken again (a fiche started afresh).
		const twin = await liveTwin(trx, input.title);
		if (twin) {
			const message = `${ficheTitleTaken(twin.code)} : rien n’a été ajouté (un envoi précédent l’a peut-être créée). Pour une autre fiche, donnez-lui un autre titre.`;
			return refuse(409, message, { fieldErrors: { title: message } });
		}
		const refusal = await checkDecision(trx, input.decisionId);
		if (refusal) return refusal;
		const number = nextFicheNumber(await listObjectiveFicheNumbers(trx, objective.id));
		const full = objectiveFull(objective.number, number);
		if (full) return full;
		const code = ficheCode(objective.number, number);
		// Until a commission decision makes it a priority (the only way it changes).
		const id = await insertFiche(trx, {
			code,
			objectiveId: objective.id,
			number,
			title: input.title,
			priority: NEW_FICHE_PRIORITY
		});
		const changes: FieldChange[] = [
			{ field: 'code', label: FICHE_FIELD_LABELS.code, before: '', after: code },
			{
				field: 'objective',
				label: FICHE_FIELD_LABELS.objective,
				before: '',
				after: `${objective.number}. ${objective.label}`
			},
			{ field: 'title', label: FICHE_FIELD_LABELS.title, before: '', after: input.title }
		];
		await recordChange(
			{ trx, user, why: input, clientAddress, now },
			{ entity: 'fiche', entityId: id, ficheId: id, action: 'created', changes },
			{
				action: 'plan.fiche_created',
				target: { type: 'fiche', id: code },
				summary: `Fiche ${code} ajoutée à l’objectif ${objective.number} (${input.title})`,
				before: undefined,
				after: { code, title: input.title, objective: objective.number }
			}
		);
		await refreshSearchText(trx);
		return ok({ code });
	});
}

/**
 * Retires a fiche: status `abandonnee` with its reason. It stays readable with its whole history
 * and is never deleted.
 */
export async function retireFiche(
	db: Db,
	user: User,
	code: string,
	input: RevisionInput & { version: number },
	clientAddress: string | null,
	now = new Date()
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const state = await findFicheState(trx, code);
		if (!state) return refuse(404, FICHE_NOT_FOUND);
		if (state.status === 'abandonnee') return refuse(409, 'Cette fiche est déjà abandonnée.');
		if (state.version !== input.version) return conflictRefusal(FICHE_CONFLICT, [], [], user.id);
		const refusal = await checkDecision(trx, input.decisionId, state.code);
		if (refusal) return refusal;
		const on = parisDate(now);
		if (!(await markFicheRetired(trx, state.id, state.version, input.reason, on)))
			return conflictRefusal(FICHE_CONFLICT, [], [], user.id);
		const status = {
			field: 'status',
			label: FICHE_FIELD_LABELS.status,
			before: STATUS_LABELS[state.status],
			after: STATUS_LABELS.abandonnee
		};
		await recordChange(
			{ trx, user, why: input, clientAddress, now },
			{
				entity: 'fiche',
				entityId: state.id,
				ficheId: state.id,
				action: 'retired',
				changes: [status]
			},
			{
				action: 'plan.fiche_retired',
				target: { type: 'fiche', id: code },
				summary: `Fiche ${code} abandonnée`,
				before: { status: state.status },
				after: { status: 'abandonnee' }
			}
		);
		return ok();
	});
}
