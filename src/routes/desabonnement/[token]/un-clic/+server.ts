import { redirect } from '@sveltejs/kit';
import { safeClientAddress } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db/instance';
import { unsubscribe } from '$lib/server/mail/preferences';
import type { RequestHandler } from './$types';

// RFC 8058 one-click unsubscribe (the address of List-Unsubscribe), guarded by its signed,
// single-purpose token. Mail providers POST « List-Unsubscribe=One-Click » from their servers,
// without an Origin header: the cross-site form check (sameOriginForms), meant for forms of a
// session, lets this one route through. The body is not read: the token alone decides. A token
// forged, malformed or of an account since deleted is answered as the confirmation page answers
// it (410, the same words), whichever it was.
export const POST: RequestHandler = async (event) => {
	const result = await unsubscribe(getDb(), event.params.token, safeClientAddress(event));
	return new Response(result.ok ? 'Désabonnement enregistré.\n' : `${result.message}\n`, {
		status: result.ok ? 200 : result.status,
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
	});
};

// Opened in a browser: the confirmation page (GET never unsubscribes). The token as it came in
// the address, encoded again: decoded, it could hold characters a header cannot carry, or `../`.
export const GET: RequestHandler = ({ params }) => {
	redirect(303, `/desabonnement/${encodeURIComponent(params.token)}`);
};
