import { error } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import { changeAccountRole, roleWording } from '$lib/server/auth/service';
import { UNKNOWN_ACCOUNT } from '$lib/utils/vocabulary';
import { findUserById } from '$lib/server/auth/users';
import { getDb } from '$lib/server/db/instance';
import { readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { doneAnswer, doneMarker, markerFreshSince } from '$lib/server/http/done-answer';
import { latestOwnAct } from '$lib/server/audit/repository';
import { listOrganisationRefs } from '$lib/server/plan/repository';
import { RoleChangeSchema } from '$lib/schemas/auth';
import { ofName } from '$lib/utils/text';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const admin = await authorize(event, 'users.manage');
	const db = getDb();
	const account = await findUserById(db, Number(event.params.id));
	if (!account) error(404, UNKNOWN_ACCOUNT);
	return {
		account,
		own: account.id === admin.id,
		organisations: await listOrganisationRefs(db, { activeOnly: true }),
		// The role changed without script (doneAnswer): the page says it, as the script draws it,
		// when this admin's change of this account is in the journal of the last minutes.
		done:
			doneMarker(event.url, ['role']) &&
			(await latestOwnAct(db, admin.id, 'account.role_changed', markerFreshSince(), {
				type: 'compte',
				id: account.id
			}))
				? roleChanged(account.email, roleWording(account))
				: null
	};
};

function roleChanged(email: string, role: string): string {
	return `Le compte ${ofName(email)} a maintenant le rôle « ${role} » ; ses sessions ouvertes sont fermées.`;
}

export const actions: Actions = {
	role: async (event) => {
		const admin = await authorize(event, 'users.manage');
		const { answer, values, data } = readPostedForm(
			await event.request.formData(),
			['role', 'organisation', 'currentRole', 'currentOrganisationId'],
			RoleChangeSchema
		);
		if (answer) return answer;
		const result = await changeAccountRole(
			getDb(),
			admin,
			Number(event.params.id),
			{ role: data.role, organisation: data.organisation },
			{ role: data.currentRole, organisationId: data.currentOrganisationId },
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, values);
		return doneAnswer(event, 'role', {
			message: roleChanged(result.value.email, result.value.role)
		});
	}
};
