import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// A message carrying a one-time link (invitation, password reset) kept the link in its bodies for
// good: every admin read it at /admin/courriels, and every backup held working links. From now
// on the bodies hold a placeholder and the link lives in `one_time_link` only until the message's
// fate is known (sent, refused, interrupted, or kept without a mail relay); then it is cleared.
// The links already written in the bodies of earlier messages are taken out here.

// A link's token is « identifier.secret »; the whole address up to the next space or quote.
const LINK = /https?:\/\/[^\s"<>]*\/(?:invitation|mot-de-passe-oublie)\/[A-Za-z0-9_.-]+/g;
/** What the sender puts the link back in place of (ONE_TIME_LINK in src/lib/server/mail/templates.ts). */
const PLACEHOLDER = '{{lien-a-usage-unique}}';
const REMOVED = '(lien à usage unique retiré)';
const WAITING = ['pending', 'sending'];

export async function up(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox ADD COLUMN one_time_link TEXT`.execute(db);
	const rows = await sql<{ id: number; status: string; text_body: string; html_body: string }>`
		SELECT id, status, text_body, html_body FROM mail_outbox
		WHERE kind IN ('invitation', 'reset')`.execute(db);
	for (const row of rows.rows) {
		// A message still waiting to be sent keeps its link apart, to be put back for the relay.
		const waiting = WAITING.includes(row.status);
		const link = waiting ? (row.text_body.match(LINK)?.[0] ?? null) : null;
		const replacement = link ? PLACEHOLDER : REMOVED;
		await sql`UPDATE mail_outbox SET one_time_link = ${link},
			text_body = ${row.text_body.replace(LINK, replacement)},
			html_body = ${row.html_body.replace(LINK, replacement)} WHERE id = ${row.id}`.execute(db);
	}
}

export async function down(db: Kysely<unknown>): Promise<void> {
	await sql`ALTER TABLE mail_outbox DROP COLUMN one_time_link`.execute(db);
}
