import { redirect } from '@sveltejs/kit';
import { requireUser, safeClientAddress } from '$lib/server/auth/guards';
import { logout } from '$lib/server/auth/service';
import { deleteSessionCookie } from '$lib/server/auth/sessions';
import { getDb } from '$lib/server/db/instance';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		if (event.locals.session)
			await logout(getDb(), user, event.locals.session.id, safeClientAddress(event));
		deleteSessionCookie(event.cookies, event.url.protocol === 'https:');
		// Said on the home page by its fragment (src/routes/+page.svelte): a query string would
		// make the public page a second entry of the page cache (and of any shared cache).
		redirect(303, '/#deconnecte');
	}
};
