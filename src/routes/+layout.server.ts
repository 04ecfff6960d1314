import type { LayoutServerLoad } from './$types';

// Only what the header shows; every protected page checks access in its own load.
export const load: LayoutServerLoad = ({ locals }) => ({
	viewer: locals.user ? { name: locals.user.name, role: locals.user.role } : null
});
