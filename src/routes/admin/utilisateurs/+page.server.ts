import { fail } from '@sveltejs/kit';
import { authorize, safeClientAddress } from '$lib/server/auth/guards';
import {
	createAccountWithInvitation,
	issueInvitation,
	setAccountDisabled
} from '$lib/server/auth/service';
import { findOrganisationIdByNameOrSlug, findUserById, listUsers } from '$lib/server/auth/users';
import { getDb } from '$lib/server/db/instance';
import { listOrganisationRefs } from '$lib/server/plan/repository';
import { NewAccountSchema } from '$lib/schemas/auth';
import { readForm, zodErrors } from '$lib/schemas/form';
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
		const { values, errors } = readForm(await event.request.formData(), [
			'email',
			'name',
			'role',
			'organisation'
		]);
		const parsed = NewAccountSchema.safeParse(values);
		const allErrors = { ...(parsed.success ? {} : zodErrors(parsed.error)), ...errors };
		let organisationId: number | null = null;
		if (parsed.success && parsed.data.role === 'partenaire') {
			organisationId =
				(await findOrganisationIdByNameOrSlug(getDb(), parsed.data.organisation)) ?? null;
			if (organisationId === null)
				allErrors.organisation = 'Organisation inconnue : choisissez-la dans la liste.';
		}
		if (!parsed.success || Object.keys(allErrors).length > 0)
			return fail(400, { create: { values, errors: allErrors } });
		const result = await createAccountWithInvitation(
			getDb(),
			admin,
			{ email: parsed.data.email, name: parsed.data.name, role: parsed.data.role, organisationId },
			safeClientAddress(event)
		);
		if (!result.ok) return fail(400, { create: { values, errors: result.errors } });
		return {
			invitation: {
				email: parsed.data.email.toLowerCase(),
				url: invitationUrl(event.url.origin, result.invitationToken)
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
		if (!result.ok) return fail(400, { message: result.message });
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
		if (!result.ok) return fail(400, { message: result.message });
		return { message: `Le compte de ${user.email} est réactivé.` };
	}
};
