import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// A message carrying a one-time link (invitation, password reset) kept the link in its bodies for
// good: every admin read it at /admin/courriels, and every backup held working links. From now
// on the bodies hold a placeholder and the link lives in `one_time_link` only until the message's
// fate is known (sent, refused, interrupted, or kept without a mail relay); then it is cleared.
// The links already written in the bodies of earlier messages are taken out here.

const LINK = /(\/(?:invitation|mot-de-passe-oublie)\/)[A-Za-z0-9_-]+/g;
const REMOVED = '$1(lien-retire)';

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox ADD COLUMN one_time_link TEXT`.execute(db);
	const rows = await sql<{ id: number; text_body: string; html_body: string }>`
		SELECT id, text_body, html_body FROM mail_outbox WHERE kind IN ('invitation', 'reset')`.execute(db);
	for (const row of rows.rows)
		await sql`UPDATE mail_outbox SET text_body = ${row.text_body.replace(LINK, REMOVED)},
			html_body = ${row.html_body.replace(LINK, REMOVED)} WHERE id = ${row.id}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox DROP COLUMN one_time_link`.execute(db);
}
