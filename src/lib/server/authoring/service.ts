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
	type IndicatorPart
} from '../../schemas/plan-edit';
import type { StructureLevel } from '../../schemas/plan-structure';
import { markupToRichText, richTextToMarkup } from '../../utils/rich-text-markup';
import { INCOMPLETE_FORM, keepTypedChanges } from '../../schemas/form';
import type { RichText } from '../../utils/rich-text';
import { formatDate, formatNumber, listInWords, plural, pluralize } from '../../utils/format';
import { parisDate } from '../../utils/dates';
import { INDICATOR_KIND_NAMES, indicatorValueProblem } from '../../utils/indicator-kinds';
import {
	FICHE_FIELD_LABELS,
	FICHE_NOT_FOUND,
	ORGANISATION_KIND_LABELS,
	ORGANISATION_KINDS,
	ORGANISATION_NOT_FOUND,
	PLAN_ITEM_NOT_FOUND,
	STATUS_LABELS,
	STRUCTURE_LABELS,
	statusWord
} from '../../utils/vocabulary';
import { FICHE_CODE_PATTERN, foldForMatching, MAX_FICHE_NUMBER, ofName } from '../../utils/text';
import { recordAudit, type AuditInput } from '../audit/repository';
import type { User } from '../auth/users';
import type { Db, Executor } from '../db';
import type { OrganisationKind } from '../db/schema';
import { listFiches, refreshSearchText } from '../plan/repository';
import { listFichesWithAddedAt } from '../commission/repository';
import { invalidFields, ok, refuse, type FieldChange, type Refusal, type Result } from '../result';
import {
	ficheChanges,
	mergeChanges,
	readableIndicator,
	readableOwners,
	readablePartners,
	type ReadableFiche
} from './fiche-changes';
import {
	findOrganisationStates,
	listStructuralRevisions,
	findClosedDecision,
	type DecisionChoice,
	findFicheIdsByCodes,
	findFicheState,
	insertFiche,
	insertIndicator,
	lastFicheRevisionId,
	markFicheRetired,
	listDecisionChoices,
	listRevisionViews,
	listFicheChoices,
	listObjectiveFicheNumbers,
	listObjectiveChoices,
	listOrganisationChoices,
	replaceLinks,
	replaceOwners,
	replacePartners,
	updateFicheFields,
	updateIndicator,
	insertAxis,
	insertObjective,
	insertOrientation,
	listObjectiveFiches,
	listStructure,
	retireStructureRecord,
	updateAxis,
	updateObjective,
	updateOrientation,
	type AxisRecord,
	type FicheState,
	type ObjectiveRecord,
	type OrientationRecord,
	type Structure,
	listIndicatorValues
} from './repository';
import {
	insertRevision,
	listEntityRevisions,
	listFicheRevisions,
	type NewRevision
} from './revisions-repository';
import { ficheFormValues } from './fiche-form';
import { NEW_FICHE_PRIORITY } from './plan-model';
import {
	addAlias,
	countActiveAccounts,
	findAdminOrganisation,
	findOrganisationNamed,
	insertOrganisation,
	listFichesWithTwoOpenUpdates,
	type OpenUpdate,
	listOrganisationFicheIds,
	moveOrganisationRecords,
	findOrganisationWithSlug,
	slugExists,
	updateOrganisation
} from './organisations-repository';

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
		links: state.links.map((l) => l.code).join(', '),
		indicators: state.indicators.map(readableIndicator)
	};
}

const CLOSED_DECISION = 'Choisissez une décision d’une séance close dans la liste.';

/** The refusal of a cited decision: its message beside the field. */
const decisionRefusal = (problem: string) =>
	refuse(400, problem, { fieldErrors: { decision: problem } });

/**
 * The decision `decisionId` as a change of the fiche `ficheCode` may publish it « en application
 * de », or why not: it must be a closed séance's, and bear on the fiche itself or be a free point
 * of a séance held once the fiche was in the plan (its public history would otherwise cite a
 * decision about another fiche, or from before it). One rule for every change of one fiche that
 * cites a decision: its edit, its abandonment, its status (setFicheStatus).
 */
export async function ficheDecision(
	db: Executor,
	ficheCode: string,
	decisionId: number
): Promise<Result<DecisionChoice>> {
	const decision = await findClosedDecision(db, decisionId);
	if (!decision) return decisionRefusal(CLOSED_DECISION);
	if (decision.ficheCode !== null && decision.ficheCode !== ficheCode)
		return decisionRefusal(
			`Cette décision porte sur la fiche ${decision.ficheCode} : choisissez une décision sur la fiche ${ficheCode}, ou sur un point libre de séance.`
		);
	const [{ addedAt } = { addedAt: null }] = await listFichesWithAddedAt(db, [ficheCode]);
	if (addedAt !== null && parisDate(new Date(addedAt)) > decision.heldOn)
		return decisionRefusal(
			`Cette décision date du ${formatDate(decision.heldOn)}, avant l’ajout de la fiche au plan (le ${formatDate(addedAt)}) : elle ne peut pas en décider.`
		);
	return ok(decision);
}

/**
 * The reason and decision of a change: the decision must belong to a closed sitting and, for a
 * change of one fiche (`ficheCode`), bear on it or on a free point (ficheDecision). A new fiche,
 * an organisation or the plan's structure may cite a decision about anything: a fiche split in
 * two on one fiche's agenda item, a merger decided on a free point.
 */
async function checkDecision(
	db: Executor,
	decisionId: number | null,
	ficheCode?: string
): Promise<Refusal | null> {
	if (decisionId === null) return null;
	if (ficheCode !== undefined) {
		const cited = await ficheDecision(db, ficheCode, decisionId);
		return cited.ok ? null : cited;
	}
	return (await findClosedDecision(db, decisionId)) ? null : decisionRefusal(CLOSED_DECISION);
}

/** Who changes the plan, why, from where and when: what each revision and journal line carries. */
interface ChangeContext {
	trx: Executor;
	user: User;
	why: RevisionInput;
	clientAddress: string | null;
	now: Date;
}

/** One revision of an admin's edit (origin « portal »), in the edit's transaction. */
async function addRevision(
	c: ChangeContext,
	revision: Pick<NewRevision, 'entity' | 'entityId' | 'ficheId' | 'action' | 'changes'>
): Promise<void> {
	await insertRevision(c.trx, {
		...revision,
		reason: c.why.reason,
		decisionId: c.why.decisionId,
		origin: 'portal',
		userId: c.user.id,
		createdAt: c.now.toISOString()
	});
}

/**
 * The revision and the journal line of an admin's edit. The journal's summary ends with the
 * reason; its before and after are the changed fields unless given.
 */
async function recordChange(
	c: ChangeContext,
	revision: Pick<NewRevision, 'entity' | 'entityId' | 'ficheId' | 'action' | 'changes'>,
	audit: Pick<AuditInput, 'action' | 'target' | 'summary' | 'before' | 'after'>
): Promise<void> {
	await addRevision(c, revision);
	const { changes } = revision;
	await recordAudit(
		c.trx,
		{
			actor: c.user,
			action: audit.action,
			target: audit.target,
			summary: `${audit.summary} : ${c.why.reason}`,
			before:
				'before' in audit
					? audit.before
					: Object.fromEntries(changes.map((x) => [x.field, x.before])),
			after:
				'after' in audit ? audit.after : Object.fromEntries(changes.map((x) => [x.field, x.after])),
			clientAddress: c.clientAddress
		},
		c.now
	);
}

/** A row's organisation that may no longer be chosen: named, when it exists, retired or merged. */
function organisationGoneMessage(name: string | undefined): string {
	return `${name === undefined ? 'Cette organisation' : `L’organisation « ${name} »`} a été retirée ou fusionnée entre-temps : choisissez-en une autre, ou « aucune » pour retirer la ligne.`;
}
/**
 * The fiches a fiche's form links to, by code, and what is wrong with them: a code no fiche has,
 * or the fiche itself. Also asked when another field is refused, so that the form says it at once.
 */
export async function readLinkedCodes(db: Executor, ficheCode: string, codes: string[]) {
	// A code that is not one is told by the form's schema, with these.
	const wellFormed = codes.filter((c) => FICHE_CODE_PATTERN.test(c));
	const linked = await findFicheIdsByCodes(db, wellFormed);
	const missing = wellFormed.filter((c) => !linked.some((l) => l.code === c));
	// Every problem of the field at once, in one message (walkthrough s47: one at a time).
	const problems = [
		missing.length > 0 &&
			`Aucune fiche ne porte ${plural(missing.length, 'le code', 'les codes')} ${listInWords(missing)}.`,
		wellFormed.includes(ficheCode) && 'Une fiche ne peut pas être liée à elle-même.'
	].filter((p): p is string => typeof p === 'string');
	return { linked, problem: problems.length > 0 ? problems.join(' ') : null };
}

/**
 * The owner or partner rows of a fiche's form that repeat an earlier one as its tables forbid
 * (repeatedOrganisationRows), each refused on its organisation's field, naming the organisation
 * and the row it repeats: saved, they broke the tables' unique keys (a 500, walkthrough s49).
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
 * Why an objective may not be chosen: withdrawn from the plan meanwhile (the page was opened
 * before), said with its name; otherwise not in the list.
 */
async function objectiveChoiceProblem(db: Executor, id: number): Promise<string> {
	const withdrawn = (await listStructure(db)).objectives.find((o) => o.id === id && o.retiredAt);
	return withdrawn
		? withdrawnMeanwhile('objective', withdrawn)
		: 'Choisissez l’objectif dans la liste.';
}

/** « L’axe « … » a été retiré du plan entre-temps : choisissez-en un autre. » */
function withdrawnMeanwhile(level: StructureLevel, record: { label: string; number?: number }) {
	const another = level === 'orientation' ? 'une autre' : 'un autre';
	return `${theStructure(level, record)} a été ${LEVEL_WORDS[level].retired} du plan entre-temps : choisissez-en ${another}.`;
}

export const FICHE_CONFLICT_MESSAGE =
	'Quelqu’un a modifié cette fiche depuis que vous l’avez ouverte : rien n’a été enregistré. Ses changements sont listés ci-dessous ; vos saisies sont gardées. Relisez-les, puis enregistrez à nouveau.';

/** The same conflict when none of its changes can be listed (the page shows no list then). */
export const FICHE_CONFLICT_UNLISTED =
	'Quelqu’un a modifié cette fiche depuis que vous l’avez ouverte : rien n’a été enregistré. Vos saisies sont gardées ; ouvrez la fiche dans un autre onglet pour voir ce qui a changé, puis enregistrez à nouveau.';

/**
 * An edit refused because another came first: its message says that the other edit's changes are
 * listed only when there are some to list (a save overtaken between its reading and its writing,
 * a version moved by something that left no revision, has none).
 */
function conflictRefusal(
	messages: { listed: string; unlisted: string },
	changes: FieldChange[]
): Refusal {
	return refuse(409, changes.length > 0 ? messages.listed : messages.unlisted, { changes });
}

const FICHE_CONFLICT = { listed: FICHE_CONFLICT_MESSAGE, unlisted: FICHE_CONFLICT_UNLISTED };

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
	const { linked, problem } = await readLinkedCodes(trx, state.code, input.linkedCodes);
	if (problem) fieldErrors.links = problem;
	const ownIndicators = new Map(state.indicators.map((i) => [i.id, i]));
	if (input.indicators.some((i) => i.id !== null && !ownIndicators.has(i.id)))
		return refuse(400, INCOMPLETE_FORM);
	// A new kind must fit the values already given: they keep their meaning on the public pages.
	for (const [row, indicator] of input.indicators.entries()) {
		const own = indicator.id === null ? undefined : ownIndicators.get(indicator.id);
		if (!own || own.kind === indicator.kind) continue;
		const misfits = (await listIndicatorValues(trx, own.id)).filter(
			(value) => indicatorValueProblem(indicator.kind, value) !== null
		);
		if (misfits.length > 0)
			fieldErrors[indicatorRowField(row, 'kind')] =
				`Cet indicateur a déjà reçu ${plural(misfits.length, 'une valeur qui ne convient', 'des valeurs qui ne conviennent')} pas à la nature « ${INDICATOR_KIND_NAMES[indicator.kind]} » (${misfits.slice(0, 3).map(formatNumber).join(' ; ')}${misfits.length > 3 ? '…' : ''}) : gardez sa nature, ou retirez-le et créez un nouvel indicateur.`;
	}
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
		links: input.linkedCodes.join(', '),
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
			return conflictRefusal(FICHE_CONFLICT, mergeChanges(since));
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
			return conflictRefusal(FICHE_CONFLICT, []);
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
	// Each indicator as this person's form reads, as the revisions write it.
	const typedIndicators = new Map(
		input.indicators
			.filter((i) => i.id !== null)
			.map((i) => [i.id!, readableIndicator({ ...i, retiredAt: i.retire ? 'retiré' : null })])
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
					? value
							.split(/[\s,;]+/)
							.filter(Boolean)
							.join(', ') === change.before
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
		else rebaseIndicatorField(change, typed, fresh, typedIndicators, result);
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
	typed: Record<string, string>,
	fresh: Record<string, string>,
	typedIndicators: Map<number, ReturnType<typeof readableIndicator>>,
	result: Record<string, string>
): void {
	const match = /^indicator\.(\d+)\.(\w+)$/.exec(change.field);
	const parts = match ? INDICATOR_FIELD_PARTS[match[2]!] : undefined;
	if (!match || !parts) return;
	const id = match[1]!;
	const field = match[2] as keyof ReturnType<typeof readableIndicator>;
	if (typedIndicators.get(Number(id))?.[field] !== change.before) return;
	const rowOf = (values: Record<string, string>) =>
		Array.from({ length: MAX_INDICATORS }, (_, i) => i).find(
			(i) => values[indicatorRowField(i, 'id')] === id
		);
	const mine = rowOf(typed);
	const theirs = rowOf(fresh);
	if (mine === undefined || theirs === undefined) return;
	for (const part of parts)
		result[indicatorRowField(mine, part)] = fresh[indicatorRowField(theirs, part)] ?? '';
}

// ——— Organisations ———

/** A stable address-friendly code from a name: lower case, no accents, words joined by « - ». */
function slugify(name: string, fallback: string, max: number): string {
	const slug = foldForMatching(name)
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, max)
		.replace(/-$/, '');
	return slug || fallback;
}

/** `base`, or `base-2`, `base-3`… : the first that `taken` does not hold. */
async function uniqueSlug(base: string, taken: (slug: string) => boolean | Promise<boolean>) {
	let slug = base;
	for (let n = 2; await taken(slug); n++) slug = `${base}-${n}`;
	return slug;
}

export function organisationSlug(name: string): string {
	return slugify(name, 'organisation', 60);
}

/** The fields of a record that differ, in the order of `labels` (a new record: all but empty). */
function recordChanges<K extends string>(
	labels: Record<K, string>,
	before: Record<K, string> | null,
	after: Record<K, string>
): FieldChange[] {
	return (Object.keys(labels) as K[])
		.filter((field) => (before ? before[field] : '') !== after[field])
		.map((field) => ({
			field,
			label: labels[field],
			before: before ? before[field] : '',
			after: after[field]
		}));
}

interface RevisionInput {
	reason: string;
	decisionId: number | null;
}

/** An organisation's own fields, as stored or as its form sent them. */
interface OrganisationValues {
	name: string;
	fullName: string | null;
	kind: OrganisationKind;
}

/** A kind in the words of a change list (an unknown kind, sent by hand, as it came). */
const kindWords = (kind: string) =>
	ORGANISATION_KINDS.includes(kind as OrganisationKind)
		? ORGANISATION_KIND_LABELS[kind as OrganisationKind]
		: kind;

/**
 * An organisation's own fields, one line each, in the form's order: its form field (its column),
 * the label of its revisions and journal lines, its value as the form shows it, and that value in
 * words. A field added to organisations gets its line here, and nowhere else in this file: its
 * change is then saved, revised, journaled, and kept through a conflict (the form's hidden
 * `shown_…` fields come from here too). organisations.spec.ts fails while the table's columns and
 * these lines differ.
 */
interface OrganisationFieldLine {
	form: string;
	label: string;
	shown: (o: OrganisationValues) => string;
	words?: (shown: string) => string;
}

const ORGANISATION_FIELD_LINES = {
	name: { form: 'name', label: 'Nom', shown: (o: OrganisationValues) => o.name },
	fullName: {
		form: 'full_name',
		label: 'Nom complet',
		shown: (o: OrganisationValues) => o.fullName ?? ''
	},
	kind: {
		form: 'kind',
		label: 'Nature',
		shown: (o: OrganisationValues) => o.kind,
		words: kindWords
	}
} satisfies Record<string, OrganisationFieldLine>;
type OrganisationField = keyof typeof ORGANISATION_FIELD_LINES;
const organisationLines = Object.entries(ORGANISATION_FIELD_LINES) as [
	OrganisationField,
	OrganisationFieldLine
][];

const ORGANISATION_LABELS = {
	...(Object.fromEntries(organisationLines.map(([field, line]) => [field, line.label])) as Record<
		OrganisationField,
		string
	>),
	state: 'État'
};

/** The organisation's fields as its form shows them, by form field (`full_name`…). */
export function organisationFormValues(o: OrganisationValues): Record<string, string> {
	return Object.fromEntries(organisationLines.map(([, line]) => [line.form, line.shown(o)]));
}

/** The hidden fields of an organisation's form: its fields as the page showed them. */
export const ORGANISATION_SHOWN_FIELDS = organisationLines.map(([, line]) => `shown_${line.form}`);

/** The fields as the page showed them, read from ORGANISATION_SHOWN_FIELDS. */
export function organisationShown(values: Record<string, string>): OrganisationShown {
	return Object.fromEntries(
		organisationLines.map(([field, line]) => [field, values[`shown_${line.form}`] ?? ''])
	) as OrganisationShown;
}

/** Shown values in the words of a change list, plus the state. */
function inWords(shown: OrganisationShown, state: string) {
	return {
		...(Object.fromEntries(
			organisationLines.map(([field, line]) => [field, (line.words ?? String)(shown[field])])
		) as OrganisationShown),
		state
	};
}

function organisationReadable(o: OrganisationValues & { retiredAt: string | null }) {
	const shown = Object.fromEntries(
		organisationLines.map(([field, line]) => [field, line.shown(o)])
	) as OrganisationShown;
	return inWords(shown, o.retiredAt ? `retirée le ${formatDate(o.retiredAt)}` : 'active');
}

function organisationChanges(
	before: ReturnType<typeof organisationReadable> | null,
	after: ReturnType<typeof organisationReadable>
): FieldChange[] {
	return recordChanges(ORGANISATION_LABELS, before, after);
}

/** The revision and the journal line of a change to an organisation, in its transaction. */
async function recordOrganisationChange(
	trx: Executor,
	user: User,
	organisationId: number,
	action: 'created' | 'updated' | 'merged' | 'retired',
	changes: FieldChange[],
	input: RevisionInput,
	summary: string,
	clientAddress: string | null,
	now: Date
): Promise<void> {
	await recordChange(
		{ trx, user, why: input, clientAddress, now },
		{ entity: 'organisation', entityId: organisationId, ficheId: null, action, changes },
		{
			action: `plan.organisation_${action}`,
			target: { type: 'organisation', id: organisationId },
			summary
		}
	);
}

/** The organisation an edit changes (its id, its name now), or null for a new one. */
type EditedOrganisation = { id: number; name: string } | null;

/**
 * Said of a title another fiche of the plan bears (not an abandoned one), compared with
 * foldForMatching, by the form that adds a fiche and by the plan's import.
 */
export const ficheTitleTaken = (code: string) => `La fiche ${code} porte déjà ce titre`;

/** Said of a name another organisation has or had, by its form and by the plan's import. */
export const organisationNameTaken = (other: string) =>
	`« ${other} » porte déjà ce nom ou l’a porté : choisissez-la, ou fusionnez.`;

/**
 * The message under an organisation's name when another organisation has or had it, or null. A
 * name the organisation already has is none (read-back s44: one named, before that rule, as another's
 * identifier could no longer have its kind or full name changed): `edited` is what the caller read.
 */
async function organisationNameProblem(db: Executor, name: string, edited: EditedOrganisation) {
	if (edited?.name === name.trim()) return null;
	const exceptId = edited?.id ?? null;
	const other = await findOrganisationNamed(db, name, exceptId);
	if (other) return organisationNameTaken(other.name);
	// A command naming it (user:create --organisation) would find the other one.
	const withSlug = await findOrganisationWithSlug(db, name.trim(), exceptId);
	return withSlug
		? `« ${name.trim()} » est l’identifiant de l’organisation « ${withSlug.name} » : choisissez un autre nom.`
		: null;
}

async function nameTaken(trx: Executor, name: string, edited: EditedOrganisation) {
	const problem = await organisationNameProblem(trx, name, edited);
	return problem ? invalidFields({ name: problem }) : null;
}

/**
 * An organisation's form refused for other fields: its name's problem too, if it has one (another
 * organisation's name), so that every problem is told at once, not the name on the next attempt.
 */
export async function withOrganisationNameProblem(
	db: Executor,
	errors: Record<string, string>,
	name: string,
	exceptId: number | null
): Promise<Record<string, string>> {
	if (errors.name || name.trim() === '') return errors;
	const edited = exceptId === null ? null : ((await findAdminOrganisation(db, exceptId)) ?? null);
	const problem = await organisationNameProblem(db, name.trim(), edited);
	// The name first, as in the form.
	return problem ? { name: problem, ...errors } : errors;
}

export async function createOrganisation(
	db: Db,
	user: User,
	input: RevisionInput & { name: string; fullName: string | null; kind: OrganisationKind },
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ id: number }>> {
	return db.transaction().execute(async (trx) => {
		const refusal =
			(await nameTaken(trx, input.name, null)) ?? (await checkDecision(trx, input.decisionId));
		if (refusal) return refusal;
		const slug = await uniqueSlug(organisationSlug(input.name), (x) => slugExists(trx, x));
		const id = await insertOrganisation(trx, { slug, ...input });
		const changes = organisationChanges(null, organisationReadable({ ...input, retiredAt: null }));
		await recordOrganisationChange(
			trx,
			user,
			id,
			'created',
			changes,
			input,
			`Organisation « ${input.name} » créée`,
			clientAddress,
			now
		);
		return ok({ id });
	});
}

const ORGANISATION_CONFLICT =
	'Quelqu’un a modifié cette organisation depuis que vous avez ouvert la page : rien n’a été enregistré. Rechargez la page pour voir son état actuel.';

/** The organisation's fields as its form showed them when it was opened. */
export type OrganisationShown = Record<OrganisationField, string>;

/**
 * Rename (the former name stays findable), full name and kind. `shown`: the fields as the form
 * showed them; when another change came first, the refusal lists what it changed in them.
 */
export async function editOrganisation(
	db: Db,
	user: User,
	id: number,
	input: RevisionInput & {
		version: number;
		name: string;
		fullName: string | null;
		kind: OrganisationKind;
		shown?: OrganisationShown | null;
	},
	clientAddress: string | null,
	now = new Date()
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const current = await findAdminOrganisation(trx, id);
		if (!current) return refuse(404, ORGANISATION_NOT_FOUND);
		// Merged into another (maybe in another tab meanwhile): its name is now that one's former
		// name, and renaming it would list it apart again.
		const into = current.mergedInto;
		if (into)
			return refuse(
				409,
				`L’organisation « ${current.name} » a été fusionnée dans « ${into.name} » : elle ne se modifie plus. Rien n’a été enregistré ; modifiez « ${into.name} » s’il y a lieu.`
			);
		if (current.version !== input.version) {
			if (!input.shown) return refuse(409, ORGANISATION_CONFLICT);
			const changes = organisationChanges(inWords(input.shown, ''), {
				...organisationReadable(current),
				state: ''
			});
			// Changed elsewhere than in these fields (a former name, a merge into it): nothing typed
			// would undo it, the form is simply sent again.
			return refuse(
				409,
				changes.length > 0 ? ORGANISATION_EDITED_MEANWHILE : ORGANISATION_TOUCHED,
				{
					changes
				}
			);
		}
		const refusal =
			(await nameTaken(trx, input.name, current)) ?? (await checkDecision(trx, input.decisionId));
		if (refusal) return refusal;
		const changes = organisationChanges(
			organisationReadable(current),
			organisationReadable({ ...input, retiredAt: current.retiredAt })
		);
		if (changes.length === 0) return refuse(400, 'Aucune modification à enregistrer.');
		if (
			!(await updateOrganisation(trx, id, input.version, {
				...input,
				retiredAt: current.retiredAt
			}))
		)
			return refuse(409, ORGANISATION_CONFLICT);
		if (input.name !== current.name) await addAlias(trx, id, current.name, now.toISOString());
		await recordOrganisationChange(
			trx,
			user,
			id,
			'updated',
			changes,
			input,
			`Organisation « ${input.name} » modifiée`,
			clientAddress,
			now
		);
		await refreshSearchText(trx);
		return ok();
	});
}

const ORGANISATION_EDITED_MEANWHILE =
	'Quelqu’un a modifié cette organisation depuis que vous avez ouvert la page : rien n’a été enregistré. Ce qui a changé est montré ci-dessous ; vos changements sont conservés, les champs que vous n’aviez pas touchés ont repris leur valeur actuelle : relisez, puis enregistrez à nouveau.';

const ORGANISATION_TOUCHED =
	'Quelqu’un a modifié cette organisation depuis que vous avez ouvert la page (ses anciens noms ou ses fiches), sans toucher à ces champs : rien n’a été enregistré. Votre saisie est conservée : enregistrez à nouveau.';

/**
 * After an edit refused because another came first: what the person typed, except in the fields
 * they had left as the form showed them, which take the organisation as it is now — saving again
 * keeps the other's change. Fields are the form's (ORGANISATION_FIELD_LINES).
 */
export async function rebaseOrganisationTyping(
	db: Db,
	id: number,
	typed: Record<string, string>,
	shown: OrganisationShown
): Promise<Record<string, string>> {
	const current = await findAdminOrganisation(db, id);
	if (!current) return typed;
	return keepTypedChanges(
		typed,
		organisationLines.map(([field, line]) => [line.form, shown[field], line.shown(current)])
	);
}

export async function retireOrganisation(
	db: Db,
	user: User,
	id: number,
	input: RevisionInput & { version: number },
	clientAddress: string | null,
	now = new Date()
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const current = await findAdminOrganisation(trx, id);
		if (!current) return refuse(404, ORGANISATION_NOT_FOUND);
		if (current.version !== input.version) return refuse(409, ORGANISATION_CONFLICT);
		if (current.retiredAt) return refuse(409, 'Cette organisation est déjà retirée.');
		// Its partners would keep signing in for fiches no campaign expects of it any more, and be
		// thanked for updates they never sent: their accounts go first, or follow a merge.
		const accounts = await countActiveAccounts(trx, id);
		if (accounts > 0)
			return refuse(
				409,
				`L’organisation « ${current.name} » a encore ${pluralize(accounts, 'compte actif', 'comptes actifs')} (partenaires, ou invitations pas encore acceptées) : désactivez-les à /admin/utilisateurs, ou fusionnez-la dans l’organisation qui la remplace (ses comptes la suivent), avant de la retirer. Rien n’a été enregistré.`
			);
		const refusal = await checkDecision(trx, input.decisionId);
		if (refusal) return refusal;
		const retiredAt = parisDate(now);
		if (!(await updateOrganisation(trx, id, input.version, { ...current, retiredAt })))
			return refuse(409, ORGANISATION_CONFLICT);
		const changes = organisationChanges(
			organisationReadable(current),
			organisationReadable({ ...current, retiredAt })
		);
		await recordOrganisationChange(
			trx,
			user,
			id,
			'retired',
			changes,
			input,
			`Organisation « ${current.name} » retirée`,
			clientAddress,
			now
		);
		return ok();
	});
}

const OPEN_UPDATE_WORDS: Record<OpenUpdate['state'], string> = {
	draft: 'un brouillon',
	submitted: 'une mise à jour soumise',
	returned: 'une mise à jour renvoyée'
};

/**
 * Why two organisations may not merge yet: on each fiche, what each holds, and who may act. Only a
 * validation closes an update (a return leaves it open); a draft or a returned update is its
 * organisation's to submit, which staff cannot do for it.
 */
function twoOpenUpdatesMessage(clash: OpenUpdate[]): string {
	const codes = [...new Set(clash.map((u) => u.code))];
	const held = (code: string) =>
		listInWords(
			clash
				.filter((u) => u.code === code)
				.map((u) => `${OPEN_UPDATE_WORDS[u.state]} ${ofName(u.organisation)}`)
		);
	const head =
		codes.length === 1
			? `Les deux organisations ont chacune une mise à jour en cours de la fiche ${codes[0]} : ${held(codes[0]!)}.`
			: `Les deux organisations ont chacune une mise à jour en cours des fiches ${listInWords(codes)} : ${codes.map((c) => `${c}, ${held(c)}`).join(' ; ')}.`;
	const unsubmitted = clash.filter((u) => u.state !== 'submitted');
	const toSubmit = [...new Set(unsubmitted.map((u) => u.organisation))];
	// Nobody can submit for an organisation without an account: staff must give it one first.
	const withoutAccount = [
		...new Set(unsubmitted.filter((u) => !u.hasAccount).map((u) => u.organisation))
	];
	const steps = [
		clash.some((u) => u.state === 'submitted')
			? 'une mise à jour soumise se valide à /admin/suivis'
			: '',
		toSubmit.length > 0
			? `un brouillon ou une mise à jour renvoyée ne peut être soumis que par un compte de son organisation (${toSubmit.join(' ou ')}), puis se valide`
			: '',
		withoutAccount.length > 0
			? `${listInWords(withoutAccount)} ${plural(withoutAccount.length, 'n’a', 'n’ont')} aucun compte actif : créez-en ou réactivez-en un à /admin/utilisateurs, pour qu’une personne de l’organisation soumette ou reprenne ce qu’elle a en cours`
			: ''
	].filter(Boolean);
	return `${head} Pour fusionner, l’une des deux doit être validée (un renvoi la laisse en cours) : ${steps.join(' ; ')}. Rien n’a été enregistré.`;
}

/**
 * Merges `absorbedId` into `input.into`: every owner, partner, account and progress update
 * follows; the absorbed name becomes a former name of the one kept, and the absorbed record is
 * retired. Each fiche whose owners or partners change gets its revision.
 */
export async function mergeOrganisations(
	db: Db,
	user: User,
	absorbedId: number,
	input: RevisionInput & { version: number; into: number },
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ keptId: number }>> {
	return db.transaction().execute(async (trx) => {
		const absorbed = await findAdminOrganisation(trx, absorbedId);
		const kept = await findAdminOrganisation(trx, input.into);
		if (!absorbed) return refuse(404, ORGANISATION_NOT_FOUND);
		if (absorbed.version !== input.version) return refuse(409, ORGANISATION_CONFLICT);
		if (!kept || kept.retiredAt || kept.id === absorbed.id)
			return refuse(400, 'Choisissez une autre organisation, active, dans la liste.', {
				fieldErrors: { into: 'Choisissez une autre organisation, active, dans la liste.' }
			});
		const refusal = await checkDecision(trx, input.decisionId);
		if (refusal) return refusal;
		const clash = await listFichesWithTwoOpenUpdates(trx, absorbed.id, kept.id);
		if (clash.length > 0) return refuse(409, twoOpenUpdatesMessage(clash));
		const ficheIds = await listOrganisationFicheIds(trx, absorbed.id);
		const fiches = (await listFicheChoices(trx)).filter((f) => ficheIds.includes(f.id));
		const before = new Map<number, FicheState>();
		for (const f of fiches) before.set(f.id, (await findFicheState(trx, f.code))!);

		await moveOrganisationRecords(trx, absorbed.id, kept.id);
		await addAlias(trx, kept.id, absorbed.name, now.toISOString());
		const retiredAt = parisDate(now);
		await updateOrganisation(trx, absorbed.id, absorbed.version, { ...absorbed, retiredAt });
		const changes: FieldChange[] = [
			{ field: 'merged', label: 'Fusion', before: absorbed.name, after: kept.name }
		];
		await recordOrganisationChange(
			trx,
			user,
			kept.id,
			'merged',
			changes,
			input,
			`Organisation « ${absorbed.name} » fusionnée dans « ${kept.name} »`,
			clientAddress,
			now
		);
		for (const f of fiches) {
			const old = before.get(f.id)!;
			const updated = (await findFicheState(trx, f.code))!;
			const ficheChanges: FieldChange[] = [];
			const owners = [readableOwners(old.owners), readableOwners(updated.owners)] as const;
			const partners = [
				readablePartners(old.partners),
				readablePartners(updated.partners)
			] as const;
			if (owners[0] !== owners[1])
				ficheChanges.push({
					field: 'owners',
					label: FICHE_FIELD_LABELS.owners,
					before: owners[0],
					after: owners[1]
				});
			if (partners[0] !== partners[1])
				ficheChanges.push({
					field: 'partners',
					label: FICHE_FIELD_LABELS.partners,
					before: partners[0],
					after: partners[1]
				});
			if (ficheChanges.length === 0) continue;
			await addRevision(
				{ trx, user, why: input, clientAddress, now },
				{ entity: 'fiche', entityId: f.id, ficheId: f.id, action: 'merged', changes: ficheChanges }
			);
		}
		await refreshSearchText(trx);
		return ok({ keptId: kept.id });
	});
}

// ——— Structure ———

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
		const twin = (await listFiches(trx)).find(
			(f) => f.status !== 'abandonnee' && foldForMatching(f.title) === foldForMatching(input.title)
		);
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
		if (state.version !== input.version) return refuse(409, FICHE_CONFLICT_UNLISTED);
		const refusal = await checkDecision(trx, input.decisionId, state.code);
		if (refusal) return refusal;
		const on = parisDate(now);
		if (!(await markFicheRetired(trx, state.id, state.version, input.reason, on)))
			return refuse(409, FICHE_CONFLICT_UNLISTED);
		const status = {
			field: 'status',
			label: 'Statut',
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

// ——— Structure: axes, orientations, objectives ———

export const STRUCTURE_CONFLICT_MESSAGE =
	'Quelqu’un a modifié cet élément du plan depuis que vous avez ouvert la page : rien n’a été enregistré. Ses changements sont listés ci-dessous ; vos saisies sont gardées. Relisez-les, puis enregistrez à nouveau.';

/** The same conflict when none of its changes can be listed (`conflictRefusal`). */
export const STRUCTURE_CONFLICT_UNLISTED =
	'Quelqu’un a modifié cet élément du plan depuis que vous avez ouvert la page : rien n’a été enregistré. Vos saisies sont gardées ; ouvrez la page dans un autre onglet pour voir ce qui a changé, puis enregistrez à nouveau.';

const STRUCTURE_CONFLICT = {
	listed: STRUCTURE_CONFLICT_MESSAGE,
	unlisted: STRUCTURE_CONFLICT_UNLISTED
};

/** What the forms of an axis, an orientation or an objective send. */
export interface StructureInput extends RevisionInput {
	/** The version and the newest revision the edit form was opened with (null: a new record). */
	version: number | null;
	seenRevision: number | null;
	label: string;
	/** An axis's short name (« solidarité »). */
	shortName: string | null;
	/** An objective's short label in the syntheses. */
	synthesisLabel: string | null;
	/** The axis of an orientation, the orientation of an objective (null for an axis). */
	parentId: number | null;
}

const LEVEL_WORDS = {
	axis: {
		parent: null,
		parentField: null,
		added: 'ajouté',
		changed: 'modifié',
		moved: 'rattaché',
		retired: 'retiré'
	},
	orientation: {
		parent: 'axe',
		parentField: 'axis',
		added: 'ajoutée',
		changed: 'modifiée',
		moved: 'rattachée',
		retired: 'retirée'
	},
	objective: {
		parent: 'orientation',
		parentField: 'orientation',
		added: 'ajouté',
		changed: 'modifié',
		moved: 'rattaché',
		retired: 'retiré'
	}
} as const;

type StructureRecord = AxisRecord | OrientationRecord | ObjectiveRecord;

function recordsOf(structure: Structure, level: StructureLevel): StructureRecord[] {
	return level === 'axis'
		? structure.axes
		: level === 'orientation'
			? structure.orientations
			: structure.objectives;
}

/** A record as a sentence begins with it: « L’axe « … » », « L’objectif 4 « … » » (each a vowel). */
function theStructure(level: StructureLevel, record: { label: string; number?: number }) {
	return `L’${structureName(level, record).replace(/^./, (c) => c.toLowerCase())}`;
}

/** How a person names a record: « Axe « … » », « Orientation « … » », « Objectif 4 « … » ». */
function structureName(level: StructureLevel, record: { label: string; number?: number }) {
	if (level === 'axis') return `Axe « ${record.label} »`;
	if (level === 'orientation') return `Orientation « ${record.label} »`;
	return `Objectif ${record.number} « ${record.label} »`;
}

/** A record in the words of a revision (the parent by its label). */
function readableRecord(
	structure: Structure,
	level: StructureLevel,
	r: StructureRecord
): Record<string, string> {
	const label = (list: { id: number; label: string }[], id: number) =>
		list.find((x) => x.id === id)?.label ?? '';
	if (level === 'axis') {
		const a = r as AxisRecord;
		return { code: a.code, short_name: a.shortName, label: a.label };
	}
	if (level === 'orientation') {
		const o = r as OrientationRecord;
		return { code: o.code, axis: label(structure.axes, o.axisId), label: o.label };
	}
	const o = r as ObjectiveRecord;
	return {
		number: String(o.number),
		orientation: label(structure.orientations, o.orientationId),
		label: o.label,
		synthesis_label: o.synthesisLabel ?? ''
	};
}

/** The axis an orientation is on. */
function axisOf(structure: Structure, orientationId: number): AxisRecord | undefined {
	const axisId = structure.orientations.find((o) => o.id === orientationId)?.axisId;
	return structure.axes.find((a) => a.id === axisId);
}

/**
 * A change of `field` as a revision lists it, or null when before and after are the same.
 * Exported for the plan's workbook, whose moves revise fiches as the forms do.
 */
export function fieldChange(
	field: string,
	label: string,
	before: string,
	after: string
): FieldChange | null {
	return before === after ? null : { field, label, before, after };
}

/** What is in the plan today: withdrawn records left out. */
function inPlan<T extends { retiredAt: string | null }>(records: T[]): T[] {
	return records.filter((r) => r.retiredAt === null);
}

/** The records a record of `level` may be placed under (none for an axis). */
function parentsOf(structure: Structure, level: StructureLevel): StructureRecord[] {
	const parents: StructureRecord[] =
		level === 'orientation' ? structure.axes : level === 'objective' ? structure.orientations : [];
	return inPlan(parents);
}

/** « L’objectif 18 « … » a été retiré du plan le 4 décembre 2026 : … » */
function retiredMessage(level: StructureLevel, record: StructureRecord): string {
	const pronoun = level === 'orientation' ? 'elle' : 'il';
	return `${theStructure(level, record as { label: string; number?: number })} a été ${LEVEL_WORDS[level].retired} du plan le ${formatDate(record.retiredAt!)} : ${pronoun} ne se modifie plus.`;
}

function parentOf(level: StructureLevel, r: StructureRecord): number | null {
	if (level === 'orientation') return (r as OrientationRecord).axisId;
	if (level === 'objective') return (r as ObjectiveRecord).orientationId;
	return null;
}

/** The record as the form asks it to be: a new one takes a new code, number and position. */
async function nextRecord(
	structure: Structure,
	level: StructureLevel,
	current: StructureRecord | undefined,
	input: StructureInput
): Promise<StructureRecord> {
	const records = recordsOf(structure, level);
	const next = (values: number[]) => values.reduce((max, n) => Math.max(max, n), 0) + 1;
	const code = async (fallback: string) =>
		current
			? (current as AxisRecord).code
			: uniqueSlug(slugify(input.label, fallback, 40), (slug) =>
					records.some((x) => (x as AxisRecord).code === slug)
				);
	const base = {
		id: current?.id ?? 0,
		version: current?.version ?? 1,
		label: input.label,
		retiredAt: current?.retiredAt ?? null
	};
	if (level === 'axis')
		return {
			...base,
			code: await code('axe'),
			shortName: input.shortName ?? '',
			position:
				(current as AxisRecord | undefined)?.position ??
				next(inPlan(structure.axes).map((a) => a.position))
		};
	if (level === 'orientation')
		return {
			...base,
			code: await code('orientation'),
			axisId: input.parentId!,
			position:
				(current as OrientationRecord | undefined)?.position ??
				next(inPlan(structure.orientations).map((o) => o.position))
		};
	return {
		...base,
		number:
			(current as ObjectiveRecord | undefined)?.number ??
			next(structure.objectives.map((o) => o.number)),
		orientationId: input.parentId!,
		synthesisLabel: input.synthesisLabel
	};
}

async function writeRecord(
	trx: Executor,
	level: StructureLevel,
	record: StructureRecord,
	expectedVersion: number | null
): Promise<number | null> {
	// The repository writes the record's columns: its id and version are left out.
	const { id } = record;
	if (expectedVersion === null) {
		if (level === 'axis') return insertAxis(trx, record as AxisRecord);
		if (level === 'orientation') return insertOrientation(trx, record as OrientationRecord);
		return insertObjective(trx, record as ObjectiveRecord);
	}
	const saved =
		level === 'axis'
			? await updateAxis(trx, id, record as AxisRecord, expectedVersion)
			: level === 'orientation'
				? await updateOrientation(trx, id, record as OrientationRecord, expectedVersion)
				: await updateObjective(trx, id, record as ObjectiveRecord, expectedVersion);
	return saved ? id : null;
}

/**
 * Adds an axis, an orientation or an objective (`id` null), or edits one: renames it, or moves an
 * orientation to another axis, an objective to another orientation (its fiches follow and keep
 * their codes: a code follows the objective's number, which never changes). One transaction with
 * the revision (reason, optional decision of a closed sitting, fields before → after), a revision
 * on each fiche that changes orientation, and one journal line. Codes of axes and orientations
 * are stable slugs: renaming changes the label only. Refused without change when another edit came
 * first (`version`), with what it changed.
 */
export async function saveStructure(
	db: Db,
	user: User,
	level: StructureLevel,
	id: number | null,
	input: StructureInput,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ id: number }>> {
	return db.transaction().execute(async (trx) => {
		const structure = await listStructure(trx);
		const words = LEVEL_WORDS[level];
		const current = id === null ? undefined : recordsOf(structure, level).find((r) => r.id === id);
		if (id !== null && !current) return refuse(404, PLAN_ITEM_NOT_FOUND);
		if (current?.retiredAt) return refuse(409, retiredMessage(level, current));
		if (current && input.version === null) return refuse(400, INCOMPLETE_FORM);
		if (current && current.version !== input.version) {
			const since = (await listEntityRevisions(trx, level, current.id))
				.filter((r) => r.id > (input.seenRevision ?? 0))
				.reverse();
			return conflictRefusal(STRUCTURE_CONFLICT, mergeChanges(since));
		}
		const fieldErrors: Record<string, string> = {};
		const parents = parentsOf(structure, level);
		if (words.parent && !parents.some((p) => p.id === input.parentId)) {
			// Withdrawn meanwhile (the page was opened before): said with its name.
			const parentLevel = level === 'orientation' ? 'axis' : 'orientation';
			const withdrawn = recordsOf(structure, parentLevel).find(
				(p) => p.id === input.parentId && p.retiredAt
			);
			fieldErrors.parent = withdrawn
				? withdrawnMeanwhile(parentLevel, withdrawn as { label: string })
				: `Choisissez l’${words.parent} dans la liste.`;
		}
		// A withdrawn element's label may be taken again (its code, or number, is not).
		const same = inPlan(recordsOf(structure, level)).find(
			(r) => r.id !== id && foldForMatching(r.label) === foldForMatching(input.label)
		);
		if (same)
			fieldErrors.label = `${theStructure(level, same as { label: string; number?: number })} porte déjà cet intitulé.`;
		// The short name names the axis in filters and charts: two alike could not be told apart.
		const twin =
			level === 'axis'
				? inPlan(structure.axes).find(
						(a) =>
							a.id !== id && foldForMatching(a.shortName) === foldForMatching(input.shortName ?? '')
					)
				: undefined;
		if (twin) fieldErrors.short_name = `L’axe « ${twin.label} » porte déjà ce nom court.`;
		if (Object.keys(fieldErrors).length > 0) return invalidFields(fieldErrors);
		const refusal = await checkDecision(trx, input.decisionId);
		if (refusal) return refusal;

		const record = await nextRecord(structure, level, current, input);
		const labels: Record<string, string> = STRUCTURE_LABELS[level];
		const changes = recordChanges(
			labels,
			current ? readableRecord(structure, level, current) : null,
			readableRecord(structure, level, record)
		);
		if (changes.length === 0)
			return refuse(400, 'Aucune modification à enregistrer : l’élément est déjà ainsi.');
		const moved = current !== undefined && parentOf(level, current) !== parentOf(level, record);
		const savedId = await writeRecord(trx, level, record, current ? current.version : null);
		if (savedId === null) return conflictRefusal(STRUCTURE_CONFLICT, []);
		const context = { trx, user, why: input, clientAddress, now };
		const parentChange = changes.find((c) => c.field === words.parentField);
		const name = structureName(level, record as { label: string; number?: number });
		await recordChange(
			context,
			{
				entity: level,
				entityId: savedId,
				ficheId: null,
				action: !current ? 'created' : moved ? 'moved' : 'updated',
				changes
			},
			{
				action: 'plan.structure_changed',
				target: { type: level, id: savedId },
				summary: !current
					? `${name} ${words.added} au plan`
					: moved
						? `${name} ${words.moved} à l’${words.parent} « ${parentChange?.after ?? ''} »`
						: `${name} ${words.changed} (${changes.map((c) => c.label).join(', ')})`
			}
		);
		// The fiches of a moved objective change orientation, those of a moved orientation change
		// axis: each says so in its own list.
		const objectiveIds =
			level === 'objective'
				? [savedId]
				: level === 'orientation'
					? structure.objectives.filter((o) => o.orientationId === savedId).map((o) => o.id)
					: [];
		// An objective moved into an orientation of another axis changes its fiches' axis too.
		const [axisBefore, axisAfter] = [current, record].map((r) =>
			level === 'objective' && r
				? axisOf(structure, (r as ObjectiveRecord).orientationId)
				: undefined
		);
		const axisChange =
			parentChange && axisBefore && axisAfter && axisBefore.id !== axisAfter.id
				? fieldChange('axis', STRUCTURE_LABELS.orientation.axis, axisBefore.label, axisAfter.label)
				: null;
		if (parentChange)
			await reviseMovedFiches(
				trx,
				objectiveIds,
				[parentChange, ...(axisChange ? [axisChange] : [])],
				{
					reason: input.reason,
					decisionId: input.decisionId,
					origin: 'portal',
					userId: user.id,
					createdAt: now.toISOString()
				}
			);
		return ok({ id: savedId });
	});
}

/**
 * The fiches of a moved objective change orientation (and axis, when the orientation is on another
 * one), those of a moved orientation change axis: each gets a revision with `changes` (the parent,
 * before → after, by label), whether the element was moved from its form or by an import of the
 * plan's workbook.
 */
export async function reviseMovedFiches(
	trx: Executor,
	objectiveIds: number[],
	changes: FieldChange[],
	stamp: Pick<NewRevision, 'reason' | 'decisionId' | 'origin' | 'userId' | 'createdAt'>
): Promise<void> {
	for (const objectiveId of objectiveIds)
		for (const fiche of await listObjectiveFiches(trx, objectiveId))
			await insertRevision(trx, {
				entity: 'fiche',
				entityId: fiche.id,
				ficheId: fiche.id,
				action: 'updated',
				changes,
				...stamp
			});
}

/**
 * What the page of an axis, an orientation or an objective needs: the record (none for a new one),
 * its form filled in, the parents to pick from, its fiches (an objective), its revisions (newest
 * first) and the decisions an edit may apply. `parentId` preselects the parent of a new record.
 */
export async function structureEditor(
	db: Db,
	level: StructureLevel,
	id: number | null,
	parentId: number | null = null
) {
	const structure = await listStructure(db);
	const record = id === null ? undefined : recordsOf(structure, level).find((r) => r.id === id);
	if (id !== null && !record) return refuse(404, PLAN_ITEM_NOT_FOUND);
	// Staff only: who made each change is shown (as on the fiche's own form).
	const revisions = record
		? (await listRevisionViews(db, { entity: level, id: record.id }, undefined, { authors: true }))
				.revisions
		: [];
	const parents = parentsOf(structure, level).map((p) => ({ id: p.id, label: p.label }));
	const parent = record ? parentOf(level, record) : parentId;
	return ok({
		record: record
			? {
					id: record.id,
					name: structureName(level, record as { label: string; number?: number }),
					code: 'code' in record ? record.code : String(record.number),
					retired: record.retiredAt ? retiredMessage(level, record) : null,
					// Why it may not be withdrawn now (null: it may).
					keptBy: record.retiredAt ? null : await retireBlocker(db, structure, level, record)
				}
			: null,
		values: {
			version: record ? String(record.version) : '',
			seen_revision: String(revisions[0]?.id ?? 0),
			label: record?.label ?? '',
			short_name: (record as AxisRecord | undefined)?.shortName ?? '',
			synthesis_label: (record as ObjectiveRecord | undefined)?.synthesisLabel ?? '',
			parent: parent === null ? '' : String(parent)
		} as Record<string, string>,
		parents,
		fiches:
			record && level === 'objective'
				? (await listObjectiveFiches(db, record.id)).map((f) => f.code)
				: [],
		revisions,
		decisions: await listDecisionChoices(db)
	});
}

/**
 * Why an axis, an orientation or an objective may not be withdrawn from the plan: what still lies
 * under it (an objective's fiches, abandoned ones included: they stay readable in their place; an
 * orientation's or an axis's elements still in the plan), or its being the plan's last axis.
 */
async function retireBlocker(
	db: Executor,
	structure: Structure,
	level: StructureLevel,
	record: StructureRecord
): Promise<string | null> {
	const name = theStructure(level, record as { label: string; number?: number });
	if (level === 'objective') {
		const fiches = (await listObjectiveFiches(db, record.id)).map((f) => f.code);
		if (fiches.length === 0) return null;
		return `${name} porte encore ${plural(fiches.length, 'la fiche', 'les fiches')} ${listInWords(fiches)} : ${plural(fiches.length, 'rattachez-la', 'rattachez-les')} d’abord à un autre objectif (une fiche abandonnée reste lisible sous son objectif, qui reste alors au plan).`;
	}
	if (level === 'orientation') {
		const objectives = inPlan(structure.objectives).filter((o) => o.orientationId === record.id);
		if (objectives.length === 0) return null;
		return `${name} porte encore ${plural(objectives.length, 'l’objectif', 'les objectifs')} ${listInWords(objectives.map((o) => String(o.number)))} : ${plural(objectives.length, 'rattachez-le d’abord à une autre orientation, ou retirez-le', 'rattachez-les d’abord à une autre orientation, ou retirez-les')}.`;
	}
	const orientations = inPlan(structure.orientations).filter((o) => o.axisId === record.id);
	if (orientations.length > 0)
		return `${name} porte encore ${plural(orientations.length, 'l’orientation', 'les orientations')} ${listInWords(orientations.map((o) => `« ${o.label} »`))} : ${plural(orientations.length, 'rattachez-la d’abord à un autre axe, ou retirez-la', 'rattachez-les d’abord à un autre axe, ou retirez-les')}.`;
	if (inPlan(structure.axes).length === 1) return `${name} est le dernier axe du plan.`;
	return null;
}

/**
 * Withdraws an empty axis, orientation or objective from the plan (one added by mistake, or left
 * empty once its elements moved): it leaves every page, list and file of today's plan, and stays in
 * the history with its reason; its code, or number, is never given again. One transaction with
 * its revision and journal line; refused when something still lies under it, or when another edit
 * came first (`version`).
 */
export async function retireStructure(
	db: Db,
	user: User,
	level: StructureLevel,
	id: number,
	input: RevisionInput & { version: number },
	clientAddress: string | null,
	now = new Date()
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const structure = await listStructure(trx);
		const current = recordsOf(structure, level).find((r) => r.id === id);
		if (!current) return refuse(404, PLAN_ITEM_NOT_FOUND);
		if (current.retiredAt)
			return refuse(409, retiredMessage(level, current), { reason: 'withdrawn' });
		if (current.version !== input.version) return refuse(409, STRUCTURE_RETIRE_CONFLICT);
		const blocker = await retireBlocker(trx, structure, level, current);
		if (blocker) return refuse(409, blocker);
		const refusal = await checkDecision(trx, input.decisionId);
		if (refusal) return refusal;
		const at = now.toISOString();
		if (!(await retireStructureRecord(trx, level, id, at, current.version)))
			return refuse(409, STRUCTURE_RETIRE_CONFLICT);
		const words = LEVEL_WORDS[level];
		const name = structureName(level, current as { label: string; number?: number });
		await recordChange(
			{ trx, user, why: input, clientAddress, now },
			{
				entity: level,
				entityId: id,
				ficheId: null,
				action: 'retired',
				changes: [
					{
						field: 'status',
						label: 'État',
						before: 'dans le plan',
						after: `${words.retired} du plan`
					}
				]
			},
			{
				action: 'plan.structure_retired',
				target: { type: level, id },
				summary: `${name} ${words.retired} du plan`
			}
		);
		return ok();
	});
}

const STRUCTURE_RETIRE_CONFLICT =
	'Quelqu’un a modifié cet élément du plan depuis que vous avez ouvert la page : il n’a pas été retiré. Relisez la page, puis recommencez si c’est toujours voulu.';

/**
 * After a refused edit of an axis, an orientation or an objective (another came first): what the
 * person typed, except in the fields the other edit changed and this person had left as they were,
 * which take the record as it is now — saving again keeps the other's change.
 */
export async function rebaseStructureTyping(
	db: Db,
	level: StructureLevel,
	id: number,
	typed: Record<string, string>,
	changes: FieldChange[]
): Promise<Record<string, string>> {
	const editor = await structureEditor(db, level, id);
	if (!editor.ok) return typed;
	const fresh = editor.value.values;
	const result: Record<string, string> = {
		...typed,
		version: fresh.version!,
		seen_revision: fresh.seen_revision!
	};
	const parent = editor.value.parents.find((p) => String(p.id) === typed.parent)?.label ?? '';
	for (const change of changes) {
		const field =
			change.field === 'axis' || change.field === 'orientation' ? 'parent' : change.field;
		if (!['label', 'short_name', 'synthesis_label', 'parent'].includes(field)) continue;
		const reads = field === 'parent' ? parent : (typed[field] ?? '').trim();
		if (reads === change.before) result[field] = fresh[field] ?? '';
	}
	return result;
}

/**
 * The plan as the admin's page shows it: axes, orientations, objectives and fiches, in order; and
 * apart, the elements withdrawn from it (newest first), whose pages keep their history.
 */
export async function planTree(db: Db) {
	const structure = await listStructure(db);
	const fiches = await listFiches(db);
	const axes = inPlan(structure.axes).map((axis) => ({
		...axis,
		orientations: inPlan(structure.orientations)
			.filter((o) => o.axisId === axis.id)
			.map((orientation) => ({
				...orientation,
				objectives: inPlan(structure.objectives)
					.filter((o) => o.orientationId === orientation.id)
					.map((objective) => ({
						...objective,
						fiches: fiches.filter((f) => f.objective === objective.number)
					}))
			}))
	}));
	const levels = ['axis', 'orientation', 'objective'] as const;
	const retired = levels
		.flatMap((level) =>
			recordsOf(structure, level)
				.filter((r) => r.retiredAt !== null)
				.map((r) => ({
					level,
					id: r.id,
					name: structureName(level, r as { label: string; number?: number }),
					retiredAt: r.retiredAt!
				}))
		)
		.sort((a, b) => b.retiredAt.localeCompare(a.retiredAt));
	return { axes, retired };
}

const FICHE_HISTORY_TITLES = {
	created: 'ajoutée au plan',
	moved: 'rattachée à un autre objectif',
	retired: statusWord('abandonnee', 1)
} as const;

/**
 * The structural changes of the plan as entries of the home page's history: fiches added, moved or
 * abandoned; axes, orientations and objectives added or moved (an objective with its fiches).
 */
export async function structuralHistory(db: Db) {
	const [rows, structure] = [await listStructuralRevisions(db), await listStructure(db)];
	/** A fiche's code before its first move after row `i` (undefined: it has not moved since). */
	const codeBeforeNextMove = (i: number, ficheId: number) => {
		const move = rows
			.slice(i + 1)
			.find((x) => x.entity === 'fiche' && x.entityId === ficheId && x.action === 'moved');
		return move
			? (JSON.parse(move.changes) as FieldChange[]).find((c) => c.field === 'code')?.before
			: undefined;
	};
	return rows.map((r, i) => {
		const occurredOn = parisDate(new Date(r.createdAt));
		const changes = JSON.parse(r.changes) as FieldChange[];
		if (r.entity === 'fiche') {
			// The code the fiche had then (a move gives it another), and today's when it changed since.
			const code = changes.find((c) => c.field === 'code');
			const then = code?.after || codeBeforeNextMove(i, r.entityId) || r.ficheCode;
			const today = then !== r.ficheCode ? ` (aujourd’hui ${r.ficheCode})` : '';
			return {
				occurredOn,
				at: r.createdAt,
				title:
					r.action === 'moved' && code?.before
						? `Fiche ${code.before} rattachée à un autre objectif : elle devient ${code.after}${today}`
						: `Fiche ${then} ${FICHE_HISTORY_TITLES[r.action]}${today}`,
				body: `${r.ficheTitle ?? ''}. Raison : ${r.reason}`,
				source: null,
				link: {
					href: `/fiches/${r.ficheCode}/modifications`,
					text: `Modifications de la fiche ${r.ficheCode}`
				}
			};
		}
		const level = r.entity;
		const words = LEVEL_WORDS[level];
		const record = recordsOf(structure, level).find((x) => x.id === r.entityId);
		const parent = changes.find((c) => c.field === words.parentField);
		const name = record
			? structureName(level, record as { label: string; number?: number })
			: structureName(level, {
					label: changes.find((c) => c.field === 'label')?.after ?? '',
					number: Number(changes.find((c) => c.field === 'number')?.after)
				});
		const title =
			r.action === 'moved'
				? `${name} ${words.moved} à l’${words.parent} « ${parent?.after ?? ''} »`
				: r.action === 'retired'
					? `${name} ${words.retired} du plan`
					: `${name} ${words.added} au plan`;
		const from =
			r.action === 'moved' && parent?.before
				? `Auparavant : ${words.parent} « ${parent.before} ». `
				: '';
		const fiches =
			level === 'objective' && r.action === 'moved'
				? 'Ses fiches le suivent et gardent leur code. '
				: '';
		return {
			occurredOn,
			at: r.createdAt,
			title,
			body: `${from}${fiches}Raison : ${r.reason}`,
			source: null,
			link: null
		};
	});
}
