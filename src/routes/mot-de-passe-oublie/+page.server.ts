import { safeClientAddress } from '$lib/server/auth/guards';
import { requestPasswordReset, RESET_WITHOUT_RELAY_MESSAGE } from '$lib/server/auth/recovery';
import { getDb } from '$lib/server/db/instance';
import { mailIsRelayed } from '$lib/server/mail/outbox';
import { readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { PasswordResetRequestSchema } from '$lib/schemas/auth';
import type { Actions, PageServerLoad } from './$types';

// Public page: the way back in for a person who forgot a password; without a mail relay, it says
// who can let them in again instead of offering a link that would never arrive.
// The address typed on /connexion comes along (`?adresse=`, « Mot de passe oublié ? »): prefilled
// only when it reads as an address, of at most 254 characters; the answer stays the same for every
// address, known or not, since nothing is sent before the form is posted.
export const load: PageServerLoad = ({ url }) => ({
	withoutRelay: mailIsRelayed() ? null : RESET_WITHOUT_RELAY_MESSAGE,
	typed: typedAddress(url.searchParams.get('adresse'))
});

/** The address carried from /connexion, or '' when there is none or it is not one. */
function typedAddress(carried: string | null): string {
	if (carried === null || carried.length > 254) return '';
	const parsed = PasswordResetRequestSchema.safeParse({ email: carried });
	return parsed.success ? carried.trim() : '';
}

export const actions: Actions = {
	// Public action: throttled per address asked for and per client (auth/recovery.ts).
	default: async (event) => {
		const { answer, values, data } = readPostedForm(
			await event.request.formData(),
			['email'],
			PasswordResetRequestSchema,
			undefined,
			{ echo: (typed) => ({ email: typed.email.slice(0, 254) }) }
		);
		if (answer) return answer;
		const result = await requestPasswordReset(getDb(), data.email, safeClientAddress(event));
		if (!result.ok) return refusalAnswer(result, values);
		return { sent: result.value.message };
	}
};
