import { redirect } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { can } from '$lib/server/auth/permissions';
import { listSittings } from '$lib/server/commission/repository';
import {
	createSitting,
	sittingDayProblems,
	sittingDeletionNotice
} from '$lib/server/commission/service';
import { getDb } from '$lib/server/db/instance';
import { mailIsRelayed } from '$lib/server/mail/outbox';
import { invalidFormAnswer, readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { SittingSchema, SITTING_FIELDS } from '$lib/schemas/commission';
import { ID_PATTERN } from '$lib/utils/text';
import type { Actions, PageServerLoad } from './$types';

// Public: the record of closed sittings. Members and staff also see sittings being prepared.
export const load: PageServerLoad = async ({ locals, url }) => {
	const canManage = can(locals.user, 'commission.manage');
	// After a séance was deleted (`?supprimee=ID`): what its deleter is told, read from the séance.
	const deleted = url.searchParams.get('supprimee') ?? '';
	return {
		canManage,
		deletion: ID_PATTERN.test(deleted)
			? await sittingDeletionNotice(getDb(), Number(deleted), canManage)
			: null,
		// Whether a séance's cancellation went, or was only written (no relay): said to its deleter.
		relayed: canManage && mailIsRelayed(),
		sittings: await listSittings(getDb(), { closedOnly: !canManage })
	};
};

export const actions: Actions = {
	create: async (event) => {
		const user = await authorize(event, 'commission.manage');
		const { answer, errors, values, typed, data } = readPostedForm(
			await event.request.formData(),
			SITTING_FIELDS,
			SittingSchema
		);
		// The date against the séance's rules too (the schema read it): every problem at once.
		if (answer)
			return invalidFormAnswer(
				{ ...(await sittingDayProblems(getDb(), typed.held_on, null)), ...errors },
				values
			);
		const result = await createSitting(
			getDb(),
			user,
			{ heldOn: data.held_on, startsAt: data.starts_at, place: data.place, title: data.title },
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, values);
		redirect(303, `/commission/seances/${result.value.id}?creee=1`);
	}
};
