import type { Executor } from '../db';

/** The notifications an account may turn off; transactional messages are always sent. */
export const CATEGORIES = ['reminders', 'validations', 'commission'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Preferences = Record<Category, boolean>;

const ALL_ON: Preferences = { reminders: true, validations: true, commission: true };

export async function findPreferences(db: Executor, userId: number): Promise<Preferences> {
	const row = await db
		.selectFrom('mail_preference')
		.select(CATEGORIES)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	if (!row) return { ...ALL_ON };
	return {
		reminders: row.reminders === 1,
		validations: row.validations === 1,
		commission: row.commission === 1
	};
}

export async function savePreferences(
	db: Executor,
	userId: number,
	preferences: Preferences,
	now: number
): Promise<void> {
	const values = {
		reminders: preferences.reminders ? 1 : 0,
		validations: preferences.validations ? 1 : 0,
		commission: preferences.commission ? 1 : 0,
		updated_at: now
	};
	await db
		.insertInto('mail_preference')
		.values({ user_id: userId, ...values })
		.onConflict((oc) => oc.column('user_id').doUpdateSet(values))
		.execute();
}

/** A signing key the server makes once and keeps in the database (app_secret). */
export async function appSecret(db: Executor, name: string): Promise<Uint8Array> {
	const fresh = new Uint8Array(32);
	crypto.getRandomValues(fresh);
	await db
		.insertInto('app_secret')
		.values({ name, value: fresh })
		.onConflict((oc) => oc.column('name').doNothing())
		.execute();
	const row = await db
		.selectFrom('app_secret')
		.select('value')
		.where('name', '=', name)
		.executeTakeFirstOrThrow();
	return new Uint8Array(row.value);
}

/** Active accounts to notify: admins, or the people of an organisation, with their e-mail. */
export async function activeRecipients(
	db: Executor,
	who: { role: 'admin' | 'commission' } | { organisationId: number } | { userIds: number[] }
): Promise<{ id: number; email: string; name: string }[]> {
	let query = db
		.selectFrom('user_account')
		.select(['id', 'email', 'name'])
		.where('disabled_at', 'is', null)
		.where('password_hash', 'is not', null);
	if ('role' in who) query = query.where('role', '=', who.role);
	else if ('organisationId' in who) query = query.where('organisation_id', '=', who.organisationId);
	else if (who.userIds.length === 0) return [];
	else query = query.where('id', 'in', who.userIds);
	return query.orderBy('id').execute();
}
