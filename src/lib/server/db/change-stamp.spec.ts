import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../audit/repository';
import { login } from '../auth/service';
import { createSession, validateSessionToken } from '../auth/sessions';
import { createTestUser, PEOPLE, TEST_PASSWORD } from '../auth/testing';
import type { User } from '../auth/users';
import { changeSittingState } from '../commission/service';
import { heldSitting, preparedSitting } from '../commission/testing';
import { publishEdition, saveEditionDraft } from '../editions/service';
import { reviewProgressUpdate, saveProgressUpdate } from '../progress/service';
import { createPartner, progressInput } from '../progress/testing';
import { cacheStamps } from './change-stamp';
import { openDatabase, type Db } from './index';
import { prepareDatabase } from './instance';

let dir: string;
let server: Db;
let tool: Db;
let admin: User;
let partner: User;

beforeEach(async () => {
	dir = mkdtempSync(join(tmpdir(), 'sdusn-stamp-'));
	const path = join(dir, 'portail.db');
	await (await prepareDatabase(path)).destroy();
	server = openDatabase(path);
	tool = openDatabase(path);
	admin = await createTestUser(server, PEOPLE.admin);
	partner = await createPartner(server, 'cdg46', 'p@cdg46.fr');
});

afterEach(async () => {
	await server.destroy();
	await tool.destroy();
	rmSync(dir, { recursive: true, force: true });
});

const published = async () => (await cacheStamps(server)).published;

/** One open update per fiche and organisation: each call names its own fiche. */
async function submitted(intent: 'draft' | 'submit' = 'submit', fiche = '9-1'): Promise<number> {
	const created = await saveProgressUpdate(
		server,
		partner,
		fiche,
		null,
		progressInput({ reportedOn: '2026-02-01', intent }),
		null
	);
	if (!created.ok) throw new Error('update');
	return created.value.id;
}

describe('the page cache’s stamp of published data', () => {
	it('stays the same through logins, failed logins, sessions, audit rows, drafts, submissions and returns', async () => {
		const before = await published();
		const workspace = (await cacheStamps(server)).workspace;
		const signedIn = await login(server, {
			email: PEOPLE.admin.email,
			password: TEST_PASSWORD,
			clientAddress: '127.0.0.1'
		});
		expect(signedIn.ok).toBe(true);
		// Six wrong passwords: failures counted, then the account blocked and the attempt refused.
		for (let i = 0; i < 6; i++)
			await login(server, {
				email: PEOPLE.admin.email,
				password: 'faux mot de passe',
				clientAddress: '127.0.0.1'
			});
		// A session renewed on use (created 20 days ago).
		const { token } = await createSession(server, admin.id, Date.now() - 20 * 24 * 3600 * 1000);
		expect((await validateSessionToken(server, token)).renewed).toBe(true);
		await recordAudit(server, {
			actor: admin,
			action: 'login.failure',
			summary: 'Essai',
			clientAddress: null
		});
		expect((await cacheStamps(server)).workspace).toBe(workspace);
		await submitted('draft', '12-1');
		const pending = await submitted();
		await reviewProgressUpdate(
			server,
			admin,
			{ updateId: pending, version: 1, decision: 'return', comment: 'À compléter' },
			null
		);
		await preparedSitting(server, admin, { heldOn: '2026-06-15' });
		await saveEditionDraft(server, admin, {
			year: 2025,
			asOf: '2025-12-31',
			intro: 'Bilan',
			axisTexts: {},
			changeNote: null
		});
		await createTestUser(server, {
			email: 'nouveau@cdg46.fr',
			name: 'Nouveau',
			role: 'partenaire',
			organisation: partner.organisationSlug,
			password: null
		});
		expect(await published()).toBe(before);
		// The partner's workspace shows their drafts and returned updates: its stamp moved.
		expect((await cacheStamps(server)).workspace).not.toBe(workspace);
	});

	it('changes with each validation, closed sitting and published edition, in the same transaction', async () => {
		const stamps = [await published()];
		const pending = await submitted();
		await reviewProgressUpdate(
			server,
			admin,
			{ updateId: pending, version: 1, decision: 'validate', comment: '' },
			null
		);
		stamps.push(await published());
		const { sittingId } = await heldSitting(server, admin, {
			heldOn: '2026-06-15',
			decisions: [{ kind: 'priority', newPriority: 1, text: 'motif' }]
		});
		expect(await published()).toBe(stamps.at(-1));
		await changeSittingState(server, admin, sittingId, 'closed', null);
		stamps.push(await published());
		const draft = await saveEditionDraft(server, admin, {
			year: 2025,
			asOf: '2025-12-31',
			intro: 'Bilan',
			axisTexts: {},
			changeNote: null
		});
		if (!draft.ok) throw new Error('draft');
		await publishEdition(server, admin, draft.value.id);
		stamps.push(await published());
		expect(new Set(stamps).size).toBe(4);
		// A failed transaction leaves it as it was.
		await expect(
			server.transaction().execute(async (trx) => {
				await trx.updateTable('fiche').set({ progress: 99 }).where('code', '=', '1-1').execute();
				throw new Error('abandon');
			})
		).rejects.toThrow('abandon');
		expect(await published()).toBe(stamps.at(-1));
	});

	it('sees a change of published data made by another process, and any commit of another process', async () => {
		const before = await published();
		await tool.updateTable('fiche').set({ progress: 50 }).where('code', '=', '1-1').execute();
		const afterPublic = await published();
		expect(afterPublic).not.toBe(before);
		// A commit the triggers do not see (here, an audit row; in life, a backup restored over the
		// file) still changes SQLite's data_version.
		await recordAudit(tool, {
			actor: null,
			action: 'login.failure',
			summary: 'Essai',
			clientAddress: null
		});
		expect(await published()).not.toBe(afterPublic);
	});
});
