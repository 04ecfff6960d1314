import { error } from '@sveltejs/kit';
import { safeClientAddress } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { refusalAnswer } from '$lib/server/http/form-answer';
import { unsubscribe, unsubscribeTarget } from '$lib/server/mail/preferences';
import type { Actions, PageServerLoad } from './$types';

// Public page guarded by its signed, single-purpose token: GET only shows the confirm button.
export const load: PageServerLoad = async ({ params }) => {
	const target = await unsubscribeTarget(getDb(), params.token);
	// « Lien expiré ou déjà utilisé », as an invitation's (+error.svelte), and a link to /compte.
	if (!target.ok)
		error(target.status, {
			message: target.message,
			next: { href: '/compte', label: 'Choisir mes courriels depuis mon compte' }
		});
	return { target: target.value };
};

export const actions: Actions = {
	// Public action guarded by its signed, single-purpose token (no login needed).
	default: async (event) => {
		const result = await unsubscribe(getDb(), event.params.token, safeClientAddress(event));
		if (!result.ok) return refusalAnswer(result);
		return { done: result.value.label };
	}
};
