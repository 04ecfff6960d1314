import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// `mail_outbox.sitting_id` (2026_12_12) was null for the messages written before it. A séance
// deleted while its second convocation waited took its recipients for people never told of it
// (their first convocation, sent, named no séance) and wrote them no cancellation. The séance of
// an earlier message is filled in where it is known for sure: a convocation or a relevé links to
// its séance's page (`/commission/seances/<id>`, its fiches' dossiers below it), one séance only,
// written after that séance was created (before 2026-12-04 a deleted séance's number was given
// again). A message naming none (the notice to a partner whose fiches left the agenda) stays null.

const SITTING_LINK = /\/commission\/seances\/(\d+)(?![\d])/g;

export async function up(db: Kysely<unknown>): Promise<void> {
	const sittings = new Map(
		(
			await sql<{ id: number; created_at: string }>`
				SELECT id, created_at FROM commission_session`.execute(db)
		).rows.map((s) => [s.id, Date.parse(s.created_at)])
	);
	const rows = await sql<{ id: number; text_body: string; created_at: number }>`
		SELECT id, text_body, created_at FROM mail_outbox
		WHERE sitting_id IS NULL AND kind IN ('convened', 'closed')`.execute(db);
	for (const row of rows.rows) {
		const named = new Set([...row.text_body.matchAll(SITTING_LINK)].map((m) => Number(m[1])));
		if (named.size !== 1) continue;
		const [sittingId] = named;
		const createdAt = sittings.get(sittingId!);
		if (createdAt === undefined || !(createdAt <= row.created_at)) continue;
		await sql`UPDATE mail_outbox SET sitting_id = ${sittingId} WHERE id = ${row.id}`.execute(db);
	}
}

// What was filled is true of those messages: left as it is.
export async function down(): Promise<void> {}
