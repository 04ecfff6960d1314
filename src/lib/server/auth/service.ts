import type { Db, Executor } from '../db';
import { recordAudit } from '../audit/repository';
import { checkPasswordPolicy, hashPassword, verifyAgainstDummy, verifyPassword } from './password';
import { createSession, invalidateUserSessions, type Session } from './sessions';
import { blockedFor, clearFailures, formatWait, recordFailure, throttleKey } from './throttle';
import { newSplitToken, secretMatches, splitToken } from './tokens';
import {
	findCredentials,
	findPasswordHash,
	findUserByEmail,
	findUserById,
	insertUser,
	normaliseEmail,
	setDisabled,
	setPasswordHash,
	type Role,
	type User
} from './users';
import { pluralize } from '../../utils/format';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const LOGIN_FAILED_MESSAGE = 'Adresse électronique ou mot de passe incorrect.';

/** Words a password must not be built on, beyond the shipped list. */
export function passwordContext(user?: { email: string; name: string }): string[] {
	const words = ['lot', 'lotnumerique', 'numerique', 'cahors', 'sdusn', 'occitanie', 'quercy'];
	// The whole address: the policy splits it into its parts (« claire », « martin », « cdg46 »…).
	if (user) words.push(user.email, ...user.name.split(/\s+/), user.name);
	return words;
}

export type LoginResult =
	| { ok: true; user: User; token: string; session: Session }
	| { ok: false; status: 400 | 429; message: string };

export async function login(
	db: Db,
	input: { email: string; password: string; clientAddress: string | null },
	now = Date.now()
): Promise<LoginResult> {
	const email = normaliseEmail(input.email);
	const accountKey = throttleKey('account', email);
	const addressKey = input.clientAddress ? throttleKey('address', input.clientAddress) : null;
	const keys = addressKey ? [accountKey, addressKey] : [accountKey];

	const wait = await blockedFor(db, keys, now);
	if (wait > 0) {
		await recordAudit(db, {
			actor: null,
			action: 'login.throttled',
			target: { type: 'compte', id: email },
			summary: `Tentative de connexion bloquée pour ${email}`,
			clientAddress: input.clientAddress
		});
		return {
			ok: false,
			status: 429,
			message: `Trop de tentatives de connexion. Par sécurité, réessayez dans ${formatWait(wait)}.`
		};
	}

	const credentials = await findCredentials(db, email);
	const valid =
		credentials && credentials.passwordHash && !credentials.user.disabled
			? await verifyPassword(credentials.passwordHash, input.password)
			: (await verifyAgainstDummy(input.password), false);

	if (!valid || !credentials) {
		await db.transaction().execute(async (trx) => {
			await recordFailure(trx, 'account', accountKey, now);
			if (addressKey) await recordFailure(trx, 'address', addressKey, now);
			await recordAudit(trx, {
				actor: credentials ? credentials.user : null,
				action: 'login.failure',
				target: { type: 'compte', id: email },
				summary: credentials?.user.disabled
					? `Connexion refusée : compte désactivé (${email})`
					: `Connexion refusée pour ${email}`,
				clientAddress: input.clientAddress
			});
		});
		return { ok: false, status: 400, message: LOGIN_FAILED_MESSAGE };
	}

	const user = credentials.user;
	return db.transaction().execute(async (trx) => {
		await clearFailures(trx, accountKey);
		const { token, session } = await createSession(trx, user.id, now);
		await recordAudit(trx, {
			actor: user,
			action: 'login.success',
			target: { type: 'compte', id: user.id },
			summary: `Connexion de ${user.email}`,
			clientAddress: input.clientAddress
		});
		return { ok: true as const, user, token, session };
	});
}

export async function logout(
	db: Db,
	user: User,
	sessionId: string,
	clientAddress: string | null
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		await trx.deleteFrom('user_session').where('id', '=', sessionId).execute();
		await recordAudit(trx, {
			actor: user,
			action: 'logout',
			target: { type: 'compte', id: user.id },
			summary: `Déconnexion de ${user.email}`,
			clientAddress
		});
	});
}

export type FieldErrors = Record<string, string>;

export async function changePassword(
	db: Db,
	user: User,
	sessionId: string,
	input: { current: string; next: string },
	clientAddress: string | null
): Promise<{ ok: true; endedSessions: number } | { ok: false; errors: FieldErrors }> {
	const hash = await findPasswordHash(db, user.id);
	if (!hash || !(await verifyPassword(hash, input.current))) {
		return { ok: false, errors: { current: 'Le mot de passe actuel est incorrect.' } };
	}
	const refusal = checkPasswordPolicy(input.next, passwordContext(user));
	if (refusal) return { ok: false, errors: { next: refusal } };
	if (input.next === input.current) {
		return {
			ok: false,
			errors: { next: 'Le nouveau mot de passe doit être différent de l’actuel.' }
		};
	}
	const newHash = await hashPassword(input.next);
	const ended = await db.transaction().execute(async (trx) => {
		await setPasswordHash(trx, user.id, newHash);
		const count = await invalidateUserSessions(trx, user.id, sessionId);
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
			clientAddress
		});
		return count;
	});
	return { ok: true, endedSessions: ended };
}

export interface NewAccount {
	email: string;
	name: string;
	role: Role;
	organisationId: number | null;
}

/** Creates an account without a password and a one-time invitation link for it. */
export async function createAccountWithInvitation(
	db: Db,
	admin: User,
	account: NewAccount,
	clientAddress: string | null,
	now = Date.now()
): Promise<
	{ ok: true; userId: number; invitationToken: string } | { ok: false; errors: FieldErrors }
> {
	if (await findUserByEmail(db, account.email)) {
		return {
			ok: false,
			errors: { email: 'Un compte existe déjà avec cette adresse électronique.' }
		};
	}
	return db.transaction().execute(async (trx) => {
		const userId = await insertUser(trx, { ...account, passwordHash: null }, new Date(now));
		await recordAudit(trx, {
			actor: admin,
			action: 'account.created',
			target: { type: 'compte', id: userId },
			summary: `Compte créé pour ${normaliseEmail(account.email)}`,
			after: {
				email: normaliseEmail(account.email),
				name: account.name,
				role: account.role,
				organisationId: account.organisationId
			}
		});
		const invitationToken = await issueInvitation(trx, admin, userId, clientAddress, now);
		return { ok: true as const, userId, invitationToken };
	});
}

/** A fresh single-use link for the account; earlier unused links stop working. */
export async function issueInvitation(
	db: Executor,
	admin: User,
	userId: number,
	clientAddress: string | null,
	now = Date.now()
): Promise<string> {
	const { id, token, secretHash } = newSplitToken();
	await db
		.updateTable('invitation')
		.set({ used_at: now })
		.where('user_id', '=', userId)
		.where('used_at', 'is', null)
		.execute();
	await db
		.insertInto('invitation')
		.values({
			id,
			secret_hash: secretHash,
			user_id: userId,
			created_by: admin.id,
			created_at: now,
			expires_at: now + INVITATION_LIFETIME_MS,
			used_at: null
		})
		.execute();
	await recordAudit(db, {
		actor: admin,
		action: 'account.invited',
		target: { type: 'compte', id: userId },
		summary: `Lien d’invitation créé (valable 7 jours)`,
		clientAddress
	});
	return token;
}

export async function findValidInvitation(
	db: Db,
	token: string,
	now = Date.now()
): Promise<{ invitationId: string; user: User } | undefined> {
	const parts = splitToken(token);
	if (!parts) return undefined;
	const row = await db
		.selectFrom('invitation')
		.selectAll()
		.where('id', '=', parts.id)
		.executeTakeFirst();
	if (!row || !secretMatches(parts.secret, new Uint8Array(row.secret_hash))) return undefined;
	if (row.used_at !== null || now >= row.expires_at) return undefined;
	const user = await findUserById(db, row.user_id);
	if (!user || user.disabled) return undefined;
	return { invitationId: row.id, user };
}

export async function acceptInvitation(
	db: Db,
	token: string,
	password: string,
	clientAddress: string | null,
	now = Date.now()
): Promise<
	| { ok: true; user: User; token: string; session: Session }
	| { ok: false; status: 400 | 410; errors: FieldErrors }
> {
	const invitation = await findValidInvitation(db, token, now);
	if (!invitation) {
		return {
			ok: false,
			status: 410,
			errors: {
				form: 'Ce lien d’invitation n’est plus valable : demandez-en un nouveau à l’équipe de Lot numérique.'
			}
		};
	}
	const refusal = checkPasswordPolicy(password, passwordContext(invitation.user));
	if (refusal) return { ok: false, status: 400, errors: { password: refusal } };
	const hash = await hashPassword(password);
	return db.transaction().execute(async (trx) => {
		const used = await trx
			.updateTable('invitation')
			.set({ used_at: now })
			.where('id', '=', invitation.invitationId)
			.where('used_at', 'is', null)
			.executeTakeFirst();
		if (Number(used.numUpdatedRows) !== 1) {
			return {
				ok: false as const,
				status: 410 as const,
				errors: { form: 'Ce lien d’invitation a déjà été utilisé.' }
			};
		}
		await setPasswordHash(trx, invitation.user.id, hash, new Date(now));
		await invalidateUserSessions(trx, invitation.user.id);
		const session = await createSession(trx, invitation.user.id, now);
		await recordAudit(trx, {
			actor: invitation.user,
			action: 'account.activated',
			target: { type: 'compte', id: invitation.user.id },
			summary: `Mot de passe choisi par ${invitation.user.email} via son invitation`,
			clientAddress
		});
		return { ok: true as const, user: invitation.user, ...session };
	});
}

export async function setAccountDisabled(
	db: Db,
	admin: User,
	userId: number,
	disabled: boolean,
	clientAddress: string | null
): Promise<{ ok: true } | { ok: false; message: string }> {
	const target = await findUserById(db, userId);
	if (!target) return { ok: false, message: 'Ce compte n’existe pas.' };
	if (target.id === admin.id)
		return { ok: false, message: 'Vous ne pouvez pas désactiver votre propre compte.' };
	await db.transaction().execute(async (trx) => {
		await setDisabled(trx, userId, disabled);
		const ended = disabled ? await invalidateUserSessions(trx, userId) : 0;
		await recordAudit(trx, {
			actor: admin,
			action: disabled ? 'account.disabled' : 'account.enabled',
			target: { type: 'compte', id: userId },
			summary: disabled
				? `Compte de ${target.email} désactivé ; ${pluralize(ended, 'session terminée', 'sessions terminées')}`
				: `Compte de ${target.email} réactivé`,
			before: { disabled: target.disabled },
			after: { disabled },
			clientAddress
		});
	});
	return { ok: true };
}
