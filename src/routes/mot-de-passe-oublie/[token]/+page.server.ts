import { error, fail, redirect } from '@sveltejs/kit';
import { safeClientAddress } from '$lib/server/auth/guards';
import { checkPasswordPolicy } from '$lib/server/auth/password';
import { findValidReset, RESET_INVALID_MESSAGE, resetPassword } from '$lib/server/auth/recovery';
import { passwordContext } from '$lib/server/auth/service';
import { setSessionCookie } from '$lib/server/auth/sessions';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import { InvitationSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import type { Actions, PageServerLoad } from './$types';

// Public page guarded by its single-use token.
export const load: PageServerLoad = async ({ params }) => {
	const reset = await findValidReset(getDb(), params.token);
	if (!reset) error(410, RESET_INVALID_MESSAGE);
	return { account: { name: reset.user.name, email: reset.user.email } };
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
			if (!errors.password && values.password) {
				const reset = await findValidReset(getDb(), event.params.token);
				const refusal = checkPasswordPolicy(values.password, passwordContext(reset?.user));
				if (refusal) errors.password = refusal;
			}
			return fail(400, { errors });
		}
		const result = await resetPassword(
			getDb(),
			event.params.token,
			data.password,
			safeClientAddress(event)
		);
		// A link used, expired or made up: 410 Gone, as the page itself answers.
		if (!result.ok && result.status === 404)
			return fail(410, { errors: { form: result.message } as Record<string, string> });
		if (!result.ok) return refusalAnswer(result);
		setSessionCookie(
			event.cookies,
			result.value.token,
			result.value.session.expiresAt,
			event.url.protocol === 'https:'
		);
		const role = result.value.user.role;
		redirect(303, role === 'partenaire' ? '/espace' : role === 'admin' ? '/admin' : '/');
	}
};
