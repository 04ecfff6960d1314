import { error, redirect } from '@sveltejs/kit';
import { authorize, requireUser, safeClientAddress } from '$lib/server/auth/guards';
import { can, sittingConvened } from '$lib/server/auth/permissions';
import {
	findPreparingCampaign,
	findSitting,
	listAttendeeCandidates
} from '$lib/server/commission/repository';
import {
	addAgendaFiches,
	agendaFlags,
	addAgendaFreeItem,
	addAttendee,
	changeSittingState,
	deleteSitting,
	deletedSittingNotice,
	deletedSittingRefusal,
	recordDecision,
	removeAgendaItem,
	removeAttendee,
	removeDecision,
	rebaseSittingTyping,
	sittingDayProblems,
	updateSitting
} from '$lib/server/commission/service';
import type { User } from '$lib/server/auth/users';
import { getDb } from '$lib/server/db/instance';
import { invalidFormAnswer, readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { refuse, type Refusal, type Result } from '$lib/server/result';
import {
	DECISION_FIELDS,
	DecisionSchema,
	FreeItemSchema,
	GuestSchema,
	SittingSchema,
	SITTING_FIELDS,
	decisionMismatches,
	isClockTime
} from '$lib/schemas/commission';
import { parseForm, readForm } from '$lib/schemas/form';
import { mailIsRelayed, relayDownSince } from '$lib/server/mail/outbox';
import { SITTING_NOT_FOUND, typedDecisionLabel } from '$lib/utils/vocabulary';
import {
	changedSinceConvened,
	conveneSitting,
	convocationSummary,
	convocationWaitingSince,
	convokeAgainMessage,
	lastConvocationLine,
	pastDayMessage
} from '$lib/server/commission/convocation';
import { rankAgendaSuggestions, sittingPastPart } from '$lib/utils/rules';
import { formatClock, formatDate } from '$lib/utils/format';
import { parisToday } from '$lib/utils/dates';
import { FICHE_CODE_PATTERN, ID_PATTERN, readTimestamp } from '$lib/utils/text';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

// The record of a closed sitting is public; a sitting being prepared or held is for members and staff.
export const load: PageServerLoad = async (event) => {
	const db = getDb();
	const sitting = await findSitting(db, Number(event.params.id));
	if (!sitting) {
		// Sent to sign in, as for a séance that exists but is not public yet: an anonymous visitor
		// cannot tell from its number whether an unpublished séance exists.
		requireUser(event);
		// Deleted (created by mistake, or cancelled once convened), maybe while a member's page
		// showed it: said to the members, and to those its convocation reached.
		const reader = event.locals.user;
		const gone = await deletedSittingNotice(
			db,
			Number(event.params.id),
			reader && { id: reader.id, manages: can(reader, 'commission.manage') }
		);
		if (gone) error(404, { message: gone, next: SITTINGS_LINK });
		error(404, SITTING_NOT_FOUND);
	}
	// A closed séance's record is public, anonymous visitors too (can() answers for the signed in).
	if (sitting.state !== 'closed')
		await authorize(event, 'commission.sitting.view', { closed: false });
	const user = event.locals.user;
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
	return {
		sitting: {
			...sitting,
			items: sitting.items.map(({ fiche, ...item }) => ({
				...item,
				fiche: fiche
					? { code: fiche.code, title: fiche.title, priority: fiche.priority, status: fiche.status }
					: null,
				canSeeFile:
					fiche !== null &&
					can(user, 'commission.file.view', {
						ficheOrganisationIds: fiche.organisationIds,
						onAgenda: true,
						convened: sittingConvened(sitting)
					})
			}))
		},
		editable,
		canManage,
		// Sent, written without a relay, or waiting for the relay known down: the page says which, in
		// the part only its managers see (read for them only, not for every visitor).
		lastConvocation:
			sitting.convenedAt === null || !editable
				? null
				: lastConvocationLine(
						sitting.convenedAt,
						mailIsRelayed(),
						await convocationWaitingSince(db, sitting.id, sitting.convenedAt)
					),
		preparedBy,
		// A séance in preparation whose start is past (Paris): not convened, said on the page, with
		// which of its day or its hour is past.
		pastDay: pastPart ? pastDayMessage(sitting) : null,
		pastPart,
		// Moved, renamed or its agenda changed since the convocation: the page asks to send it again.
		convokeAgain:
			editable && sitting.state === 'preparation'
				? convokeAgainMessage(await changedSinceConvened(db, sitting.id))
				: null,
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
 * The séance's details as typed, one per line and named as the form names them (a deleted séance);
 * a time that is not one is shown as it was typed.
 */
function typedSitting(values: Record<string, string>): { text: string } {
	const time = values.starts_at ?? '';
	const lines = [
		['Date', values.held_on ? formatDate(values.held_on) : ''],
		['Heure', isClockTime(time) ? formatClock(time) : time],
		['Lieu', values.place],
		['Intitulé', values.title]
	].filter(([, value]) => value);
	return { text: lines.map(([name, value]) => `${name} : ${value}`).join('\n') };
}

/**
 * Before a form's field errors are answered: a séance deleted meanwhile is the page's error, with
 * what was typed (see `refusal`). Without a script, the page read again to show the errors would
 * be that error anyway, and the typing lost with it.
 */
async function unlessDeleted(
	c: { db: ReturnType<typeof getDb>; id: number },
	values: Record<string, string>,
	typed?: { text: string | undefined; as?: string }
): Promise<void> {
	const gone = await deletedSittingRefusal(c.db, c.id);
	if (gone) refusal(gone, values, typed);
}

/**
 * More fiches than a choice in the list can name (the plan has 23, at most nine per objective):
 * refused before any query, which would hold one parameter per code sent.
 */
const MAX_AGENDA_CHOICES = 500;

const SITTINGS_LINK = { href: '/commission', label: 'Les séances de la commission' };

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

async function respond(result: Result<unknown>, success: string) {
	if (!result.ok) return refusal(result);
	return { done: success };
}

function idField(form: FormData, name: string): number | null {
	const { values, errors } = readForm(form, [name]);
	return !errors[name] && ID_PATTERN.test(values[name] ?? '') ? Number(values[name]) : null;
}

/**
 * The answer to a form whose choice is not one the page offered: its message above the forms, and
 * under the field it names (`field`: a list to choose from), which is marked as refused.
 */
function badChoice(message: string, field?: string) {
	return refusalAnswer(refuse(400, message, field ? { fieldErrors: { [field]: message } } : {}));
}

const DELETE_UNCONFIRMED = 'Cochez la case pour confirmer que la séance doit être supprimée.';

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
		return {
			done: convocationSummary(result.value, mailIsRelayed(), await relayDownSince(c.db))
		};
	},
	addFiches: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const sent = c.form.getAll('codes');
		const listed = (v: FormDataEntryValue): v is string =>
			typeof v === 'string' && FICHE_CODE_PATTERN.test(v);
		if (sent.length === 0 || sent.length > MAX_AGENDA_CHOICES || !sent.every(listed))
			return badChoice('Choisissez au moins une fiche dans la liste.', 'codes');
		// A code sent twice names its fiche once.
		const codes = [...new Set(sent.filter(listed))];
		return respond(
			await addAgendaFiches(c.db, c.user, c.id, codes, c.address),
			'Ordre du jour mis à jour.'
		);
	},
	addFree: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const { answer, values, data } = readPostedForm(c.form, ['title'], FreeItemSchema, undefined, {
			oneField: true
		});
		if (answer) {
			await unlessDeleted(c, values, { text: values.title });
			return answer;
		}
		const result = await addAgendaFreeItem(c.db, c.user, c.id, data.title, c.address);
		// A point already on the agenda: told under the field, the title as typed.
		if (!result.ok) return refusal(result, values, { text: values.title });
		return { done: 'Point ajouté.' };
	},
	edit: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const { answer, errors, values, typed, data } = readPostedForm(
			c.form,
			SITTING_FIELDS,
			SittingSchema
		);
		// The date against the séance's rules too (the schema read it): every problem at once.
		if (answer) {
			await unlessDeleted(c, values, typedSitting(values));
			return invalidFormAnswer(
				{ ...(await sittingDayProblems(c.db, typed.held_on, c.id)), ...errors },
				values
			);
		}
		// The details as the form showed them: a correction made meanwhile is not overwritten unseen.
		const shown = readForm(c.form, [
			'shown_held_on',
			'shown_starts_at',
			'shown_place',
			'shown_title'
		]).values;
		const seen = c.form.has('shown_held_on')
			? {
					heldOn: shown.shown_held_on,
					startsAt: shown.shown_starts_at || null,
					place: shown.shown_place,
					title: shown.shown_title
				}
			: null;
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
				typedSitting(values)
			);
		// Moved to a day or an hour past: no convocation to send again, the page says why.
		const past = sittingPastPart({ heldOn: data.held_on, startsAt: data.starts_at });
		return {
			done: past
				? `Date, heure, lieu et intitulé enregistrés. ${past === 'day' ? 'Ce jour est passé' : 'Cette heure est passée'} : la séance ne se convoque plus (voir « Déroulement »).`
				: [
						'Date, heure, lieu et intitulé enregistrés.',
						convokeAgainMessage(result.value.sinceConvened)
					]
						.filter(Boolean)
						.join(' ')
		};
	},
	removeDecision: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const decisionId = idField(c.form, 'decisionId');
		if (decisionId === null) return badChoice('Décision inconnue.');
		return respond(
			await removeDecision(c.db, c.user, c.id, decisionId, c.address),
			'Décision retirée : elle ne prendra pas effet.'
		);
	},
	removeItem: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const itemId = idField(c.form, 'itemId');
		if (itemId === null) return badChoice('Point inconnu.');
		return respond(await removeAgendaItem(c.db, c.user, c.id, itemId, c.address), 'Point retiré.');
	},
	addMember: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const userId = idField(c.form, 'userId');
		if (userId === null) return badChoice('Choisissez un membre dans la liste.', 'userId');
		return respond(
			await addAttendee(c.db, c.user, c.id, { userId }, c.address),
			'Présence enregistrée.'
		);
	},
	addGuest: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const { answer, values, data } = readPostedForm(
			c.form,
			['guest_name'],
			GuestSchema,
			undefined,
			{
				oneField: true
			}
		);
		if (answer) {
			await unlessDeleted(c, values, { text: values.guest_name });
			return answer;
		}
		const result = await addAttendee(c.db, c.user, c.id, { guestName: data.guest_name }, c.address);
		// Someone already present: told under the field, the name as typed.
		if (!result.ok) return refusal(result, values, { text: values.guest_name });
		return { done: 'Invité enregistré.' };
	},
	removeAttendee: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const attendeeId = idField(c.form, 'attendeeId');
		if (attendeeId === null) return badChoice('Personne inconnue.');
		return respond(
			await removeAttendee(c.db, c.user, c.id, attendeeId, c.address),
			'Présence retirée.'
		);
	},
	delete: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		// Answered beside the deletion form, not above the page's other forms.
		const values = { intent: 'delete' };
		if (readForm(c.form, ['confirm']).values.confirm !== 'oui')
			return refusalAnswer(
				refuse(400, DELETE_UNCONFIRMED, { fieldErrors: { confirm_delete: DELETE_UNCONFIRMED } }),
				values
			);
		const result = await deleteSitting(c.db, c.user, c.id, c.address);
		if (!result.ok) return refusal(result, values);
		// The commission's page says it, read from the séance: created by mistake, or cancelled and
		// to how many its cancellation was written.
		redirect(303, `/commission?supprimee=${c.id}`);
	},
	hold: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		return respond(
			await changeSittingState(c.db, c.user, c.id, 'held', c.address),
			'La séance est tenue : les décisions peuvent être enregistrées.'
		);
	},
	close: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		// Irreversible: only from the confirmation page, which says what will take effect and sends
		// the decisions it listed; any other post, or decisions changed since, leads back to it.
		const confirmation = `/commission/seances/${event.params.id}/cloture`;
		const { confirm, decisions } = readForm(c.form, ['confirm', 'decisions']).values;
		if (confirm !== 'oui' || !/^(\d{1,9}(,\d{1,9}){0,999})?$/.test(decisions))
			redirect(303, confirmation);
		const shown = decisions === '' ? [] : decisions.split(',').map(Number);
		const result = await changeSittingState(
			c.db,
			c.user,
			c.id,
			'closed',
			c.address,
			new Date(),
			shown
		);
		if (!result.ok && result.reason === 'closing-changed')
			redirect(303, `${confirmation}?relire=1`);
		if (!result.ok) return refusal(result);
		redirect(303, `/commission/seances/${event.params.id}?close=1`);
	},
	decide: async (event: Event) => {
		const c = await managing(event, await authorize(event, 'commission.manage'));
		const parsed = parseForm(c.form, DECISION_FIELDS, DecisionSchema);
		const { values, data } = parsed;
		const errors = { ...decisionMismatches(values), ...parsed.errors };
		const itemId = ID_PATTERN.test(values.itemId) ? Number(values.itemId) : null;
		if (itemId === null) errors.itemId = 'Point de l’ordre du jour inconnu.';
		if (!data || itemId === null || Object.keys(errors).length > 0) {
			await unlessDeleted(c, values, { text: values.text, as: typedDecisionLabel(values) });
			return invalidFormAnswer(errors, values);
		}
		const input =
			data.kind === 'priority'
				? { kind: 'priority' as const, newPriority: data.new_priority, text: data.text }
				: data.kind === 'opinion'
					? { kind: 'opinion' as const, opinion: data.opinion, text: data.text }
					: { kind: 'free' as const, text: data.text };
		const result = await recordDecision(c.db, c.user, c.id, itemId, input, c.address);
		if (!result.ok)
			return refusal(result, values, { text: values.text, as: typedDecisionLabel(values) });
		// Told inside its point, where the focus stays: the next point's form is a few keys away.
		return { decided: itemId };
	}
};
