import type { Db } from '../../src/lib/server/db';

/**
 * The bench's journal (scripts/bench/journal.ts): `count` login rows a minute apart from
 * 2026-01-01, written as rows from before `search_text` existed (fillAuditSearchText fills them);
 * one in four carries an account's organisation by number, as a role change does, that of
 * `organisationId` (the search by an organisation's name of today reads it).
 */
export async function writeUnfoldedJournal(
	db: Db,
	count: number,
	organisationId: number
): Promise<void> {
	const start = Date.parse('2026-01-01T00:00:00Z');
	await db.transaction().execute(async (trx) => {
		for (let i = 0; i < count; i += 500)
			await trx
				.insertInto('audit_event')
				.values(
					Array.from({ length: Math.min(500, count - i) }, (_, k) => ({
						occurred_at: new Date(start + (i + k) * 60_000).toISOString(),
						actor_label: (i + k) % 3 ? 'Claire Martin' : 'Émilie Dupré',
						action: 'login.success',
						summary: `Connexion réussie depuis le poste ${i + k}`,
						after_state:
							(i + k) % 4
								? null
								: JSON.stringify({
										role: 'partenaire',
										organisationId: organisationId + ((i + k) % 8)
									})
					}))
				)
				.execute();
	});
}

/** An organisation of the bench's journal, named `name`: its id. */
export async function addJournalOrganisation(db: Db, slug: string, name: string): Promise<number> {
	const { id } = await db
		.insertInto('organisation')
		.values({ slug, name, full_name: null, kind: 'syndicat_mixte' })
		.returning('id')
		.executeTakeFirstOrThrow();
	return id;
}
