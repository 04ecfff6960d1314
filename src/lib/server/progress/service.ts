import type { Db, Executor } from '../db';
import { recordAudit } from '../audit/repository';
import { can } from '../auth/permissions';
import type { User } from '../auth/users';
import type { UpdateState } from '../db/schema';
import type { ProgressInput } from '../../schemas/progress-update';
import { STATUS_LABELS } from '../../utils/status';
import {
	findFicheForReporting,
	findFicheOrganisationIds,
	findProgressUpdate,
	findUpdateBySubmissionKey,
	refreshFicheState,
	type ProgressUpdateRecord
} from './repository';

export interface FieldChange {
	field: string;
	label: string;
	current: string;
}

export type SaveResult =
	| { ok: true; id: number; state: UpdateState; duplicate: boolean }
	| { ok: false; status: 403 | 404 | 409; message: string; changes?: FieldChange[] };

const FIELD_LABELS = {
	reportedOn: 'Date',
	status: 'Statut',
	progress: 'Avancement',
	done: 'Ce qui a été fait',
	nextSteps: 'Prochaines étapes',
	difficulties: 'Difficultés'
} as const;

function describe(field: keyof typeof FIELD_LABELS, record: ProgressUpdateRecord): string {
	if (field === 'status') return record.status ? STATUS_LABELS[record.status] : '—';
	if (field === 'progress')
		return record.progress === null ? 'non renseigné' : `${record.progress} %`;
	return String(record[field] ?? '');
}

/** The fields where what is stored now differs from what the person just typed. */
function changesAgainst(current: ProgressUpdateRecord, input: ProgressInput): FieldChange[] {
	const changes: FieldChange[] = [];
	for (const field of Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]) {
		const typed = input[field];
		if ((current[field] ?? null) !== (typed ?? null)) {
			changes.push({ field, label: FIELD_LABELS[field], current: describe(field, current) });
		}
	}
	const stored = current.measurements
		.map((m) => `${m.indicatorLabel} : ${m.value} au ${m.measuredOn}`)
		.join(' ; ');
	const typedMeasurements = input.measurements
		.map((m) => `${m.indicatorId}:${m.value}:${m.measuredOn}`)
		.join(';');
	const storedMeasurements = current.measurements
		.map((m) => `${m.indicatorId}:${m.value}:${m.measuredOn}`)
		.join(';');
	if (typedMeasurements !== storedMeasurements) {
		changes.push({
			field: 'measurements',
			label: 'Valeurs des indicateurs',
			current: stored || 'aucune'
		});
	}
	return changes;
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

/**
 * Creates a progress update (draft or submitted) or saves an existing draft / returned update.
 * A posted form carries a submission key (a repeat creates nothing) and, for an edit, the version
 * it started from (a concurrent save is refused with what changed, never overwritten).
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
	return db.transaction().execute(async (trx): Promise<SaveResult> => {
		const fiche = await findFicheForReporting(trx, ficheCode);
		if (!fiche) return { ok: false, status: 404, message: 'Cette fiche n’existe pas.' };
		const ficheOrganisationIds = await findFicheOrganisationIds(trx, fiche.id);
		const indicatorIds = new Set(fiche.indicators.map((i) => i.id));
		if (input.measurements.some((m) => !indicatorIds.has(m.indicatorId))) {
			return { ok: false, status: 403, message: 'Un indicateur ne correspond pas à cette fiche.' };
		}

		if (updateId === null) {
			if (!can(user, 'update.create', { ficheOrganisationIds })) {
				return {
					ok: false,
					status: 403,
					message: 'Votre organisation ne porte pas cette fiche et n’en est pas partenaire.'
				};
			}
			const existing = await findUpdateBySubmissionKey(trx, user.id, input.submissionKey);
			if (existing !== undefined) return { ok: true, id: existing, state, duplicate: true };
			const { id } = await trx
				.insertInto('progress_update')
				.values({
					fiche_id: fiche.id,
					organisation_id: user.organisationId,
					author_id: user.id,
					submission_key: input.submissionKey,
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
					summary: `Mise à jour de la fiche ${fiche.code} ${state === 'submitted' ? 'soumise' : 'enregistrée en brouillon'}`,
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
		if (
			!can(user, 'update.edit', {
				ficheOrganisationIds,
				updateOrganisationId: current.organisationId,
				state: current.state
			})
		) {
			if (
				current.organisationId === user.organisationId &&
				(current.state === 'submitted' || current.state === 'validated')
			) {
				return {
					ok: false,
					status: 409,
					message:
						current.state === 'validated'
							? 'Cette mise à jour a été validée entre-temps : elle ne peut plus être modifiée.'
							: 'Cette mise à jour a été soumise entre-temps : elle attend la validation de Lot numérique et ne peut plus être modifiée.'
				};
			}
			return { ok: false, status: 403, message: 'Vous ne pouvez pas modifier cette mise à jour.' };
		}
		if (input.version !== current.version) {
			await recordAudit(trx, {
				actor: user,
				action: 'update.conflict',
				target: { type: 'suivi', id: current.id },
				summary: `Enregistrement refusé : version ${input.version ?? '?'} au lieu de ${current.version}`,
				clientAddress
			});
			return {
				ok: false,
				status: 409,
				message: `${current.updatedByName ?? 'Une autre personne'} a enregistré cette mise à jour pendant que vous la modifiiez. Rien n’a été écrasé : vos saisies sont conservées ci-dessous ; comparez-les avec la version enregistrée, puis enregistrez de nouveau.`,
				changes: changesAgainst(current, input)
			};
		}
		const result = await trx
			.updateTable('progress_update')
			.set({
				reported_on: input.reportedOn,
				status: input.status,
				progress: input.progress,
				done: input.done,
				next_steps: input.nextSteps,
				difficulties: input.difficulties,
				state,
				version: current.version + 1,
				updated_by: user.id,
				updated_at: stamp,
				submitted_at: state === 'submitted' ? stamp : null
			})
			.where('id', '=', current.id)
			.where('version', '=', current.version)
			.executeTakeFirst();
		if (Number(result.numUpdatedRows) !== 1) {
			return {
				ok: false,
				status: 409,
				message:
					'Cette mise à jour vient d’être modifiée par une autre personne : rechargez la page.'
			};
		}
		await replaceMeasurements(trx, current.id, input);
		await recordAudit(
			trx,
			{
				actor: user,
				action: state === 'submitted' ? 'update.submitted' : 'update.saved',
				target: { type: 'suivi', id: current.id },
				summary: `Mise à jour de la fiche ${fiche.code} ${state === 'submitted' ? 'soumise' : 'enregistrée en brouillon'} (version ${current.version + 1})`,
				before: {
					state: current.state,
					reportedOn: current.reportedOn,
					status: current.status,
					progress: current.progress
				},
				after: { state, ...snapshot(input) },
				clientAddress
			},
			now
		);
		return { ok: true, id: current.id, state, duplicate: false };
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
		return { ok: true };
	});
}

export const STATE_LABELS: Record<UpdateState, string> = {
	draft: 'brouillon',
	submitted: 'soumise, en attente de validation',
	returned: 'renvoyée pour correction',
	validated: 'validée et publiée'
};
