// Builds a benchmark database: the plan as seeded plus a partner account, and with a scale the
// synthetic ten-years history and one published edition per year.
import { hashPassword } from '../../src/lib/server/auth/password';
import { findOrganisationIdByNameOrSlug, insertUser } from '../../src/lib/server/auth/users';
import { openDatabase } from '../../src/lib/server/db/index';
import { prepareDatabase } from '../../src/lib/server/db/instance';
import { publishEdition, saveEditionDraft } from '../../src/lib/server/editions/service';
import { FIRST_GENERATED_YEAR, generateHistory } from './generate';

export const PARTNER = {
	email: 'banc.essai@cdg46.test',
	password: 'un banc d essai pour mesurer les pages'
};

export async function prepareDataset(
	path: string,
	scale: number | null,
	seed: number
): Promise<Record<string, unknown>> {
	const started = performance.now();
	const db = await prepareDatabase(path);
	const organisationId = await findOrganisationIdByNameOrSlug(db, 'cdg46');
	await insertUser(db, {
		email: PARTNER.email,
		name: 'Banc d’essai',
		role: 'partenaire',
		organisationId: organisationId ?? null,
		passwordHash: await hashPassword(PARTNER.password)
	});
	await db.destroy();
	if (scale === null) return {};
	const volumes = generateHistory(path, scale, seed);
	const withEditions = openDatabase(path);
	const years = Array.from(
		{ length: Math.ceil(volumes.months / 12) },
		(_, i) => FIRST_GENERATED_YEAR + i
	);
	for (const year of years) {
		// Generated years run past today: prepared and published as on the first day after each one.
		const after = new Date(`${year + 1}-01-02T10:00:00Z`);
		const draft = await saveEditionDraft(
			withEditions,
			null,
			{ year, asOf: `${year}-12-31`, intro: `Bilan ${year}`, axisTexts: {}, changeNote: null },
			null,
			after
		);
		if (!draft.ok) throw new Error(`Bilan ${year} : ${draft.message}`);
		await publishEdition(withEditions, null, draft.value.id, null, after);
	}
	await withEditions.destroy();
	return {
		...volumes,
		editions: years.length + 1,
		generationSeconds: Math.round((performance.now() - started) / 100) / 10
	};
}
