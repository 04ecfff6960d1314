import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../db/instance';
import { structuralHistory } from './structure';

const dir = mkdtempSync(join(tmpdir(), 'sdusn-plan-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('PLAN_FILE: an empty database started from a workbook', () => {
	it('takes the example territory’s plan, without the Lot’s history, journaled and revised', async () => {
		const db = await prepareDatabase(join(dir, 'brume.db'), 'tests/fixtures/plan-exemple.xlsx');
		try {
			const plan = await db.selectFrom('plan').select(['territory']).executeTakeFirstOrThrow();
			expect(plan.territory).toBe('Val-de-Brume');
			const fiches = await db.selectFrom('fiche').select('code').orderBy('code').execute();
			expect(fiches.map((f) => f.code)).toEqual(['1-1', '2-1', '3-1']);
			expect(await db.selectFrom('commission_session').select('id').execute()).toEqual([]);
			expect(await db.selectFrom('edition').select('id').execute()).toEqual([]);
			const audit = await db.selectFrom('audit_event').select(['action', 'actor_label']).execute();
			expect(audit).toEqual([{ action: 'plan.imported', actor_label: 'démarrage (PLAN_FILE)' }]);
			const revisions = await db
				.selectFrom('plan_revision')
				.select(['origin', 'reason'])
				.distinct()
				.execute();
			expect(revisions).toEqual([
				{ origin: 'import', reason: 'Chargement du plan depuis le classeur « plan-exemple.xlsx »' }
			]);
			// Loading the plan is its starting point: the home page's history lists no « added » entry.
			expect(await structuralHistory(db)).toEqual([]);
		} finally {
			await db.destroy();
		}
		// Started again (PLAN_FILE still set, or not): nothing is loaded twice, the Lot plan never.
		const again = await prepareDatabase(join(dir, 'brume.db'), null);
		try {
			expect(await again.selectFrom('fiche').select('code').execute()).toHaveLength(3);
		} finally {
			await again.destroy();
		}
	}, 60_000);

	it('a workbook that does not validate stops the start with its problems, the base stays empty', async () => {
		const bad = join(dir, 'faux.xlsx');
		writeFileSync(bad, 'pas un classeur');
		await expect(prepareDatabase(join(dir, 'vide.db'), bad)).rejects.toMatchObject({
			name: 'StartupError',
			message: expect.stringMatching(
				/^Le classeur PLAN_FILE « .*faux\.xlsx » n’a pas pu être chargé \(1\u00a0problème\) : Le fichier n’est pas un classeur Excel/
			)
		});
		const db = await prepareDatabase(join(dir, 'vide.db'), null, { seedEmpty: false });
		try {
			expect(await db.selectFrom('plan').select('id').execute()).toEqual([]);
		} finally {
			await db.destroy();
		}
	}, 60_000);
});
