import type { Db, Executor } from '../db';
import { notifyReview } from '../mail/notifications';
import { recordAudit } from '../audit/repository';
import { can } from '../auth/permissions';
import type { User } from '../auth/users';
import type { UpdateState } from '../db/schema';
import type { ProgressInput } from '../../schemas/progress-update';
import { UPDATE_STATE_LABELS as STATE_LABELS, STATUS_LABELS } from '../../utils/vocabulary';
import { formatDate, formatNumber, formatPercent } from '../../utils/format';
import {
	findFicheForReporting,
	findFicheOrganisationIds,
	findOpenUpdate,
	findProgressUpdate,
	findUpdateBySubmissionKey,
	refreshFicheState,
	type ProgressUpdateRecord
} from './repository';

/** One line of the conflict screen: a field as typed and as stored now, side by side. */
export interface ConflictRow {
	field: string;
	label: string;
	mine: string;
	theirs: string;
	differs: boolean;
}

/** What the conflict screen shows of the update stored now, next to what the person typed. */
export interface Conflict {
	id: number;
	version: number;
	state: UpdateState;
	updatedByName: string | null;
	updatedAt: string | null;
	/** Whether « Enregistrer ma version à la place » is possible (not once staff have validated). */
	canReplace: boolean;
	rows: ConflictRow[];
}

export type SaveResult =
	| { ok: true; id: number; state: UpdateState; duplicate: boolean }
	| { ok: false; status: 403 | 404 | 409; message: string; conflict?: Conflict };

const FIELD_LABELS = {
	reportedOn: 'Date de la mise à jour',
	status: 'Statut',
	progress: 'Avancement',
	done: 'Ce qui a été fait',
	nextSteps: 'Prochaines étapes',
	difficulties: 'Difficultés'
} as const;

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

function describeMeasurement(m: Measured | undefined): string {
	if (!m) return 'pas de valeur';
	return `${formatNumber(m.value)} au ${formatDate(m.measuredOn)}${m.comment ? ` (${m.comment})` : ''}`;
}

/** Every field of the stored update next to what the person typed, differences marked. */
function compare(
	current: ProgressUpdateRecord,
	input: ProgressInput,
	indicators: { id: number; label: string }[]
): ConflictRow[] {
	const rows: ConflictRow[] = (Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]).map(
		(field) => {
			const mine = describe(field, input);
			const theirs = describe(field, current);
			return { field, label: FIELD_LABELS[field], mine, theirs, differs: mine !== theirs };
		}
	);
	for (const indicator of indicators) {
		const mine = describeMeasurement(
			input.measurements.find((m) => m.indicatorId === indicator.id)
		);
		const theirs = describeMeasurement(
			current.measurements.find((m) => m.indicatorId === indicator.id)
		);
		rows.push({
			field: `indicator_${indicator.id}`,
			label: indicator.label,
			mine,
			theirs,
			differs: mine !== theirs
		});
	}
	return rows;
}

function snapshot(input: ProgressInput) {
	return {
		reportedOn: input.reportedOn,
		status: input.status,
		progress: input.progress,
		measurements: input.measurements.length
	};
}

async function replaceMeasurements(
	db: Executor,
	updateId: number,
	input: ProgressInput
): Promise<void> {
	await db.deleteFrom('measurement').where('progress_update_id', '=', updateId).execute();
	if (input.measurements.length > 0) {
		await db
			.insertInto('measurement')
			.values(
				input.measurements.map((m) => ({
					indicator_id: m.indicatorId,
					progress_update_id: updateId,
					measured_on: m.measuredOn,
					value: m.value,
					comment: m.comment
				}))
			)
			.execute();
	}
}

function by(record: ProgressUpdateRecord): string {
	return `${record.updatedByName ? ` par ${record.updatedByName}` : ''}${record.updatedAt ? ` le ${formatDate(record.updatedAt)}` : ''}`;
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
): Promise<SaveResult> {
	const stamp = now.toISOString();
	const state: UpdateState = input.intent === 'submit' ? 'submitted' : 'draft';
	const verb = state === 'submitted' ? 'soumise' : 'enregistrée en brouillon';
	return db.transaction().execute(async (trx): Promise<SaveResult> => {
		const fiche = await findFicheForReporting(trx, ficheCode);
		if (!fiche) return { ok: false, status: 404, message: 'Cette fiche n’existe pas.' };
		const ficheOrganisationIds = await findFicheOrganisationIds(trx, fiche.id);
		const indicatorIds = new Set(fiche.indicators.map((i) => i.id));
		if (input.measurements.some((m) => !indicatorIds.has(m.indicatorId))) {
			return { ok: false, status: 403, message: 'Un indicateur ne correspond pas à cette fiche.' };
		}

		/** Refuses the post: journaled, with the stored update beside what was typed. */
		const refuseWith = async (current: ProgressUpdateRecord, message: string, why: string) => {
			await recordAudit(
				trx,
				{
					actor: user,
					action: 'update.conflict',
					target: { type: 'suivi', id: current.id },
					summary: `Enregistrement refusé sur la mise à jour de la fiche ${fiche.code} : ${why}`,
					before: { state: current.state, version: current.version },
					after: { intent: input.intent, version: input.version, ...snapshot(input) },
					clientAddress
				},
				now
			);
			return {
				ok: false as const,
				status: 409 as const,
				message,
				conflict: {
					id: current.id,
					version: current.version,
					state: current.state,
					updatedByName: current.updatedByName,
					updatedAt: current.updatedAt,
					canReplace: current.state !== 'validated',
					rows: compare(current, input, fiche.indicators)
				}
			};
		};

		/** The form accepted before, posted again: fine if identical, otherwise shown. */
		const repeated = async (current: ProgressUpdateRecord): Promise<SaveResult> => {
			const rows = compare(current, input, fiche.indicators);
			if (rows.every((r) => !r.differs))
				return { ok: true, id: current.id, state: current.state, duplicate: true };
			return refuseWith(
				current,
				`Ce formulaire avait déjà été envoyé (retour en arrière ou double envoi) : rien n’a été enregistré en double. La mise à jour est maintenant ${STATE_LABELS[current.state]}${by(current)} ; votre saisie est conservée ci-dessous, à côté de ce qui est enregistré.`,
				'formulaire déjà envoyé'
			);
		};

		if (updateId === null) {
			if (!can(user, 'update.create', { ficheOrganisationIds })) {
				return {
					ok: false,
					status: 403,
					message: 'Votre organisation ne porte pas cette fiche et n’en est pas partenaire.'
				};
			}
			const existing = await findUpdateBySubmissionKey(trx, user.id, input.submissionKey);
			if (existing !== undefined) {
				const record = (await findProgressUpdate(trx, existing))!;
				// A form key belongs to one fiche: posted to another, it says nothing of that one.
				if (record.ficheId !== fiche.id)
					return {
						ok: false,
						status: 409,
						message:
							'Ce formulaire a déjà servi pour une autre fiche : rouvrez le formulaire de cette fiche pour saisir sa mise à jour.'
					};
				return repeated(record);
			}
			const open = await findOpenUpdate(trx, fiche.id, user.organisationId!);
			if (open) {
				return refuseWith(
					open,
					`Une mise à jour de la fiche ${fiche.code} est déjà en cours pour votre organisation (${STATE_LABELS[open.state]}${by(open)}) : il n’y en a qu’une à la fois. Rien n’a été créé en double ; votre saisie est conservée ci-dessous, à côté de la mise à jour en cours.`,
					'une mise à jour est déjà en cours'
				);
			}
			const { id } = await trx
				.insertInto('progress_update')
				.values({
					fiche_id: fiche.id,
					organisation_id: user.organisationId,
					author_id: user.id,
					submission_key: input.submissionKey,
					last_post_key: input.submissionKey,
					reported_on: input.reportedOn,
					status: input.status,
					progress: input.progress,
					done: input.done,
					next_steps: input.nextSteps,
					difficulties: input.difficulties,
					source: null,
					state,
					validated_at: null,
					review_comment: null,
					reviewed_by: null,
					updated_by: user.id,
					updated_at: stamp,
					submitted_at: state === 'submitted' ? stamp : null
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			await replaceMeasurements(trx, id, input);
			await recordAudit(
				trx,
				{
					actor: user,
					action: state === 'submitted' ? 'update.submitted' : 'update.saved',
					target: { type: 'suivi', id },
					summary: `Mise à jour de la fiche ${fiche.code} ${verb}`,
					after: snapshot(input),
					clientAddress
				},
				now
			);
			return { ok: true, id, state, duplicate: false };
		}

		const current = await findProgressUpdate(trx, updateId);
		if (!current || current.ficheId !== fiche.id)
			return { ok: false, status: 404, message: 'Cette mise à jour n’existe pas.' };
		const access = { ficheOrganisationIds, updateOrganisationId: current.organisationId };
		if (!can(user, 'update.view', access))
			return { ok: false, status: 403, message: 'Vous ne pouvez pas modifier cette mise à jour.' };
		const replacing = input.intent === 'replace';
		const editable =
			can(user, 'update.edit', { ...access, state: current.state }) ||
			(replacing && can(user, 'update.withdraw', { ...access, state: current.state }));
		if (!editable || input.version !== current.version) {
			// The form accepted last, posted again (Back then submit, double click): not a conflict.
			if (current.lastPostKey !== null && current.lastPostKey === input.submissionKey)
				return repeated(current);
			const who = current.updatedByName ?? 'Une autre personne';
			const message =
				current.state === 'validated'
					? 'Cette mise à jour a été validée et publiée entre-temps par Lot numérique : elle ne peut plus être modifiée. Votre saisie est conservée ci-dessous, à côté de la version publiée ; pour compléter, créez une nouvelle mise à jour.'
					: current.state === 'submitted'
						? `${who} a soumis cette mise à jour à Lot numérique${current.submittedAt ? ` le ${formatDate(current.submittedAt)}` : ''} pendant que vous la modifiiez. Rien n’a été écrasé : votre saisie est conservée ci-dessous, à côté de la version soumise.`
						: `${who} a enregistré cette mise à jour pendant que vous la modifiiez. Rien n’a été écrasé : votre saisie est conservée ci-dessous, à côté de la version enregistrée.`;
			return refuseWith(
				current,
				message,
				`version ${input.version ?? '?'} au lieu de ${current.version} (${STATE_LABELS[current.state]})`
			);
		}
		const saved: UpdateState = replacing ? 'draft' : state;
		const result = await trx
			.updateTable('progress_update')
			.set({
				reported_on: input.reportedOn,
				status: input.status,
				progress: input.progress,
				done: input.done,
				next_steps: input.nextSteps,
				difficulties: input.difficulties,
				state: saved,
				version: current.version + 1,
				last_post_key: input.submissionKey,
				updated_by: user.id,
				updated_at: stamp,
				submitted_at: saved === 'submitted' ? stamp : null
			})
			.where('id', '=', current.id)
			.where('version', '=', current.version)
			.executeTakeFirst();
		if (Number(result.numUpdatedRows) !== 1) {
			return refuseWith(
				current,
				'Cette mise à jour vient d’être modifiée par une autre personne.',
				'écriture concurrente'
			);
		}
		await replaceMeasurements(trx, current.id, input);
		await recordAudit(
			trx,
			{
				actor: user,
				action: saved === 'submitted' ? 'update.submitted' : 'update.saved',
				target: { type: 'suivi', id: current.id },
				summary: replacing
					? `Mise à jour de la fiche ${fiche.code} enregistrée en brouillon (version ${current.version + 1}) à la place de la version ${current.version}${current.updatedByName ? ` de ${current.updatedByName}` : ''}, en connaissance de cause`
					: `Mise à jour de la fiche ${fiche.code} ${verb} (version ${current.version + 1})`,
				before: {
					state: current.state,
					reportedOn: current.reportedOn,
					status: current.status,
					progress: current.progress
				},
				after: { state: saved, ...snapshot(input) },
				clientAddress
			},
			now
		);
		return { ok: true, id: current.id, state: saved, duplicate: false };
	});
}

export type WithdrawResult =
	{ ok: true; ficheCode: string } | { ok: false; status: 403 | 404 | 409; message: string };

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
): Promise<WithdrawResult> {
	return db.transaction().execute(async (trx): Promise<WithdrawResult> => {
		const update = await findProgressUpdate(trx, updateId);
		if (!update) return { ok: false, status: 404, message: 'Cette mise à jour n’existe pas.' };
		const access = {
			ficheOrganisationIds: await findFicheOrganisationIds(trx, update.ficheId),
			updateOrganisationId: update.organisationId
		};
		if (!can(user, 'update.view', access))
			return { ok: false, status: 403, message: 'Vous ne pouvez pas retirer cette mise à jour.' };
		if (!can(user, 'update.withdraw', { ...access, state: update.state })) {
			return {
				ok: false,
				status: 409,
				message:
					update.state === 'validated' || update.state === 'returned'
						? `Lot numérique a déjà traité cette mise à jour (${STATE_LABELS[update.state]}) : elle ne peut plus être retirée.`
						: 'Cette mise à jour n’est pas soumise : il n’y a rien à retirer.'
			};
		}
		if (update.version !== version) {
			return {
				ok: false,
				status: 409,
				message: 'Cette mise à jour a changé depuis l’ouverture de la page : relisez-la.'
			};
		}
		await trx
			.updateTable('progress_update')
			.set({
				state: 'draft',
				version: update.version + 1,
				submitted_at: null,
				updated_by: user.id,
				updated_at: now.toISOString()
			})
			.where('id', '=', update.id)
			.where('version', '=', update.version)
			.execute();
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
		return { ok: true, ficheCode: update.ficheCode };
	});
}

export type ReviewResult = { ok: true } | { ok: false; status: 404 | 409 | 403; message: string };

/** Staff decision on a submitted update: validate (it becomes public) or return it with a comment. */
export async function reviewProgressUpdate(
	db: Db,
	admin: User,
	input: { updateId: number; version: number; decision: 'validate' | 'return'; comment: string },
	clientAddress: string | null,
	now = new Date()
): Promise<ReviewResult> {
	return db.transaction().execute(async (trx): Promise<ReviewResult> => {
		const update = await findProgressUpdate(trx, input.updateId);
		if (!update) return { ok: false, status: 404, message: 'Cette mise à jour n’existe pas.' };
		if (update.state === 'draft') {
			return {
				ok: false,
				status: 409,
				message:
					'Le partenaire a retiré cette mise à jour entre-temps (elle est revenue en brouillon) : il n’y a plus rien à décider.'
			};
		}
		if (update.state !== 'submitted') {
			return {
				ok: false,
				status: 409,
				message: `Cette mise à jour a déjà été traitée${update.reviewerName ? ` par ${update.reviewerName}` : ''} (état : ${STATE_LABELS[update.state]}).`
			};
		}
		if (update.version !== input.version) {
			return {
				ok: false,
				status: 409,
				message:
					'Cette mise à jour a été modifiée depuis l’ouverture de la page : relisez-la avant de décider.'
			};
		}
		if (!can(admin, 'update.review', { state: update.state })) {
			return {
				ok: false,
				status: 403,
				message: 'Seule l’équipe de Lot numérique valide les mises à jour.'
			};
		}
		const ficheBefore = await trx
			.selectFrom('fiche')
			.select(['status', 'progress', 'last_update'])
			.where('id', '=', update.ficheId)
			.executeTakeFirstOrThrow();
		const validated = input.decision === 'validate';
		await trx
			.updateTable('progress_update')
			.set({
				state: validated ? 'validated' : 'returned',
				validated_at: validated ? now.toISOString() : null,
				review_comment: validated ? update.reviewComment : input.comment,
				reviewed_by: admin.id,
				version: update.version + 1
			})
			.where('id', '=', update.id)
			.execute();
		let ficheAfter = ficheBefore;
		if (validated) {
			await refreshFicheState(trx, update.ficheId);
			ficheAfter = await trx
				.selectFrom('fiche')
				.select(['status', 'progress', 'last_update'])
				.where('id', '=', update.ficheId)
				.executeTakeFirstOrThrow();
		}
		await recordAudit(
			trx,
			{
				actor: admin,
				action: validated ? 'update.validated' : 'update.returned',
				target: { type: 'suivi', id: update.id },
				summary: validated
					? `Mise à jour de la fiche ${update.ficheCode} validée et publiée`
					: `Mise à jour de la fiche ${update.ficheCode} renvoyée : ${input.comment}`,
				before: validated ? { fiche: ficheBefore } : { state: update.state },
				after: validated ? { fiche: ficheAfter } : { state: 'returned' },
				clientAddress
			},
			now
		);
		await notifyReview(trx, { ...input, updateId: update.id }, now.getTime());
		return { ok: true };
	});
}
