import type { ProgressInput } from '../../schemas/progress-update';
import { insertUser, findUserById, type User } from '../auth/users';
import type { Executor } from '../db';

/** A partner account of the organisation `slug`, without a password (tests only). */
export async function createPartner(db: Executor, slug: string, email: string): Promise<User> {
	const org = await db
		.selectFrom('organisation')
		.select('id')
		.where('slug', '=', slug)
		.executeTakeFirstOrThrow();
	const id = await insertUser(db, {
		email,
		name: `Partenaire ${email}`,
		role: 'partenaire',
		organisationId: org.id,
		passwordHash: null
	});
	return (await findUserById(db, id))!;
}

export function progressInput(overrides: Partial<ProgressInput> = {}): ProgressInput {
	return {
		reportedOn: '2026-03-01',
		status: 'en_cours',
		progress: 30,
		done: 'Réunion de lancement tenue.',
		nextSteps: '',
		difficulties: '',
		submissionKey: `cle-${Math.random().toString(36).slice(2, 12)}`,
		version: null,
		intent: 'submit',
		measurements: [],
		...overrides
	};
}
