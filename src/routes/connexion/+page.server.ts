import { fail, redirect } from '@sveltejs/kit';
import { safeClientAddress } from '$lib/server/auth/guards';
import { login } from '$lib/server/auth/service';
import { setSessionCookie } from '$lib/server/auth/sessions';
import { getDb } from '$lib/server/db/instance';
import { LoginSchema } from '$lib/schemas/auth';
import { parseForm } from '$lib/schemas/form';
import type { Actions, PageServerLoad } from './$types';

/** Only same-site paths: never an absolute URL or a protocol-relative one. */
function safeRedirect(target: string | null): string {
	return target && /^\/(?![/\\])/.test(target) ? target : '/';
}

function homeFor(role: string): string {
	return role === 'admin' ? '/admin' : role === 'partenaire' ? '/espace' : '/';
}

// Public page: the login form itself.
export const load: PageServerLoad = ({ locals, url }) => {
	const redirectTo = safeRedirect(url.searchParams.get('redirectTo'));
	if (locals.user) redirect(303, redirectTo === '/' ? homeFor(locals.user.role) : redirectTo);
	return { redirectTo };
};

export const actions: Actions = {
	// Public action: it is the way in.
	default: async (event) => {
		const formData = await event.request.formData();
		const { values, errors, data } = parseForm(
			formData,
			['email', 'password', 'redirectTo'],
			LoginSchema
		);
		const kept = { email: values.email.slice(0, 254) };
		if (!data || Object.keys(errors).length > 0) return fail(400, { values: kept, errors });
		const result = await login(getDb(), {
			...data,
			clientAddress: safeClientAddress(event)
		});
		if (!result.ok) return fail(result.status, { values: kept, errors: { form: result.message } });
		setSessionCookie(
			event.cookies,
			result.token,
			result.session.expiresAt,
			event.url.protocol === 'https:'
		);
		const target = safeRedirect(values.redirectTo);
		redirect(303, target === '/' ? homeFor(result.user.role) : target);
	}
};
