import { fail } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import {
	createAccountWithInvitation,
	issueInvitation,
	setAccountDisabled
} from '$lib/server/auth/service';
import { revokeInvitation } from '$lib/server/auth/recovery';
import { findOrganisationIdByNameOrSlug, findUserById, listUsers } from '$lib/server/auth/users';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import { listOrganisationRefs } from '$lib/server/plan/repository';
import { NewAccountSchema } from '$lib/schemas/auth';
import { parseForm, readForm } from '$lib/schemas/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	await authorize(event, 'users.manage');
	const db = getDb();
	return { users: await listUsers(db), organisations: await listOrganisationRefs(db) };
};

function invitationUrl(origin: string, token: string): string {
	return `${origin}/invitation/${token}`;
}

async function targetUser(formData: FormData) {
	const { values } = readForm(formData, ['userId']);
	return /^\d{1,9}$/.test(values.userId) ? findUserById(getDb(), Number(values.userId)) : undefined;
}

export const actions: Actions = {
	create: async (event) => {
		const admin = await authorize(event, 'users.manage');
		const { values, errors, data } = parseForm(
			await event.request.formData(),
			['email', 'name', 'role', 'organisation'],
			NewAccountSchema
		);
		let organisationId: number | null = null;
		if (data && data.role === 'partenaire') {
			organisationId = (await findOrganisationIdByNameOrSlug(getDb(), data.organisation)) ?? null;
			if (organisationId === null)
				errors.organisation = 'Organisation inconnue : choisissez-la dans la liste.';
		}
		if (!data || Object.keys(errors).length > 0) return fail(400, { values, errors });
		const result = await createAccountWithInvitation(
			getDb(),
			admin,
			{ email: data.email, name: data.name, role: data.role, organisationId },
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result, values);
		return {
			invitation: {
				email: data.email.toLowerCase(),
				url: invitationUrl(event.url.origin, result.value.invitationToken)
			}
		};
	},
	invite: async (event) => {
		const admin = await authorize(event, 'users.manage');
		const user = await targetUser(await event.request.formData());
		if (!user) return fail(404, { message: 'Ce compte n’existe pas.' });
		if (user.disabled) return fail(400, { message: 'Réactivez d’abord ce compte.' });
		const token = await getDb()
			.transaction()
			.execute((trx) => issueInvitation(trx, admin, user.id, safeClientAddress(event)));
		return { invitation: { email: user.email, url: invitationUrl(event.url.origin, token) } };
	},
	revoke: async (event) => {
		const admin = await authorize(event, 'users.manage');
		const user = await targetUser(await event.request.formData());
		if (!user) return fail(404, { message: 'Ce compte n’existe pas.' });
		const result = await revokeInvitation(getDb(), admin, user.id, safeClientAddress(event));
		if (!result.ok) return fail(result.status, { message: result.message });
		return {
			message: `L’invitation de ${result.value.email} est révoquée : son lien ne sert plus.`
		};
	},
	disable: async (event) => {
		const admin = await authorize(event, 'users.manage');
		const user = await targetUser(await event.request.formData());
		if (!user) return fail(404, { message: 'Ce compte n’existe pas.' });
		const result = await setAccountDisabled(
			getDb(),
			admin,
			user.id,
			true,
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result);
		return {
			message: `Le compte de ${user.email} est désactivé et toutes ses sessions sont fermées.`
		};
	},
	enable: async (event) => {
		const admin = await authorize(event, 'users.manage');
		const user = await targetUser(await event.request.formData());
		if (!user) return fail(404, { message: 'Ce compte n’existe pas.' });
		const result = await setAccountDisabled(
			getDb(),
			admin,
			user.id,
			false,
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result);
		return { message: `Le compte de ${user.email} est réactivé.` };
	}
};
