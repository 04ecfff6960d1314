import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/lib/server/db/index';
import { portalMigrator } from '../src/lib/server/db/migrate';
import { MIGRATIONS } from './index';

describe('migration registry', () => {
	it('lists every migration file of the folder, in order', () => {
		const files = readdirSync(new URL('.', import.meta.url))
			.filter((name) => /^\d{4}_\d{2}_\d{2}_\d{6}_[a-z0-9_]+\.ts$/.test(name))
			.map((name) => name.replace(/\.ts$/, ''))
			.sort();
		expect(Object.keys(MIGRATIONS)).toEqual(files);
	});
});

describe('2026_11_30_040000_edition_open_data', () => {
	it('moves the open data of a published edition out of its snapshot, unchanged, and back', async () => {
		const db = openDatabase(':memory:');
		const migrator = portalMigrator(db);
		await migrator.migrateTo('2026_11_29_030000_editions');
		const plan = {
			schema: 'sdusn/plan@1',
			fiches: [
				{
					code: '1-1',
					title: 'Accès « numérique » des élus',
					indicators: [{ measurements: [{ date: '2019-06-30', value: 12.5 }] }]
				}
			]
		};
		const page = { year: 2019, intro: 'Bilan l’an 2019', figures: { totals: [1, 2] } };
		const snapshot = JSON.stringify({ ...page, plan });
		await sql`INSERT INTO edition (year, version, as_of, intro, axis_texts, state, snapshot, created_at)
			VALUES (2019, 1, '2019-12-31', 'Bilan', '{}', 'published', ${snapshot}, '2020-01-15')`.execute(db);
		await sql`INSERT INTO edition (year, version, as_of, intro, axis_texts, state, created_at)
			VALUES (2020, 1, '2020-12-31', 'Brouillon', '{}', 'draft', '2021-01-15')`.execute(db);

		await migrator.migrateTo('2026_11_30_040000_edition_open_data');
		const { rows } = await sql<{
			year: number;
			snapshot: string | null;
			open_data: string | null;
		}>`SELECT year, snapshot, open_data FROM edition ORDER BY year`.execute(db);
		expect(rows[0]!.open_data).toBe(`${JSON.stringify(plan)}\n`);
		expect(JSON.parse(rows[0]!.snapshot!)).toEqual(page);
		expect(rows[1]).toMatchObject({ snapshot: null, open_data: null });
		await expect(
			sql`UPDATE edition SET intro = 'réécrit' WHERE year = 2019`.execute(db)
		).rejects.toThrow(/cannot change/);

		await migrator.migrateTo('2026_11_29_030000_editions');
		const { rows: restored } = await sql<{
			snapshot: string;
		}>`SELECT snapshot FROM edition WHERE year = 2019`.execute(db);
		expect(JSON.parse(restored[0]!.snapshot)).toEqual({ ...page, plan });
		await db.destroy();
	});
});

describe('2026_12_03_100000_mail_one_time_link', () => {
	it('takes whole one-time links out of earlier messages; one still waiting keeps it apart', async () => {
		const db = openDatabase(':memory:');
		const migrator = portalMigrator(db);
		await migrator.migrateTo('2026_12_02_110000_structure_versions');
		const insert = (id: number, kind: string, status: string, link: string) =>
			sql`INSERT INTO mail_outbox (id, message_id, kind, recipient, subject, text_body, html_body,
				status, next_attempt_at, created_at)
				VALUES (${id}, ${`<m${id}@test>`}, ${kind}, 'a@b.test', 'Objet', ${`Lien : ${link}\n`},
				${`<a href="${link}">lien</a> ${link}`}, ${status}, 0, 0)`.execute(db);
		const reset = 'https://sdusn.test/mot-de-passe-oublie/abcdefgh2345.secretsecret234567';
		const invitation = 'https://sdusn.test/invitation/ijklmnop2345.autresecret7654321';
		await insert(1, 'reset', 'sent', reset);
		await insert(2, 'invitation', 'pending', invitation);
		await insert(3, 'campaign', 'sent', 'https://sdusn.test/desabonnement/garde-moi.abc');
		await migrator.migrateToLatest();
		const rows = await sql<{
			text_body: string;
			html_body: string;
			one_time_link: string | null;
		}>`SELECT text_body, html_body, one_time_link FROM mail_outbox ORDER BY id`.execute(db);
		const [sent, waiting, other] = rows.rows;
		expect(sent).toEqual({
			text_body: 'Lien : (lien à usage unique retiré)\n',
			html_body: '<a href="(lien à usage unique retiré)">lien</a> (lien à usage unique retiré)',
			one_time_link: null
		});
		expect(waiting).toEqual({
			text_body: 'Lien : {{lien-a-usage-unique}}\n',
			html_body: '<a href="{{lien-a-usage-unique}}">lien</a> {{lien-a-usage-unique}}',
			one_time_link: invitation
		});
		expect(other!.text_body).toBe('Lien : https://sdusn.test/desabonnement/garde-moi.abc\n');
		expect(JSON.stringify(rows.rows)).not.toContain('secretsecret');
		await db.destroy();
	});
});

describe('2026_12_07_110000_mail_cancelled', () => {
	it('rebuilds the outbox with every row, column and index, accepts « cancelled », and back', async () => {
		const db = openDatabase(':memory:');
		const migrator = portalMigrator(db);
		await migrator.migrateTo('2026_12_07_100000_mail_link_expiry');
		const statuses = ['pending', 'sending', 'sent', 'failed', 'interrupted', 'kept'];
		for (const [i, status] of statuses.entries())
			await sql`INSERT INTO mail_outbox (message_id, kind, recipient, subject, text_body, html_body,
				unsubscribe_url, status, attempts, next_attempt_at, last_error, created_at, sent_at,
				one_time_link, link_expires_at)
				VALUES (${`<m${i}@lot.test>`}, 'reset', 'paul@cdg46.test', 'Objet', 'texte', '<p>texte</p>',
				NULL, ${status}, ${i}, ${1000 + i}, ${`erreur ${i}`}, ${2000 + i}, NULL,
				${`https://sdusn.test/mot-de-passe-oublie/${i}`}, ${3000 + i})`.execute(db);
		const read = async () => (await sql`SELECT * FROM mail_outbox ORDER BY id`.execute(db)).rows;
		const shape = async () => ({
			columns: (
				await sql`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_xinfo('mail_outbox')`.execute(
					db
				)
			).rows,
			indexes: (
				await sql`SELECT name FROM pragma_index_list('mail_outbox') ORDER BY name`.execute(db)
			).rows
		});
		const [rowsBefore, shapeBefore] = [await read(), await shape()];
		const insertCancelled = () =>
			sql`INSERT INTO mail_outbox (message_id, kind, recipient, subject, text_body, html_body,
				status, next_attempt_at, created_at) VALUES ('<x@lot.test>', 'reset', 'a@b.test', 'O', 't', 'h',
				'cancelled', 0, 0)`.execute(db);
		await expect(insertCancelled()).rejects.toThrow(/CHECK constraint/);

		await migrator.migrateTo('2026_12_07_110000_mail_cancelled');
		expect(await read()).toEqual(rowsBefore);
		expect(await shape()).toEqual(shapeBefore);
		await insertCancelled();
		await expect(
			sql`UPDATE mail_outbox SET status = 'perdu' WHERE id = 1`.execute(db)
		).rejects.toThrow(/CHECK constraint/);

		await migrator.migrateTo('2026_12_07_100000_mail_link_expiry');
		const after = await read();
		expect(after.slice(0, statuses.length)).toEqual(rowsBefore);
		expect(after.at(-1)).toMatchObject({ status: 'failed' });
		expect(await shape()).toEqual(shapeBefore);
		await db.destroy();
	});
});

describe('2026_12_11_110000_repair_edited', () => {
	/** Every table, index and trigger as SQLite stores it, but the migrator's own. */
	const schemaOf = async (db: ReturnType<typeof openDatabase>) =>
		(
			await sql<{ type: string; name: string; sql: string | null }>`
			SELECT type, name, sql FROM sqlite_schema
			WHERE name NOT LIKE 'kysely_%' AND name NOT LIKE 'sqlite_%' ORDER BY type, name`.execute(db)
		).rows.map((r) => ({ ...r, sql: r.sql?.replace(/\s+/g, ' ') ?? null }));

	it('brings a database that ran the first versions of edited migrations to a fresh one’s schema, and takes out the secrets they left', async () => {
		const fresh = openDatabase(':memory:');
		await portalMigrator(fresh).migrateToLatest();

		const old = openDatabase(':memory:');
		const migrator = portalMigrator(old);
		await migrator.migrateTo('2026_12_11_100000_mail_campaign');
		// As the first versions left them.
		await sql`DROP TABLE mail_sender`.execute(old);
		await sql`CREATE TABLE mail_sender (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL,
			process TEXT NOT NULL, host TEXT NOT NULL, pid INTEGER NOT NULL,
			lease_until INTEGER NOT NULL) STRICT`.execute(old);
		await sql`INSERT INTO mail_sender VALUES (1, 'h', 'p', 'host', 12, 0)`.execute(old);
		await sql`DROP TRIGGER audit_event_no_update`.execute(old);
		await sql`CREATE TRIGGER audit_event_search_once BEFORE UPDATE OF search_text ON audit_event
			WHEN OLD.search_text IS NOT NULL
			BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(old);
		await sql`DROP TRIGGER campaign_work_revision`.execute(old);
		await sql`INSERT INTO mail_outbox (message_id, kind, recipient, subject, text_body, html_body,
			status, next_attempt_at, created_at) VALUES ('<m@x>', 'invitation', 'a@b.fr', 'Invitation',
			'Ouvrez https://portail.test/invitation/(lien-retire).s3cr3tS3cr3t pour choisir',
			'<a href="https://portail.test/invitation/(lien-retire).s3cr3tS3cr3t">lien</a>', 'sent', 0, 0)`.execute(
			old
		);
		expect(await schemaOf(old)).not.toEqual(await schemaOf(fresh));

		await migrator.migrateToLatest();
		expect(await schemaOf(old)).toEqual(await schemaOf(fresh));
		const { rows } = await sql<{
			text_body: string;
			html_body: string;
		}>`SELECT text_body, html_body FROM mail_outbox`.execute(old);
		expect(JSON.stringify(rows)).not.toContain('s3cr3t');
		expect(rows[0]!.text_body).toBe(
			'Ouvrez https://portail.test/invitation/(lien-retire) pour choisir'
		);
		// A row's id can no longer be changed with its search text.
		await sql`INSERT INTO audit_event (occurred_at, actor_label, action, summary)
			VALUES ('2026-12-05T10:00:00Z', 'système', 'plan.imported', 'Plan importé')`.execute(old);
		await expect(
			sql`UPDATE audit_event SET id = id + 1000, search_text = 'x' WHERE search_text IS NULL`.execute(
				old
			)
		).rejects.toThrow(/append-only/);
		await old.destroy();
		await fresh.destroy();
	});
});

describe('2026_12_13_100000_mail_sitting_earlier', () => {
	it('gives an earlier convocation or relevé the séance it links to, where that is sure', async () => {
		const db = openDatabase(':memory:');
		const migrator = portalMigrator(db);
		await migrator.migrateTo('2026_12_12_100000_mail_sitting');
		for (const [id, createdAt] of [
			[4, '2026-12-01T09:00:00.000Z'],
			[5, '2026-12-03T09:00:00.000Z'],
			[12, '2026-12-01T09:00:00.000Z']
		] as const)
			await sql`INSERT INTO commission_session (id, held_on, place, title, state, created_at)
				VALUES (${id}, '2027-01-20', 'Cahors', 'Séance', 'preparation', ${createdAt})`.execute(db);
		const at = Date.parse('2026-12-02T09:00:00.000Z');
		const insert = (id: number, kind: string, text: string) =>
			sql`INSERT INTO mail_outbox (id, message_id, kind, recipient, subject, text_body, html_body,
				status, next_attempt_at, created_at)
				VALUES (${id}, ${`<m${id}@test>`}, ${kind}, 'a@b.test', 'Objet', ${text}, '<p>x</p>',
				'sent', 0, ${at})`.execute(db);
		const site = 'https://sdusn.test/commission/seances';
		// A member's convocation, a partner's (its fiches' dossiers), a relevé.
		await insert(
			1,
			'convened',
			`- 9-1 — Fiche : ${site}/12/fiches/9-1\nVoir la séance : ${site}/12\n`
		);
		await insert(2, 'convened', `- 9-1 — Fiche : ${site}/12/fiches/9-1\n`);
		await insert(3, 'closed', `Lire le relevé : ${site}/4\n`);
		// A partner told their fiches left: no link. A séance created after the message (its number
		// given again before 2026-12-04). Two séances named. Another kind of message.
		await insert(4, 'convened', 'La convocation que vous aviez reçue ne vaut plus.');
		await insert(5, 'convened', `Voir la séance : ${site}/5\n`);
		await insert(6, 'convened', `${site}/4 ${site}/12\n`);
		await insert(7, 'campaign', `${site}/12\n`);
		await insert(8, 'convened', `Voir la séance : ${site}/13\n`);
		await migrator.migrateToLatest();
		const { rows } = await sql<{
			sitting_id: number | null;
		}>`SELECT sitting_id FROM mail_outbox ORDER BY id`.execute(db);
		expect(rows.map((r) => r.sitting_id)).toEqual([12, 12, 4, null, null, null, null, null]);
		await db.destroy();
	});
});

describe('2026_12_17_093000_campaign_dates_notified_unknown', () => {
	const insertChange = (db: ReturnType<typeof openDatabase>, id: number, changedAt: number) =>
		sql`INSERT INTO campaign_dates_change (id, campaign_id, deadline_before, deadline_after,
			reminder_days_before, reminder_days_after, changed_by, changed_at)
			VALUES (${id}, 1, '2027-01-10', '2027-01-20', '[-3]', '[-3]', NULL, ${changedAt})`.execute(db);
	const start = async () => {
		const db = openDatabase(':memory:');
		const migrator = portalMigrator(db);
		await migrator.migrateTo('2026_12_15_120000_mail_stopped_at');
		await sql`INSERT INTO campaign (id, title, deadline, reminder_days, opened_at)
			VALUES (1, 'Bilan', '2027-01-20', '[-3]', 0)`.execute(db);
		// Recorded before the count of organisations told existed: 0 once it was added.
		await insertChange(db, 1, Date.now() - 86_400_000);
		return { db, migrator };
	};
	const notified = async (db: ReturnType<typeof openDatabase>) =>
		(
			await sql<{
				notified: number | null;
			}>`SELECT notified FROM campaign_dates_change ORDER BY id`.execute(db)
		).rows.map((r) => r.notified);

	// Brief s51: the campaign's page read « aucune organisation prévenue » for those.
	it('makes unknown how many organisations the changes recorded before the count told; those counted since keep theirs, 0 too', async () => {
		const { db, migrator } = await start();
		await migrator.migrateTo('2026_12_16_090000_campaign_dates_notified');
		// Recorded since: one that told nobody (box unticked), one that told two organisations.
		await insertChange(db, 2, Date.now() + 60_000);
		await insertChange(db, 3, Date.now() + 60_000);
		await sql`UPDATE campaign_dates_change SET notified = 2 WHERE id = 3`.execute(db);
		expect(await notified(db)).toEqual([0, 0, 2]);

		await migrator.migrateTo('2026_12_17_093000_campaign_dates_notified_unknown');
		expect(await notified(db)).toEqual([null, 0, 2]);
		await insertChange(db, 4, Date.now() + 120_000);
		expect((await notified(db)).at(-1)).toBe(0);
		const indexes = await sql<{
			name: string;
		}>`SELECT name FROM pragma_index_list('campaign_dates_change')`.execute(db);
		expect(indexes.rows.map((r) => r.name)).toEqual(['campaign_dates_change_campaign']);

		await migrator.migrateTo('2026_12_16_090000_campaign_dates_notified');
		expect(await notified(db)).toEqual([0, 0, 2, 0]);
		await db.destroy();
	});

	it('makes unknown every change when both run in the same start', async () => {
		const { db, migrator } = await start();
		await migrator.migrateTo('2026_12_17_093000_campaign_dates_notified_unknown');
		expect(await notified(db)).toEqual([null]);
		await db.destroy();
	});
});

describe('2026_12_19_100000_commission_row_ids', () => {
	type Db = ReturnType<typeof openDatabase>;
	const rows = async (db: Db, table: string) =>
		(await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY id`.execute(db))
			.rows;
	const schema = async (db: Db) =>
		(
			await sql<{ type: string; name: string }>`SELECT type, name FROM sqlite_schema
				WHERE tbl_name IN ('session_attendee', 'agenda_item', 'decision') ORDER BY type, name`.execute(db)
		).rows;
	const revision = async (db: Db) =>
		(await sql<{ revision: number }>`SELECT revision FROM data_revision`.execute(db)).rows[0]!
			.revision;
	const TABLES = ['session_attendee', 'agenda_item', 'decision', 'plan_revision'];

	it('never gives a number twice, keeping rows, links, indexes and triggers; past the numbers the journal names', async () => {
		const db = openDatabase(':memory:');
		const migrator = portalMigrator(db);
		await migrator.migrateTo('2026_12_18_100000_replaced_measurement');
		for (const [id, state] of [
			[1, 'held'],
			[2, 'closed']
		] as const)
			await sql`INSERT INTO commission_session (id, held_on, place, title, state, created_at)
				VALUES (${id}, '2026-05-01', 'Cahors', 'Séance', ${state}, '2026-04-01')`.execute(db);
		for (const [id, sitting, name] of [
			[1, 1, 'Alice'],
			[2, 2, 'Bob']
		] as const)
			await sql`INSERT INTO session_attendee (id, session_id, guest_name)
				VALUES (${id}, ${sitting}, ${name})`.execute(db);
		for (const [id, sitting] of [
			[1, 1],
			[2, 2]
		] as const)
			await sql`INSERT INTO agenda_item (id, session_id, title, position)
				VALUES (${id}, ${sitting}, 'Point libre', 1)`.execute(db);
		for (const [id, sitting] of [
			[1, 1],
			[2, 2]
		] as const)
			await sql`INSERT INTO decision (id, session_id, agenda_item_id, kind, text, recorded_at)
				VALUES (${id}, ${sitting}, ${id}, 'free', 'Relevé', '2026-05-01')`.execute(db);
		await sql`INSERT INTO plan_revision (entity, entity_id, action, changes, reason, decision_id,
			origin, created_at) VALUES ('plan', 1, 'updated', '[]', 'Décision de la commission', 2,
			'portal', '2026-05-01')`.execute(db);
		// Removed before this migration, named by the journal: attendee 5, point 4, decision 7.
		const journal = (action: string, type: string, id: string, summary: string) =>
			sql`INSERT INTO audit_event (occurred_at, actor_label, action, target_type, target_id, summary)
				VALUES ('2026-05-01', 'Anne Admin', ${action}, ${type}, ${id}, ${summary})`.execute(db);
		await journal('session.attendees', 'séance', '1', 'Présent retiré (n° 5)');
		await journal('session.agenda', 'séance', '1', 'Point retiré de l’ordre du jour (n° 4)');
		await journal('decision.removed', 'décision', '7', 'Décision (Avis) retirée');
		const before = await Promise.all(TABLES.map((table) => rows(db, table)));
		const objects = await schema(db);
		expect(objects.filter((o) => o.type === 'trigger')).toHaveLength(9);

		await migrator.migrateToLatest();
		expect(await Promise.all(TABLES.map((table) => rows(db, table)))).toEqual(before);
		expect(await schema(db)).toEqual(objects);
		expect((await sql`SELECT * FROM pragma_foreign_key_check`.execute(db)).rows).toEqual([]);
		// A row of a closed séance still bumps the published revision: its trigger came back.
		const published = await revision(db);
		await sql`INSERT INTO agenda_item (session_id, title, position) VALUES (2, 'Autre', 2)`.execute(
			db
		);
		expect(await revision(db)).toBe(published + 1);

		const added = async (table: string, values: string) => {
			await sql.raw(`INSERT INTO ${table} ${values}`).execute(db);
			const { id } = (
				await sql<{ id: number }>`SELECT MAX(id) AS id FROM ${sql.table(table)}`.execute(db)
			).rows[0]!;
			await sql`DELETE FROM ${sql.table(table)} WHERE id = ${id}`.execute(db);
			return id;
		};
		const guest = "(session_id, guest_name) VALUES (1, 'Carole')";
		expect([
			await added('session_attendee', guest),
			await added('session_attendee', guest)
		]).toEqual([6, 7]);
		const decision = `(session_id, agenda_item_id, kind, text, recorded_at)
			VALUES (1, 1, 'free', 'Autre', '2026-05-01')`;
		expect([await added('decision', decision), await added('decision', decision)]).toEqual([8, 9]);
		const item = "(session_id, title, position) VALUES (1, 'Encore', 3)";
		// 5 is the point added above to the closed séance.
		expect(await added('agenda_item', item)).toBe(6);
		expect(await added('agenda_item', item)).toBe(7);

		await migrator.migrateTo('2026_12_18_100000_replaced_measurement');
		expect(await rows(db, 'decision')).toEqual(before[2]);
		expect(await schema(db)).toEqual(objects);
		expect((await sql`SELECT * FROM pragma_foreign_key_check`.execute(db)).rows).toEqual([]);
		await db.destroy();
	});

	it('runs on a database without séances', async () => {
		const db = openDatabase(':memory:');
		expect((await portalMigrator(db).migrateToLatest()).error).toBeUndefined();
		await sql`INSERT INTO commission_session (id, held_on, place, title, state, created_at)
			VALUES (1, '2026-05-01', 'Cahors', 'Séance', 'held', '2026-04-01')`.execute(db);
		await sql`INSERT INTO session_attendee (session_id, guest_name) VALUES (1, 'Alice')`.execute(
			db
		);
		await sql`DELETE FROM session_attendee`.execute(db);
		await sql`INSERT INTO session_attendee (session_id, guest_name) VALUES (1, 'Bob')`.execute(db);
		expect(await rows(db, 'session_attendee')).toEqual([
			{ id: 2, session_id: 1, user_id: null, guest_name: 'Bob' }
		]);
		await db.destroy();
	});
});

describe('2026_12_20_110000_convened_not_reached_ids', () => {
	it('keeps no name of those a convocation did not reach: an account where it is sure, else none', async () => {
		const db = openDatabase(':memory:');
		const migrator = portalMigrator(db);
		await migrator.migrateTo('2026_12_20_100000_sitting_closing_written');
		const now = '2026-12-07T09:00:00.000Z';
		for (const [id, name] of [
			[7, 'Anne Admin'],
			[8, 'Claire Membre'],
			[9, 'Luc Homonyme'],
			[10, 'Luc Homonyme']
		] as const)
			await sql`INSERT INTO user_account (id, email, name, role, created_at, updated_at)
				VALUES (${id}, ${`u${id}@lot.test`}, ${name}, ${id === 7 ? 'admin' : 'commission'},
				${now}, ${now})`.execute(db);
		const convened = (notReached: unknown[]) =>
			JSON.stringify({
				title: 'Séance',
				heldOn: '2027-01-20',
				startsAt: null,
				place: 'Cahors',
				written: { members: 1, partners: 0, optedOut: 4, released: 0, notReached, by: 7 }
			});
		// The old shape: names. One recorded before `written` was kept, one already in the new shape.
		const rows = [
			convened(['vous-même', 'Claire Membre', 'Luc Homonyme', 'un compte de CDG46']),
			JSON.stringify({ title: 'Séance', heldOn: '2027-01-21', startsAt: null, place: 'Cahors' }),
			convened([{ id: 8, group: 'members' }])
		];
		for (const [i, json] of rows.entries())
			await sql`INSERT INTO commission_session (id, held_on, place, title, state, created_at,
				convened_at, convened_as)
				VALUES (${i + 1}, '2027-01-20', 'Cahors', 'Séance', 'preparation', ${now}, 1, ${json})`.execute(db);
		await migrator.migrateToLatest();
		const { rows: after } = await sql<{
			convened_as: string;
		}>`SELECT convened_as FROM commission_session ORDER BY id`.execute(db);
		expect(after[0]!.convened_as).not.toMatch(/Claire|Luc|CDG46|vous-même/);
		expect(JSON.parse(after[0]!.convened_as).written).toEqual({
			members: 1,
			partners: 0,
			optedOut: 4,
			released: 0,
			by: 7,
			notReached: [
				{ id: 7, group: 'members' },
				{ id: 8, group: 'members' }
			]
		});
		expect(after.slice(1).map((row) => row.convened_as)).toEqual(rows.slice(1));
		await db.destroy();
	});
});

describe('every table', () => {
	it('is STRICT', async () => {
		const db = openDatabase(':memory:');
		await portalMigrator(db).migrateToLatest();
		const { rows } = await sql<{ name: string; strict: number }>`
			SELECT name, strict FROM pragma_table_list
			WHERE schema = 'main' AND type = 'table'
				AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%'`.execute(db);
		expect(rows.length).toBeGreaterThan(20);
		expect(rows.filter((r) => r.strict !== 1).map((r) => r.name)).toEqual([]);
		await db.destroy();
	});
});

describe('one start’s migrations', () => {
	it('run in one transaction: one that fails leaves the database as it was, the former ones too', async () => {
		const db = openDatabase(':memory:');
		const only = (names: string[]) =>
			Object.fromEntries(names.map((name) => [name, MIGRATIONS[name]!]));
		const names = Object.keys(MIGRATIONS);
		await portalMigrator(db, only(names.slice(0, 2))).migrateToLatest();
		const failing = {
			up: async (trx: typeof db) => {
				await sql`CREATE TABLE half_done (id INTEGER PRIMARY KEY) STRICT`.execute(trx);
				throw new Error('interrompue');
			}
		};
		const { error } = await portalMigrator(db, {
			...only(names.slice(0, 4)),
			'2099_01_01_000000_failing': failing as never
		}).migrateToLatest();
		expect(error).toBeInstanceOf(Error);
		const done = await sql<{
			name: string;
		}>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
		expect(done.rows.map((r) => r.name)).toEqual(names.slice(0, 2));
		const tables = await sql<{ name: string }>`
			SELECT name FROM sqlite_schema WHERE name = 'half_done'`.execute(db);
		expect(tables.rows).toEqual([]);
		// Nothing of the third and fourth migrations either: the next start runs them again.
		expect((await portalMigrator(db).migrateToLatest()).error).toBeUndefined();
		await db.destroy();
	});

	it('change no PRAGMA that a transaction would ignore', () => {
		// The whole file: a table rebuild keeps its SQL in helpers beside up().
		for (const name of Object.keys(MIGRATIONS))
			expect(
				`${name}: ${readFileSync(new URL(`./${name}.ts`, import.meta.url), 'utf8')}`
			).not.toMatch(/PRAGMA\s+(foreign_keys|journal_mode|legacy_alter_table)|VACUUM/i);
	});
});
