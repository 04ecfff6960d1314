import { actorRefusal } from './acting';
import type { Db, Executor } from '../db';
import { recordAudit } from '../audit/repository';
import { mailIsRelayed, queueMail, relayDownSince } from '../mail/outbox';
import { readLink } from '../mail/links';
import { invitationMail, passwordResetMail, type LinkToken } from '../mail/messages';
import { ok, refuse, type Result } from '../result';
import { checkPasswordPolicy, hashPassword, passwordContext } from './password';
import {
	findPasswordReset,
	insertPasswordReset,
	invitationSentSince,
	revokeInvitations,
	usePasswordReset
} from './recovery-repository';
import { findInvitation } from './repository';
import { createSession, invalidateUserSessions, type Session } from './sessions';
import { clientThrottleKey, reserveAttempts, throttleKey } from './throttle-repository';
import { newSplitToken, openSingleUse, splitToken } from './tokens';
import { formatMoment, formatWait, pluralize } from '../../utils/format';
import { RESET_LIFETIME_MS, RESET_LIFETIME_WORDS } from '../../utils/rules';
import { ofName } from '../../utils/text';
import { UNKNOWN_ACCOUNT } from '../../utils/vocabulary';
import {
	findPasswordHash,
	findUserByEmail,
	findUserById,
	normaliseEmail,
	setPasswordHash,
	type User
} from './users';

/**
 * Said to everyone, whatever the address: an invited person who has not chosen a password yet gets
 * no link (their invitation is the only way in), and must learn it without the answer telling
 * which addresses have an account.
 */
/** « Qui » of a reset asked at /mot-de-passe-oublie: anyone, signed in or not. */
const RESET_REQUESTER = 'anonyme (page « Mot de passe oublié »)';

const NO_PASSWORD_YET_HINT =
	'Si vous n’avez pas encore choisi de mot de passe, aucun lien ne vous est envoyé : utilisez celui de votre invitation, ou demandez une nouvelle invitation à l’équipe de Lot numérique.';

/** The same answer whether the address has an account or not (no account enumeration). */
export const RESET_REQUESTED_MESSAGE = `Si un compte existe pour cette adresse, un courriel vient de lui être envoyé avec un lien pour choisir un nouveau mot de passe, valable ${RESET_LIFETIME_WORDS}. Pensez à regarder dans les indésirables. ${NO_PASSWORD_YET_HINT}`;

/**
 * The same answer while the relay is down (the link is written, its mail waits): said instead of
 * « vient de lui être envoyé », with what to do if it comes too late.
 */
export const RESET_DELAYED_MESSAGE = `Si un compte existe pour cette adresse, un courriel lui est écrit avec un lien pour choisir un nouveau mot de passe, valable ${RESET_LIFETIME_WORDS}. Notre serveur de courrier ne répond pas pour l’instant : le courriel partira dès qu’il répondra. S’il n’est pas arrivé d’ici ${RESET_LIFETIME_WORDS}, refaites une demande ou demandez une invitation à l’équipe de Lot numérique. ${NO_PASSWORD_YET_HINT}`;

/** Without a relay no link can reach the person: said instead of pretending to send one. */
export const RESET_WITHOUT_RELAY_MESSAGE =
	'Ce portail n’envoie pas de courriels pour l’instant : il ne peut pas vous envoyer de lien. Demandez à l’équipe de Lot numérique de vous renvoyer une invitation ; son lien vous permettra de choisir un nouveau mot de passe.';

/**
 * « Mot de passe oublié » : refused when no relay delivers mail (nothing written); otherwise
 * counted per address asked for and per client address in one transaction (like a login), then, for an active account, a single-use link (only the SHA-256 of
 * its secret kept) e-mailed in the same transaction. Unknown or disabled addresses, and accounts
 * without a password yet (an invitation pending, revoked or expired), get the same answer and
 * nothing is sent.
 */
export async function requestPasswordReset(
	db: Db,
	email: string,
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<{ message: string }>> {
	if (!mailIsRelayed()) return refuse(503, RESET_WITHOUT_RELAY_MESSAGE);
	const address = normaliseEmail(email);
	const keys = [throttleKey('reset', address)];
	if (clientAddress) keys.push(clientThrottleKey('resetClient', clientAddress));
	return db.transaction().execute(async (trx) => {
		const waitMs = await reserveAttempts(trx, keys, now);
		if (waitMs > 0)
			return refuse(
				429,
				`Trop de demandes de nouveau mot de passe. Réessayez dans ${formatWait(waitMs)}.`
			);
		const waiting = (await relayDownSince(trx)) !== null;
		const user = await findUserByEmail(trx, address);
		// An account that never set its password has only its invitation, which an administrator
		// may have revoked or let expire: a reset link would get past that.
		if (user && !user.disabled && (await findPasswordHash(trx, user.id)) !== null) {
			const { id, token, secretHash } = newSplitToken();
			const expiresAt = now + RESET_LIFETIME_MS;
			await insertPasswordReset(trx, { id, secretHash, userId: user.id, expiresAt }, now);
			await queueMail(trx, 'reset', user, passwordResetMail(user, { token, expiresAt }), now);
			await recordAudit(
				trx,
				{
					// Anyone may ask, signed in or not, for any address: the account is the target, never
					// « Qui » (staff would read that the person asked); the client address says whence.
					actor: null,
					actorLabel: RESET_REQUESTER,
					action: 'password.reset_requested',
					target: { type: 'compte', id: user.id },
					// Never shown on a screen: its mail is sent, or waits for the relay (down).
					summary: waiting
						? `Lien de nouveau mot de passe créé, courriel en attente du serveur de courrier (en panne) ; valable ${RESET_LIFETIME_WORDS}`
						: `Lien de nouveau mot de passe envoyé par courriel (valable ${RESET_LIFETIME_WORDS})`,
					clientAddress
				},
				new Date(now)
			);
		}
		return ok({ message: waiting ? RESET_DELAYED_MESSAGE : RESET_REQUESTED_MESSAGE });
	});
}

export async function findValidReset(
	db: Executor,
	token: string,
	now = Date.now()
): Promise<{ resetId: string; user: User } | undefined> {
	const row = await openSingleUse(token, (id) => findPasswordReset(db, id), now);
	if (!row) return undefined;
	const user = await findUserById(db, row.userId);
	return user && !user.disabled ? { resetId: row.id, user } : undefined;
}

/**
 * A link used, expired or replaced by a newer request: whoever asked twice is sent to the newer
 * mail, already in their inbox (asking again would replace it too, and count against them).
 */
export const RESET_INVALID_MESSAGE = `Ce lien n’est pas ou plus valable : il sert une seule fois, pendant ${RESET_LIFETIME_WORDS}, et chaque demande remplace le lien envoyé avant elle. Si vous avez demandé plusieurs liens, utilisez celui du courriel le plus récent ; sinon, demandez-en un nouveau.`;

/** Sets the new password, ends every session of the account and opens a new one. */
export async function resetPassword(
	db: Db,
	token: string,
	password: string,
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<{ user: User; token: string; session: Session }>> {
	const reset = await findValidReset(db, token, now);
	if (!reset) return refuse(410, RESET_INVALID_MESSAGE);
	const policy = checkPasswordPolicy(password, passwordContext(reset.user));
	if (policy) return refuse(400, policy, { fieldErrors: { password: policy } });
	const hash = await hashPassword(password);
	return db.transaction().execute(async (trx) => {
		if (!(await usePasswordReset(trx, reset.resetId, now)))
			return refuse(410, RESET_INVALID_MESSAGE);
		await setPasswordHash(trx, reset.user.id, hash, new Date(now));
		const ended = await invalidateUserSessions(trx, reset.user.id);
		const session = await createSession(trx, reset.user.id, now);
		await recordAudit(
			trx,
			{
				actor: reset.user,
				action: 'password.reset',
				target: { type: 'compte', id: reset.user.id },
				summary: `Mot de passe réinitialisé par le lien reçu par courriel ; ${pluralize(ended, 'session fermée', 'sessions fermées')}`,
				clientAddress
			},
			new Date(now)
		);
		return ok({ user: reset.user, ...session });
	});
}

/** E-mails an invitation link: called by issueInvitation, in its transaction. */
export async function queueInvitationMail(
	db: Executor,
	userId: number,
	link: LinkToken,
	invitedBy: string,
	now: number
): Promise<void> {
	const user = await findUserById(db, userId);
	if (!user) return;
	const hasPassword = (await findPasswordHash(db, userId)) !== null;
	await queueMail(db, 'invitation', user, invitationMail(user, link, invitedBy, hasPassword), now);
}

/** Ends the account's unused invitation links (admin). */
export async function revokeInvitation(
	db: Db,
	admin: User,
	userId: number,
	shownUntil: number | null,
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<{ revoked: number; email: string }>> {
	const target = await findUserById(db, userId);
	if (!target) return refuse(404, UNKNOWN_ACCOUNT);
	if (shownUntil === null)
		return refuse(400, 'Rechargez la page : l’invitation affichée n’a pas été transmise.');
	return db.transaction().execute(async (trx) => {
		const refusal = await actorRefusal(trx, admin, 'users.manage');
		if (refusal) return refusal;
		// Sent again since the page was drawn (another admin, another tab): the fresh link is not
		// revoked unseen; the page, read again, shows it, and a second click revokes it knowingly.
		if (await invitationSentSince(trx, userId, shownUntil, now))
			return refuse(
				409,
				`Une nouvelle invitation a été envoyée à ${target.email} depuis l’affichage de la page (par un autre administrateur ?) : rien n’a été révoqué. Révoquez-la de nouveau si c’est bien voulu.`
			);
		const revoked = await revokeInvitations(trx, userId, now);
		if (revoked === 0) return refuse(400, `Aucune invitation en cours pour ${target.email}.`);
		await recordAudit(trx, {
			actor: admin,
			action: 'account.invitation_revoked',
			target: { type: 'compte', id: userId },
			summary: `Invitation ${ofName(target.email)} révoquée`,
			clientAddress
		});
		return ok({ revoked, email: target.email });
	});
}

/** The pages a one-time link leads to, and where its row is found. */
const LINK_PAGES = {
	invitation: findInvitation,
	passwordReset: findPasswordReset
} as const;

/**
 * Why a one-time link of a message waiting to be sent will not work at `at`, or null: replaced by
 * a newer link, already used, ended (a password change, a disabled account, a revoked invitation)
 * or expired. The sender does not send such a message (MailSender's `linkProblem`). A link the
 * portal did not write in this form (it always does: linkPath, read back by readLink, mail/links.ts)
 * is let through.
 */
export async function oneTimeLinkProblem(
	db: Executor,
	link: string,
	at: number
): Promise<string | null> {
	const read = URL.canParse(link) ? readLink(link) : null;
	const kind = read?.kind === 'invitation' || read?.kind === 'passwordReset' ? read.kind : null;
	const parts = read && kind ? splitToken(read.token) : null;
	if (!kind || !parts) return null;
	const invitation = kind === 'invitation';
	const row = await LINK_PAGES[kind](db, parts.id);
	const remedy = invitation
		? 'Renvoyez l’invitation depuis la liste des comptes si elle est encore attendue.'
		: 'La personne peut demander un nouveau lien.';
	if (!row) return `son lien à usage unique n’existe plus. ${remedy}`;
	if (row.usedAt !== null)
		return `son lien à usage unique ne sert plus (remplacé par un lien plus récent, qui part à sa place, déjà utilisé, ou arrêté par un changement de mot de passe ou la désactivation du compte${invitation ? ', ou la révocation de l’invitation' : ''}).`;
	if (row.expiresAt <= at)
		return `son lien à usage unique expire le ${formatMoment(row.expiresAt)}, trop tôt pour servir une fois reçu. ${remedy}`;
	return null;
}
