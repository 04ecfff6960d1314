import type { ProgressInput } from '../../schemas/progress-update';
import { createTestUser } from '../auth/testing';
import type { User } from '../auth/users';
import type { Executor } from '../db';

/** A partner account of the organisation `slug`, without a password (tests only). */
export function createPartner(db: Executor, slug: string, email: string): Promise<User> {
	return createTestUser(db, {
		email,
		name: `Partenaire ${email}`,
		role: 'partenaire',
		organisation: slug,
		password: null
	});
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

/** The partner's progress form as a browser sends it: a draft of 1 March 2026, `fields` on top. */
export function progressFormData(fields: Record<string, string> = {}): FormData {
	const form = new FormData();
	const base = {
		reported_on: '2026-03-01',
		status: 'en_cours',
		progress: '',
		done: 'Fait',
		next_steps: '',
		difficulties: '',
		submission_key: 'cle-12345678',
		version: '',
		replace_version: '',
		intent: 'draft'
	};
	for (const [name, value] of Object.entries({ ...base, ...fields })) form.set(name, value);
	return form;
}

/** Lot numérique takes `organisationId` off the fiche `code`: neither its owner nor its partner. */
export async function takeOffFiche(
	db: Executor,
	organisationId: number,
	code: string
): Promise<void> {
	const fiche = await db
		.selectFrom('fiche')
		.select('id')
		.where('code', '=', code)
		.executeTakeFirstOrThrow();
	for (const table of ['fiche_owner', 'fiche_partner'] as const)
		await db
			.deleteFrom(table)
			.where('fiche_id', '=', fiche.id)
			.where('organisation_id', '=', organisationId)
			.execute();
}
