// Staff reviewing a submitted update: what the review page shows (reviewContext), and the
// decision, validate or return, journaled and mailed (reviewProgressUpdate).
import type { Db, Executor } from '../db';
import { notifyReplacedValues, notifyReview } from '../mail/notifications';
import { recordAudit } from '../audit/repository';
import { can } from '../auth/permissions';
import type { User } from '../auth/users';
import { ok, refuse, type Result } from '../result';
import { UPDATE_NOT_FOUND, UPDATE_STATE_LABELS as STATE_LABELS } from '../../utils/vocabulary';
import { RETURN_NEEDS_COMMENT } from '../../schemas/review';
import { formatDate } from '../../utils/format';
import { updateRank } from '../../utils/rules';
import { indicatorValueText } from '../../utils/indicator-target';
import {
	findFicheOrganisationIds,
	findProgressUpdate,
	findReturnedByName,
	findPublishedState,
	findReplacedMeasurements,
	findStatingUpdates,
	setReplacedMeasurementsAside,
	recordReview,
	refreshFicheState,
	type ProgressUpdateRecord,
	type ReplacedMeasurement
} from './repository';
import { replacedValuesOf } from './published-values';

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
		// Its organisation still carries or partners the fiche: returned, it could not resume it.
		carried: await organisationCarries(db, update),
		// Who returned it, when it was (its comment is that return's, whatever its state since).
		returnedBy: update.reviewComment === null ? null : await findReturnedByName(db, update.id),
		// The published values its own replace once validated (one per indicator and day).
		replaced: submitted ? await findReplacedMeasurements(db, update.id) : [],
		// Its own values that a later validation replaced: shown as such, not dropped.
		replacedOwn: await replacedValuesOf(db, viewer, {
			id: update.id,
			organisationId: update.organisationId,
			ficheOrganisationIds: []
		}),
		// For its status and its advancement: the day of the validated update that keeps setting it.
		superseded: {
			status: laterThan(stating.status, update.status !== null),
			progress: laterThan(stating.progress, update.progress !== null)
		}
	};
}

/**
 * Whether the update's organisation still carries or partners its fiche: one it was taken off
 * may no longer resume a returned update (`update.create`, the partner's page says so).
 */
async function organisationCarries(db: Executor, update: ProgressUpdateRecord): Promise<boolean> {
	const organisationIds = await findFicheOrganisationIds(db, update.ficheId);
	return update.organisationId !== null && organisationIds.includes(update.organisationId);
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
		// Returned to an organisation no longer on the fiche, the mail does not invite it to resume.
		await notifyReview(
			trx,
			{
				...input,
				updateId: update.id,
				comment: validated ? '' : input.comment,
				carried: validated || (await organisationCarries(trx, update))
			},
			now.getTime()
		);
		await notifyOverwritten(trx, update, replaced, now.getTime());
		return ok();
	});
}

/**
 * Each published value a validation replaced, with the words that say it beside the value that
 * replaces it (« « Nombre de territoires » au 1er octobre 2026 : 3 → 4 »).
 */
function replacements(update: ProgressUpdateRecord, replaced: ReplacedMeasurement[]) {
	return replaced.flatMap((old) => {
		const m = update.measurements.find(
			(n) => n.indicatorId === old.indicatorId && n.measuredOn === old.measuredOn
		);
		if (!m) return [];
		const text = (value: number) => indicatorValueText(m.indicatorKind, m.indicatorUnit, value);
		return [
			{
				old,
				line: `« ${m.indicatorLabel} » au ${formatDate(m.measuredOn)} : ${text(old.value)} → ${text(m.value)}`
			}
		];
	});
}

/**
 * The journal's words for the published values a validation replaced, each with the value that
 * replaces it (« . Mesure remplacée : « Nombre de territoires » au 1er octobre 2026 : 3 → 4 »).
 */
function replacementWords(update: ProgressUpdateRecord, replaced: ReplacedMeasurement[]): string {
	return replacements(update, replaced)
		.map(({ line }) => `. Mesure remplacée : ${line}`)
		.join('');
}

/**
 * Tells the organisations whose published values the validated update replaced, when another
 * than its own: one organisation overwrote their figure (a self-correction mails nothing more).
 */
async function notifyOverwritten(
	db: Executor,
	update: ProgressUpdateRecord,
	replaced: ReplacedMeasurement[],
	now: number
): Promise<void> {
	const overwritten = replacements(update, replaced).flatMap(({ old, line }) =>
		old.organisationId !== null && old.organisationId !== update.organisationId
			? [{ organisationId: old.organisationId, updateId: old.updateId, line }]
			: []
	);
	if (overwritten.length === 0) return;
	await notifyReplacedValues(
		db,
		{
			fiche: update.ficheCode,
			ficheTitle: update.ficheTitle,
			by: update.organisationName,
			replaced: overwritten
		},
		now
	);
}

/** The replaced values as the journal keeps them (their update, to find it again), when any. */
function replacedState(replaced: ReplacedMeasurement[]) {
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
