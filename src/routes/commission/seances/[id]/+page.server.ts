import { error, fail, redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { can } from '$lib/server/auth/permissions';
import {
	findSession,
	listAttendeeCandidates,
	listFicheFlags
} from '$lib/server/commission/repository';
import {
	addAgendaFiches,
	addAgendaFreeItem,
	addAttendee,
	changeSessionState,
	recordDecision,
	removeAgendaItem,
	removeAttendee,
	type CommissionResult
} from '$lib/server/commission/service';
import { getDb } from '$lib/server/db/instance';
import { DecisionSchema, FreeItemSchema, GuestSchema } from '$lib/schemas/commission';
import { readForm, zodErrors } from '$lib/schemas/form';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function sessionId(raw: string): number {
	if (!/^\d{1,9}$/.test(raw)) error(404, 'Cette séance n’existe pas.');
	return Number(raw);
}

// The record of a closed session is public; a session being prepared or held is for members and staff.
export const load: PageServerLoad = async (event) => {
	const db = getDb();
	const session = await findSession(db, sessionId(event.params.id));
	if (!session) error(404, 'Cette séance n’existe pas.');
	if (session.state !== 'closed') await authorize(event, 'commission.manage');
	const user = event.locals.user;
	const canManage = can(user, 'commission.manage');
	const editable = canManage && session.state !== 'closed';
	const flags = editable ? await listFicheFlags(db, session.heldOn) : [];
	const onAgenda = new Set(session.items.map((i) => i.fiche?.code));
	return {
		session: {
			...session,
			items: session.items.map(({ fiche, ...item }) => ({
				...item,
				fiche: fiche
					? { code: fiche.code, title: fiche.title, priority: fiche.priority, status: fiche.status }
					: null,
				canSeeFile:
					fiche !== null &&
					can(user, 'commission.file.view', {
						ficheOrganisationIds: fiche.organisationIds,
						onAgenda: true
					})
			}))
		},
		editable,
		canManage,
		suggestions: flags
			.filter((f) => !onAgenda.has(f.code))
			.map((f) => ({
				...f,
				score: Number(f.stale) + Number(f.priorityOneNotStarted) + Number(f.neverMeasured > 0)
			}))
			.sort((a, b) => b.score - a.score),
		candidates: editable ? await listAttendeeCandidates(db) : []
	};
};

type Event = RequestEvent;

async function respond(result: CommissionResult, success: string) {
	if (!result.ok) return fail(result.status, { message: result.message });
	return { done: success };
}

function idField(form: FormData, name: string): number | null {
	const { values, errors } = readForm(form, [name]);
	return !errors[name] && /^\d{1,9}$/.test(values[name] ?? '') ? Number(values[name]) : null;
}

export const actions: Actions = {
	addFiches: async (event: Event) => {
		const user = await authorize(event, 'commission.manage');
		const form = await event.request.formData();
		const codes = form
			.getAll('codes')
			.filter((v): v is string => typeof v === 'string' && /^\d{1,2}-\d$/.test(v));
		if (codes.length === 0 || codes.length !== form.getAll('codes').length)
			return fail(400, { message: 'Choisissez au moins une fiche dans la liste.' });
		return respond(
			await addAgendaFiches(
				getDb(),
				user,
				sessionId(event.params.id),
				codes,
				safeClientAddress(event)
			),
			'Ordre du jour mis à jour.'
		);
	},
	addFree: async (event: Event) => {
		const user = await authorize(event, 'commission.manage');
		const { values, errors } = readForm(await event.request.formData(), ['title']);
		const parsed = FreeItemSchema.safeParse(values);
		if (!parsed.success || Object.keys(errors).length > 0)
			return fail(400, {
				message: Object.values({
					...(parsed.success ? {} : zodErrors(parsed.error)),
					...errors
				})[0],
				values
			});
		return respond(
			await addAgendaFreeItem(
				getDb(),
				user,
				sessionId(event.params.id),
				parsed.data.title,
				safeClientAddress(event)
			),
			'Point ajouté.'
		);
	},
	removeItem: async (event: Event) => {
		const user = await authorize(event, 'commission.manage');
		const itemId = idField(await event.request.formData(), 'itemId');
		if (itemId === null) return fail(400, { message: 'Point inconnu.' });
		return respond(
			await removeAgendaItem(
				getDb(),
				user,
				sessionId(event.params.id),
				itemId,
				safeClientAddress(event)
			),
			'Point retiré.'
		);
	},
	addMember: async (event: Event) => {
		const user = await authorize(event, 'commission.manage');
		const userId = idField(await event.request.formData(), 'userId');
		if (userId === null) return fail(400, { message: 'Choisissez un membre dans la liste.' });
		return respond(
			await addAttendee(
				getDb(),
				user,
				sessionId(event.params.id),
				{ userId },
				safeClientAddress(event)
			),
			'Présence enregistrée.'
		);
	},
	addGuest: async (event: Event) => {
		const user = await authorize(event, 'commission.manage');
		const { values, errors } = readForm(await event.request.formData(), ['guest_name']);
		const parsed = GuestSchema.safeParse(values);
		if (!parsed.success || Object.keys(errors).length > 0)
			return fail(400, {
				message: Object.values({
					...(parsed.success ? {} : zodErrors(parsed.error)),
					...errors
				})[0],
				values
			});
		return respond(
			await addAttendee(
				getDb(),
				user,
				sessionId(event.params.id),
				{ guestName: parsed.data.guest_name },
				safeClientAddress(event)
			),
			'Invité enregistré.'
		);
	},
	removeAttendee: async (event: Event) => {
		const user = await authorize(event, 'commission.manage');
		const attendeeId = idField(await event.request.formData(), 'attendeeId');
		if (attendeeId === null) return fail(400, { message: 'Personne inconnue.' });
		return respond(
			await removeAttendee(
				getDb(),
				user,
				sessionId(event.params.id),
				attendeeId,
				safeClientAddress(event)
			),
			'Présence retirée.'
		);
	},
	hold: async (event: Event) => {
		const user = await authorize(event, 'commission.manage');
		return respond(
			await changeSessionState(
				getDb(),
				user,
				sessionId(event.params.id),
				'held',
				safeClientAddress(event)
			),
			'La séance est tenue : les décisions peuvent être enregistrées.'
		);
	},
	close: async (event: Event) => {
		const user = await authorize(event, 'commission.manage');
		const result = await changeSessionState(
			getDb(),
			user,
			sessionId(event.params.id),
			'closed',
			safeClientAddress(event)
		);
		if (!result.ok) return fail(result.status, { message: result.message });
		redirect(303, `/commission/seances/${event.params.id}?close=1`);
	},
	decide: async (event: Event) => {
		const user = await authorize(event, 'commission.manage');
		const form = await event.request.formData();
		const { values, errors } = readForm(form, [
			'itemId',
			'kind',
			'new_priority',
			'opinion',
			'text'
		]);
		const itemId = /^\d{1,9}$/.test(values.itemId) ? Number(values.itemId) : null;
		const parsed = DecisionSchema.safeParse(values);
		const allErrors = { ...(parsed.success ? {} : zodErrors(parsed.error)), ...errors };
		if (itemId === null) allErrors.itemId = 'Point de l’ordre du jour inconnu.';
		if (!parsed.success || itemId === null || Object.keys(allErrors).length > 0) {
			return fail(400, { decision: { itemId: values.itemId, values, errors: allErrors } });
		}
		const input =
			parsed.data.kind === 'priority'
				? {
						kind: 'priority' as const,
						newPriority: parsed.data.new_priority,
						text: parsed.data.text
					}
				: parsed.data.kind === 'opinion'
					? { kind: 'opinion' as const, opinion: parsed.data.opinion, text: parsed.data.text }
					: { kind: 'free' as const, text: parsed.data.text };
		const result = await recordDecision(
			getDb(),
			user,
			sessionId(event.params.id),
			itemId,
			input,
			safeClientAddress(event)
		);
		if (!result.ok)
			return fail(result.status, {
				decision: { itemId: values.itemId, values, errors: { form: result.message } }
			});
		return { done: 'Décision enregistrée ; elle prendra effet à la clôture de la séance.' };
	}
};
