import { originSetting } from '$lib/server/config.js';
import type { LayoutServerLoad } from './$types';

// Only what the header shows, and the portal's configured address (ORIGIN) that a notice's link
// prints after it on paper (PrintedLink): never the Host a request claims, since a public page is
// kept and replayed to everyone. Every protected page checks access in its own load.
export const load: LayoutServerLoad = ({ locals }) => ({
	viewer: locals.user ? { name: locals.user.name, role: locals.user.role } : null,
	portal: originSetting()
});
