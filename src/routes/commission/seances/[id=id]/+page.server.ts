import { error, redirect } from '@sveltejs/kit';
import { authorize, requireUser, safeClientAddress } from '$lib/server/auth/guards';
import { can } from '$lib/server/auth/permissions';
import {
	findPreparingCampaign,
	findSitting,
	listAttendeeCandidates
} from '$lib/server/commission/repository';
import {
	addAgendaFiches,
	agendaPoints,
	agendaFlags,
	addAgendaFreeItem,
	addAttendee,
	changeSittingState,
	deleteSitting,
	recordDecision,
	removeAgendaItem,
	removeAttendee,
	removeDecision,
	rebaseSittingTyping,
	sittingDayProblems,
	sittingFormRefusal,
	SITTINGS_LINK,
	unknownChoice,
	newPriorityMessage,
	unseenSittingRefusal,
	updateSitting
} from '$lib/server/commission/service';
import type { User } from '$lib/server/auth/users';
import { getDb } from '$lib/server/db/instance';
import { invalidFormAnswer, readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import {
	doneAnswer,
	doneMarker,
	markerCount,
	markerFreshSince,
	refusedBack
} from '$lib/server/http/done-answer';
import { latestOwnAct, type AuditAction } from '$lib/server/audit/repository';
import type { Refusal, Result } from '$lib/server/result';
import {
	agendaChoice,
	CLOSING_FIELDS,
	ClosingSchema,
	DeleteSittingSchema,
	FreeItemSchema,
	GuestSchema,
	isClockTime,
	NEW_PRIORITY_MISSING,
	parseDecisionForm,
	shownSittingDetails,
	SittingSchema,
	SITTING_FIELDS,
	typedSittingText
} from '$lib/schemas/commission';
import { CONFIRM_FIELDS, parseForm, readId } from '$lib/schemas/form';
import { mailIsRelayed, relayDownSince } from '$lib/server/mail/outbox';
import { closingSummaryAgain, withNames } from '$lib/server/commission/mailing-summary';
import { sittingChangeKind, typedDecisionLabel } from '$lib/utils/vocabulary';
import {
	changedSinceConvened,
	conveneSitting,
	convocationSummary,
	convocationSummaryAgain,
	convocationWaitingSince,
	convokeAgainMessage,
	lastConvocationLine,
	pastDayMessage
} from '$lib/server/commission/convocation';
import { rankAgendaSuggestions, sittingPastPart } from '$lib/utils/rules';
import { parisToday } from '$lib/utils/dates';
import { readTimestamp } from '$lib/utils/text';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// The record of a closed sitting is public; a sitting being prepared or held is for members and staff.
export const load: PageServerLoad = async (event) => {
	const db = getDb();
	const sitting = await findSitting(db, Number(event.params.id));
	const user = event.locals.user;
	// A closed séance's record is public, anonymous visitors too (can() answers for the signed in).
	if (
		!sitting ||
		(sitting.state !== 'closed' && !can(user, 'commission.sitting.view', { closed: false }))
	) {
		// Unknown, or not yet published: the same answer for both, so that its number does not tell
		// whether a séance being prepared exists — sent to sign in when anonymous; signed in, a 404
		// (a deleted séance said to the members and to those its convocation reached).
		const refusal = await unseenSittingRefusal(
			db,
			requireUser(event),
			Number(event.params.id),
			sitting !== undefined
		);
		error(404, refusal.next ? { message: refusal.message, next: refusal.next } : refusal.message);
	}
	const canManage = can(user, 'commission.manage');
	const editable = canManage && sitting.state !== 'closed';
	// Read on the séance's day once it is past (later validations change nothing), else today.
	const { readOn: flagsReadOn, flags } = editable
		? await agendaFlags(db, sitting.heldOn, parisToday())
		: { readOn: null, flags: [] };
	const onAgenda = new Set(sitting.items.map((i) => i.fiche?.code));
	// A running campaign that prepares it keeps the séance: said instead of a deletion form refused.
	const undecided = sitting.items.every((item) => item.decisions.length === 0);
	const pastPart = sitting.state === 'preparation' ? sittingPastPart(sitting) : null;
	const preparedBy =
		editable && undecided
			? ((await findPreparingCampaign(db, sitting.id, parisToday()))?.title ?? null)
			: null;
	// Moved, renamed or its agenda changed since the convocation: the page asks to send it again.
	const convokeAgain =
		editable && sitting.state === 'preparation'
			? convokeAgainMessage(await changedSinceConvened(db, sitting.id))
			: null;
	// A form sent without script led here (doneAnswer): its confirmation, as the script draws it —
	// only to who may send these forms (a link with ?fait= shows nothing to a reader of the relevé),
	// and only when the journal holds that act, by this person, in the last minutes (`heldMarker`).
	const marker = editable ? await heldMarker(event.url, user!, sitting.id) : null;
	const arrived = canManage ? await arrivalMarker(event.url, user!, sitting) : null;
	// Sent, written without a relay, or waiting for the relay known down: the page says which, in
	// the part only its managers see (read for them only, not for every visitor).
	const waitingSince =
		sitting.convenedAt === null || !editable
			? null
			: await convocationWaitingSince(db, sitting.id, sitting.convenedAt);
	return {
		sitting: { ...sitting, items: agendaPoints(user, sitting) },
		editable,
		done:
			marker === 'modifiee'
				? detailsSaved(sittingPastPart(sitting), convokeAgain)
				: marker === 'convocation'
					? await convocationSummaryAgain(db, sitting.id, user!, waitingSince)
					: marker && marker !== 'decision'
						? DONE[marker]
						: null,
		decided: marker === 'decision' ? markerCount(event.url, 'point') : null,
		arrived,
		// Closed by this person just now: to whom its relevé was written, and whom it did not reach.
		closing: arrived === 'close' ? await closingSummaryAgain(db, sitting, user!) : null,
		canManage,
		lastConvocation:
			sitting.convenedAt === null || !editable
				? null
				: lastConvocationLine(sitting.convenedAt, mailIsRelayed(), waitingSince),
		preparedBy,
		// A séance in preparation whose start is past (Paris): not convened, said on the page, with
		// which of its day or its hour is past.
		pastDay: pastPart ? pastDayMessage(sitting) : null,
		pastPart,
		convokeAgain,
		flagsReadOn,
		suggestions: rankAgendaSuggestions(flags.filter((f) => !onAgenda.has(f.code))),
		candidates: editable ? await listAttendeeCandidates(db, sitting.id) : []
	};
};

type Event = RequestEvent;

/** What every action passes to the service: the authorised user, the sitting of the URL… */
async function managing(event: Event, user: User) {
	return {
		db: getDb(),
		user,
		id: Number(event.params.id),
		address: safeClientAddress(event),
		form: await event.request.formData()
	};
}

/**
 * A refusal as the form's answer. The séance deleted meanwhile (another member) is the page's
 * error instead, with what was typed: the page read again to show a refusal would be that error
 * anyway, and the typing would be lost with it.
 */
function refusal(
	result: Refusal,
	values?: Record<string, string>,
	typed?: { text: string | undefined; as?: string }
) {
	if (result.reason === 'sitting-deleted')
		error(404, {
			message: result.message,
			next: SITTINGS_LINK,
			...(typed?.text?.trim()
				? { kept: typed.text, ...(typed.as ? { keptAs: typed.as } : {}) }
				: {})
		});
	return refusalAnswer(result, values);
}

/** What each form's success says, by the key its answer leads to without script (doneAnswer). */
const DONE = {
	'ordre-du-jour': 'Ordre du jour mis à jour.',
	'point-ajoute': 'Point ajouté.',
	'decision-retiree': 'Décision retirée : elle ne prendra pas effet.',
	'point-retire': 'Point retiré.',
	presence: 'Présence enregistrée.',
	invite: 'Invité enregistré.',
	'presence-retiree': 'Présence retirée.',
	tenue: 'La séance est tenue : les décisions peuvent être enregistrées.'
} as const;

/**
 * Besides those of DONE: its date, time, place or title saved, a decision recorded, and a
 * convocation written (its summary read again, `convocationSummaryAgain`).
 */
const DONE_KEYS = [
	...(Object.keys(DONE) as (keyof typeof DONE)[]),
	'modifiee',
	'decision',
	'convocation'
] as const;

/**
 * The journal's act each key names, on this séance (a decision's, on that decision: any of this
 * person's own, the address naming none).
 */
const DONE_ACTS = {
	'ordre-du-jour': 'session.agenda',
	'point-ajoute': 'session.agenda',
	'point-retire': 'session.agenda',
	'decision-retiree': 'decision.removed',
	presence: 'session.attendees',
	invite: 'session.attendees',
	'presence-retiree': 'session.attendees',
	tenue: 'session.state',
	modifiee: 'session.updated',
	decision: 'decision.recorded',
	convocation: 'session.convened'
} as const satisfies Record<(typeof DONE_KEYS)[number], AuditAction>;

/**
 * Which of the acts journaled under one action a key names (one action journals every change of
 * the agenda, another every change of the attendees): a point removed has an « avant » and no
 * « après » (removeAgendaItem), a person taken off neither; fiches or a free point added, a member
 * or a guest added, an « après » whose `kind` says which (sittingChangeKind). Any act of its
 * action for the other keys.
 */
const ACT_OF_KEY: Partial<
	Record<(typeof DONE_KEYS)[number], (act: { removed: boolean; after: unknown }) => boolean>
> = {
	'ordre-du-jour': (act) => sittingChangeKind(act.after) === 'fiches',
	'point-ajoute': (act) => sittingChangeKind(act.after) === 'free-item',
	'point-retire': (act) => act.removed,
	presence: (act) => sittingChangeKind(act.after) === 'member',
	invite: (act) => sittingChangeKind(act.after) === 'guest',
	'presence-retiree': (act) => act.after === null
};

/**
 * The key a form sent without script left in the address (doneAnswer), when the journal holds its
 * act by `reader` on this séance since `markerFreshSince()`: a link sent later, or crafted, says
 * nothing. A key of the agenda or of the attendees only when that person's latest change of it was
 * of that kind (ACT_OF_KEY): « Point ajouté » not after a point removed nor after fiches added, nor
 * « Point retiré » after one added.
 */
async function heldMarker(url: URL, reader: Pick<User, 'id'>, sittingId: number) {
	const marker = doneMarker(url, DONE_KEYS);
	if (!marker) return null;
	const action = DONE_ACTS[marker];
	const onSitting = action.startsWith('decision.')
		? undefined
		: { type: 'séance' as const, id: sittingId };
	const act = await latestOwnAct(getDb(), reader.id, action, markerFreshSince(), onSitting);
	return act && (ACT_OF_KEY[marker]?.(act) ?? true) ? marker : null;
}

/**
 * `?creee=1` (the séance created, `commission/+page.server.ts`) or `?close=1` (closed): said only
 * while the séance is still in preparation, or closed, and the journal holds that act by `reader`
 * on it since `markerFreshSince()`, as `heldMarker` — a link crafted or sent later says nothing.
 */
async function arrivalMarker(
	url: URL,
	reader: Pick<User, 'id'>,
	sitting: { id: number; state: string }
): Promise<'creee' | 'close' | null> {
	const arrival =
		url.searchParams.has('creee') && sitting.state === 'preparation'
			? ({ key: 'creee', action: 'session.created' } as const)
			: url.searchParams.has('close') && sitting.state === 'closed'
				? ({ key: 'close', action: 'session.state' } as const)
				: null;
	if (!arrival) return null;
	const onSitting = { type: 'séance' as const, id: sitting.id };
	return (await latestOwnAct(getDb(), reader.id, arrival.action, markerFreshSince(), onSitting))
		? arrival.key
		: null;
}

/**
 * Its date, time, place and title saved: moved to a day or an hour past, no convocation to send
 * again (the page says why); else whether the convocation sent is to be sent again.
 */
function detailsSaved(past: 'day' | 'hour' | null, convokeAgain: string | null): string {
	return past
		? `Date, heure, lieu et intitulé enregistrés. ${past === 'day' ? 'Ce jour est passé' : 'Cette heure est passée'} : la séance ne se convoque plus (voir « Déroulement »).`
		: ['Date, heure, lieu et intitulé enregistrés.', convokeAgain].filter(Boolean).join(' ');
}

function respond(event: Event, result: Result<unknown>, key: keyof typeof DONE) {
	if (!result.ok) return refusal(result);
	return doneAnswer(event, key, { done: DONE[key] });
}

export const actions: Actions = {
	convene: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		// When the page showed the last convocation as sent: a second press sent unseen is refused.
		const shown = c.form.get('convened_at');
		const result = await conveneSitting(
			c.db,
			c.user,
			c.id,
			c.address,
			Date.now(),
			// Left out or unreadable: as a page that showed none (refused once one has left).
			readTimestamp(shown)
		);
		if (!result.ok) return refusal(result);
		// Without script, its summary is read again from the convocation's record: it names those
		// it did not reach, never said in the address.
		return doneAnswer(event, 'convocation', {
			done: convocationSummary(
				await withNames(c.db, result.value, c.user),
				mailIsRelayed(),
				await relayDownSince(c.db)
			)
		});
	},
	addFiches: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const codes = agendaChoice(c.form);
		if (codes === null) return refusal(unknownChoice('codes'));
		const result = await addAgendaFiches(c.db, c.user, c.id, codes, c.address);
		// Ticked fiches refused: the page ticks again those that may join, with or without script.
		if (!result.ok && 'ticked' in result)
			return refusalAnswer(result, undefined, { ticked: result.ticked });
		return respond(event, result, 'ordre-du-jour');
	},
	addFree: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const { values, errors, data } = readPostedForm(c.form, ['title'], FreeItemSchema);
		const typed = { text: values.title };
		// The field's own message above the form: the field is inline in the agenda.
		if (!data)
			return refusal(await sittingFormRefusal(c.db, c.id, errors, errors.title), values, typed);
		const result = await addAgendaFreeItem(c.db, c.user, c.id, data.title, c.address);
		// A point already on the agenda: told under the field, the title as typed.
		if (!result.ok) return refusal(result, values, typed);
		return doneAnswer(event, 'point-ajoute', { done: DONE['point-ajoute'] });
	},
	edit: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const { errors, values, typed, data } = readPostedForm(c.form, SITTING_FIELDS, SittingSchema);
		// The date against the séance's rules too (the schema read it): every problem at once.
		if (!data)
			return refusal(
				await sittingFormRefusal(c.db, c.id, {
					...(await sittingDayProblems(
						c.db,
						typed.held_on,
						c.id,
						new Date(),
						isClockTime(typed.starts_at) ? typed.starts_at : null
					)),
					...errors
				}),
				values,
				typedSittingText(values)
			);
		const seen = shownSittingDetails(c.form);
		const result = await updateSitting(
			c.db,
			c.user,
			c.id,
			{ heldOn: data.held_on, startsAt: data.starts_at, place: data.place, title: data.title },
			c.address,
			seen
		);
		if (!result.ok)
			return refusal(
				result,
				result.status === 409 && seen
					? await rebaseSittingTyping(c.db, c.id, values, seen)
					: values,
				typedSittingText(values)
			);
		return doneAnswer(event, 'modifiee', {
			done: detailsSaved(
				sittingPastPart({ heldOn: data.held_on, startsAt: data.starts_at }),
				convokeAgainMessage(result.value.sinceConvened)
			)
		});
	},
	removeDecision: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const decisionId = readId(c.form, 'decisionId');
		if (decisionId === null) return refusal(unknownChoice('decisionId'));
		return respond(
			event,
			await removeDecision(c.db, c.user, c.id, decisionId, c.address),
			'decision-retiree'
		);
	},
	removeItem: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const itemId = readId(c.form, 'itemId');
		if (itemId === null) return refusal(unknownChoice('itemId'));
		return respond(
			event,
			await removeAgendaItem(c.db, c.user, c.id, itemId, c.address),
			'point-retire'
		);
	},
	addMember: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const userId = readId(c.form, 'userId');
		if (userId === null) return refusal(unknownChoice('userId'));
		return respond(event, await addAttendee(c.db, c.user, c.id, { userId }, c.address), 'presence');
	},
	addGuest: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const { values, errors, data } = readPostedForm(c.form, ['guest_name'], GuestSchema);
		const typed = { text: values.guest_name };
		// The field's own message above the form: the field is inline in the list of those present.
		if (!data)
			return refusal(
				await sittingFormRefusal(c.db, c.id, errors, errors.guest_name),
				values,
				typed
			);
		const result = await addAttendee(c.db, c.user, c.id, { guestName: data.guest_name }, c.address);
		// Someone already present: told under the field, the name as typed.
		if (!result.ok) return refusal(result, values, typed);
		return doneAnswer(event, 'invite', { done: DONE.invite });
	},
	removeAttendee: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const attendeeId = readId(c.form, 'attendeeId');
		if (attendeeId === null) return refusal(unknownChoice('attendeeId'));
		return respond(
			event,
			await removeAttendee(c.db, c.user, c.id, attendeeId, c.address),
			'presence-retiree'
		);
	},
	delete: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		// Answered beside the deletion form (its box, `confirm_delete` on the page), not above the
		// page's other forms.
		const values = { intent: 'delete' };
		const { errors } = parseForm(c.form, CONFIRM_FIELDS, DeleteSittingSchema);
		if (errors.confirm)
			return invalidFormAnswer({ confirm_delete: errors.confirm }, values, errors.confirm);
		const result = await deleteSitting(c.db, c.user, c.id, c.address);
		if (!result.ok) return refusal(result, values);
		// The commission's page says it, read from the séance: created by mistake, or cancelled and
		// to how many its cancellation was written.
		redirect(303, `/commission?supprimee=${c.id}`);
	},
	hold: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		return respond(event, await changeSittingState(c.db, c.user, c.id, 'held', c.address), 'tenue');
	},
	close: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		// Irreversible: only from the confirmation page, which says what will take effect and sends
		// the decisions it listed; any other post, or decisions changed since, leads back to it.
		const confirmation = `/commission/seances/${event.params.id}/cloture`;
		const { data } = parseForm(c.form, CLOSING_FIELDS, ClosingSchema);
		if (!data?.confirm) redirect(303, confirmation);
		const result = await changeSittingState(
			c.db,
			c.user,
			c.id,
			'closed',
			c.address,
			new Date(),
			data.decisions
		);
		if (!result.ok && result.reason === 'closing-changed') refusedBack(event, confirmation);
		if (!result.ok) return refusal(result);
		redirect(303, `/commission/seances/${event.params.id}?close=1`);
	},
	decide: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const { values, errors, decision } = parseDecisionForm(c.form);
		if (errors.new_priority === NEW_PRIORITY_MISSING)
			errors.new_priority = await newPriorityMessage(c.db, c.id, readId(c.form, 'itemId'));
		const typed = { text: values.text, as: typedDecisionLabel(values) };
		if (!decision) return refusal(await sittingFormRefusal(c.db, c.id, errors), values, typed);
		const { itemId, input } = decision;
		const result = await recordDecision(c.db, c.user, c.id, itemId, input, c.address);
		if (!result.ok) return refusal(result, values, typed);
		// Told inside its point, where the focus stays: the next point's form is a few keys away.
		// Without script, the page opens at that point (AgendaSection).
		return doneAnswer(event, 'decision', { decided: itemId }, { point: itemId }, `point-${itemId}`);
	}
};
