import { can, type Action } from '$lib/server/auth/permissions';
import { originSetting } from '$lib/server/config.js';
import { passwordJustSaved } from '$lib/server/http/token-password';
import type { LayoutServerLoad } from './$types';

/** The header's links to one's own pages, each shown to whom can() lets in. */
const ACCOUNT_LINKS: { href: string; label: string; action: Action }[] = [
	{ href: '/espace', label: 'Mon espace', action: 'espace.enter' },
	{ href: '/admin', label: 'Administration', action: 'queue.view' }
];

// Only what the header shows, and the portal's configured address (ORIGIN) that a notice's link
// prints after it on paper (PrintedLink): never the Host a request claims, since a public page is
// kept and replayed to everyone. Every protected page checks access in its own load.
export const load: LayoutServerLoad = async ({ locals, url }) => ({
	viewer: locals.user
		? {
				name: locals.user.name,
				links: ACCOUNT_LINKS.filter((link) => can(locals.user, link.action)).map(
					({ href, label }) => ({ href, label })
				)
			}
		: null,
	portal: originSetting(),
	// « Votre mot de passe est enregistré… » on the home page a link's password leads to, when true.
	passwordSaved: await passwordJustSaved(url, locals)
});
