import type { Db, Executor } from '../db';
import { recordAudit, tallyRefusal } from '../audit/repository';
import { announceRunningCampaigns } from '../campaigns/service';
import {
	checkPasswordPolicy,
	hashPassword,
	passwordContext,
	verifyAgainstDummy,
	verifyPassword
} from './password';
import { createSession, invalidateSession, invalidateUserSessions, type Session } from './sessions';
import { newDeviceCookie, trustedDevice } from './device';
import {
	findInvitation,
	insertInvitation,
	passwordStillValid,
	retireInvitations,
	useInvitation
} from './repository';
import { invitationSentSince } from './recovery-repository';
import {
	attemptsOf,
	blockedFor,
	clearFailures,
	POLICIES,
	releaseAttempt,
	reserveAttempts,
	throttleKey,
	clientThrottleKey
} from './throttle-repository';
import { newSplitToken, openSingleUse } from './tokens';
import { formatWait } from '../../utils/format';
import { ofName } from '../../utils/text';
import { ROLE_LABELS, UNKNOWN_ACCOUNT, WRONG_CURRENT_PASSWORD } from '../../utils/vocabulary';
import {
	findCredentials,
	findOrganisationIdByNameOrSlug,
	findPasswordHash,
	findUserByEmail,
	findUserById,
	insertUser,
	normaliseEmail,
	setDisabled,
	setPasswordHash,
	setRole,
	type Role,
	type User
} from './users';
import { pluralize } from '../../utils/format';
import { INVITATION_LIFETIME_MS, INVITATION_LIFETIME_WORDS } from '../../utils/rules';
import { queueInvitationMail } from './recovery';
import { mailIsRelayed, relayDownSince } from '../mail/outbox';
import { ok, refuse, type Result } from '../result';
import type { FieldErrors } from '../../schemas/form';
import { listOrganisationRefs } from '../plan/repository';
import { actorRefusal } from './acting';

const UNKNOWN_ORGANISATION =
	'Organisation inconnue, retirée ou fusionnée : choisissez-la dans la liste.';
/**
 * An organisation retired or merged (named by a page opened before, or typed after
 * `npm run user:create -- --organisation`) takes no new partner: said apart from an unknown one.
 */
export const RETIRED_ORGANISATION =
	'Organisation retirée ou fusionnée : elle ne prend plus de partenaire, choisissez-en une autre dans la liste.';
const LOGIN_FAILED_MESSAGE = 'Adresse électronique ou mot de passe incorrect.';

export interface SignedIn {
	user: User;
	token: string;
	session: Session;
}

function tooManyAttempts(waitMs: number) {
	return refuse(
		429,
		`Trop de tentatives de connexion. Par sécurité, réessayez dans ${formatWait(waitMs)}.`
	);
}

/** Who a refusal that anyone can cause is counted under: the account when known, else the address. */
function tallySubject(userId: number | undefined, clientAddress: string | null): string {
	return userId !== undefined ? `compte ${userId}` : `adresse ${clientAddress ?? 'inconnue'}`;
}

/**
 * Signs in. The attempt is counted (account and address, or trusted device alone) before the
 * password is hashed, in the transaction that checks the blocks, so parallel guesses count like
 * sequential ones; a success gives the reservation back. `device` is the browser's device cookie,
 * if any.
 */
export async function login(
	db: Db,
	input: { email: string; password: string; clientAddress: string | null; device?: string },
	now = Date.now()
): Promise<Result<SignedIn & { device: string }>> {
	const email = normaliseEmail(input.email);
	const credentials = await findCredentials(db, email);
	const known = credentials?.user;
	const nonce = credentials
		? await trustedDevice(db, input.device, credentials.user.id, credentials.passwordHash)
		: null;
	const addressKey = input.clientAddress ? clientThrottleKey('address', input.clientAddress) : null;

	const reserved = await db.transaction().execute(async (trx) => {
		// A device locked out by its own failures is trusted no more: back to the account's limit.
		const deviceKey = nonce ? throttleKey('device', nonce) : null;
		const trusted = deviceKey !== null && (await blockedFor(trx, [deviceKey], now)) === 0;
		const primary = trusted ? deviceKey : throttleKey('account', email);
		// A trusted browser answers to its own limit alone, not to its address's: people behind one
		// shared address (a town hall, an office) cannot lock one another out, and an address trying
		// many accounts holds none of their device cookies.
		const address = trusted ? null : addressKey;
		const keys = address ? [primary, address] : [primary];
		const waitMs = await reserveAttempts(trx, keys, now);
		if (waitMs > 0)
			await tallyRefusal(
				trx,
				'login.throttled',
				tallySubject(known?.id, input.clientAddress),
				new Date(now)
			);
		return { waitMs, primary, address };
	});
	if (reserved.waitMs > 0) return tooManyAttempts(reserved.waitMs);

	const rightPassword =
		credentials && credentials.passwordHash
			? await verifyPassword(credentials.passwordHash, input.password)
			: (await verifyAgainstDummy(input.password), false);
	const valid = rightPassword && !credentials?.user.disabled;

	if (!valid || !credentials?.passwordHash) {
		if (!credentials) {
			// Anyone can make up addresses by the thousand: counted, never journaled one by one.
			await tallyRefusal(
				db,
				'login.unknown',
				tallySubject(undefined, input.clientAddress),
				new Date(now)
			);
		} else {
			await recordAudit(db, {
				actor: credentials.user,
				action: 'login.failure',
				target: { type: 'compte', id: credentials.user.id },
				summary: credentials.user.disabled
					? `Connexion refusée : compte désactivé (${email}${rightPassword ? ', mot de passe juste' : ''})`
					: `Connexion refusée pour ${email}${reserved.primary.kind === 'device' ? ' (appareil connu)' : ''}`,
				clientAddress: input.clientAddress
			});
		}
		// One message for every refusal, a disabled account's right password included: an account is
		// often disabled because its password leaked, and the portal must not confirm it to whoever
		// holds it (the sign-in page says whom to ask). The journal tells staff; the attempt counts.
		return refuse(400, LOGIN_FAILED_MESSAGE);
	}

	const { user, passwordHash } = credentials;
	return db.transaction().execute(async (trx) => {
		// Changed, reset or disabled while the password was being checked (the owner of a leaked
		// password changing it): refused like a wrong password, and the attempt stays counted.
		if (!(await passwordStillValid(trx, user.id, passwordHash))) {
			await recordAudit(trx, {
				actor: user,
				action: 'login.failure',
				target: { type: 'compte', id: user.id },
				summary: `Connexion refusée pour ${email} : mot de passe changé ou compte désactivé pendant la vérification`,
				clientAddress: input.clientAddress
			});
			return refuse(400, LOGIN_FAILED_MESSAGE);
		}
		await clearFailures(trx, reserved.primary);
		if (reserved.address) await releaseAttempt(trx, reserved.address);
		// The password just proven: the current-password checks on /compte start afresh too, rather
		// than leaving the person one typo away from being signed out again.
		await clearFailures(trx, reauthKey(user.id));
		const { token, session } = await createSession(trx, user.id, now);
		await recordAudit(trx, {
			actor: user,
			action: 'login.success',
			target: { type: 'compte', id: user.id },
			summary: `Connexion ${ofName(user.email)}`,
			clientAddress: input.clientAddress
		});
		const device = await newDeviceCookie(trx, user.id, passwordHash);
		return ok({ user, token, session, device });
	});
}

export async function logout(
	db: Db,
	user: User,
	sessionId: string,
	clientAddress: string | null
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		await invalidateSession(trx, sessionId);
		await recordAudit(trx, {
			actor: user,
			action: 'logout',
			target: { type: 'compte', id: user.id },
			summary: `Déconnexion ${ofName(user.email)}`,
			clientAddress
		});
	});
}

export const PASSWORD_CHANGED_MEANWHILE_MESSAGE =
	'Votre mot de passe a été changé entre-temps (dans une autre session ou par un lien de nouveau mot de passe) : le nouveau n’a pas été enregistré, et cette session est fermée. Reconnectez-vous pour continuer.';

const REAUTH_ENDED_MESSAGE =
	'Votre session a été fermée après plusieurs mots de passe actuels incorrects : reconnectez-vous.';

/** The current password asked while its checks are blocked: not checked, the wait told. */
export function reauthBlockedMessage(waitMs: number): string {
	return `Trop d’essais du mot de passe actuel : par sécurité, réessayez dans ${formatWait(waitMs)}.`;
}

/** The counter of a person's current-password checks on /compte. */
function reauthKey(userId: number) {
	return throttleKey('reauth', String(userId));
}

/**
 * Changes the signed-in person's password. The current-password check is throttled like a login
 * (atomic count before hashing, key per account; a sign-in clears it), each failure is journaled
 * with the number its try reserved, and the session ends on a wrong password once the free
 * attempts are spent (refused with 401: sign in again). While the key is blocked, nothing is
 * checked and the wait is told under the field (429): the session stays open. `refused`: what the
 * form already found wrong with the new password (too short, mistyped); the current password is
 * still checked, so that a wrong one is told with them, and nothing changes.
 */
export async function changePassword(
	db: Db,
	user: User,
	sessionId: string,
	input: { current: string; next: string; refused?: FieldErrors },
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<{ endedSessions: number; token: string; session: Session }>> {
	const key = reauthKey(user.id);
	// The try's number read in the transaction that counts it: parallel tries each get their own.
	const reserved = await db.transaction().execute(async (trx) => {
		const waitMs = await reserveAttempts(trx, [key], now);
		return { waitMs, attempt: waitMs > 0 ? 0 : await attemptsOf(trx, key, now) };
	});
	if (reserved.waitMs > 0)
		return fieldRefusal('current', reauthBlockedMessage(reserved.waitMs), 429);
	// Checked first, so that a wrong current password and a weak new one are both told at once.
	const nextRefusal = input.refused ? null : newPasswordRefusal(user, input);
	const newPasswordErrors: FieldErrors =
		input.refused ?? (nextRefusal ? { next: nextRefusal } : {});
	const hash = await findPasswordHash(db, user.id);
	if (!hash || !(await verifyPassword(hash, input.current))) {
		const { attempt } = reserved;
		await recordAudit(db, {
			actor: user,
			action: 'password.check_failed',
			target: { type: 'compte', id: user.id },
			summary: `Mot de passe actuel incorrect lors d’un changement de mot de passe (${attempt}ᵉ essai)`,
			clientAddress
		});
		if (attempt >= POLICIES.reauth.free) {
			await endSessionAfterChecks(db, user, sessionId, clientAddress, attempt);
			return sessionEnded();
		}
		return refuse(400, WRONG_CURRENT_PASSWORD, {
			fieldErrors: { current: WRONG_CURRENT_PASSWORD, ...newPasswordErrors }
		});
	}
	await clearFailures(db, key);
	if (nextRefusal) return fieldRefusal('next', nextRefusal);
	if (input.refused)
		return refuse(
			400,
			'Le nouveau mot de passe n’est pas accepté : corrigez les champs signalés.',
			{
				fieldErrors: input.refused
			}
		);
	const newHash = await hashPassword(input.next);
	const changed = await db.transaction().execute(async (trx) => {
		// Changed (another session, a reset link) or disabled while the current password was being
		// checked: every session has ended, this one too; the new password is not written over.
		if (!(await passwordStillValid(trx, user.id, hash))) return null;
		await setPasswordHash(trx, user.id, newHash);
		// Every session ends, the current one too, which gets a new token: a copy of the old cookie
		// (the reason one changes a password) no longer works. The others are counted.
		const count = Math.max(0, (await invalidateUserSessions(trx, user.id)) - 1);
		const renewed = await createSession(trx, user.id, now);
		await recordAudit(trx, {
			actor: user,
			action: 'password.changed',
			target: { type: 'compte', id: user.id },
			summary: `Mot de passe modifié par ${user.email}`,
			clientAddress
		});
		await recordAudit(trx, {
			actor: user,
			action: 'session.ended',
			target: { type: 'compte', id: user.id },
			summary: `${pluralize(count, 'autre session terminée', 'autres sessions terminées')} après le changement de mot de passe`,
			// The count /compte's confirmation without script is checked by (its `?fait=` marker).
			after: { count },
			clientAddress
		});
		return { endedSessions: count, ...renewed };
	});
	if (!changed) return fieldRefusal('current', PASSWORD_CHANGED_MEANWHILE_MESSAGE, 409);
	return ok(changed);
}

/**
 * What is wrong with the new password chosen on /compte (the policy, or the current one again),
 * or null. Also read by the page when the form itself is refused, so that every rule shows at once.
 */
export function newPasswordRefusal(
	user: User,
	input: { current: string; next: string }
): string | null {
	return (
		checkPasswordPolicy(input.next, passwordContext(user)) ??
		(input.next === input.current
			? 'Le nouveau mot de passe doit être différent de l’actuel.'
			: null)
	);
}

/** A refusal that one field explains: the message goes under that field. */
function fieldRefusal(field: string, message: string, status: 400 | 409 | 410 | 429 = 400) {
	return refuse(status, message, { fieldErrors: { [field]: message } });
}

function sessionEnded() {
	return refuse(401, REAUTH_ENDED_MESSAGE, { fieldErrors: { current: REAUTH_ENDED_MESSAGE } });
}

async function endSessionAfterChecks(
	db: Db,
	user: User,
	sessionId: string,
	clientAddress: string | null,
	attempt: number
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		if (!(await invalidateSession(trx, sessionId))) return;
		await recordAudit(trx, {
			actor: user,
			action: 'session.ended',
			target: { type: 'compte', id: user.id },
			summary: `Session fermée au ${attempt}ᵉ mot de passe actuel incorrect`,
			clientAddress
		});
	});
}

/** A role as a form or a command gives it: a partner's organisation by its name or slug. */
export interface RoleChoice {
	role: Role;
	/** A partner's organisation, its name or slug; what another role gives is not read. */
	organisation: string;
}

export interface NewAccount extends RoleChoice {
	email: string;
	name: string;
}

/**
 * The role chosen, its organisation found: a partner's by its name or slug (an organisation retired
 * or merged takes no new partner), none for another role; refused when there is no such one.
 */
async function chosenRole(db: Executor, choice: RoleChoice): Promise<Result<RoleChange>> {
	if (choice.role !== 'partenaire') return ok({ role: choice.role, organisationId: null });
	const organisationId = await findOrganisationIdByNameOrSlug(db, choice.organisation);
	if (organisationId === undefined)
		return fieldRefusal(
			'organisation',
			(await findOrganisationIdByNameOrSlug(db, choice.organisation, { retired: true })) ===
				undefined
				? UNKNOWN_ORGANISATION
				: RETIRED_ORGANISATION
		);
	return ok({ role: choice.role, organisationId });
}

const EMAIL_TAKEN = 'Un compte existe déjà avec cette adresse électronique.';

/**
 * Writes a new account and its line in the journal, in the caller's transaction: its organisation
 * found and its address free, read there too. `summary` words the line from the role's label.
 */
async function insertAccount(
	trx: Executor,
	account: NewAccount,
	passwordHash: string | null,
	/** Who creates it: the admin, or the command's words (« commande user:create »). */
	actor: User | string,
	summary: (roleLabel: string, email: string) => string,
	now: Date,
	/** The admin's client address; null for a command. */
	clientAddress: string | null
): Promise<Result<{ userId: number }>> {
	const role = await chosenRole(trx, account);
	if (!role.ok) return role;
	if (await findUserByEmail(trx, account.email)) return fieldRefusal('email', EMAIL_TAKEN);
	const { organisationId } = role.value;
	const email = normaliseEmail(account.email);
	const userId = await insertUser(
		trx,
		{ email: account.email, name: account.name, role: account.role, organisationId, passwordHash },
		now
	);
	await recordAudit(trx, {
		...(typeof actor === 'string' ? { actor: null, actorLabel: actor } : { actor }),
		action: 'account.created',
		target: { type: 'compte', id: userId },
		summary: summary(ROLE_LABELS[account.role], email),
		after: { email, name: account.name, role: account.role, organisationId },
		clientAddress
	});
	return ok({ userId });
}

/** Creates an account without a password and a one-time invitation link for it. */
export async function createAccountWithInvitation(
	db: Db,
	admin: User,
	account: NewAccount,
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<{ userId: number; invitationToken: string; delivery: LinkDelivery }>> {
	return db.transaction().execute(async (trx) => {
		const refusal = await actorRefusal(trx, admin, 'users.manage');
		if (refusal) return refusal;
		const created = await insertAccount(
			trx,
			account,
			null,
			admin,
			(_, email) => `Compte créé pour ${email}`,
			new Date(now),
			clientAddress
		);
		if (!created.ok) return created;
		const { userId } = created.value;
		const { token, delivery } = await issueInvitation(trx, admin, userId, clientAddress, now);
		return ok({ userId, invitationToken: token, delivery });
	});
}

/**
 * Creates an account with its password, from a command on the server (nobody signed in acts):
 * `user:create`, `demo`. `how` says in the journal's summary how it was made (« en ligne de
 * commande »), `command` who made it, in its « Qui » (« commande user:create », as plan:import's
 * rows say « commande plan:import »), rather than « anonyme ».
 */
export async function createAccountWithPassword(
	db: Db,
	account: NewAccount,
	passwordHash: string,
	how: string,
	command: string
): Promise<Result<{ userId: number }>> {
	return db
		.transaction()
		.execute((trx) =>
			insertAccount(
				trx,
				account,
				passwordHash,
				command,
				(role, email) => `Compte « ${role} » créé ${how} pour ${email}`,
				new Date(),
				null
			)
		);
}

/**
 * How a link just made reaches its person, read once for both /admin/utilisateurs and the journal:
 * mailed or kept here (no relay), the relay known down since when (its mail waits), and whether the
 * admin is shown the link. A link that replaces someone's password (`renewing`) goes to them alone
 * while mail is relayed: shown, it would let an administrator take over another's account. Without
 * a relay, or while it is down, it is shown all the same: the person may need it before the mail
 * leaves.
 */
export interface LinkDelivery {
	mailed: boolean;
	relayDownSince: number | null;
	shown: boolean;
}

async function linkDelivery(db: Executor, renewing: boolean): Promise<LinkDelivery> {
	const mailed = mailIsRelayed();
	const down = await relayDownSince(db);
	return { mailed, relayDownSince: down, shown: !renewing || !mailed || down !== null };
}

/**
 * A fresh single-use link for the account; earlier unused links stop working. Returns it, whether it
 * replaces a password (`renewing`) and how it reaches its person (`delivery`), as journaled.
 */
export async function issueInvitation(
	db: Executor,
	admin: User,
	userId: number,
	clientAddress: string | null,
	now = Date.now()
): Promise<{ token: string; renewing: boolean; delivery: LinkDelivery; expiresAt: number }> {
	const { id, token, secretHash } = newSplitToken();
	const expiresAt = now + INVITATION_LIFETIME_MS;
	await retireInvitations(db, userId, now);
	await insertInvitation(db, {
		id,
		secretHash,
		userId,
		createdBy: admin.id,
		createdAt: now,
		expiresAt
	});
	await queueInvitationMail(db, userId, { token, expiresAt }, admin.name, now);
	// An account that has a password gets a link to choose a new one: journaled as such, with its
	// address, so that a search for the person finds it.
	const renewing = (await findPasswordHash(db, userId)) !== null;
	const email = (await findUserById(db, userId))?.email ?? '';
	const link = renewing ? 'Lien de nouveau mot de passe' : 'Lien d’invitation';
	const delivery = await linkDelivery(db, renewing);
	await recordAudit(db, {
		actor: admin,
		// One action for both, a security event purged with the others (its line names the address).
		action: 'account.invited',
		target: { type: 'compte', id: userId },
		summary: `${link} créé pour ${email} (valable ${INVITATION_LIFETIME_WORDS}), ${invitationFate(delivery)}`,
		clientAddress
	});
	return { token, renewing, delivery, expiresAt };
}

/**
 * What became of a link, for the journal: the mail sent, waiting for the relay or kept, and whether
 * the admin saw the link (the journal must tell who could have used someone else's link).
 */
function invitationFate({ mailed, relayDownSince, shown }: LinkDelivery): string {
	const mail = !mailed
		? 'courriel gardé sans être envoyé (pas de serveur de courrier)'
		: relayDownSince !== null
			? 'courriel en attente du serveur de courrier (en panne)'
			: 'envoyé par courriel';
	return shown ? `${mail} ; lien affiché à l’administrateur` : mail;
}

/**
 * A fresh invitation for an account that exists and is not disabled (« Nouvelle invitation »).
 * `shownUntil`: the end of the open invitation the admin's page showed (null: none). One sent
 * since (another admin, another tab) is not replaced unseen: its link, maybe already passed on,
 * would stop working.
 */
export async function inviteAgain(
	db: Db,
	admin: User,
	userId: number,
	shownUntil: number | null,
	clientAddress: string | null,
	now = Date.now()
): Promise<
	Result<{
		email: string;
		token: string;
		renewing: boolean;
		delivery: LinkDelivery;
		expiresAt: number;
	}>
> {
	const target = await findUserById(db, userId);
	if (!target) return refuse(404, UNKNOWN_ACCOUNT);
	if (target.disabled) return refuse(400, 'Réactivez d’abord ce compte.');
	const issued = await db.transaction().execute(async (trx) => {
		const refusal = await actorRefusal(trx, admin, 'users.manage');
		if (refusal) return refusal;
		if (await invitationSentSince(trx, userId, shownUntil, now)) return null;
		return issueInvitation(trx, admin, userId, clientAddress, now);
	});
	if (issued !== null && 'ok' in issued) return issued;
	if (issued === null)
		return refuse(
			409,
			`Un lien a été envoyé à ${target.email} depuis l’affichage de la page (par un autre administrateur ?) : rien n’a été envoyé, et ce lien reste valable. En envoyer un nouveau l’annulerait : renvoyez de nouveau si c’est bien voulu.`
		);
	return ok({ email: target.email, ...issued });
}

export async function findValidInvitation(
	db: Db,
	token: string,
	now = Date.now()
): Promise<
	{ invitationId: string; user: User; renewing: boolean; createdBy: number | null } | undefined
> {
	const row = await openSingleUse(token, (id) => findInvitation(db, id), now);
	if (!row) return undefined;
	const user = await findUserById(db, row.userId);
	if (!user || user.disabled) return undefined;
	// Sent by an admin to an account that has a password: the link chooses a new one.
	const renewing = (await findPasswordHash(db, user.id)) !== null;
	return { invitationId: row.id, user, renewing, createdBy: row.createdBy };
}

export async function acceptInvitation(
	db: Db,
	token: string,
	password: string,
	clientAddress: string | null,
	now = Date.now()
): Promise<Result<SignedIn>> {
	const invitation = await findValidInvitation(db, token, now);
	if (!invitation)
		return refuse(
			410,
			'Ce lien d’invitation n’est plus valable : demandez-en un nouveau à l’équipe de Lot numérique.'
		);
	const refusal = checkPasswordPolicy(password, passwordContext(invitation.user));
	if (refusal) return fieldRefusal('password', refusal);
	const hash = await hashPassword(password);
	return db.transaction().execute(async (trx) => {
		if (!(await useInvitation(trx, invitation.invitationId, now)))
			return refuse(
				410,
				'Ce lien d’invitation a déjà été utilisé : si c’est par vous, votre compte est actif, connectez-vous depuis la page « Connexion ».'
			);
		await setPasswordHash(trx, invitation.user.id, hash, new Date(now));
		await invalidateUserSessions(trx, invitation.user.id);
		// A partner invited while a campaign opened was not written to: now active, they are asked.
		const { user } = invitation;
		if (!invitation.renewing && user.role === 'partenaire' && user.organisationId !== null)
			await announceRunningCampaigns(trx, user, user.organisationId, now);
		const session = await createSession(trx, invitation.user.id, now);
		// A link that replaced a password was made by an administrator, who might have used it:
		// the journal names them, so that what follows is not read as the account holder's alone.
		const maker = invitation.createdBy ? await findUserById(trx, invitation.createdBy) : undefined;
		await recordAudit(trx, {
			actor: invitation.user,
			action: 'account.activated',
			target: { type: 'compte', id: invitation.user.id },
			summary: invitation.renewing
				? `Mot de passe de ${invitation.user.email} remplacé par un lien de nouveau mot de passe créé par ${maker ? `${maker.name} (${maker.email})` : 'un administrateur'}`
				: `Mot de passe choisi par ${invitation.user.email} via son invitation`,
			clientAddress
		});
		return ok({ user: invitation.user, ...session });
	});
}

export async function setAccountDisabled(
	db: Db,
	admin: User,
	userId: number,
	disabled: boolean,
	clientAddress: string | null
): Promise<Result<{ email: string; withoutPassword: boolean }>> {
	const target = await findUserById(db, userId);
	if (!target) return refuse(404, UNKNOWN_ACCOUNT);
	if (target.id === admin.id)
		return refuse(400, 'Vous ne pouvez pas désactiver votre propre compte.');
	const changed = await db.transaction().execute(async (trx) => {
		const refusal = await actorRefusal(trx, admin, 'users.manage');
		if (refusal) return refusal;
		// Retiring an organisation is refused while it has active accounts: one of its accounts is
		// not made active again afterwards (its partner would act for a retired organisation).
		if (
			!disabled &&
			target.organisationSlug !== null &&
			!(await listOrganisationRefs(trx, { activeOnly: true })).some(
				(o) => o.slug === target.organisationSlug
			)
		)
			return 'retired';
		if (!(await setDisabled(trx, userId, disabled))) return false;
		const ended = disabled ? await invalidateUserSessions(trx, userId) : 0;
		await recordAudit(trx, {
			actor: admin,
			action: disabled ? 'account.disabled' : 'account.enabled',
			target: { type: 'compte', id: userId },
			summary: disabled
				? `Compte ${ofName(target.email)} désactivé ; ${pluralize(ended, 'session terminée', 'sessions terminées')}`
				: `Compte ${ofName(target.email)} réactivé`,
			before: { disabled: !disabled },
			after: { disabled },
			clientAddress
		});
		return true;
	});
	if (typeof changed === 'object') return changed;
	if (changed === 'retired')
		return refuse(
			409,
			`L’organisation ${target.organisationName ?? ''} de ce compte est retirée du plan : le compte ${ofName(target.email)} ne peut pas être réactivé. Donnez-lui d’abord une organisation du plan (« Changer le rôle »), puis réactivez-le.`
		);
	if (!changed)
		return refuse(
			409,
			`Le compte ${ofName(target.email)} est déjà ${disabled ? 'désactivé' : 'actif'} (un autre administrateur l’a fait entre-temps ?) : rien n’a changé.`
		);
	// Re-enabled before it ever had a password: its disabling revoked its invitation, so the
	// person needs a new one to get in.
	return ok({
		email: target.email,
		withoutPassword: !disabled && (await findPasswordHash(db, userId)) === null
	});
}

/** A role as a person reads it: « Partenaire — Lot numérique ». */
export function roleWording(user: Pick<User, 'role' | 'organisationName'>): string {
	const role = ROLE_LABELS[user.role];
	return user.organisationName ? `${role} — ${user.organisationName}` : role;
}

export interface RoleChange {
	role: Role;
	organisationId: number | null;
}

/**
 * Gives another account another role (and organisation, for a partner), from the one the admin's
 * page showed (`shown`). Its sessions end: the person signs in again under the new role. Never
 * one's own account: an admin cannot take away the last administration this way.
 */
export async function changeAccountRole(
	db: Db,
	admin: User,
	userId: number,
	choice: RoleChoice,
	shown: RoleChange,
	clientAddress: string | null
): Promise<Result<{ email: string; role: string }>> {
	const target = await findUserById(db, userId);
	if (!target) return refuse(404, UNKNOWN_ACCOUNT);
	const chosen = await chosenRole(db, choice);
	if (!chosen.ok) return chosen;
	const change = chosen.value;
	if (target.id === admin.id)
		return refuse(
			400,
			'Vous ne pouvez pas changer le rôle de votre propre compte : demandez-le à un autre administrateur.'
		);
	if (change.role === shown.role && change.organisationId === shown.organisationId)
		return fieldRefusal(
			'role',
			'Ce compte a déjà ce rôle et cette organisation : choisissez-en d’autres, ou revenez à la liste des comptes.'
		);
	const changed = await db.transaction().execute(async (trx) => {
		const refusal = await actorRefusal(trx, admin, 'users.manage');
		if (refusal) return refusal;
		if (!(await setRole(trx, userId, change, shown))) return null;
		const after = (await findUserById(trx, userId))!;
		const ended = await invalidateUserSessions(trx, userId);
		await recordAudit(trx, {
			actor: admin,
			action: 'account.role_changed',
			target: { type: 'compte', id: userId },
			summary: `Rôle du compte ${ofName(target.email)} : ${roleWording(target)} → ${roleWording(after)} ; ${pluralize(ended, 'session terminée', 'sessions terminées')}`,
			before: shown,
			after: change,
			clientAddress
		});
		return after;
	});
	if (changed && 'ok' in changed) return changed;
	if (!changed) {
		const current = await findUserById(db, userId);
		return refuse(
			409,
			`Le rôle de ce compte a changé depuis l’ouverture de la page (un autre administrateur ?) : il est maintenant « ${current ? roleWording(current) : '?'} ». Rien n’a été enregistré ; choisissez de nouveau si besoin.`
		);
	}
	return ok({ email: target.email, role: roleWording(changed) });
}
