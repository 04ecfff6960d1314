import { error, fail, redirect } from '@sveltejs/kit';
import { safeClientAddress } from '$lib/server/auth/guards';
import { checkPasswordPolicy } from '$lib/server/auth/password';
import { acceptInvitation, findValidInvitation, passwordContext } from '$lib/server/auth/service';
import { setSessionCookie } from '$lib/server/auth/sessions';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import { InvitationSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import type { Actions, PageServerLoad } from './$types';

const INVALID =
	'Ce lien d’invitation n’est pas ou plus valable (il sert une seule fois, pendant 7 jours) : demandez-en un nouveau à l’équipe de Lot numérique.';

// Public page guarded by its single-use token.
export const load: PageServerLoad = async ({ params }) => {
	const invitation = await findValidInvitation(getDb(), params.token);
	if (!invitation) error(410, INVALID);
	return { invitee: { name: invitation.user.name, email: invitation.user.email } };
};

export const actions: Actions = {
	// Public action guarded by its single-use token.
	default: async (event) => {
		const { values, errors, data } = parseForm(
			await event.request.formData(),
			['password', 'confirm'],
			InvitationSchema
		);
		if (!data || Object.keys(errors).length > 0) {
			// Every message that applies at once: a password too short and mistyped hears both.
			if (!errors.password && values.password) {
				const invitation = await findValidInvitation(getDb(), event.params.token);
				const refusal = checkPasswordPolicy(values.password, passwordContext(invitation?.user));
				if (refusal) errors.password = refusal;
			}
			return fail(400, { errors });
		}
		const result = await acceptInvitation(
			getDb(),
			event.params.token,
			data.password,
			safeClientAddress(event)
		);
		if (!result.ok) return refusalAnswer(result);
		const { token, session, user } = result.value;
		setSessionCookie(event.cookies, token, session.expiresAt, event.url.protocol === 'https:');
		redirect(303, user.role === 'partenaire' ? '/espace' : user.role === 'admin' ? '/admin' : '/');
	}
};
