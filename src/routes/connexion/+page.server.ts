import { redirect } from '@sveltejs/kit';
import { safeClientAddress } from '$lib/server/auth/guards';
import { login } from '$lib/server/auth/service';
import { deviceCookieName, setDeviceCookie } from '$lib/server/auth/device';
import { setSessionCookie } from '$lib/server/auth/sessions';
import { redirectTarget } from '$lib/server/http/redirect-target';
import { getDb } from '$lib/server/db/instance';
import { readPostedForm, refusalAnswer } from '$lib/server/http/form-answer';
import { homeFor } from '$lib/server/auth/permissions';
import { LoginSchema } from '$lib/schemas/auth';
import type { Actions, PageServerLoad } from './$types';

/** One of the portal's own pages, or '/' (then: the person's home). */
function safeRedirect(target: string | null, origin: string): string {
	return redirectTarget(target, origin) ?? '/';
}

// Public page: the login form itself.
export const load: PageServerLoad = ({ locals, url }) => {
	const redirectTo = safeRedirect(url.searchParams.get('redirectTo'), url.origin);
	if (locals.user) redirect(303, redirectTo === '/' ? homeFor(locals.user.role) : redirectTo);
	const session = url.searchParams.get('session');
	return { redirectTo, sessionClosed: session === 'fermee', sessionEnded: session === 'finie' };
};

export const actions: Actions = {
	// Public action: it is the way in.
	default: async (event) => {
		const formData = await event.request.formData();
		// Only the address is given back (never the password), at its longest allowed length.
		const { answer, values, typed, data } = readPostedForm(
			formData,
			['email', 'password', 'redirectTo'],
			LoginSchema,
			undefined,
			{ echo: (typed) => ({ email: typed.email.slice(0, 254) }) }
		);
		if (answer) return answer;
		const secure = event.url.protocol === 'https:';
		const result = await login(getDb(), {
			...data,
			clientAddress: safeClientAddress(event),
			device: event.cookies.get(deviceCookieName(secure))
		});
		if (!result.ok) return refusalAnswer(result, values);
		const { token, session, device, user } = result.value;
		setSessionCookie(event.cookies, token, session.expiresAt, secure);
		setDeviceCookie(event.cookies, device, secure);
		const target = safeRedirect(typed.redirectTo, event.url.origin);
		redirect(303, target === '/' ? homeFor(user.role) : target);
	}
};
