import type { Db, Executor } from '../db';
import { notifyReview } from '../mail/notifications';
import { countTodaysActions, recordAudit, recordBounded, recordDenial } from '../audit/repository';
import { log } from '../log.js';
import {
	can,
	NOT_THE_ORGANISATIONS_FICHE,
	partnerOffFiche,
	refusalReason
} from '../auth/permissions';
import type { User } from '../auth/users';
import type { FicheStatus, UpdateState } from '../db/schema';
import {
	INVALID_FORM_MESSAGE,
	invalidFields,
	ok,
	refuse,
	type FieldChange,
	type Refusal,
	type RefusalReason,
	type Result
} from '../result';
import { parseProgressForm, type ProgressInput } from '../../schemas/progress-update';
import { indicatorField } from '../../utils/indicators';
import {
	DECIDED_STATUSES,
	FICHE_NOT_FOUND,
	STATUS_LABELS,
	UPDATE_FIELD_LABELS as FIELD_LABELS,
	UPDATE_NOT_FOUND,
	UPDATE_STATE_LABELS as STATE_LABELS
} from '../../utils/vocabulary';
import { ficheDecision } from '../authoring/edits';
import { RETURN_NEEDS_COMMENT } from '../../schemas/review';
import { ofName } from '../../utils/text';
import { formatDate, formatMoment, formatPercent } from '../../utils/format';
import { parisDate, parisToday } from '../../utils/dates';
import { updateRank } from '../../utils/rules';
import type { IndicatorKind } from '../../utils/indicator-kinds';
import { indicatorValueText } from '../../utils/indicator-target';
import {
	findFicheForReporting,
	findFicheOrganisationIds,
	findOpenUpdate,
	findProgressUpdate,
	findReturnedByName,
	findPublishedState,
	discardDraft,
	findDiscardedUpdate,
	findUpdateBySubmissionKey,
	findReplacedMeasurements,
	findStatingUpdates,
	insertProgressUpdate,
	listValuesOfIndicators,
	setReplacedMeasurementsAside,
	insertStaffStatusUpdate,
	listOrganisationPendingUpdates,
	recordReview,
	refreshFicheState,
	replaceMeasurements,
	updateProgressFields,
	wasSentToLotNumerique,
	withdrawUpdate,
	type DiscardedUpdate,
	type PendingUpdateRecord,
	type ProgressUpdateRecord,
	type PublishedMeasurement,
	listReplacedValues,
	type ReplacedValue
} from './repository';

/** What a save did: the update, its state, and whether the same form had been received before. */
export interface Saved {
	id: number;
	state: UpdateState;
	duplicate: boolean;
	/** A draft saved again as it was: nothing written, nothing journaled. */
	unchanged?: boolean;
}

type Fields = Omit<Pick<ProgressInput, keyof typeof FIELD_LABELS>, 'status'> & {
	status: ProgressInput['status'] | null;
};
type Measured = { indicatorId: number; measuredOn: string; value: number; comment: string | null };

function describe(field: keyof typeof FIELD_LABELS, values: Fields): string {
	if (field === 'status') return values.status ? STATUS_LABELS[values.status] : '—';
	if (field === 'progress') return formatPercent(values.progress, 'non renseigné');
	if (field === 'reportedOn') return formatDate(values.reportedOn);
	return values[field] || '—';
}

/** An indicator as the conflict's table names its value: its kind and unit write it. */
type DescribedIndicator = { id: number; label: string; unit: string | null; kind: IndicatorKind };

/**
 * A measurement as the update's page writes it (« 1 234,50 € au 15 novembre 2026 »), never
 * rounded: two values that differ read differently.
 */
function describeMeasurement(indicator: DescribedIndicator, m: Measured | undefined): string {
	if (!m) return 'pas de valeur';
	return `${indicatorValueText(indicator.kind, indicator.unit, m.value)} au ${formatDate(m.measuredOn)}${m.comment ? ` (${m.comment})` : ''}`;
}

/**
 * Every field of the stored update (`before`) next to what the person typed (`after`); the
 * fields that agree are kept, so the screen shows the whole update.
 */
function compare(
	current: ProgressUpdateRecord,
	input: ProgressInput,
	indicators: DescribedIndicator[]
): FieldChange[] {
	const rows: FieldChange[] = (Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]).map(
		(field) => ({
			field,
			label: FIELD_LABELS[field],
			before: describe(field, current),
			after: describe(field, input)
		})
	);
	for (const indicator of indicators) {
		rows.push({
			field: `indicator_${indicator.id}`,
			label: indicator.label,
			before: describeMeasurement(
				indicator,
				current.measurements.find((m) => m.indicatorId === indicator.id)
			),
			after: describeMeasurement(
				indicator,
				input.measurements.find((m) => m.indicatorId === indicator.id)
			)
		});
	}
	return rows;
}

/** Whether what was typed is the stored update, to the last decimal (not as the screen shows it). */
function sameContent(current: ProgressUpdateRecord, input: ProgressInput): boolean {
	const fields = ['reportedOn', 'status', 'progress', 'done', 'nextSteps', 'difficulties'] as const;
	const measured = (list: Measured[]) =>
		JSON.stringify(
			list
				.map((m) => [m.indicatorId, m.measuredOn, m.value, m.comment ?? null])
				.sort((a, b) => Number(a[0]) - Number(b[0]))
		);
	return (
		fields.every((f) => current[f] === input[f]) &&
		measured(current.measurements) === measured(input.measurements)
	);
}

/**
 * What the journal keeps of an update's content: only once it is sent to Lot numérique. A draft is
 * its organisation's alone (README), and staff read the journal: its saves say that it was saved,
 * not what it says.
 */
function snapshot(input: ProgressInput, state: UpdateState) {
	if (state === 'draft') return {};
	return {
		reportedOn: input.reportedOn,
		status: input.status,
		progress: input.progress,
		measurements: input.measurements.length
	};
}

function by(record: ProgressUpdateRecord): string {
	return `${record.updatedByName ? ` par ${record.updatedByName}` : ''}${record.updatedAt ? ` le ${formatDate(record.updatedAt)}` : ''}`;
}

/** What a partner asks of an update: each is decided by `updateAccess`, in one place. */
export type UpdateAction = 'view' | 'save' | 'withdraw' | 'discard';

/** An update the person may reach, its fiche's organisations, and what they may do with it. */
export interface UpdateAccess {
	/** The update, with its fiche (`ficheId`, `ficheCode`, `ficheTitle`). */
	update: ProgressUpdateRecord;
	ficheOrganisationIds: number[];
	/** Their organisation still carries or partners the fiche (`update.create`). */
	carried: boolean;
	/** Sent to Lot numérique once (submitted, withdrawn, returned): read for a draft only. */
	sent: boolean;
	/** « Retirer » (`update.withdraw`). */
	canWithdraw: boolean;
	/** « Supprimer le brouillon » (`update.discard`): a draft never sent to Lot numérique. */
	canDiscard: boolean;
}

/**
 * Whether the person's organisation still carries or partners a fiche that works with these
 * organisations (`update.create`): an update's `carried`, on its page (`updateAccess`), on the page
 * of a discarded draft and in the list of /espace (`listPendingUpdates`) alike.
 */
function stillCarried(user: User, ficheOrganisationIds: number[]): boolean {
	return can(user, 'update.create', { ficheOrganisationIds });
}

/** An update of the list of /espace, `carried` as its own page says it. */
export type PendingUpdate = Omit<PendingUpdateRecord, 'ficheOrganisationIds'> & {
	carried: boolean;
};

/**
 * The updates of the person's organisation not yet published (/espace), newest first, each with
 * `carried` decided as its page decides it (`stillCarried`, on the fiche's organisations read by
 * the same query, in the list's one statement): the list and the page cannot disagree. None for a
 * person without organisation.
 */
export async function listPendingUpdates(db: Executor, user: User): Promise<PendingUpdate[]> {
	if (user.organisationId === null) return [];
	const updates = await listOrganisationPendingUpdates(db, user.organisationId);
	return updates.map(({ ficheOrganisationIds, ...update }) => ({
		...update,
		carried: stillCarried(user, ficheOrganisationIds)
	}));
}

/** A decision and the denial it journals, if any (`updateAccess`, `readUpdateAccess`). */
interface AccessDecision {
	result: Result<UpdateAccess>;
	denial?: Parameters<typeof recordBounded>[1];
}

/**
 * A number that names no update: the draft its own organisation discarded is said as such (the
 * « Brouillon supprimé » paths: its page, a save refused 409 with the typing kept, a second discard
 * 410); for anyone else, and for a number never given, a missing update, journaled as nothing.
 */
async function noUpdate(
	db: Executor,
	user: User,
	updateId: number,
	action: UpdateAction
): Promise<Refusal> {
	const discarded = action === 'withdraw' ? undefined : await ownDiscardedDraft(db, user, updateId);
	if (!discarded) return refuse(404, UPDATE_NOT_FOUND);
	if (action === 'save')
		return refuse(
			409,
			`Ce brouillon de la fiche ${discarded.ficheCode} a été supprimé${discardedWords(discarded)}, pendant que vous le modifiiez. Pour garder ce que vous y avez écrit, ouvrez « Nouvelle mise à jour » de la fiche depuis Mon espace et copiez-le.`,
			{ reason: 'draft-discarded' }
		);
	return refuse(
		410,
		`Ce brouillon de la fiche ${discarded.ficheCode} a déjà été supprimé${discardedWords(discarded)}.`,
		{ reason: 'draft-discarded' }
	);
}

async function decideUpdateAccess(
	db: Executor,
	user: User,
	updateId: number,
	action: UpdateAction,
	clientAddress: string | null
): Promise<AccessDecision> {
	const update = await findProgressUpdate(db, updateId);
	if (!update) return { result: await noUpdate(db, user, updateId, action) };
	const ficheOrganisationIds = await findFicheOrganisationIds(db, update.ficheId);
	const access = { ficheOrganisationIds, updateOrganisationId: update.organisationId };
	// Another organisation's update is answered as a missing one, journaled as a denial: neither
	// its existence nor its fiche is told.
	if (!can(user, 'update.view', access))
		return {
			result: refuse(404, UPDATE_NOT_FOUND),
			denial: {
				actor: user,
				action: 'access.denied',
				target: { type: 'suivi', id: update.id },
				summary: `Mise à jour d’une autre organisation demandée (fiche ${update.ficheCode}) : refusé (update.${action})`,
				clientAddress
			}
		};
	const state = update.state;
	const sent = state === 'draft' && (await wasSentToLotNumerique(db, update.id));
	return {
		result: ok({
			update,
			ficheOrganisationIds,
			carried: stillCarried(user, ficheOrganisationIds),
			sent,
			canWithdraw: can(user, 'update.withdraw', { ...access, state }),
			canDiscard: can(user, 'update.discard', { ...access, state, sent })
		})
	};
}

/**
 * Whether the person may reach update `updateId` to `action` it: the one decision of the
 * progress services, the partner's form and the update's page. Allowed: the update, its fiche's
 * organisations and what the person may do with it (its state is the action's to judge). Refused:
 * another organisation's update as a missing one (404), journaled once, in the caller's
 * transaction; a discarded draft as `noUpdate` says.
 */
export async function updateAccess(
	trx: Executor,
	user: User,
	updateId: number,
	action: UpdateAction,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<UpdateAccess>> {
	const { result, denial } = await decideUpdateAccess(trx, user, updateId, action, clientAddress);
	if (denial) await recordBounded(trx, denial, 'access.denied', now);
	return result;
}

/**
 * `updateAccess` for a page (its load, an action before it reads its form): read without a
 * transaction, a denial journaled in its own; a journal busy with another process's write
 * (SQLITE_BUSY) does not turn the 404 into a 500.
 */
export async function readUpdateAccess(
	db: Db,
	user: User,
	updateId: number,
	action: UpdateAction,
	clientAddress: string | null
): Promise<Result<UpdateAccess>> {
	const { result, denial } = await decideUpdateAccess(db, user, updateId, action, clientAddress);
	if (denial)
		await recordDenial(db, denial).catch((failure: unknown) =>
			log().error(
				{ event: 'audit-error', err: failure instanceof Error ? failure.message : String(failure) },
				'Refus d’accès non journalisé'
			)
		);
	return result;
}

type Fiche = NonNullable<Awaited<ReturnType<typeof findFicheForReporting>>>;

/** The fiche, its organisations and the update named, once the person may write there. */
interface ReportingContext {
	fiche: Fiche;
	ficheOrganisationIds: number[];
	current: ProgressUpdateRecord | null;
	/** What the person may do with the update named (`updateAccess`); null for a new update. */
	access: UpdateAccess | null;
}

/** How an update named is reached: `updateAccess` in a save's transaction, `readUpdateAccess` for a page. */
type Reach = (updateId: number) => Promise<Result<UpdateAccess>>;

/** The fiche of code `ficheCode` as the partner's form and a save read it; 404 when there is none. */
async function reportingFiche(trx: Executor, ficheCode: string): Promise<Result<Fiche>> {
	const fiche = await findFicheForReporting(trx, ficheCode);
	return fiche ? ok(fiche) : refuse(404, FICHE_NOT_FOUND, { reason: 'fiche-not-found' });
}

/**
 * Reads what a save needs and decides whether the person may write: a new update needs
 * `update.create` on the fiche; an existing one must be theirs to reach (`reach`) and belong
 * to the fiche (its state is decided later, with what changed). A 403 with no reason to tell
 * (`refusalReason` has none) is marked `forbidden`: a page says it generally.
 */
async function reportingContext(
	trx: Executor,
	user: User,
	fiche: Fiche,
	updateId: number | null,
	reach: Reach
): Promise<Result<ReportingContext>> {
	const ficheOrganisationIds = await findFicheOrganisationIds(trx, fiche.id);
	if (updateId === null) {
		// A partner whose organisation is not on the fiche (taken off it while writing a new
		// update) passes here: `refusedOffFiche` answers them after, as for a draft: a 409, the
		// typing kept, journaled as a refused save.
		const resource = { ficheOrganisationIds };
		if (!can(user, 'update.create', resource) && !partnerOffFiche(user, ficheOrganisationIds)) {
			const reason = refusalReason(user, 'update.create', resource);
			return refuse(403, reason?.message ?? NOT_THE_ORGANISATIONS_FICHE, {
				next: reason?.next,
				reason: reason ? undefined : 'forbidden'
			});
		}
		return ok({ fiche, ficheOrganisationIds, current: null, access: null });
	}
	const access = await reach(updateId);
	if (!access.ok) return access;
	const current = access.value.update;
	if (current.ficheId !== fiche.id) return refuse(404, UPDATE_NOT_FOUND);
	return ok({ fiche, ficheOrganisationIds, current, access: access.value });
}

/** A save's context: the fiche read, then `reportingContext`, the update reached in the transaction. */
async function saveContext(
	trx: Executor,
	user: User,
	ficheCode: string,
	updateId: number | null,
	clientAddress: string | null,
	now: Date
): Promise<Result<ReportingContext>> {
	const fiche = await reportingFiche(trx, ficheCode);
	if (!fiche.ok) return fiche;
	return reportingContext(trx, user, fiche.value, updateId, (id) =>
		updateAccess(trx, user, id, 'save', clientAddress, now)
	);
}

/** The update a partner's form shows, with « Supprimer le brouillon » when it may be discarded. */
export type FormDraft = ProgressUpdateRecord & { canDiscard: boolean };

/**
 * What the partner's form of a fiche shows, and why: the page turns each `reason` into its answer
 * (a redirect on opening it; after a refused post, the page drawn with the action's answer).
 */
export type PartnerForm = { fiche: Fiche } &
	/** A new update; `resume`, the organisation's open update on the fiche (one at most), if any. */
	(
		| { reason: 'new-update'; resume: { id: number; state: UpdateState } | null }
		/** The update named, theirs, on this fiche, which their organisation still works on. */
		| { reason: 'draft'; draft: FormDraft }
		/**
		 * Their organisation no longer carries nor partners the fiche: the update named (read on its
		 * own page), or none for a new update (refused as `refusalReason` says).
		 */
		| { reason: 'organisation-off-fiche'; draft: FormDraft | null }
		/** The update named is a draft their organisation discarded (`noUpdate`). */
		| { reason: 'draft-discarded'; updateId: number }
	);

/**
 * The partner's form of fiche `ficheCode`, for a new update (`updateId` null) or the one named,
 * decided as a save is (`reportingContext`, the update reached by `readUpdateAccess`): refused
 * 404 for an unknown fiche (reason `fiche-not-found`) or update (another organisation's, or one
 * on another fiche), 403 for someone who may not write on the fiche (`forbidden` when there is no
 * reason to tell).
 */
export async function partnerFormContext(
	db: Db,
	user: User,
	ficheCode: string,
	updateId: number | null,
	clientAddress: string | null
): Promise<Result<PartnerForm>> {
	const fiche = await reportingFiche(db, ficheCode);
	if (!fiche.ok) return fiche;
	const context = await reportingContext(db, user, fiche.value, updateId, (id) =>
		readUpdateAccess(db, user, id, 'save', clientAddress)
	);
	if (!context.ok) {
		// Discarded by the organisation: the page says so (or, after a refused save, draws the form
		// with its answer, the typing kept).
		if (context.reason === 'draft-discarded' && updateId !== null)
			return ok({ fiche: fiche.value, reason: 'draft-discarded', updateId });
		return context;
	}
	const { access } = context.value;
	if (access) {
		const draft = { ...access.update, canDiscard: access.canDiscard };
		return ok({
			fiche: fiche.value,
			reason: access.carried ? 'draft' : 'organisation-off-fiche',
			draft
		});
	}
	if (partnerOffFiche(user, context.value.ficheOrganisationIds))
		return ok({ fiche: fiche.value, reason: 'organisation-off-fiche', draft: null });
	// One open update per fiche and organisation: the form resumes it.
	const open = await findOpenUpdate(db, fiche.value.id, user.organisationId!);
	return ok({
		fiche: fiche.value,
		reason: 'new-update',
		resume: open ? { id: open.id, state: open.state } : null
	});
}

/**
 * A value of an update that a later validation replaced, as the update's page shows it:
 * `replacedBy`, the later update, only when the person may open it (staff, or a partner whose
 * organisation wrote it); null, the page says when, not which.
 */
export type ShownReplacedValue = Omit<ReplacedValue, 'replacedBy' | 'replacedByOrganisationId'> & {
	replacedBy: number | null;
};

/**
 * The values of `update` that later validations replaced (one published value per indicator and
 * day): its page shows them as replaced rather than dropping them.
 */
export async function replacedValuesOf(
	db: Executor,
	user: User,
	update: { id: number; ficheOrganisationIds: number[] }
): Promise<ShownReplacedValue[]> {
	const staff = can(user, 'queue.view');
	return (await listReplacedValues(db, update.id)).map(
		({ replacedBy, replacedByOrganisationId, ...value }) => ({
			...value,
			replacedBy:
				staff ||
				can(user, 'update.view', {
					ficheOrganisationIds: update.ficheOrganisationIds,
					updateOrganisationId: replacedByOrganisationId
				})
					? replacedBy
					: null
		})
	);
}

/** A published value as the partner's form shows it. */
export type PublishedValue = Pick<PublishedMeasurement, 'measuredOn' | 'value' | 'validatedAt'>;

/**
 * The published values of each of the fiche's indicators, newest first, by indicator id: the
 * partner's form shows the last one, and says beside a typed day that has one that validating
 * the update will replace it (one published value per indicator and day).
 */
export async function publishedValuesOf(
	db: Executor,
	fiche: { indicators: { id: number }[] }
): Promise<Record<number, PublishedValue[]>> {
	const rows = await listValuesOfIndicators(
		db,
		fiche.indicators.map((i) => i.id)
	);
	const byIndicator: Record<number, PublishedValue[]> = {};
	for (const { indicatorId, measuredOn, value, validatedAt } of rows)
		(byIndicator[indicatorId] ??= []).push({ measuredOn, value, validatedAt });
	return byIndicator;
}

/** Indicators retired since the form was drawn, for which it sends a value. */
function retiredWithValue(
	retired: { id: number; label: string; retiredAt: string }[],
	form: FormData
): { label: string; retiredAt: string; value: string }[] {
	return retired.flatMap(({ id, label, retiredAt }) => {
		const value = String(form.get(indicatorField(id, 'value')) ?? '').trim();
		// Said back in the refusal: as typed, a number's length at most.
		return value === '' ? [] : [{ label, retiredAt, value: value.slice(0, 40) }];
	});
}

/**
 * Said instead of dropping the value unseen (a 410: the page reads its data again, without the
 * indicator; the rest of the typing stays).
 */
function retiredIndicatorsMessage(gone: { label: string; retiredAt: string; value: string }[]) {
	const day = (g: { retiredAt: string }) => formatDate(parisDate(new Date(g.retiredAt)));
	if (gone.length === 1) {
		const [g] = gone as [(typeof gone)[number]];
		return `L’indicateur « ${g.label} » a été retiré du plan le ${day(g)}, depuis l’ouverture de cette page : il ne reçoit plus de valeur (vous aviez saisi ${g.value}). Rien n’a été enregistré ; le reste de votre saisie est conservé ci-dessous, sans cet indicateur : enregistrez de nouveau.`;
	}
	const named = gone
		.map((g) => `« ${g.label} » (le ${day(g)}, vous aviez saisi ${g.value})`)
		.join(', ');
	return `Ces indicateurs ont été retirés du plan depuis l’ouverture de cette page et ne reçoivent plus de valeur : ${named}. Rien n’a été enregistré ; le reste de votre saisie est conservé ci-dessous, sans eux : enregistrez de nouveau.`;
}

/**
 * A form refused for its fields whose update changed since the page was drawn (a colleague saved or
 * submitted it, staff validated it): said with the fields' messages, where it came only on the next
 * attempt, once they were corrected. Null when it did not change, or for a new update.
 */
function changedMeanwhile(current: ProgressUpdateRecord | null, form: FormData): string | null {
	if (!current) return null;
	const seen = form.get('version');
	const repeated =
		current.lastPostKey !== null && current.lastPostKey === form.get('submission_key');
	if (
		repeated ||
		(current.state !== 'submitted' &&
			current.state !== 'validated' &&
			seen === String(current.version))
	)
		return null;
	const who = current.updatedByName ?? 'Une autre personne';
	if (current.state === 'validated')
		return 'Par ailleurs, Lot numérique a validé et publié cette mise à jour entre-temps : elle ne peut plus être modifiée.';
	return current.state === 'submitted'
		? `Par ailleurs, ${who} a soumis cette mise à jour à Lot numérique entre-temps : une fois les champs corrigés, les deux versions vous seront montrées côte à côte.`
		: `Par ailleurs, ${who} a enregistré cette mise à jour entre-temps : une fois les champs corrigés, les deux versions vous seront montrées côte à côte.`;
}

/**
 * A draft's save refused because its organisation was taken off the fiche while the person wrote.
 * Only why (reason `organisation-off-fiche`): the page that keeps the typing says so, the demo
 * command has none.
 */
const leftFicheMessage = (code: string) =>
	`Votre organisation ne porte plus la fiche ${code} et n’en est plus partenaire : Lot numérique l’en a retirée pendant que vous écriviez.`;

/**
 * A new update's save refused because the organisation is not on the fiche: most likely taken off
 * since the form was drawn (it is drawn only for the fiche's organisations), which the portal
 * cannot tell from a fiche it never worked on. Only why, as above.
 */
const notOnFicheMessage = (code: string) =>
	`Votre organisation ne porte pas la fiche ${code} et n’en est pas partenaire, ou ne l’est plus : Lot numérique l’en a peut-être retirée entre-temps.`;

/**
 * A new update from a partner whose organisation is not on the fiche (taken off it while the
 * person wrote, most likely): refused 409, the typing kept, journaled as a refused save. Null for
 * any other post.
 */
async function refusedOffFiche(
	trx: Executor,
	user: User,
	{ fiche, ficheOrganisationIds, current }: ReportingContext,
	intent: string,
	clientAddress: string | null,
	now: Date
): Promise<Refusal | null> {
	if (current !== null || can(user, 'update.create', { ficheOrganisationIds })) return null;
	await recordBounded(
		trx,
		{
			actor: user,
			action: 'update.conflict',
			target: { type: 'fiche', id: fiche.code },
			summary: `Enregistrement refusé d’une nouvelle mise à jour de la fiche ${fiche.code} : organisation absente de ses porteurs et partenaires`,
			after: { intent },
			clientAddress
		},
		'update.conflict',
		now
	);
	return refuse(409, notOnFicheMessage(fiche.code), { reason: 'organisation-off-fiche' });
}

/**
 * The progress form as posted, in one transaction: the fiche, the update and the person's rights
 * are read once, the form is checked against the fiche's indicators, then saved as
 * `saveProgressUpdate` does. A form with mistakes is refused with a message per field.
 */
export async function saveProgressForm(
	db: Db,
	user: User,
	ficheCode: string,
	updateId: number | null,
	form: FormData,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<Saved>> {
	return db.transaction().execute(async (trx) => {
		const context = await saveContext(trx, user, ficheCode, updateId, clientAddress, now);
		if (!context.ok) return context;
		// Said before the fields' mistakes: the form could not be saved anyway.
		const intent = String(form.get('intent') ?? '');
		const offFiche = await refusedOffFiche(trx, user, context.value, intent, clientAddress, now);
		if (offFiche) return offFiche;
		const gone = retiredWithValue(context.value.fiche.retiredIndicators, form);
		if (gone.length > 0) return refuse(410, retiredIndicatorsMessage(gone));
		const parsed = parseProgressForm(form, context.value.fiche.indicators, parisToday(now));
		if (!parsed.input) {
			const meanwhile = changedMeanwhile(context.value.current, form);
			// What changed meanwhile is said in the page's summary of the fields, above their links.
			return refuse(
				400,
				meanwhile ? `${INVALID_FORM_MESSAGE} ${meanwhile}` : INVALID_FORM_MESSAGE,
				{
					fieldErrors: meanwhile ? { ...parsed.errors, form: meanwhile } : parsed.errors
				}
			);
		}
		return save(trx, user, context.value, parsed.input, clientAddress, now);
	});
}

/**
 * Creates a progress update (draft or submitted) or saves an existing draft / returned update.
 * Nothing typed is lost and nothing is written twice: the same form posted again (its one-time
 * key) is recognised; a second open update of a fiche for one organisation is refused; a save
 * over a version the person has not seen is refused. Each refusal comes with the stored update
 * and the typed one side by side, and is journaled. `replace` saves mine over the version seen on
 * that screen, knowingly, as a draft.
 */
export async function saveProgressUpdate(
	db: Db,
	user: User,
	ficheCode: string,
	updateId: number | null,
	input: ProgressInput,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<Saved>> {
	return db.transaction().execute(async (trx) => {
		const context = await saveContext(trx, user, ficheCode, updateId, clientAddress, now);
		if (!context.ok) return context;
		return save(trx, user, context.value, input, clientAddress, now);
	});
}

/** What each step of a save works with: the transaction, who, the fiche, what was typed, when. */
interface SaveStep {
	trx: Executor;
	user: User;
	fiche: Fiche;
	ficheOrganisationIds: number[];
	input: ProgressInput;
	clientAddress: string | null;
	now: Date;
	/** The state the post asks for: submitted, or a draft. */
	state: UpdateState;
}

/**
 * A save, the person's right to reach the update decided (`reportingContext`): the form checked
 * against the fiche, then a new update created or the named one saved, each decided, written and
 * journaled in its own step.
 */
async function save(
	trx: Executor,
	user: User,
	{ fiche, ficheOrganisationIds, current }: ReportingContext,
	input: ProgressInput,
	clientAddress: string | null,
	now: Date
): Promise<Result<Saved>> {
	const mistake = checkedAgainstFiche(fiche, input);
	if (mistake) return mistake;
	const state: UpdateState = input.intent === 'submit' ? 'submitted' : 'draft';
	const step = { trx, user, fiche, ficheOrganisationIds, input, clientAddress, now, state };
	return current === null ? saveNew(step) : saveExisting(step, current);
}

/** Checks the form against the fiche, which its schema cannot know: null when it passes. */
function checkedAgainstFiche(fiche: Fiche, input: ProgressInput): Refusal | null {
	const indicatorIds = new Set(fiche.indicators.map((i) => i.id));
	if (input.measurements.some((m) => !indicatorIds.has(m.indicatorId)))
		return refuse(403, 'Un indicateur ne correspond pas à cette fiche.');
	const twice = sameDayTwice(fiche, input.measurements);
	if (twice) return invalidFields(twice);
	// « À lancer » with the advancement left empty would keep the fiche's published one (40 %):
	// refused on submit, as the form's other agreements of status and advancement; a draft keeps it.
	if (
		input.intent === 'submit' &&
		input.status === 'a_lancer' &&
		input.progress === null &&
		(fiche.progress ?? 0) > 0
	) {
		const message = `La fiche est publiée avancée à ${formatPercent(fiche.progress)} : une fiche à lancer ne l’est pas. Indiquez 0 dans l’avancement, ou choisissez le statut « En cours ».`;
		return invalidFields({ progress: message });
	}
	return null;
}

/**
 * Two values of one indicator on one day in one update (sent by a command or a hand-made post: the
 * form has one line per indicator): refused, since one value a day is published. Null when none.
 */
function sameDayTwice(fiche: Fiche, measurements: Measured[]): Record<string, string> | null {
	const seen = new Set<string>();
	for (const m of measurements) {
		const key = `${m.indicatorId}/${m.measuredOn}`;
		if (seen.has(key)) {
			const label = fiche.indicators.find((i) => i.id === m.indicatorId)?.label ?? '';
			return {
				[indicatorField(m.indicatorId, 'date')]:
					`Deux valeurs de l’indicateur « ${label} » portent la même date (${formatDate(m.measuredOn)}) : une seule valeur par jour est publiée. Gardez-en une.`
			};
		}
		seen.add(key);
	}
	return null;
}

/** Refuses the post: journaled, with the stored update beside what was typed. */
async function refuseWith(
	{ trx, user, fiche, input, clientAddress, now }: SaveStep,
	stored: ProgressUpdateRecord,
	message: string,
	why: string,
	reason?: RefusalReason
): Promise<Refusal> {
	// A partner may post a stale form in a loop: journaled one by one up to a bound a day.
	await recordBounded(
		trx,
		{
			actor: user,
			action: 'update.conflict',
			target: { type: 'suivi', id: stored.id },
			summary: `Enregistrement refusé sur la mise à jour de la fiche ${fiche.code} : ${why}`,
			before: { state: stored.state, version: stored.version },
			// What was typed was not saved: the journal keeps the request, not its content.
			after: { intent: input.intent, version: input.version },
			clientAddress
		},
		'update.conflict',
		now
	);
	return refuse(409, message, {
		reason,
		changes: compare(stored, input, fiche.indicators),
		stored: {
			id: stored.id,
			version: stored.version,
			state: stored.state,
			updatedByName: stored.updatedByName,
			updatedAt: stored.updatedAt,
			canReplace: stored.state !== 'validated'
		}
	});
}

/** The form accepted before, posted again: fine if identical, otherwise shown. */
async function repeated(step: SaveStep, stored: ProgressUpdateRecord): Promise<Result<Saved>> {
	if (compare(stored, step.input, step.fiche.indicators).every((r) => r.before === r.after))
		return ok({ id: stored.id, state: stored.state, duplicate: true });
	return refuseWith(
		step,
		stored,
		`Ce formulaire avait déjà été envoyé (retour en arrière ou double envoi) : rien n’a été enregistré en double. La mise à jour est maintenant ${STATE_LABELS[stored.state]}${by(stored)} ; votre saisie est conservée ci-dessous, à côté de ce qui est enregistré.`,
		'formulaire déjà envoyé'
	);
}

/**
 * A new update: decided (the same form posted again, the organisation off the fiche, an update
 * of the organisation already open), then written and journaled.
 */
async function saveNew(step: SaveStep): Promise<Result<Saved>> {
	const { trx, user, fiche, ficheOrganisationIds, input, clientAddress, now, state } = step;
	const existing = await findUpdateBySubmissionKey(trx, user.id, input.submissionKey);
	if (existing !== undefined) {
		const record = (await findProgressUpdate(trx, existing))!;
		// A form key belongs to one fiche: posted to another, it says nothing of that one.
		if (record.ficheId !== fiche.id)
			return refuse(
				409,
				'Ce formulaire a déjà servi pour une autre fiche : rouvrez le formulaire de cette fiche pour saisir sa mise à jour.'
			);
		return repeated(step, record);
	}
	const context = { fiche, ficheOrganisationIds, current: null, access: null };
	const offFiche = await refusedOffFiche(trx, user, context, input.intent, clientAddress, now);
	if (offFiche) return offFiche;
	const open = await findOpenUpdate(trx, fiche.id, user.organisationId!);
	if (open) {
		return refuseWith(
			step,
			open,
			`Une mise à jour de la fiche ${fiche.code} est déjà en cours pour votre organisation (${STATE_LABELS[open.state]}${by(open)}) : il n’y en a qu’une à la fois. Rien n’a été créé en double ; votre saisie est conservée ci-dessous, à côté de la mise à jour en cours.`,
			'une mise à jour est déjà en cours'
		);
	}
	const id = await insertProgressUpdate(trx, {
		...input,
		ficheId: fiche.id,
		organisationId: user.organisationId,
		authorId: user.id,
		state,
		at: now.toISOString()
	});
	await replaceMeasurements(trx, id, input.measurements);
	await journalSave(
		trx,
		{
			actor: user,
			action: state === 'submitted' ? 'update.submitted' : 'update.saved',
			target: { type: 'suivi', id },
			summary: `Mise à jour de la fiche ${fiche.code} ${verbOf(state)}`,
			after: snapshot(input, state),
			clientAddress
		},
		now
	);
	return ok({ id, state, duplicate: false });
}

const verbOf = (state: UpdateState) =>
	state === 'submitted' ? 'soumise' : 'enregistrée en brouillon';

/**
 * Whether the named update may be saved over: a refusal when it may not (the organisation taken
 * off the fiche, a state it cannot be edited in, a version the person has not seen; the same form
 * posted again answered as such); null when it may.
 */
async function refusedEdit(
	step: SaveStep,
	current: ProgressUpdateRecord
): Promise<Result<Saved> | null> {
	const { user, fiche, ficheOrganisationIds, input } = step;
	const access = {
		ficheOrganisationIds,
		updateOrganisationId: current.organisationId,
		state: current.state
	};
	const replacing = input.intent === 'replace';
	const editable =
		can(user, 'update.edit', access) || (replacing && can(user, 'update.withdraw', access));
	// Taken off the fiche while writing: said as such, not as someone else's save.
	const leftFiche =
		!editable &&
		current.organisationId !== null &&
		current.organisationId === user.organisationId &&
		!ficheOrganisationIds.includes(current.organisationId);
	if (leftFiche)
		return refuseWith(
			step,
			current,
			leftFicheMessage(fiche.code),
			'organisation retirée de la fiche',
			'organisation-off-fiche'
		);
	if (editable && input.version === current.version) return null;
	// The form accepted last, posted again (Back then submit, double click): not a conflict.
	if (current.lastPostKey !== null && current.lastPostKey === input.submissionKey)
		return repeated(step, current);
	// Saved by this very account: from another tab, window or device (a phone), said as such.
	const self = current.updatedBy === user.id;
	const who = self ? 'Vous avez' : `${current.updatedByName ?? 'Une autre personne'} a`;
	const elsewhere = self ? ' depuis un autre onglet, une autre fenêtre ou un autre appareil' : '';
	const message =
		current.state === 'validated'
			? 'Cette mise à jour a été validée et publiée entre-temps par Lot numérique : elle ne peut plus être modifiée. Votre saisie est conservée ci-dessous, à côté de la version publiée ; pour compléter, créez une nouvelle mise à jour.'
			: current.state === 'submitted'
				? `${who} soumis cette mise à jour à Lot numérique${current.submittedAt ? ` le ${formatDate(current.submittedAt)}` : ''}${elsewhere} pendant que vous la modifiiez. Rien n’a été écrasé : votre saisie est conservée ci-dessous, à côté de la version soumise.`
				: `${who} enregistré cette mise à jour${elsewhere} pendant que vous la modifiiez. Rien n’a été écrasé : votre saisie est conservée ci-dessous, à côté de la version enregistrée.`;
	return refuseWith(
		step,
		current,
		message,
		`version ${input.version ?? '?'} au lieu de ${current.version} (${STATE_LABELS[current.state]})`
	);
}

/** The named update: decided (`refusedEdit`), then written and journaled. */
async function saveExisting(step: SaveStep, current: ProgressUpdateRecord): Promise<Result<Saved>> {
	const refused = await refusedEdit(step, current);
	if (refused) return refused;
	const { trx, user, input, now } = step;
	const replacing = input.intent === 'replace';
	const saved: UpdateState = replacing ? 'draft' : step.state;
	// A draft saved again as it is (a partner's loop of saves was 40 journal rows, kept for ever).
	if (saved === 'draft' && current.state === 'draft' && sameContent(current, input))
		return ok({ id: current.id, state: saved, duplicate: false, unchanged: true });
	// « Replace » takes a submitted update back to draft, as a withdrawal does: the same bound, so
	// that a loop of it and submit cannot fill the journal (security probe).
	const withdrawing = replacing && current.state === 'submitted';
	if (withdrawing && (await withdrawalsSpent(trx, user, now)))
		return refuse(429, WITHDRAWALS_SPENT_MESSAGE);
	const written = await updateProgressFields(trx, current.id, current.version, {
		...input,
		state: saved,
		postKey: input.submissionKey,
		by: user.id,
		at: now.toISOString()
	});
	if (!written) {
		return refuseWith(
			step,
			current,
			'Cette mise à jour vient d’être modifiée par une autre personne.',
			'écriture concurrente'
		);
	}
	await replaceMeasurements(trx, current.id, input.measurements);
	await journalEdit(step, current, saved, withdrawing);
	return ok({ id: current.id, state: saved, duplicate: false });
}

/** The journal's row of a save over an existing update (`saved`: the state it was written in). */
function journalEdit(
	{ trx, user, fiche, input, clientAddress, now }: SaveStep,
	current: ProgressUpdateRecord,
	saved: UpdateState,
	withdrawing: boolean
): Promise<void> {
	return journalSave(
		trx,
		{
			actor: user,
			action: withdrawing
				? 'update.withdrawn'
				: saved === 'submitted'
					? 'update.submitted'
					: 'update.saved',
			target: { type: 'suivi', id: current.id },
			summary:
				input.intent === 'replace'
					? `Mise à jour de la fiche ${fiche.code} enregistrée en brouillon (version ${current.version + 1}) à la place de la version ${current.version}${current.updatedByName ? ` ${ofName(current.updatedByName)}` : ''}, en connaissance de cause`
					: `Mise à jour de la fiche ${fiche.code} ${verbOf(saved)} (version ${current.version + 1})`,
			before: {
				state: current.state,
				...(current.state === 'draft'
					? {}
					: { reportedOn: current.reportedOn, status: current.status, progress: current.progress })
			},
			after: { state: saved, ...snapshot(input, saved) },
			clientAddress
		},
		now
	);
}

/**
 * Journals a save: a draft's within DRAFT_SAVES_JOURNALED_PER_DAY a day, then counted (recordBounded);
 * a submission or a withdrawal always has its own row.
 */
function journalSave(
	trx: Executor,
	event: Parameters<typeof recordAudit>[1] & { actor: User },
	now: Date
): Promise<void> {
	return event.action === 'update.saved'
		? recordBounded(trx, event, 'update.saved', now)
		: recordAudit(trx, event, now);
}

/** Withdrawals a partner account may make in a day (in Paris), « replace » of a submitted one included. */
export const WITHDRAWALS_PER_DAY = 20;

const WITHDRAWALS_SPENT_MESSAGE = `Vous avez déjà repris ${WITHDRAWALS_PER_DAY} mises à jour soumises aujourd’hui : celle-ci reste soumise à Lot numérique. Pour la corriger, demandez à l’équipe de vous la renvoyer.`;

/**
 * Whether the account has taken back WITHDRAWALS_PER_DAY submitted updates today: each withdrawal
 * and the submission after it is a row of the journal, which keeps them; a loop of the two would
 * fill it (security probe). Read in the transaction that writes the next one.
 */
async function withdrawalsSpent(trx: Executor, user: User, now: Date): Promise<boolean> {
	return (await countTodaysActions(trx, user.id, 'update.withdrawn', now)) >= WITHDRAWALS_PER_DAY;
}

/**
 * Why « Retirer » is refused, in the order that holds: staff acted on it; the organisation was
 * taken off the fiche (a submitted update stays readable, not withdrawable); nothing submitted.
 */
function notWithdrawable(update: ProgressUpdateRecord, carried: boolean): string {
	if (update.state === 'validated' || update.state === 'returned')
		return `Lot numérique a déjà traité cette mise à jour (${STATE_LABELS[update.state]}) : elle ne peut plus être retirée.`;
	if (!carried)
		return 'Votre organisation ne porte plus cette fiche et n’en est plus partenaire : cette mise à jour reste lisible, mais ne se retire pas.';
	return 'Cette mise à jour n’est pas soumise : il n’y a rien à retirer.';
}

/**
 * A partner takes their organisation's submitted update back to draft, until staff have acted on
 * it (validated or returned). The version seen on the page guards against a decision in between.
 */
export async function withdrawProgressUpdate(
	db: Db,
	user: User,
	updateId: number,
	version: number,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ ficheCode: string }>> {
	return db.transaction().execute(async (trx) => {
		const access = await updateAccess(trx, user, updateId, 'withdraw', clientAddress, now);
		if (!access.ok) return access;
		const { update, carried, canWithdraw } = access.value;
		if (!canWithdraw) return refuse(409, notWithdrawable(update, carried));
		if (update.version !== version)
			return refuse(409, 'Cette mise à jour a changé depuis l’ouverture de la page : relisez-la.');
		if (await withdrawalsSpent(trx, user, now)) return refuse(429, WITHDRAWALS_SPENT_MESSAGE);
		await withdrawUpdate(trx, update.id, update.version, user.id, now.toISOString());
		await recordAudit(
			trx,
			{
				actor: user,
				action: 'update.withdrawn',
				target: { type: 'suivi', id: update.id },
				summary: `Mise à jour de la fiche ${update.ficheCode} retirée avant validation : revenue en brouillon`,
				before: { state: 'submitted' },
				after: { state: 'draft' },
				clientAddress
			},
			now
		);
		return ok({ ficheCode: update.ficheCode });
	});
}

/** What a discarded draft's page and refusals say of it: who discarded it, and when. */
export function discardedWords(discarded: DiscardedUpdate): string {
	return `${discarded.discardedByName ? ` par ${discarded.discardedByName}` : ''} le ${formatMoment(discarded.discardedAt)}`;
}

/** A discarded draft as its page shows it: whether the organisation still works on its fiche. */
export type OwnDiscardedDraft = DiscardedUpdate & { carried: boolean };

/**
 * The draft its own organisation discarded, for one of its partners; undefined for anyone else,
 * who is answered as for a number that never existed (not journaled: nothing is there to hide).
 */
export async function ownDiscardedDraft(
	db: Executor,
	user: User,
	updateId: number
): Promise<OwnDiscardedDraft | undefined> {
	const discarded = await findDiscardedUpdate(db, updateId);
	if (!discarded) return undefined;
	// `update.view` without the fiche's organisations: a partner of the organisation that wrote it.
	if (
		!can(user, 'update.view', {
			ficheOrganisationIds: [],
			updateOrganisationId: discarded.organisationId
		})
	)
		return undefined;
	const ficheOrganisationIds = await findFicheOrganisationIds(db, discarded.ficheId);
	return { ...discarded, carried: stillCarried(user, ficheOrganisationIds) };
}

/** Why a partner's draft cannot be discarded (`update.discard` refused on an update it may read). */
function notDiscardable(update: ProgressUpdateRecord, sent: boolean, carried: boolean): string {
	const who = update.updatedByName ?? 'Une autre personne de votre organisation';
	if (update.state === 'submitted')
		return `${who} a soumis cette mise à jour à Lot numérique${update.submittedAt ? ` le ${formatDate(update.submittedAt)}` : ''} : elle n’est plus un brouillon et ne se supprime pas. Rien n’a été supprimé.`;
	if (update.state === 'validated')
		return 'Cette mise à jour a été validée et publiée par Lot numérique : elle ne se supprime pas.';
	if (update.state === 'returned' || update.reviewComment !== null)
		return 'Lot numérique a renvoyé cette mise à jour pour qu’elle soit corrigée : elle ne se supprime pas. Corrigez-la puis soumettez-la de nouveau, ou écrivez à Lot numérique si elle n’a plus lieu d’être.';
	if (!carried)
		return 'Votre organisation ne porte plus cette fiche et n’en est plus partenaire : ce brouillon reste lisible, mais ne se reprend ni ne se supprime.';
	if (sent)
		return 'Ce brouillon a déjà été soumis à Lot numérique, puis retiré : il fait partie de vos échanges avec Lot numérique et ne se supprime pas. Modifiez-le puis soumettez-le, ou écrivez à Lot numérique s’il n’a plus lieu d’être.';
	return 'Cette mise à jour ne peut pas être supprimée.';
}

/**
 * A partner discards their organisation's draft for good, with its measurements: only a draft
 * never sent to Lot numérique (`update.discard`), over the version seen on the page (a colleague's
 * save in between wins: nothing is deleted, the page reads it again). Its number is kept
 * (`discarded_update`), never given to another update. Another organisation's update, or anyone
 * else, is answered as a missing one (404, journaled); a draft discarded already (a second tab)
 * by 410, which the page says as such.
 */
export async function discardProgressDraft(
	db: Db,
	user: User,
	updateId: number,
	version: number,
	clientAddress: string | null,
	now = new Date()
): Promise<Result<{ ficheCode: string }>> {
	return db.transaction().execute(async (trx) => {
		const access = await updateAccess(trx, user, updateId, 'discard', clientAddress, now);
		if (!access.ok) return access;
		const { update, sent, carried, canDiscard } = access.value;
		if (!canDiscard) return refuse(409, notDiscardable(update, sent, carried));
		const discarded =
			update.version === version &&
			(await discardDraft(
				trx,
				{ id: update.id, ficheId: update.ficheId, organisationId: update.organisationId!, version },
				user.id,
				now.toISOString()
			));
		if (!discarded) {
			const self = update.updatedBy === user.id;
			const who = self
				? 'Vous avez enregistré ce brouillon depuis un autre onglet, une autre fenêtre ou un autre appareil'
				: `${update.updatedByName ?? 'Une autre personne de votre organisation'} a enregistré ce brouillon`;
			return refuse(
				409,
				`${who}${update.updatedAt ? ` le ${formatMoment(update.updatedAt)}` : ''}, après l’ouverture de cette page : rien n’a été supprimé. Relisez-le ci-dessous ; s’il faut encore le supprimer, cochez de nouveau la case.`
			);
		}
		// Who, which fiche, when: a draft's content was never journaled, and is not now either.
		await recordAudit(
			trx,
			{
				actor: user,
				action: 'update.discarded',
				target: { type: 'suivi', id: update.id },
				summary: `Brouillon de la fiche ${update.ficheCode} supprimé par son organisation`,
				before: { state: 'draft', version },
				clientAddress
			},
			now
		);
		return ok({ ficheCode: update.ficheCode });
	});
}

/**
 * The review page's update (staff who may see the queue: `queue.view`, the route's guard), or
 * undefined when there is none. A draft (never sent, or withdrawn by its organisation) is visible
 * to that organisation alone, as the partner's form promises: staff learn whose it is, not what
 * it says. Of another, what the fiche publishes today beside it — a drop (35 % → 10 %) is seen
 * before validating — and, while it is submitted, what it would not change: an update dated
 * before the latest published one that states the status or the advancement changes neither
 * (`superseded`, in the fiche's order, updateRank: its day, then its id).
 */
export async function reviewContext(db: Executor, viewer: User, updateId: number) {
	const update = await findProgressUpdate(db, updateId);
	if (!update) return undefined;
	if (update.state === 'draft') {
		const { id, ficheCode, ficheTitle, organisationName } = update;
		return {
			update: null,
			draft: { id, ficheCode, ficheTitle, organisationName },
			replacedOwn: []
		};
	}
	const published = await findPublishedState(db, update.ficheId);
	const stating = await findStatingUpdates(db, update.ficheId);
	const submitted = update.state === 'submitted';
	const laterThan = (row: { id: number; reportedOn: string } | undefined, states: boolean) =>
		submitted && states && row && updateRank(row) > updateRank(update) ? row.reportedOn : null;
	return {
		update,
		draft: null,
		published,
		// Who returned it, when it was (its comment is that return's, whatever its state since).
		returnedBy: update.reviewComment === null ? null : await findReturnedByName(db, update.id),
		// The published values its own replace once validated (one per indicator and day).
		replaced: submitted ? await findReplacedMeasurements(db, update.id) : [],
		// Its own values that a later validation replaced: shown as such, not dropped.
		replacedOwn: await replacedValuesOf(db, viewer, { id: update.id, ficheOrganisationIds: [] }),
		// For its status and its advancement: the day of the validated update that keeps setting it.
		superseded: {
			status: laterThan(stating.status, update.status !== null),
			progress: laterThan(stating.progress, update.progress !== null)
		}
	};
}

/**
 * Staff decision on a submitted update: validate (it becomes public; `comment` is ignored) or return
 * it with a comment.
 */
export async function reviewProgressUpdate(
	db: Db,
	admin: User,
	input: { updateId: number; version: number; decision: 'validate' | 'return'; comment: string },
	clientAddress: string | null,
	now = new Date()
): Promise<Result> {
	return db.transaction().execute(async (trx) => {
		const update = await findProgressUpdate(trx, input.updateId);
		if (!update) return refuse(404, UPDATE_NOT_FOUND);
		if (update.state === 'draft')
			return refuse(
				409,
				'Le partenaire a retiré cette mise à jour entre-temps (elle est revenue en brouillon) : il n’y a plus rien à décider.'
			);
		if (update.state !== 'submitted')
			return refuse(
				409,
				`Cette mise à jour a déjà été traitée${update.reviewerName ? ` par ${update.reviewerName}` : ''} (état : ${STATE_LABELS[update.state]}).`
			);
		if (update.version !== input.version)
			return refuse(
				409,
				'Cette mise à jour a été modifiée depuis l’ouverture de la page : relisez-la avant de décider.'
			);
		if (!can(admin, 'update.review', { state: update.state }))
			return refuse(403, 'Seule l’équipe de Lot numérique valide les mises à jour.');
		if (input.decision === 'return' && input.comment.trim() === '')
			return refuse(400, RETURN_NEEDS_COMMENT, { fieldErrors: { comment: RETURN_NEEDS_COMMENT } });
		const ficheBefore = await findPublishedState(trx, update.ficheId);
		const validated = input.decision === 'validate';
		// One published value per indicator and day: a value sent for a day that has one corrects it.
		const replaced = validated ? await findReplacedMeasurements(trx, update.id) : [];
		await setReplacedMeasurementsAside(
			trx,
			replaced.map((r) => r.id),
			update.id
		);
		await recordReview(trx, update.id, {
			state: validated ? 'validated' : 'returned',
			validatedAt: validated ? now.toISOString() : null,
			comment: validated ? update.reviewComment : input.comment,
			reviewerId: admin.id,
			version: update.version + 1
		});
		let ficheAfter = ficheBefore;
		if (validated) {
			await refreshFicheState(trx, update.ficheId);
			ficheAfter = await findPublishedState(trx, update.ficheId);
		}
		await recordAudit(
			trx,
			{
				actor: admin,
				action: validated ? 'update.validated' : 'update.returned',
				target: { type: 'suivi', id: update.id },
				summary: validated
					? `Mise à jour de la fiche ${update.ficheCode} validée et publiée${replacementWords(update, replaced)}`
					: `Mise à jour de la fiche ${update.ficheCode} renvoyée : ${input.comment}`,
				before: validated
					? { fiche: ficheBefore, ...replacedState(replaced) }
					: { state: update.state },
				after: validated ? { fiche: ficheAfter } : { state: 'returned' },
				clientAddress
			},
			now
		);
		// A validation keeps no comment, so it mails none either (only a return's is kept).
		await notifyReview(
			trx,
			{ ...input, updateId: update.id, comment: validated ? '' : input.comment },
			now.getTime()
		);
		return ok();
	});
}

/**
 * The journal's words for the published values a validation replaced, each with the value that
 * replaces it (« . Mesure remplacée : « Nombre de territoires » au 1er octobre 2026 : 3 → 4 »).
 */
function replacementWords(update: ProgressUpdateRecord, replaced: PublishedMeasurement[]): string {
	return replaced
		.flatMap((old) => {
			const m = update.measurements.find(
				(n) => n.indicatorId === old.indicatorId && n.measuredOn === old.measuredOn
			);
			if (!m) return [];
			const text = (value: number) => indicatorValueText(m.indicatorKind, m.indicatorUnit, value);
			return [
				`. Mesure remplacée : « ${m.indicatorLabel} » au ${formatDate(m.measuredOn)} : ${text(old.value)} → ${text(m.value)}`
			];
		})
		.join('');
}

/** The replaced values as the journal keeps them (their update, to find it again), when any. */
function replacedState(replaced: PublishedMeasurement[]) {
	if (replaced.length === 0) return {};
	return {
		replacedMeasurements: replaced.map(({ indicatorId, measuredOn, value, updateId }) => ({
			indicatorId,
			measuredOn,
			value,
			updateId
		}))
	};
}

/** What « Changer le statut » sends: the new status, why, and the commission's decision applied. */
export interface StatusDecisionInput {
	status: (typeof DECIDED_STATUSES)[number];
	/** The status the page showed when the change was chosen. */
	shownStatus: FicheStatus;
	reason: string;
	decisionId: number | null;
}

/**
 * Lot numérique sets a fiche's status itself — a commission's decision to suspend it or take it up
 * again — as an update validated at once, dated today, the reason for its text and the decision
 * for its source. The status stays that of the latest validated update: the fiche's page, the
 * dashboard, the bilans and the open data read this one as any other, and a later update of its
 * owners changes it again.
 */
export async function setFicheStatus(
	db: Db,
	admin: User,
	code: string,
	input: StatusDecisionInput,
	clientAddress: string | null,
	now = new Date()
): Promise<Result> {
	if (!can(admin, 'plan.edit'))
		return refuse(403, 'Seule l’équipe de Lot numérique modifie le plan.');
	return db.transaction().execute(async (trx) => {
		const fiche = await findFicheForReporting(trx, code);
		if (!fiche) return refuse(404, FICHE_NOT_FOUND);
		if (fiche.retiredOn)
			return refuse(409, 'Cette fiche est abandonnée : son statut ne change plus.');
		if (fiche.status !== input.shownStatus)
			return refuse(
				409,
				`Le statut de la fiche a changé depuis l’ouverture de la page : elle est maintenant « ${STATUS_LABELS[fiche.status]} » (la page le montre à présent). Vérifiez qu’il faut encore le changer.`
			);
		const fieldErrors: Record<string, string> = {};
		if (fiche.status === input.status)
			fieldErrors.status = `La fiche est déjà « ${STATUS_LABELS[input.status]} » : choisissez un autre statut.`;
		else if (input.status === 'a_lancer' && (fiche.progress ?? 0) > 0)
			fieldErrors.status = `La fiche est avancée à ${formatPercent(fiche.progress)} : elle n’est plus « À lancer ». Choisissez « En cours » ou « Suspendue ».`;
		const cited =
			input.decisionId === null ? null : await ficheDecision(trx, fiche.code, input.decisionId);
		if (cited && !cited.ok) fieldErrors.decision = cited.message;
		const decision = cited?.ok ? cited.value : null;
		if (Object.keys(fieldErrors).length > 0)
			return refuse(400, 'Le statut n’a pas été changé : corrigez les champs signalés.', {
				fieldErrors
			});
		const at = now.toISOString();
		await insertStaffStatusUpdate(trx, {
			ficheId: fiche.id,
			reportedOn: parisDate(now),
			status: input.status,
			reason: input.reason,
			source: decision
				? `Lot numérique, en application de la décision de la commission du ${formatDate(decision.heldOn)}`
				: 'Lot numérique',
			authorId: admin.id,
			at
		});
		await refreshFicheState(trx, fiche.id);
		await recordAudit(
			trx,
			{
				actor: admin,
				action: 'plan.fiche_status',
				target: { type: 'fiche', id: fiche.code },
				summary: `Statut de la fiche ${fiche.code} changé : ${STATUS_LABELS[fiche.status]} → ${STATUS_LABELS[input.status]}`,
				before: { status: fiche.status },
				after: { status: input.status },
				clientAddress
			},
			now
		);
		return ok();
	});
}
