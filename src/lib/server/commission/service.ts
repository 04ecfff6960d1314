import type { Db, Executor } from '../db';
import { recordAudit } from '../audit/repository';
import { notifySessionClosed } from '../mail/notifications';
import type { User } from '../auth/users';
import type { Opinion } from '../db/schema';
import { refuse, type ServiceResult } from '../result';
import { SITTING_STATE_LABELS as STATE_LABELS } from '../../utils/vocabulary';

export type CommissionResult<T = object> = ServiceResult<T>;

const CLOSED_MESSAGE =
	'Cette séance est close : elle ne peut plus être modifiée. Ouvrez une nouvelle séance pour revenir sur ses décisions.';

async function openSession(db: Executor, id: number) {
	const session = await db
		.selectFrom('commission_session')
		.selectAll()
		.where('id', '=', id)
		.executeTakeFirst();
	if (!session)
		return {
			error: refuse(404, 'Cette séance n’existe pas.')
		};
	if (session.state === 'closed') return { error: refuse(409, CLOSED_MESSAGE) };
	return { session };
}

export async function createCommissionSession(
	db: Db,
	user: User,
	input: { heldOn: string; place: string; title: string },
	clientAddress: string | null
): Promise<CommissionResult<{ id: number }>> {
	return db.transaction().execute(async (trx) => {
		const { id } = await trx
			.insertInto('commission_session')
			.values({
				held_on: input.heldOn,
				place: input.place,
				title: input.title,
				state: 'preparation',
				source: null,
				created_by: user.id,
				created_at: new Date().toISOString(),
				closed_by: null,
				closed_at: null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordAudit(trx, {
			actor: user,
			action: 'session.created',
			target: { type: 'séance', id },
			summary: `Séance du ${input.heldOn} créée (${input.title}, ${input.place})`,
			after: input,
			clientAddress
		});
		return { ok: true as const, id };
	});
}

async function nextPosition(db: Executor, sessionId: number): Promise<number> {
	const row = await db
		.selectFrom('agenda_item')
		.select((eb) => eb.fn.max('position').as('p'))
		.where('session_id', '=', sessionId)
		.executeTakeFirst();
	return Number(row?.p ?? 0) + 1;
}

export async function addAgendaFiches(
	db: Db,
	user: User,
	sessionId: number,
	codes: string[],
	clientAddress: string | null
): Promise<CommissionResult<{ added: number }>> {
	return db.transaction().execute(async (trx) => {
		const { error } = await openSession(trx, sessionId);
		if (error) return error;
		const fiches =
			codes.length === 0
				? []
				: await trx.selectFrom('fiche').select(['id', 'code']).where('code', 'in', codes).execute();
		if (fiches.length !== new Set(codes).size)
			return refuse(400, 'Une des fiches choisies n’existe pas.');
		const present = new Set(
			(
				await trx
					.selectFrom('agenda_item')
					.select('fiche_id')
					.where('session_id', '=', sessionId)
					.execute()
			).map((r) => r.fiche_id)
		);
		let position = await nextPosition(trx, sessionId);
		const added: string[] = [];
		for (const fiche of fiches) {
			if (present.has(fiche.id)) continue;
			await trx
				.insertInto('agenda_item')
				.values({ session_id: sessionId, fiche_id: fiche.id, title: null, position: position++ })
				.execute();
			added.push(fiche.code);
		}
		if (added.length > 0)
			await recordAudit(trx, {
				actor: user,
				action: 'session.agenda',
				target: { type: 'séance', id: sessionId },
				summary: `Fiches ajoutées à l’ordre du jour : ${added.join(', ')}`,
				clientAddress
			});
		return { ok: true as const, added: added.length };
	});
}

export async function addAgendaFreeItem(
	db: Db,
	user: User,
	sessionId: number,
	title: string,
	clientAddress: string | null
): Promise<CommissionResult> {
	return db.transaction().execute(async (trx) => {
		const { error } = await openSession(trx, sessionId);
		if (error) return error;
		await trx
			.insertInto('agenda_item')
			.values({
				session_id: sessionId,
				fiche_id: null,
				title,
				position: await nextPosition(trx, sessionId)
			})
			.execute();
		await recordAudit(trx, {
			actor: user,
			action: 'session.agenda',
			target: { type: 'séance', id: sessionId },
			summary: `Point libre ajouté : ${title}`,
			clientAddress
		});
		return { ok: true as const };
	});
}

export async function removeAgendaItem(
	db: Db,
	user: User,
	sessionId: number,
	itemId: number,
	clientAddress: string | null
): Promise<CommissionResult> {
	return db.transaction().execute(async (trx) => {
		const { error } = await openSession(trx, sessionId);
		if (error) return error;
		const item = await trx
			.selectFrom('agenda_item')
			.select(['id', 'title', 'fiche_id'])
			.where('id', '=', itemId)
			.where('session_id', '=', sessionId)
			.executeTakeFirst();
		if (!item) return refuse(404, 'Ce point n’est pas à l’ordre du jour.');
		const decisions = await trx
			.selectFrom('decision')
			.select('id')
			.where('agenda_item_id', '=', itemId)
			.executeTakeFirst();
		if (decisions)
			return refuse(409, 'Ce point porte déjà des décisions : il reste à l’ordre du jour.');
		await trx.deleteFrom('agenda_item').where('id', '=', itemId).execute();
		await recordAudit(trx, {
			actor: user,
			action: 'session.agenda',
			target: { type: 'séance', id: sessionId },
			summary: `Point retiré de l’ordre du jour (n° ${itemId})`,
			clientAddress
		});
		return { ok: true as const };
	});
}

export async function addAttendee(
	db: Db,
	user: User,
	sessionId: number,
	attendee: { userId: number } | { guestName: string },
	clientAddress: string | null
): Promise<CommissionResult> {
	return db.transaction().execute(async (trx) => {
		const { error } = await openSession(trx, sessionId);
		if (error) return error;
		if ('userId' in attendee) {
			const member = await trx
				.selectFrom('user_account')
				.select(['id', 'name'])
				.where('id', '=', attendee.userId)
				.where('role', 'in', ['commission', 'admin'])
				.executeTakeFirst();
			if (!member)
				return refuse(400, 'Choisissez un membre de la commission ou de l’équipe dans la liste.');
			const already = await trx
				.selectFrom('session_attendee')
				.select('id')
				.where('session_id', '=', sessionId)
				.where('user_id', '=', member.id)
				.executeTakeFirst();
			if (already) return refuse(409, `${member.name} est déjà inscrit comme présent.`);
			await trx
				.insertInto('session_attendee')
				.values({ session_id: sessionId, user_id: member.id, guest_name: null })
				.execute();
		} else {
			await trx
				.insertInto('session_attendee')
				.values({ session_id: sessionId, user_id: null, guest_name: attendee.guestName })
				.execute();
		}
		await recordAudit(trx, {
			actor: user,
			action: 'session.attendees',
			target: { type: 'séance', id: sessionId },
			summary: 'Présent ajouté',
			after: attendee,
			clientAddress
		});
		return { ok: true as const };
	});
}

export async function removeAttendee(
	db: Db,
	user: User,
	sessionId: number,
	attendeeId: number,
	clientAddress: string | null
): Promise<CommissionResult> {
	return db.transaction().execute(async (trx) => {
		const { error } = await openSession(trx, sessionId);
		if (error) return error;
		const result = await trx
			.deleteFrom('session_attendee')
			.where('id', '=', attendeeId)
			.where('session_id', '=', sessionId)
			.executeTakeFirst();
		if (Number(result.numDeletedRows) === 0)
			return refuse(404, 'Cette personne n’est pas inscrite.');
		await recordAudit(trx, {
			actor: user,
			action: 'session.attendees',
			target: { type: 'séance', id: sessionId },
			summary: `Présent retiré (n° ${attendeeId})`,
			clientAddress
		});
		return { ok: true as const };
	});
}

export type DecisionInput =
	| { kind: 'priority'; newPriority: 1 | 2; text: string }
	| { kind: 'opinion'; opinion: Opinion; text: string }
	| { kind: 'free'; text: string };

export async function recordDecision(
	db: Db,
	user: User,
	sessionId: number,
	itemId: number,
	input: DecisionInput,
	clientAddress: string | null,
	now = new Date()
): Promise<CommissionResult> {
	return db.transaction().execute(async (trx) => {
		const { session, error } = await openSession(trx, sessionId);
		if (error) return error;
		if (session.state !== 'held') {
			return refuse(
				409,
				'Les décisions s’enregistrent pendant la séance : passez d’abord la séance à l’état « tenue ».'
			);
		}
		const item = await trx
			.selectFrom('agenda_item')
			.leftJoin('fiche', 'fiche.id', 'agenda_item.fiche_id')
			.select(['agenda_item.id', 'agenda_item.fiche_id', 'fiche.code', 'fiche.priority'])
			.where('agenda_item.id', '=', itemId)
			.where('agenda_item.session_id', '=', sessionId)
			.executeTakeFirst();
		if (!item) return refuse(404, 'Ce point n’est pas à l’ordre du jour de la séance.');
		let previous: number | null = null;
		if (input.kind === 'priority') {
			if (item.fiche_id === null || item.priority === null)
				return refuse(400, 'Une décision de priorité porte sur une fiche, pas sur un point libre.');
			if (item.priority === input.newPriority)
				return refuse(400, `La fiche ${item.code} est déjà en priorité ${input.newPriority}.`);
			const pending = await trx
				.selectFrom('decision')
				.select('id')
				.where('agenda_item_id', '=', itemId)
				.where('kind', '=', 'priority')
				.executeTakeFirst();
			if (pending)
				return refuse(
					409,
					'Une décision de priorité est déjà enregistrée pour cette fiche dans cette séance.'
				);
			previous = item.priority;
		}
		const { id } = await trx
			.insertInto('decision')
			.values({
				session_id: sessionId,
				agenda_item_id: itemId,
				kind: input.kind,
				previous_priority: previous,
				new_priority: input.kind === 'priority' ? input.newPriority : null,
				opinion: input.kind === 'opinion' ? input.opinion : null,
				text: input.text,
				recorded_by: user.id,
				recorded_at: now.toISOString()
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await recordAudit(trx, {
			actor: user,
			action: 'decision.recorded',
			target: { type: 'décision', id },
			summary: `Décision (${input.kind}) sur ${item.code ? `la fiche ${item.code}` : 'un point libre'} en séance du ${session.held_on}`,
			before: input.kind === 'priority' ? { priority: previous } : undefined,
			after: input,
			clientAddress
		});
		return { ok: true as const };
	});
}

/** preparation → held → closed. Closing makes the session's decisions take effect, for good. */
export async function changeSessionState(
	db: Db,
	user: User,
	sessionId: number,
	target: 'held' | 'closed',
	clientAddress: string | null,
	now = new Date()
): Promise<CommissionResult> {
	return db.transaction().execute(async (trx) => {
		const { session, error } = await openSession(trx, sessionId);
		if (error) return error;
		const allowed =
			(session.state === 'preparation' && target === 'held') ||
			(session.state === 'held' && target === 'closed');
		if (!allowed) {
			return refuse(
				409,
				`La séance est ${STATE_LABELS[session.state]} : elle ne peut pas passer à l’état « ${STATE_LABELS[target]} ».`
			);
		}
		await trx
			.updateTable('commission_session')
			.set(
				target === 'closed'
					? { state: 'closed', closed_by: user.id, closed_at: now.toISOString() }
					: { state: 'held' }
			)
			.where('id', '=', sessionId)
			.execute();
		await recordAudit(trx, {
			actor: user,
			action: 'session.state',
			target: { type: 'séance', id: sessionId },
			summary: `Séance du ${session.held_on} : ${STATE_LABELS[session.state]} → ${STATE_LABELS[target]}`,
			before: { state: session.state },
			after: { state: target },
			clientAddress
		});
		if (target === 'closed') {
			await notifySessionClosed(trx, sessionId, now.getTime());
			const changes = await trx
				.selectFrom('decision')
				.innerJoin('agenda_item', 'agenda_item.id', 'decision.agenda_item_id')
				.innerJoin('fiche', 'fiche.id', 'agenda_item.fiche_id')
				.select(['fiche.id', 'fiche.code', 'fiche.priority', 'decision.new_priority'])
				.where('decision.session_id', '=', sessionId)
				.where('decision.kind', '=', 'priority')
				.execute();
			for (const change of changes) {
				await trx
					.updateTable('fiche')
					.set({ priority: change.new_priority! })
					.where('id', '=', change.id)
					.execute();
				await recordAudit(trx, {
					actor: user,
					action: 'priority.changed',
					target: { type: 'fiche', id: change.code },
					summary: `Fiche ${change.code} : priorité ${change.priority} → ${change.new_priority} (séance du ${session.held_on})`,
					before: { priority: change.priority },
					after: { priority: change.new_priority },
					clientAddress
				});
			}
		}
		return { ok: true as const };
	});
}
