import { fail } from '@sveltejs/kit';
import { safeClientAddress } from '$lib/server/auth/guards';
import { requestPasswordReset } from '$lib/server/auth/recovery';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import { PasswordResetRequestSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import type { Actions, PageServerLoad } from './$types';

// Public page: the way back in for a person who forgot a password.
export const load: PageServerLoad = () => ({});

export const actions: Actions = {
	// Public action: throttled per address asked for and per client (auth/recovery.ts).
	default: async (event) => {
		const { values, errors, data } = parseForm(
			await event.request.formData(),
			['email'],
			PasswordResetRequestSchema
		);
		const kept = { email: values.email.slice(0, 254) };
		if (!data || Object.keys(errors).length > 0) return fail(400, { values: kept, errors });
		const result = await requestPasswordReset(getDb(), data.email, safeClientAddress(event));
		if (!result.ok) return refusalAnswer(result, kept);
		return { sent: result.value.message };
	}
};
