import type { MeasurementInput, ProgressInput } from '../../schemas/progress-update';
import { createTestUser, PEOPLE } from '../auth/testing';
import type { User } from '../auth/users';
import type { Db, Executor } from '../db';
import type { UpdateState } from '../db/schema';
import type { Result } from '../result';
import { reviewProgressUpdate, saveProgressUpdate, withdrawProgressUpdate } from './service';

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

/** Who the progress tests act as: two partners of cdg46, a partner of ars, an administrator. */
export interface ProgressCast {
	cdg: User;
	colleague: User;
	ars: User;
	admin: User;
}

/** The cast, its administrator `admin` when the test has one already (else Anne, no password). */
export async function createProgressCast(db: Executor, admin?: User): Promise<ProgressCast> {
	return {
		cdg: await createPartner(db, 'cdg46', 'paul@cdg46.fr'),
		colleague: await createPartner(db, 'cdg46', 'claire@cdg46.fr'),
		ars: await createPartner(db, 'ars', 'alice@ars.fr'),
		admin: admin ?? (await createTestUser(db, { ...PEOPLE.admin, password: null }))
	};
}

/** What `preparedUpdate` brings an update to: a state, or a draft submitted then withdrawn. */
export type PreparedState = UpdateState | 'withdrawn';

/**
 * An update of `code` by cdg46 (`cast.cdg`) brought to `state` as partners and staff do (saved,
 * submitted, returned or validated by `cast.admin`, withdrawn): its id and its version now.
 */
export async function preparedUpdate(
	db: Db,
	{ cdg, admin }: Pick<ProgressCast, 'cdg' | 'admin'>,
	state: PreparedState,
	code = '9-1'
): Promise<{ id: number; version: number }> {
	const must = (result: Result<unknown>) => {
		if (!result.ok) throw new Error(`${state}: ${result.message}`);
	};
	const intent = state === 'draft' ? 'draft' : 'submit';
	const saved = await saveProgressUpdate(db, cdg, code, null, progressInput({ intent }), null);
	if (!saved.ok) throw new Error(`${state}: ${saved.message}`);
	const id = saved.value.id;
	if (state === 'draft' || state === 'submitted') return { id, version: 1 };
	if (state === 'withdrawn') {
		must(await withdrawProgressUpdate(db, cdg, id, 1, null));
		return { id, version: 2 };
	}
	const decision = state === 'validated' ? 'validate' : 'return';
	const input = { updateId: id, version: 1, decision, comment: 'Précisez les dates.' } as const;
	must(await reviewProgressUpdate(db, admin, input, null));
	return { id, version: 2 };
}

/** An update of 9-1 by `user` carrying `measurements`, submitted: its id. */
export async function submittedWith(
	db: Db,
	user: User,
	...measurements: MeasurementInput[]
): Promise<number> {
	const saved = await saveProgressUpdate(
		db,
		user,
		'9-1',
		null,
		progressInput({ measurements }),
		null
	);
	if (!saved.ok) throw new Error(saved.message);
	return saved.value.id;
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
