import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { login } from '../auth/service';
import { createTestUser } from '../auth/testing';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { auditChanges } from '../../utils/audit-changes';
import { readAuditRetention } from '../config.js';
import {
	DENIALS_JOURNALED_PER_DAY,
	fillAuditSearchText,
	listAuditEvents,
	purgeAudit,
	recordAudit,
	recordDenial,
	SECURITY_ACTIONS,
	tallyRefusal,
	TALLY_SUBJECTS_PER_DAY
} from './repository';

let db: Db;
beforeEach(async () => {
	db = await createTestDb({ seed: false });
});
afterEach(async () => {
	await db.destroy();
});

const rows = async (table: 'audit_event' | 'audit_tally') =>
	(
		await db
			.selectFrom(table)
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow()
	).n;

describe('journal flood', () => {
	it('is searched by its words whatever the spaces: plain, no-break or narrow no-break', async () => {
		const server = { actor: null, actorLabel: 'serveur', action: 'plan.imported' as const };
		await recordAudit(db, { ...server, summary: 'Import du classeur du plan : 4\u00a0éléments' });
		await recordAudit(db, { ...server, summary: 'Import : 1\u202f200 champs modifiés' });
		await recordAudit(db, { ...server, summary: 'Import : 4 éléments, avant la règle' });
		const found = async (text: string) =>
			(await listAuditEvents(db, { text })).entries.map((e) => e.summary).sort();
		expect(await found('4 éléments')).toEqual([
			'Import : 4 éléments, avant la règle',
			'Import du classeur du plan : 4\u00a0éléments'
		]);
		// Typed as the page shows it (copied with its no-break space).
		expect(await found('4\u00a0Éléments')).toHaveLength(2);
		expect(await found('1 200 champs')).toEqual(['Import : 1\u202f200 champs modifiés']);
		expect(await found('5 éléments')).toEqual([]);
	});

	it('is searched without case or accents, and by the name of who acted', async () => {
		await recordAudit(db, {
			actor: null,
			actorLabel: 'Claire Martin',
			action: 'account.disabled',
			summary: 'Compte d’émilie@exemple.fr désactivé ; 1\u00a0session terminée'
		});
		const found = async (text: string) =>
			(await listAuditEvents(db, { text })).entries.map((e) => e.actorLabel);
		for (const text of ['EMILIE', 'emilie', 'desactive', 'Désactivé', 'claire martin', 'MARTIN'])
			expect(await found(text), text).toEqual(['Claire Martin']);
		expect(await found('émile')).toEqual([]);
	});

	it('finds rows written before their search text, which is then written once', async () => {
		// A row as the journal held it before `search_text` (migration 2026_12_09_110000).
		await db
			.insertInto('audit_event')
			.values({
				occurred_at: '2025-06-01T08:00:00.000Z',
				actor_label: 'Émilie Dupré',
				action: 'account.disabled',
				summary: 'Compte de paul@cdg46.fr désactivé'
			})
			.execute();
		await recordAudit(db, {
			actor: null,
			actorLabel: 'Claire Martin',
			action: 'account.disabled',
			summary: 'Compte de luc@cdg46.fr désactivé'
		});
		const found = async (text: string) =>
			(await listAuditEvents(db, { text })).entries.map((e) => e.actorLabel);
		expect(await found('emilie')).toEqual(['Émilie Dupré']);
		expect(await fillAuditSearchText(db)).toBe(1);
		expect(await fillAuditSearchText(db)).toBe(0);
		expect(await found('EMILIE DUPRE')).toEqual(['Émilie Dupré']);
		expect(await found('desactive')).toEqual(['Claire Martin', 'Émilie Dupré']);
		// Within the summary or the name, never across them.
		expect(await found('desactive claire')).toEqual([]);
		// Written once: the journal stays append-only.
		await expect(
			db.updateTable('audit_event').set({ search_text: 'autre' }).execute()
		).rejects.toThrow(/append-only/);
		await expect(db.updateTable('audit_event').set({ summary: 'autre' }).execute()).rejects.toThrow(
			/append-only/
		);
		// Nor renumbered (its id is its rowid), nor given its search text with another change.
		await expect(sql`UPDATE audit_event SET rowid = rowid + 1000`.execute(db)).rejects.toThrow(
			/append-only/
		);
		await db
			.insertInto('audit_event')
			.values({
				occurred_at: '2025-06-02T08:00:00.000Z',
				actor_label: 'Luc',
				action: 'account.disabled',
				summary: 'ancien'
			})
			.execute();
		await expect(
			db
				.updateTable('audit_event')
				.set({ search_text: 'luc', summary: 'réécrit' })
				.where('search_text', 'is', null)
				.execute()
		).rejects.toThrow(/append-only/);
	});

	it('journals a signed-in account’s refusals one by one up to a bound, then counts them', async () => {
		const { id } = await createTestUser(db, {
			email: 'claire@lot.fr',
			name: 'Claire',
			role: 'commission',
			password: null
		});
		const denial = (n: number) =>
			recordDenial(db, {
				actor: { id, name: 'Claire' },
				action: 'access.denied',
				summary: `GET /admin/${n} refusé (rôle commission)`
			});
		// Sent together, as a script would: the bound holds all the same.
		await Promise.all(Array.from({ length: DENIALS_JOURNALED_PER_DAY + 30 }, (_, n) => denial(n)));
		const journaled = await db
			.selectFrom('audit_event')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('action', '=', 'access.denied')
			.executeTakeFirstOrThrow();
		expect(journaled.n).toBe(DENIALS_JOURNALED_PER_DAY);
		expect(
			await db.selectFrom('audit_tally').select(['action', 'subject', 'count']).execute()
		).toEqual([{ action: 'access.denied', subject: `compte ${id}`, count: 30 }]);
	});

	it('stays bounded under 5,000 anonymous refused logins', async () => {
		const now = Date.now();
		for (let i = 0; i < 5000; i++) {
			const result = await login(
				db,
				{
					email: `${'x'.repeat(200)}${i}@inconnu.example`,
					password: 'nimporte quoi',
					clientAddress: `198.51.100.${i % 5}`
				},
				now + i
			);
			expect(result.ok).toBe(false);
		}
		// Nothing journaled one by one; one count per kind and address for the day.
		expect(await rows('audit_event')).toBe(0);
		expect(await rows('audit_tally')).toBeLessThanOrEqual(10);
		const total = await db
			.selectFrom('audit_tally')
			.select((eb) => eb.fn.sum<number>('count').as('n'))
			.executeTakeFirstOrThrow();
		expect(total.n).toBe(5000);
		// The made-up addresses are not kept.
		const text = JSON.stringify(await db.selectFrom('audit_tally').selectAll().execute());
		expect(text).not.toContain('inconnu.example');
	}, 60_000);

	it('folds the subjects beyond the day’s cap into one row', async () => {
		const now = new Date('2026-06-01T10:00:00Z');
		for (let i = 0; i < TALLY_SUBJECTS_PER_DAY + 300; i++)
			await tallyRefusal(db, 'login.unknown', `adresse 2001:db8::${i.toString(16)}`, now);
		expect(await rows('audit_tally')).toBe(TALLY_SUBJECTS_PER_DAY);
	});
});

describe('journal page', () => {
	it('names the organisations of an account’s role change, one gone since by its number', async () => {
		const { id } = await db
			.insertInto('organisation')
			.values({
				slug: 'lot-numerique',
				name: 'Lot numérique',
				full_name: null,
				kind: 'syndicat_mixte'
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const gone = id + 1;
		await recordAudit(db, {
			actor: null,
			actorLabel: 'Claire Martin',
			action: 'account.role_changed',
			target: { type: 'compte', id: 4 },
			summary:
				'Rôle du compte de marie@exemple.fr : Partenaire — ancienne → Partenaire — Lot numérique',
			before: { role: 'partenaire', organisationId: gone },
			after: { role: 'partenaire', organisationId: id }
		});
		const { entries, organisationNames } = await listAuditEvents(db, {});
		const [entry] = entries;
		expect(auditChanges(entry!.before, entry!.after, { organisationNames })).toEqual([
			{ field: 'organisation', before: `n° ${gone} (supprimée)`, after: 'Lot numérique' }
		]);
	});
});

describe('journal search', () => {
	// Left noticed s45: a row's search text is folded when it is written, so after a rename its
	// rows were found by the former name only, while « avant → après » shows the new one.
	it('finds the rows that name an organisation by number by its name of today too', async () => {
		const { id } = await db
			.insertInto('organisation')
			.values({ slug: 'lot-num', name: 'Lot numérique', full_name: null, kind: 'syndicat_mixte' })
			.returning('id')
			.executeTakeFirstOrThrow();
		const rows = [
			{
				action: 'account.role_changed' as const,
				target: { type: 'compte', id: 4 },
				summary: 'Rôle du compte de marie@exemple.fr : Partenaire — Lot numérique',
				after: { role: 'partenaire', organisationId: id }
			},
			{
				action: 'plan.organisation_updated' as const,
				target: { type: 'organisation', id },
				summary: 'Organisation « Lot numérique » modifiée'
			},
			{
				action: 'campaign.opened' as const,
				target: { type: 'campagne', id: 1 },
				summary: 'Campagne « Bilan » ouverte',
				after: { scope: { kind: 'organisation', organisationId: id } }
			}
		];
		for (const row of rows) await recordAudit(db, { actor: null, actorLabel: 'Claire', ...row });
		await recordAudit(db, {
			actor: null,
			actorLabel: 'Claire',
			action: 'account.role_changed',
			target: { type: 'compte', id: 5 },
			summary: 'Rôle du compte de paul@exemple.fr : Commission',
			after: { role: 'commission', organisationId: null }
		});
		await db
			.updateTable('organisation')
			.set({ name: 'Quercy numérique' })
			.where('id', '=', id)
			.execute();
		const found = async (text: string) =>
			(await listAuditEvents(db, { text })).entries.map((e) => e.summary).sort();
		const all = rows.map((r) => r.summary).sort();
		// The former name, in the summaries written with it; today's, every row that names it.
		expect(await found('lot numerique')).toEqual(all.filter((t) => t.includes('Lot numérique')));
		expect(await found('quercy numérique')).toEqual(all);
		expect(await found('zzz introuvable')).toEqual([]);
	});
});

describe('retention purge', () => {
	const old = new Date(Date.now() - 800 * 86_400_000);
	const recent = new Date(Date.now() - 10 * 86_400_000);

	it('is the only way rows leave, deletes only old security events, and journals itself', async () => {
		await recordAudit(db, { actor: null, action: 'login.failure', summary: 'ancien' }, old);
		await recordAudit(db, { actor: null, action: 'update.validated', summary: 'validation' }, old);
		await recordAudit(db, { actor: null, action: 'decision.recorded', summary: 'décision' }, old);
		await recordAudit(db, { actor: null, action: 'login.failure', summary: 'récent' }, recent);
		await tallyRefusal(db, 'login.unknown', 'adresse 192.0.2.1', old);

		// Outside the purge, the journal is still append-only.
		await expect(sql`DELETE FROM audit_event`.execute(db)).rejects.toThrow(/append-only/);
		await expect(sql`UPDATE audit_event SET summary = 'x'`.execute(db)).rejects.toThrow(
			/append-only/
		);

		const result = await purgeAudit(db, 730);
		expect(result).toMatchObject({ events: 1, tallies: 1 });
		const left = await db.selectFrom('audit_event').select(['action', 'summary']).execute();
		expect(left.map((r) => r.summary)).toEqual([
			'validation',
			'décision',
			'récent',
			expect.any(String)
		]);
		expect(left.at(-1)?.action).toBe('audit.purged');
		// The purge's window is closed again.
		await expect(sql`DELETE FROM audit_event`.execute(db)).rejects.toThrow(/append-only/);
	});

	it('cannot be shorter than 180 days, in the configuration or in the database', async () => {
		expect(readAuditRetention({})).toBe(730);
		expect(readAuditRetention({ AUDIT_RETENTION: '365' })).toBe(365);
		expect(() => readAuditRetention({ AUDIT_RETENTION: '30' })).toThrow(/au moins 180/);
		expect(() => readAuditRetention({ AUDIT_RETENTION: '2 ans' })).toThrow(/nombre de jours/);
		await expect(purgeAudit(db, 30)).rejects.toThrow(/180 days/);
	});

	it('knows the same security events as the database trigger', async () => {
		const trigger = await sql<{ sql: string }>`SELECT sql FROM sqlite_master
			WHERE type = 'trigger' AND name = 'audit_event_no_delete'`.execute(db);
		const listed = [...(trigger.rows[0]?.sql ?? '').matchAll(/'([a-z_.]+)'/g)].map((m) => m[1]);
		expect(listed.sort()).toEqual([...SECURITY_ACTIONS].sort());
	});
});
