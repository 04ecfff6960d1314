import { describe, expect, it } from 'vitest';
import { createTestDb } from '../db/testing';
import { insertRevision, listFicheRevisions } from './revisions-repository';

describe('plan revisions', () => {
	it('are appended and read back newest first, and can be neither changed nor deleted', async () => {
		const db = await createTestDb();
		const fiche = await db
			.selectFrom('fiche')
			.select('id')
			.where('code', '=', '17-1')
			.executeTakeFirstOrThrow();
		const base = {
			entity: 'fiche' as const,
			entityId: fiche.id,
			ficheId: fiche.id,
			action: 'updated' as const,
			reason: 'Décision de la commission du 1er février 2019',
			decisionId: null,
			origin: 'portal' as const,
			userId: null,
			createdAt: '2026-12-01T10:00:00Z'
		};
		await insertRevision(db, {
			...base,
			changes: [{ field: 'title', label: 'Titre', before: 'A', after: 'B' }]
		});
		const second = await insertRevision(db, { ...base, changes: [] });
		const revisions = await listFicheRevisions(db, fiche.id);
		expect(revisions.map((r) => r.id)).toEqual([second, second - 1]);
		expect(revisions[1]?.changes).toEqual([
			{ field: 'title', label: 'Titre', before: 'A', after: 'B' }
		]);
		await expect(
			db.updateTable('plan_revision').set({ reason: 'autre raison' }).execute()
		).rejects.toThrow(/append-only/);
		await expect(db.deleteFrom('plan_revision').execute()).rejects.toThrow(/append-only/);
		await expect(insertRevision(db, { ...base, reason: ' ', changes: [] })).rejects.toThrow();
	});
});
