import { findValidReset, RESET_INVALID_MESSAGE, resetPassword } from '$lib/server/auth/recovery';
import {
	loadTokenAccount,
	setPasswordFromToken,
	type SingleUseTokenPassword
} from '$lib/server/http/token-password';
import type { Actions, PageServerLoad } from './$types';

const RESET: SingleUseTokenPassword = {
	find: findValidReset,
	apply: resetPassword,
	invalidMessage: RESET_INVALID_MESSAGE,
	invalidNext: { href: '/mot-de-passe-oublie', label: 'Demander un nouveau lien' }
};

// Public page guarded by its single-use token.
export const load: PageServerLoad = ({ params }) => loadTokenAccount(params.token, RESET);

export const actions: Actions = {
	// Public action guarded by its single-use token.
	default: (event) => setPasswordFromToken(event, RESET)
};
