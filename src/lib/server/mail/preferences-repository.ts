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

/** Active accounts to notify: admins, or the people of an organisation, with their e-mail. */
export async function activeRecipients(
	db: Executor,
	who:
		| { role: 'admin' | 'commission' }
		| { organisationId: number }
		| { userIds: number[]; role?: 'partenaire' }
): Promise<{ id: number; email: string; name: string }[]> {
	const role = 'role' in who ? (who.role ?? null) : null;
	const organisationId = 'organisationId' in who ? who.organisationId : null;
	const userIds = 'userIds' in who ? who.userIds : null;
	if (userIds?.length === 0) return [];
	return db
		.selectFrom('user_account')
		.select(['id', 'email', 'name'])
		.where('disabled_at', 'is', null)
		.where('password_hash', 'is not', null)
		.$if(role !== null, (q) => q.where('role', '=', role!))
		.$if(organisationId !== null, (q) => q.where('organisation_id', '=', organisationId!))
		.$if(userIds !== null, (q) => q.where('id', 'in', userIds!))
		.orderBy('id')
		.execute();
}

/**
 * The active accounts of the organisation that receive this category of messages (an account
 * without preferences receives them all), in one statement.
 */
export async function organisationRecipientsOf(
	db: Executor,
	organisationId: number,
	category: Category
): Promise<{ id: number; email: string; name: string }[]> {
	return db
		.selectFrom('user_account')
		.leftJoin('mail_preference', 'mail_preference.user_id', 'user_account.id')
		.select(['user_account.id', 'user_account.email', 'user_account.name'])
		.where('user_account.disabled_at', 'is', null)
		.where('user_account.password_hash', 'is not', null)
		.where('user_account.organisation_id', '=', organisationId)
		.where((eb) =>
			eb.or([eb('mail_preference.user_id', 'is', null), eb(`mail_preference.${category}`, '=', 1)])
		)
		.orderBy('user_account.id')
		.execute();
}

/**
 * Whether at least one active account of the organisation receives this category of messages (an
 * account without preferences receives them all).
 */
export async function organisationReceives(
	db: Executor,
	organisationId: number,
	category: Category
): Promise<boolean> {
	return (await organisationRecipientsOf(db, organisationId, category)).length > 0;
}
