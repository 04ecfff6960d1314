// Saving a partner's progress update (a new one, a draft, a returned one): the form checked
// against the fiche, each refusal journaled with the stored update beside the typed one
// (saveProgressForm, saveProgressUpdate).
import type { Db, Executor } from '../db';
import { recordAudit, recordBounded } from '../audit/repository';
import { can } from '../auth/permissions';
import type { User } from '../auth/users';
import type { UpdateState } from '../db/schema';
import {
	INVALID_FORM_MESSAGE,
	invalidFields,
	ok,
	refuse,
	type Refusal,
	type RefusalReason,
	type Result
} from '../result';
import { parseProgressForm, type ProgressInput } from '../../schemas/progress-update';
import { indicatorField } from '../../utils/indicators';
import { UPDATE_STATE_LABELS as STATE_LABELS } from '../../utils/vocabulary';
import { ofName } from '../../utils/text';
import { formatDate, formatPercent } from '../../utils/format';
import { parisDate, parisToday } from '../../utils/dates';
import {
	findOpenUpdate,
	findProgressUpdate,
	findUpdateBySubmissionKey,
	insertProgressUpdate,
	replaceMeasurements,
	updateProgressFields,
	type ProgressUpdateRecord
} from './repository';
import {
	updateAccess,
	type Fiche,
	type ReportingContext,
	reportingFiche,
	reportingContext
} from './access';
import { type Measured, compare, by } from './comparison';
import { WITHDRAWALS_SPENT_MESSAGE, withdrawalsSpent } from './withdrawal';

/** What a save did: the update, its state, and whether the same form had been received before. */
export interface Saved {
	id: number;
	state: UpdateState;
	duplicate: boolean;
	/** A draft saved again as it was: nothing written, nothing journaled. */
	unchanged?: boolean;
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

/**
 * A save's context: the fiche read, then `reportingContext`, the update reached in the transaction.
 * « Enregistrer ma saisie comme nouvelle mise à jour » (intent `new`, offered when the update the
 * page was bound to was validated meanwhile) reaches none, whichever the address names: it creates
 * one, under the rules of any new update.
 */
async function saveContext(
	trx: Executor,
	user: User,
	ficheCode: string,
	updateId: number | null,
	intent: string,
	clientAddress: string | null,
	now: Date
): Promise<Result<ReportingContext>> {
	const fiche = await reportingFiche(trx, ficheCode);
	if (!fiche.ok) return fiche;
	const bound = intent === 'new' ? null : updateId;
	return reportingContext(trx, user, fiche.value, bound, (id) =>
		updateAccess(trx, user, id, 'save', clientAddress, now)
	);
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
 * attempt, once they were corrected. Validated, it can no longer be saved: the reason
 * `update-validated` lets the page offer at once what the next attempt's refusal offered
 * (« Enregistrer ma saisie comme nouvelle mise à jour »). Null when it did not change, or for a new
 * update.
 */
function changedMeanwhile(
	current: ProgressUpdateRecord | null,
	form: FormData
): { sentence: string; reason?: RefusalReason } | null {
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
		return {
			sentence:
				'Par ailleurs, Lot numérique a validé et publié cette mise à jour entre-temps : elle ne peut plus être modifiée ; une fois les champs corrigés, enregistrez votre saisie comme nouvelle mise à jour.',
			reason: 'update-validated'
		};
	return {
		sentence:
			current.state === 'submitted'
				? `Par ailleurs, ${who} a soumis cette mise à jour à Lot numérique entre-temps : une fois les champs corrigés, les deux versions vous seront montrées côte à côte.`
				: `Par ailleurs, ${who} a enregistré cette mise à jour entre-temps : une fois les champs corrigés, les deux versions vous seront montrées côte à côte.`
	};
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
		const intent = String(form.get('intent') ?? '');
		const context = await saveContext(trx, user, ficheCode, updateId, intent, clientAddress, now);
		if (!context.ok) return context;
		// Said before the fields' mistakes: the form could not be saved anyway.
		const offFiche = await refusedOffFiche(trx, user, context.value, intent, clientAddress, now);
		if (offFiche) return offFiche;
		const gone = retiredWithValue(context.value.fiche.retiredIndicators, form);
		if (gone.length > 0) return refuse(410, retiredIndicatorsMessage(gone));
		const parsed = parseProgressForm(form, context.value.fiche.indicators, parisToday(now));
		if (!parsed.input) {
			const meanwhile = changedMeanwhile(context.value.current, form);
			if (!meanwhile) return invalidFields(parsed.errors);
			// What changed meanwhile is said in the page's summary of the fields, above their links.
			return refuse(400, `${INVALID_FORM_MESSAGE} ${meanwhile.sentence}`, {
				reason: meanwhile.reason,
				fieldErrors: { ...parsed.errors, form: meanwhile.sentence }
			});
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
		const context = await saveContext(
			trx,
			user,
			ficheCode,
			updateId,
			input.intent,
			clientAddress,
			now
		);
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
			canReplace: stored.state !== 'validated',
			// Validated, on a fiche the organisation still works on: the typing becomes a new update.
			canSaveAsNew: stored.state === 'validated' && reason !== 'organisation-off-fiche'
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
			summary: `Mise à jour de la fiche ${fiche.code} ${verbOf(state)}${input.intent === 'new' ? ', reprenant une saisie faite sur une mise à jour validée entre-temps' : ''}`,
			// `intent: 'new'`: the form's confirmation « enregistrée dans un nouveau brouillon » reads it.
			after: { ...snapshot(input, state), ...(input.intent === 'new' ? { intent: 'new' } : {}) },
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
			? 'Cette mise à jour a été validée et publiée entre-temps par Lot numérique : elle ne peut plus être modifiée. Votre saisie est conservée ci-dessous, à côté de la version publiée ; pour compléter, enregistrez-la, corrigée si besoin, comme nouvelle mise à jour.'
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
