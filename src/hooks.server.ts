import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { initDatabase } from '$lib/server/db/instance';

export const init: ServerInit = async () => {
	await initDatabase();
};

export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	return response;
};

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
