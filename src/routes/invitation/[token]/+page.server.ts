import { acceptInvitation, findValidInvitation } from '$lib/server/auth/service';
import {
	loadTokenAccount,
	setPasswordFromToken,
	type SingleUseTokenPassword
} from '$lib/server/http/token-password';
import { INVITATION_LIFETIME_WORDS } from '$lib/utils/rules';
import type { Actions, PageServerLoad } from './$types';

const INVITATION: SingleUseTokenPassword = {
	find: findValidInvitation,
	apply: acceptInvitation,
	invalidMessage: `Ce lien (invitation ou nouveau mot de passe envoyé par Lot numérique) n’est pas ou plus valable : il sert une seule fois, pendant ${INVITATION_LIFETIME_WORDS}. Si vous avez déjà choisi votre mot de passe avec lui, votre compte est actif : connectez-vous depuis la page « Connexion ». Sinon, demandez un nouveau lien à l’équipe de Lot numérique.`,
	invalidNext: { href: '/connexion', label: 'Se connecter (page « Connexion »)' }
};

// Public page guarded by its single-use token.
export const load: PageServerLoad = ({ params }) => loadTokenAccount(params.token, INVITATION);

export const actions: Actions = {
	// Public action guarded by its single-use token.
	default: (event) => setPasswordFromToken(event, INVITATION)
};
