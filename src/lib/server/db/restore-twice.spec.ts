import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordAudit } from '../audit/repository';
import { restoreDatabase } from './restore';
import { fiveAsStored, fiveChangedAndDisabled, twoAdmins, withDb } from './restore-testing';
import { backUp, scratchDir } from './testing';

// Read-back s46: the wrong (older) backup restored first carried the newer facts in without a
// date the next restore could see; the right backup restored on top then took the database for
// the older copy and carried nothing: a leaked admin, disabled since, came back enabled with the
// leaked password.

describe('two restores, the older backup first', () => {
	it('keeps an admin disabled after both backups disabled, with its new password', async () => {
		const dir = scratchDir('deux-restaurations');
		const live = join(dir, 'portail.db');
		const first = join(dir, 'B1.db');
		const second = join(dir, 'B5.db');
		const ids = await withDb(live, twoAdmins);
		backUp(live, first);
		await withDb(live, (db) =>
			recordAudit(
				db,
				{
					actor: ids.other,
					action: 'login.success',
					target: { type: 'compte', id: ids.other.id },
					summary: 'Connexion'
				},
				new Date()
			)
		);
		backUp(live, second);
		await new Promise((resolve) => setTimeout(resolve, 50));
		// After both backups: the password leaked, changed, and the account disabled.
		await withDb(live, (db) => fiveChangedAndDisabled(db, ids));
		const state = () => withDb(live, (db) => fiveAsStored(db, ids.five));
		restoreDatabase(first, live);
		expect(await state()).toEqual({ disabled: true, p1: false, p2: true });
		restoreDatabase(second, live);
		expect(await state()).toEqual({ disabled: true, p1: false, p2: true });
	});
});
