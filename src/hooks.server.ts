import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import {
	deleteSessionCookie,
	sessionCookieName,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/sessions';
import { getDb, initDatabase } from '$lib/server/db/instance';

export const init: ServerInit = async () => {
	await initDatabase();
};

// Reads the session cookie and sets locals; never redirects (guards in loads and actions do).
const authenticate: Handle = async ({ event, resolve }) => {
	const secure = event.url.protocol === 'https:';
	const token = event.cookies.get(sessionCookieName(secure));
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		const result = await validateSessionToken(getDb(), token);
		if (result.session) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			if (result.renewed) setSessionCookie(event.cookies, token, result.session.expiresAt, secure);
		} else {
			deleteSessionCookie(event.cookies, secure);
		}
	}
	return resolve(event);
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (event.locals.user) response.headers.set('Cache-Control', 'private, no-store');
	return response;
};

export const handle = sequence(securityHeaders, authenticate);

// Unexpected errors: logged on the server (message and stack only), never shown to the visitor.
export const handleError: HandleServerError = ({ error, status, message }) => {
	if (status >= 500) console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	return {
		message:
			status === 404
				? 'Page introuvable.'
				: status >= 500
					? 'Une erreur inattendue est survenue. Veuillez réessayer plus tard.'
					: message
	};
};
